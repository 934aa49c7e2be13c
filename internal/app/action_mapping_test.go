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

// noResourceTypes lists the signed operations for which AWS's Service
// Authorization Reference lists no resource type: policies must name "*" for
// them, and their handlers may name none. Every other signed operation must
// name the resource it acts on (TestOrganizationsAuthorizedOnResourceARNs
// checks, by calling them, that Organizations' handlers name real ARNs).
var noResourceTypes = []string{
	"organizations:CreateAccount", "organizations:CreateGovCloudAccount", "organizations:CreateOrganization",
	"organizations:CreatePolicy", "organizations:DeleteOrganization", "organizations:DescribeCreateAccountStatus",
	"organizations:DescribeOrganization", "organizations:LeaveOrganization",
	"organizations:DisableAWSServiceAccess", "organizations:EnableAWSServiceAccess", "organizations:EnableAllFeatures",
	"organizations:InviteAccountToOrganization", "organizations:InviteOrganizationToTransferResponsibility",
	"organizations:ListAWSServiceAccessForOrganization", "organizations:ListAccounts",
	"organizations:ListAccountsWithInvalidEffectivePolicy", "organizations:ListCreateAccountStatus",
	"organizations:ListDelegatedAdministrators", "organizations:ListHandshakesForAccount",
	"organizations:ListHandshakesForOrganization", "organizations:ListInboundResponsibilityTransfers",
	"organizations:ListOutboundResponsibilityTransfers", "organizations:ListPolicies", "organizations:ListRoots",
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
	var starOnly []string
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
				if slices.Contains(noResourceTypes, m.Action) {
					starOnly = append(starOnly, m.Action)
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
	for _, a := range noResourceTypes {
		if !slices.Contains(starOnly, a) {
			t.Errorf("%s: AWS lists no resource type for it, yet its handler names one (or it is not served)", a)
		}
	}
	if t.Failed() {
		return
	}
	var n int
	for _, svc := range services {
		n += len(svc.ActionMappings())
	}
	t.Logf("%d operations of %d services mapped; %d authorised on \"*\" as AWS documents: %s", n, len(services), len(starOnly),
		strings.Join(starOnly, " "))
}
