package iam

import (
	"testing"

	"github.com/idcenter/idcenter/internal/policy"
)

func TestRootTaskPoliciesCompile(t *testing.T) {
	for name := range rootTaskPolicies {
		doc, ok := AWSManagedDocument(rootTaskPrefix + name)
		if !ok {
			t.Fatalf("%s: not found", name)
		}
		if _, err := policy.Compile(doc, policy.KindIdentity); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, ok := RootTaskPolicyDocument(rootTaskPrefix + "Nope"); ok {
		t.Error("unknown root task policy found")
	}
}
