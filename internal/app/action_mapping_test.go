package app_test

import (
	"slices"
	"strings"
	"testing"
)

// actionPrefixes is each service's IAM action prefix in AWS's Service
// Authorization Reference (sso-admin's is sso, sso-oidc's sso-oauth, the
// portal API's sso).
var actionPrefixes = map[string]string{
	"IAM":           "iam",
	"STS":           "sts",
	"identitystore": "identitystore",
	"SSO Admin":     "sso",
	"Organizations": "organizations",
	"SSO OIDC":      "sso-oauth",
	"SSO":           "sso",
}

// noResourceYet lists signed operations whose handler does not yet name the
// resource it acts on (they are authorised on "*"). The test fails when one
// gains a resource function (so the list only shrinks) and when any other
// signed operation has none.
var noResourceYet = []string{
	"organizations:AttachPolicy", "organizations:CreateAccount", "organizations:CreateGovCloudAccount",
	"organizations:CreateOrganization", "organizations:CreateOrganizationalUnit", "organizations:CreatePolicy",
	"organizations:DeleteOrganizationalUnit", "organizations:DeletePolicy", "organizations:DeregisterDelegatedAdministrator",
	"organizations:DescribeCreateAccountStatus", "organizations:DescribeOrganization", "organizations:DescribeOrganizationalUnit",
	"organizations:DescribePolicy", "organizations:DetachPolicy", "organizations:DisableAWSServiceAccess",
	"organizations:DisablePolicyType", "organizations:EnableAWSServiceAccess", "organizations:EnableAllFeatures",
	"organizations:EnablePolicyType", "organizations:InviteAccountToOrganization", "organizations:InviteOrganizationToTransferResponsibility",
	"organizations:ListAWSServiceAccessForOrganization", "organizations:ListAccounts", "organizations:ListAccountsForParent",
	"organizations:ListAccountsWithInvalidEffectivePolicy", "organizations:ListChildren", "organizations:ListCreateAccountStatus",
	"organizations:ListDelegatedAdministrators", "organizations:ListDelegatedServicesForAccount", "organizations:ListHandshakesForAccount",
	"organizations:ListHandshakesForOrganization", "organizations:ListInboundResponsibilityTransfers", "organizations:ListOrganizationalUnitsForParent",
	"organizations:ListOutboundResponsibilityTransfers", "organizations:ListParents", "organizations:ListPolicies",
	"organizations:ListPoliciesForTarget", "organizations:ListRoots", "organizations:ListTagsForResource",
	"organizations:ListTargetsForPolicy", "organizations:MoveAccount", "organizations:PutResourcePolicy",
	"organizations:RegisterDelegatedAdministrator", "organizations:TagResource", "organizations:UntagResource",
	"organizations:UpdateOrganizationalUnit", "organizations:UpdatePolicy",
}

// unsignedOps are the operations AWS serves without SigV4: their callers
// present a client secret, a bearer token or an identity provider's signed
// statement, which the core checks. Any other unsigned operation fails the test.
var unsignedOps = []string{
	"sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity",
	"sso-oauth:RegisterClient", "sso-oauth:StartDeviceAuthorization", "sso-oauth:CreateToken",
	"sso:GetRoleCredentials", "sso:ListAccountRoles", "sso:ListAccounts", "sso:Logout",
}

// TestEveryActionMapped checks, on the services as the server wires them,
// that every handled operation reaches the one authorisation point with its
// AWS action (<prefix>:<Operation>) and a resource function. SCIM is not an
// AWS API with IAM actions: it authenticates its own bearer tokens.
func TestEveryActionMapped(t *testing.T) {
	ts := startServer(t)
	services := ts.APIServices()
	seen := map[string]bool{}
	var stillMissing []string
	for _, svc := range services {
		id := svc.Model.ServiceID
		prefix, ok := actionPrefixes[id]
		if !ok {
			t.Errorf("service %s: no known IAM action prefix", id)
			continue
		}
		seen[id] = true
		maps := svc.ActionMappings()
		if len(maps) == 0 {
			t.Errorf("service %s: no handled operation", id)
		}
		for _, m := range maps {
			if m.Action != prefix+":"+m.Operation {
				t.Errorf("%s %s: action %s, want %s:%s", id, m.Operation, m.Action, prefix, m.Operation)
			}
			if !m.Signed {
				if !slices.Contains(unsignedOps, m.Action) {
					t.Errorf("%s is served without authentication", m.Action)
				}
				continue
			}
			if !m.Authorized {
				t.Errorf("%s is signed but not authorised (the service has no authoriser)", m.Action)
			}
			if !m.HasResource {
				if slices.Contains(noResourceYet, m.Action) {
					stillMissing = append(stillMissing, m.Action)
				} else {
					t.Errorf("%s names no resource (give its handler a resource function)", m.Action)
				}
			}
		}
	}
	for id := range actionPrefixes {
		if !seen[id] {
			t.Errorf("service %s is not served", id)
		}
	}
	for _, a := range noResourceYet {
		if !slices.Contains(stillMissing, a) {
			t.Errorf("%s has a resource function now: remove it from noResourceYet", a)
		}
	}
	if t.Failed() {
		return
	}
	var n int
	for _, svc := range services {
		n += len(svc.ActionMappings())
	}
	t.Logf("%d operations of %d services mapped; %d still authorised on \"*\" only: %s", n, len(services), len(stillMissing),
		strings.Join(stillMissing, " "))
}
