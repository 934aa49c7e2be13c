package authz

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/policy"
)

// fixedPolicies is a PolicySource over a table keyed by caller ARN.
type fixedPolicies map[string]CallerPolicies

func (f fixedPolicies) PoliciesFor(_ context.Context, c Caller) (CallerPolicies, error) {
	if c.ARN == "arn:aws:iam::123456789012:user/broken" {
		return CallerPolicies{}, errors.New("store on fire")
	}
	return f[c.ARN], nil
}

const devOps = `{"Version":"2012-10-17","Statement":[{"Action":["ecr:*","eks:*","lambda:*","s3:*","sqs:*"],"Effect":"Allow","Resource":"*"}]}`

func TestAuthorize(t *testing.T) {
	a := &Authorizer{
		ManagementAccountID: "123456789012",
		Cache:               policy.NewCache(16),
		Now:                 func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) },
		Policies: fixedPolicies{
			"arn:aws:iam::123456789012:user/lister": {Identity: []NamedDocument{{Name: "ListOnly",
				Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"identitystore:ListUsers","Resource":"*"}]}`}}},
			"arn:aws:iam::123456789012:user/devops": {Identity: []NamedDocument{{Name: "DevOps", Document: devOps}}},
			"arn:aws:iam::123456789012:user/bounded": {
				Identity: []NamedDocument{{Name: "Admin", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}},
				Boundary: &NamedDocument{Name: "SQSOnly", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}`},
			},
			"arn:aws:iam::123456789012:user/self": {Identity: []NamedDocument{{Name: "Self",
				Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::123456789012:user/${aws:username}"}]}`}}},
		},
	}
	store := "arn:aws:identitystore::123456789012:identitystore/d-1234567890"
	user := func(name string) Caller {
		return Caller{AccountID: "123456789012", ARN: "arn:aws:iam::123456789012:user/" + name, Type: "User", UserName: name}
	}
	tests := []struct {
		name     string
		caller   Caller
		action   string
		resource string
		deny     string // "" = allowed; else the expected end of the message
	}{
		{"management root", Caller{AccountID: "123456789012", ARN: "arn:aws:iam::123456789012:root", Type: "Account"}, "identitystore:CreateUser", store, ""},
		{"other account root on the management store", Caller{AccountID: "210987654321", ARN: "arn:aws:iam::210987654321:root", Type: "Account"},
			"identitystore:CreateUser", store, " because no resource-based policy allows the identitystore:CreateUser action"},
		{"other account root on its own resources", Caller{AccountID: "210987654321", ARN: "arn:aws:iam::210987654321:root", Type: "Account"},
			"iam:CreateUser", "arn:aws:iam::210987654321:user/x", ""},
		{"user without policies", user("nobody"), "identitystore:CreateUser", store, " because no identity-based policy allows the identitystore:CreateUser action"},
		{"list-only user lists", user("lister"), "identitystore:ListUsers", store, ""},
		{"list-only user may not create", user("lister"), "identitystore:CreateUser", store, " because no identity-based policy allows the identitystore:CreateUser action"},
		{"devops may sqs", user("devops"), "sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:q", ""},
		{"devops may not create IAM users", user("devops"), "iam:CreateUser", "arn:aws:iam::123456789012:user/x", " because no identity-based policy allows the iam:CreateUser action"},
		{"boundary caps an admin", user("bounded"), "iam:CreateUser", "arn:aws:iam::123456789012:user/x", " because no permissions boundary allows the iam:CreateUser action"},
		{"boundary lets sqs through", user("bounded"), "sqs:SendMessage", "*", ""},
		{"variable: own user", user("self"), "iam:GetUser", "arn:aws:iam::123456789012:user/self", ""},
		{"variable: other user", user("self"), "iam:GetUser", "arn:aws:iam::123456789012:user/other", " because no identity-based policy allows the iam:GetUser action"},
		{"permission set resource belongs to the management account", user("nobody"), "sso:DescribePermissionSet",
			"arn:aws:sso:::permissionSet/ssoins-1/ps-1", " because no identity-based policy allows the sso:DescribePermissionSet action"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := a.Authorize(context.Background(), tt.caller, tt.action, tt.resource)
			if tt.deny == "" {
				if err != nil {
					t.Fatalf("want allow, got %v", err)
				}
				return
			}
			fe := fault.As(err)
			if fe == nil || fe.Kind != fault.AccessDenied {
				t.Fatalf("want AccessDenied fault, got %v", err)
			}
			want := "User: " + tt.caller.ARN + " is not authorized to perform: " + tt.action + " on resource: " + tt.resource + tt.deny
			if fe.Message != want {
				t.Fatalf("message\n %q\nwant\n %q", fe.Message, want)
			}
		})
	}
}

