package authz

import (
	"context"
	"testing"

	"github.com/idcenter/idcenter/internal/policy"
)

// TestLazyKeys: a store-backed key (Authorizer.LazyKeys) is computed only when
// a policy of the caller tests it, and then decides as an eager key would.
func TestLazyKeys(t *testing.T) {
	const acct = "123456789012"
	conditioned := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"identitystore:DescribeUser","Resource":"*",
		"Condition":{"ForAnyValue:StringEquals":{"identitystore:UserExternalIdIssuers":"scim"}}}]}`
	plain := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"identitystore:DescribeUser","Resource":"*"}]}`
	tests := []struct {
		name      string
		doc       string
		issuers   []string
		wantAllow bool
		wantCalls int
	}{
		{"policy tests the key, value matches", conditioned, []string{"scim"}, true, 1},
		{"policy tests the key, other value", conditioned, []string{"other"}, false, 1},
		{"policy tests the key, key absent", conditioned, nil, false, 1},
		{"no policy tests the key: not computed", plain, []string{"scim"}, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			a := &Authorizer{ManagementAccountID: acct, Cache: policy.NewCache(16),
				Policies: fixedPolicies{"arn:aws:iam::" + acct + ":user/u": {Identity: []NamedDocument{{Name: "P", Document: tt.doc}}}},
				LazyKeys: func(context.Context) map[string]func() []string {
					return map[string]func() []string{"identitystore:UserExternalIdIssuers": func() []string { calls++; return tt.issuers }}
				}}
			err := a.AuthorizeRequest(context.Background(), Caller{AccountID: acct, ARN: "arn:aws:iam::" + acct + ":user/u", Type: "User", UserName: "u"},
				"identitystore:DescribeUser", "arn:aws:identitystore::"+acct+":identitystore/d-1234567890", nil)
			if (err == nil) != tt.wantAllow {
				t.Fatalf("allowed = %v (%v), want %v", err == nil, err, tt.wantAllow)
			}
			if calls != tt.wantCalls {
				t.Fatalf("key computed %d times, want %d", calls, tt.wantCalls)
			}
		})
	}
}
