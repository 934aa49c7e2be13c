package app_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
)

// TestReservedSSORoleIsProtected: the AWSReservedSSO_ role provisioning made
// belongs to Identity Center; IAM refuses to change or delete it
// (UnmodifiableEntity), even for the account's root, and it is unchanged
// afterwards.
func TestReservedSSORoleIsProtected(t *testing.T) {
	ctx := context.Background()
	w := newSSOWorld(t, startServer(t))
	ps := w.devOpsSet(t)
	if st := w.waitCreation(t, aws.ToString(w.assign(t, ps, w.devOpsGroup(t)).RequestId)); st.Status != ssotypes.StatusValuesSucceeded {
		t.Fatalf("assignment = %+v", st)
	}
	name, ok := w.devOpsRole(t)
	if !ok {
		t.Fatal("no AWSReservedSSO_DevOps_ role")
	}
	admin := aws.String("arn:aws:iam::aws:policy/AdministratorAccess")
	calls := []struct {
		op   string
		call func() error
	}{
		{"DeleteRole", func() error { _, err := w.iam.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: &name}); return err }},
		{"AttachRolePolicy", func() error {
			_, err := w.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: &name, PolicyArn: admin})
			return err
		}},
		{"PutRolePolicy", func() error {
			_, err := w.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: &name, PolicyName: aws.String("more"),
				PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)})
			return err
		}},
		{"DeleteRolePolicy", func() error {
			_, err := w.iam.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: &name, PolicyName: aws.String("AwsSSOInlinePolicy")})
			return err
		}},
		{"UpdateAssumeRolePolicy", func() error {
			_, err := w.iam.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: &name,
				PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`)})
			return err
		}},
		{"PutRolePermissionsBoundary", func() error {
			_, err := w.iam.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: &name, PermissionsBoundary: admin})
			return err
		}},
	}
	for _, c := range calls {
		t.Run(c.op, func(t *testing.T) { wantCode(t, c.op+" on "+name, c.call(), "UnmodifiableEntity") })
	}
	if doc := w.inlineDoc(t, name); doc != seedPolicy {
		t.Errorf("inline policy after the refused calls = %s", doc)
	}
	att, err := w.iam.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: &name})
	if err != nil || len(att.AttachedPolicies) != 0 {
		t.Errorf("attached policies after the refused calls = %+v, %v", att, err)
	}
}