func TestGetCallerIdentityAlwaysAllowed(t *testing.T) {
	a := &Authorizer{ManagementAccountID: "123456789012"}
	c := Caller{AccountID: "210987654321", ARN: "arn:aws:iam::210987654321:user/x", Type: "User"}
	if err := a.Authorize(context.Background(), c, "sts:GetCallerIdentity", "*"); err != nil {
		t.Fatalf("GetCallerIdentity denied: %v", err)
	}
	if err := a.Authorize(context.Background(), c, "sts:GetFederationToken", "*"); fault.As(err) == nil {
		t.Fatalf("GetFederationToken for a caller without permissions: %v", err)
	}
}

func TestPolicySourceFailureIsInternal(t *testing.T) {
	a := &Authorizer{ManagementAccountID: "123456789012", Policies: fixedPolicies{}}
	err := a.Authorize(context.Background(), Caller{AccountID: "123456789012", ARN: "arn:aws:iam::123456789012:user/broken", Type: "User"}, "iam:GetUser", "*")
	if err == nil || fault.As(err) != nil || !strings.Contains(err.Error(), "store on fire") {
		t.Fatalf("want an internal error, got %v", err)
	}
}

func TestAuthorizeWithTrustPolicy(t *testing.T) {
	const acct = "123456789012"
	role := "arn:aws:iam::" + acct + ":role/Deploy"
	allowAssume := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"` + role + `"}]}`
	a := &Authorizer{ManagementAccountID: acct, Cache: policy.NewCache(16), Policies: fixedPolicies{
		"arn:aws:iam::" + acct + ":user/may": {Identity: []NamedDocument{{Name: "Assume", Document: allowAssume}}},
	}}
	trust := func(principal string) *NamedDocument {
		return &NamedDocument{Name: "trust", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + principal +
			`"},"Action":"sts:AssumeRole","Condition":{"StringEqualsIfExists":{"sts:ExternalId":"secret"}}}]}`}
	}
	user := func(name string) Caller {
		return Caller{AccountID: acct, ARN: "arn:aws:iam::" + acct + ":user/" + name, Type: "User", UserName: name}
	}
	root := Caller{AccountID: acct, ARN: "arn:aws:iam::" + acct + ":root", Type: "Account", UserID: acct}
	otherRoot := Caller{AccountID: "210987654321", ARN: "arn:aws:iam::210987654321:root", Type: "Account", UserID: "210987654321"}
	tests := []struct {
		name   string
		caller Caller
		trust  *NamedDocument
		extra  map[string][]string
		allow  bool
	}{
		{"root, trust names the account", root, trust(acct), nil, true},
		{"root, trust names another user", root, trust("arn:aws:iam::" + acct + ":user/may"), nil, false},
		{"user named directly needs no identity policy", user("nobody"), trust("arn:aws:iam::" + acct + ":user/nobody"), nil, true},
		{"account trust: user without an identity allow", user("nobody"), trust(acct), nil, false},
		{"account trust: user with an identity allow", user("may"), trust(acct), nil, true},
		{"wrong external id", user("may"), trust(acct), map[string][]string{"sts:ExternalId": {"guess"}}, false},
		{"right external id", user("may"), trust(acct), map[string][]string{"sts:ExternalId": {"secret"}}, true},
		{"other account's root, trusted", otherRoot, trust("210987654321"), nil, true},
		{"other account's root, not trusted", otherRoot, trust(acct), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := a.AuthorizeWithResourcePolicy(context.Background(), tt.caller, "sts:AssumeRole", role, tt.trust, tt.extra)
			if tt.allow && err != nil {
				t.Fatalf("want allow, got %v", err)
			}
			if !tt.allow && fault.As(err) == nil {
				t.Fatalf("want AccessDenied, got %v", err)
			}
		})
	}
}

