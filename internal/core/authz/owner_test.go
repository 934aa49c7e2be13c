package authz

import (
	"context"
	"errors"
	"testing"
)

// TestResourceAccountOfIdentityCenterResources: Identity Center ARNs carry no
// account; ResourceOwner names it, unknown resources and wildcards are the
// caller's own, and the delegated administrator treats the organization
// instance's resources as its own account's.
func TestResourceAccountOfIdentityCenterResources(t *testing.T) {
	const mgmt, member, delegated = "123456789012", "111111111111", "222222222222"
	owners := map[string]string{
		"arn:aws:sso:::instance/ssoins-1111111111111111":                          mgmt,
		"arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111": mgmt,
		"arn:aws:sso:::instance/ssoins-2222222222222222":                          member,
		"arn:aws:identitystore:::user/u-member":                                   member,
	}
	a := &Authorizer{ManagementAccountID: mgmt,
		ResourceOwner: func(_ context.Context, r string) (string, error) {
			if r == "arn:aws:sso:::instance/ssoins-broken000000000" {
				return "", errors.New("store on fire")
			}
			return owners[r], nil
		},
		DelegatedAdmin: func(_ context.Context, acct string) (bool, error) { return acct == delegated, nil },
	}
	tests := []struct {
		name, resource, caller, want string
	}{
		{"org instance, management caller", "arn:aws:sso:::instance/ssoins-1111111111111111", mgmt, mgmt},
		{"org instance, member caller", "arn:aws:sso:::instance/ssoins-1111111111111111", member, mgmt},
		{"org permission set, delegated administrator", "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111", delegated, delegated},
		{"org identity store, delegated administrator", "arn:aws:identitystore::" + mgmt + ":identitystore/d-1234567890", delegated, delegated},
		{"org identity store, other member", "arn:aws:identitystore::" + mgmt + ":identitystore/d-1234567890", member, mgmt},
		{"account instance, its owner", "arn:aws:sso:::instance/ssoins-2222222222222222", member, member},
		{"account instance, management caller", "arn:aws:sso:::instance/ssoins-2222222222222222", mgmt, member},
		{"account instance, delegated administrator", "arn:aws:sso:::instance/ssoins-2222222222222222", delegated, member},
		{"member's user", "arn:aws:identitystore:::user/u-member", mgmt, member},
		{"unknown instance", "arn:aws:sso:::instance/ssoins-9999999999999999", member, member},
		{"wildcard", "arn:aws:sso:::instance/*", member, member},
		{"AWS-owned provider", "arn:aws:sso::aws:applicationProvider/catalog/x", member, member},
		{"IAM resource", "arn:aws:iam::" + member + ":user/x", mgmt, member},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := a.resourceAccount(context.Background(), tc.resource, tc.caller)
			if err != nil || got != tc.want {
				t.Fatalf("resourceAccount = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	if _, err := a.resourceAccount(context.Background(), "arn:aws:sso:::instance/ssoins-broken000000000", member); err == nil {
		t.Fatal("a failing owner lookup must be an error, never a guess")
	}
	// Without the hooks every Identity Center resource is the management account's.
	plain := &Authorizer{ManagementAccountID: mgmt}
	if got, _ := plain.resourceAccount(context.Background(), "arn:aws:sso:::instance/ssoins-2222222222222222", member); got != mgmt {
		t.Fatalf("without ResourceOwner: %q", got)
	}
}