func TestSessionPoliciesIntersect(t *testing.T) {
	const acct = "123456789012"
	sessionARN := "arn:aws:sts::" + acct + ":assumed-role/Lister/s1"
	a := &Authorizer{ManagementAccountID: acct, Cache: policy.NewCache(16), Policies: fixedPolicies{
		sessionARN: {
			Identity:   []NamedDocument{{Name: "role", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["identitystore:ListUsers","identitystore:ListGroups"],"Resource":"*"}]}`}},
			HasSession: true,
			Session:    []NamedDocument{{Name: "session", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"identitystore:ListUsers","Resource":"*"}]}`}},
			RoleARN:    "arn:aws:iam::" + acct + ":role/Lister",
		},
		"arn:aws:sts::" + acct + ":federated-user/bob": {
			Identity:   []NamedDocument{{Name: "user", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}},
			HasSession: true, // a federated user without session policies has no permissions
		},
	}}
	c := Caller{AccountID: acct, ARN: sessionARN, Type: "AssumedRole", UserName: "s1"}
	if err := a.Authorize(context.Background(), c, "identitystore:ListUsers", "*"); err != nil {
		t.Fatalf("ListUsers: %v", err)
	}
	err := a.Authorize(context.Background(), c, "identitystore:ListGroups", "*")
	if fe := fault.As(err); fe == nil || !strings.HasSuffix(fe.Message, "because no session policy allows the identitystore:ListGroups action") {
		t.Fatalf("ListGroups: %v", err)
	}
	fed := Caller{AccountID: acct, ARN: "arn:aws:sts::" + acct + ":federated-user/bob", Type: "FederatedUser"}
	if err := a.Authorize(context.Background(), fed, "iam:ListUsers", "*"); fault.As(err) == nil {
		t.Fatalf("federated user without session policies allowed: %v", err)
	}
}

func TestSCPsApplyToMemberAccountsEvenToRoot(t *testing.T) {
	denyIAM := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}`
	full := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	a := &Authorizer{
		ManagementAccountID: "123456789012",
		SCPs: func(_ context.Context, acct string) ([][]NamedDocument, error) {
			// root level: FullAWSAccess; account level: FullAWSAccess + deny IAM
			return [][]NamedDocument{{{Name: "p-FullAWSAccess", Document: full}}, {{Name: "p-FullAWSAccess", Document: full}, {Name: "p-noiam", Document: denyIAM}}}, nil
		},
	}
	member := Caller{AccountID: "210987654321", ARN: "arn:aws:iam::210987654321:root", Type: "Account"}
	err := a.Authorize(context.Background(), member, "iam:CreateUser", "arn:aws:iam::210987654321:user/x")
	fe := fault.As(err)
	if fe == nil || !strings.HasSuffix(fe.Message, " with an explicit deny in a service control policy") {
		t.Fatalf("member root under a denying SCP: %v", err)
	}
	if err := a.Authorize(context.Background(), member, "sqs:SendMessage", "arn:aws:sqs:us-east-1:210987654321:q"); err != nil {
		t.Fatalf("member root outside the SCP's deny: %v", err)
	}
	mgmt := Caller{AccountID: "123456789012", ARN: "arn:aws:iam::123456789012:root", Type: "Account"}
	if err := a.Authorize(context.Background(), mgmt, "iam:CreateUser", "arn:aws:iam::123456789012:user/x"); err != nil {
		t.Fatalf("SCPs must not apply to the management account: %v", err)
	}
}
