package app_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
)

// lockedBuffer collects log output written from the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestEnforcementConditionKeys: the request condition keys of each call reach
// the authorisation point — iam:PermissionsBoundary, iam:PolicyARN,
// aws:RequestTag/… with aws:TagKeys, aws:ResourceTag/… of the user a call is
// on, organizations:PolicyType and sso-admin's tags on create — so a policy
// allowing (or denying) only under such a condition decides as on AWS. Each
// case's caller is an IAM user with just the policy shown.
func TestEnforcementConditionKeys(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	logs := &lockedBuffer{}
	ts.Server.Log = slog.New(slog.NewTextHandler(logs, nil)) // before any request: denials are logged through it
	root := iam.NewFromConfig(ts.rootConfig(t))
	const acct = "123456789012"
	bound := "arn:aws:iam::" + acct + ":policy/bound"
	other := "arn:aws:iam::" + acct + ":policy/other"
	for _, name := range []string{"bound", "other"} {
		mustDo[*iam.CreatePolicyOutput](t, "CreatePolicy "+name)(root.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(name),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)}))
	}
	for _, name := range []string{"target", "keep", "scratch"} {
		in := &iam.CreateUserInput{UserName: aws.String(name)}
		if name == "keep" {
			in.Tags = []iamtypes.Tag{{Key: aws.String("protected"), Value: aws.String("true")}}
		}
		mustDo[*iam.CreateUserOutput](t, "CreateUser "+name)(root.CreateUser(ctx, in))
	}
	// user creates an IAM user with one inline policy and returns its config.
	user := func(name, doc string) aws.Config {
		return machineUser(t, ts, name, func(c *iam.Client) {
			mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))
			mustDo[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name),
				PolicyName: aws.String("p"), PolicyDocument: aws.String(doc)}))
		})
	}
	boundaryCfg := user("boundary-admin", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateUser","Resource":"*",
		"Condition":{"StringEquals":{"iam:PermissionsBoundary":"`+bound+`"}}}]}`)
	attachCfg := user("attacher", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"*",
		"Condition":{"ArnEquals":{"iam:PolicyARN":"arn:aws:iam::aws:policy/ReadOnlyAccess"}}}]}`)
	tagCfg := user("tagger", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreateRole","iam:TagRole"],"Resource":"*",
		"Condition":{"StringEquals":{"aws:RequestTag/team":"ops"},"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}}]}`)
	deleteCfg := user("deleter", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:DeleteUser","Resource":"*"},
		{"Sid":"KeepProtected","Effect":"Deny","Action":"iam:DeleteUser","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/protected":"true"}}}]}`)
	orgCfg := user("org-admin", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"organizations:CreatePolicy","Resource":"*",
		"Condition":{"StringEquals":{"organizations:PolicyType":"TAG_POLICY"}}},
		{"Effect":"Allow","Action":"organizations:EnableAWSServiceAccess","Resource":"*","Condition":{"StringEquals":{"organizations:ServicePrincipal":"sso.amazonaws.com"}}},
		{"Effect":"Allow","Action":["organizations:TagResource","organizations:AttachPolicy"],"Resource":"*","Condition":{"StringEquals":{"organizations:PolicyType":"TAG_POLICY"}}}]}`)
	slrCfg := user("slr-admin", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"*",
		"Condition":{"StringEquals":{"iam:AWSServiceName":"autoscaling.amazonaws.com"}}},
		{"Effect":"Allow","Action":"iam:UpdateUser","Resource":"*","Condition":{"StringEquals":{"iam:ResourceTag/protected":"true"}}}]}`)
	ssoCfg := user("sso-admin", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sso:CreatePermissionSet","sso:TagResource"],"Resource":"*",
		"Condition":{"StringEquals":{"aws:RequestTag/cost-center":"42"}}}]}`)

	createUser := func(name, boundary string) func() error {
		return func() error {
			in := &iam.CreateUserInput{UserName: aws.String(name)}
			if boundary != "" {
				in.PermissionsBoundary = aws.String(boundary)
			}
			_, err := iam.NewFromConfig(boundaryCfg).CreateUser(ctx, in)
			return err
		}
	}
	attach := func(policyARN string) func() error {
		return func() error {
			_, err := iam.NewFromConfig(attachCfg).AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("target"), PolicyArn: aws.String(policyARN)})
			return err
		}
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	createRole := func(name string, tags map[string]string) func() error {
		return func() error {
			in := &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)}
			for k, v := range tags {
				in.Tags = append(in.Tags, iamtypes.Tag{Key: aws.String(k), Value: aws.String(v)})
			}
			_, err := iam.NewFromConfig(tagCfg).CreateRole(ctx, in)
			return err
		}
	}
	deleteUser := func(name string) func() error {
		return func() error {
			_, err := iam.NewFromConfig(deleteCfg).DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(name)})
			return err
		}
	}
	orgPolicy := func(name string, typ orgtypes.PolicyType, content string) func() error {
		return func() error {
			_, err := organizations.NewFromConfig(orgCfg).CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String(name),
				Description: aws.String("test"), Type: typ, Content: aws.String(content)})
			return err
		}
	}
	permissionSet := func(name string, tags map[string]string) func() error {
		return func() error {
			in := &ssoadmin.CreatePermissionSetInput{InstanceArn: aws.String(ts.World.Instance.ARN), Name: aws.String(name)}
			for k, v := range tags {
				in.Tags = append(in.Tags, ssotypes.Tag{Key: aws.String(k), Value: aws.String(v)})
			}
			_, err := ssoadmin.NewFromConfig(ssoCfg).CreatePermissionSet(ctx, in)
			return err
		}
	}
	serviceAccess := func(sp string) func() error {
		return func() error {
			_, err := organizations.NewFromConfig(orgCfg).EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String(sp)})
			return err
		}
	}
	linkedRole := func(service string) func() error {
		return func() error {
			_, err := iam.NewFromConfig(slrCfg).CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String(service)})
			return err
		}
	}
	updateUser := func(name string) func() error {
		return func() error {
			_, err := iam.NewFromConfig(slrCfg).UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String(name)})
			return err
		}
	}
	credCfg := user("cred-admin", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["iam:CreateServiceSpecificCredential","iam:DeleteServiceSpecificCredential"],"Resource":"*",
		 "Condition":{"StringEquals":{"iam:ServiceSpecificCredentialServiceName":"codecommit.amazonaws.com"}}},
		{"Effect":"Allow","Action":"iam:GetRole","Resource":"*","Condition":{"StringEquals":{"iam:PermissionsBoundary":"`+bound+`"}}}]}`)
	rootCred := func(service string) string {
		out := mustDo[*iam.CreateServiceSpecificCredentialOutput](t, "CreateServiceSpecificCredential")(root.CreateServiceSpecificCredential(ctx,
			&iam.CreateServiceSpecificCredentialInput{UserName: aws.String("target"), ServiceName: aws.String(service)}))
		return aws.ToString(out.ServiceSpecificCredential.ServiceSpecificCredentialId)
	}
	cassandraCred, codecommitCred := rootCred("cassandra.amazonaws.com"), rootCred("codecommit.amazonaws.com")
	createCred := func(service string) func() error {
		return func() error {
			_, err := iam.NewFromConfig(credCfg).CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("target"), ServiceName: aws.String(service)})
			return err
		}
	}
	deleteCred := func(id string) func() error {
		return func() error {
			_, err := iam.NewFromConfig(credCfg).DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: aws.String("target"), ServiceSpecificCredentialId: aws.String(id)})
			return err
		}
	}
	mustDo[*iam.CreateRoleOutput](t, "CreateRole bounded")(root.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("bounded"),
		AssumeRolePolicyDocument: aws.String(trust), PermissionsBoundary: aws.String(bound)}))
	mustDo[*iam.CreateRoleOutput](t, "CreateRole free")(root.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("free"), AssumeRolePolicyDocument: aws.String(trust)}))
	getRole := func(name string) func() error {
		return func() error {
			_, err := iam.NewFromConfig(credCfg).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
			return err
		}
	}
	rootOrg := organizations.NewFromConfig(ts.rootConfig(t))
	rootPolicy := func(name string, typ orgtypes.PolicyType, content string) string {
		out := mustDo[*organizations.CreatePolicyOutput](t, "CreatePolicy "+name)(rootOrg.CreatePolicy(ctx, &organizations.CreatePolicyInput{
			Name: aws.String(name), Description: aws.String("test"), Type: typ, Content: aws.String(content)}))
		return aws.ToString(out.Policy.PolicySummary.Id)
	}
	tagPolicyID := rootPolicy("root-tags", orgtypes.PolicyTypeTagPolicy, `{"tags":{"owner":{"tag_key":{"@@assign":"owner"}}}}`)
	scpID := rootPolicy("root-scp", orgtypes.PolicyTypeServiceControlPolicy, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ec2:*","Resource":"*"}]}`)
	orgRoot := aws.ToString(mustDo[*organizations.ListRootsOutput](t, "ListRoots")(rootOrg.ListRoots(ctx, &organizations.ListRootsInput{})).Roots[0].Id)
	for _, typ := range []orgtypes.PolicyType{orgtypes.PolicyTypeTagPolicy, orgtypes.PolicyTypeServiceControlPolicy} {
		if _, err := rootOrg.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(orgRoot), PolicyType: typ}); err != nil {
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != "PolicyTypeAlreadyEnabledException" {
				t.Fatalf("EnablePolicyType %s: %v", typ, err)
			}
		}
	}
	attachOrgPolicy := func(id string) func() error {
		return func() error {
			_, err := organizations.NewFromConfig(orgCfg).AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String(id), TargetId: aws.String(orgRoot)})
			return err
		}
	}
	tagOrgPolicy := func(id string) func() error {
		return func() error {
			_, err := organizations.NewFromConfig(orgCfg).TagResource(ctx, &organizations.TagResourceInput{ResourceId: aws.String(id),
				Tags: []orgtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		}
	}
	const tagPolicy = `{"tags":{"team":{"tag_key":{"@@assign":"team"}}}}`
	const scp = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}`
	cases := []struct {
		name string
		call func() error
		// denied is the error code of a refusal, with a part of its message; "" when allowed.
		denied, msg string
	}{
		{"CreateUser without a boundary", createUser("u1", ""), "AccessDenied", "because no identity-based policy allows the iam:CreateUser action"},
		{"CreateUser with another boundary", createUser("u2", other), "AccessDenied", "iam:CreateUser on resource: arn:aws:iam::" + acct + ":user/u2"},
		{"CreateUser with the boundary", createUser("u3", bound), "", ""},
		{"AttachUserPolicy of another policy", attach("arn:aws:iam::aws:policy/IAMFullAccess"), "AccessDenied", "iam:AttachUserPolicy"},
		{"AttachUserPolicy of the allowed policy", attach("arn:aws:iam::aws:policy/ReadOnlyAccess"), "", ""},
		{"CreateRole without tags", createRole("r1", nil), "AccessDenied", "iam:CreateRole"},
		{"CreateRole tagged team=dev", createRole("r2", map[string]string{"team": "dev"}), "AccessDenied", "iam:CreateRole"},
		{"CreateRole with a second tag key", createRole("r3", map[string]string{"team": "ops", "owner": "me"}), "AccessDenied", "iam:CreateRole"},
		{"CreateRole tagged team=ops", createRole("r4", map[string]string{"team": "ops"}), "", ""},
		{"DeleteUser of a protected user", deleteUser("keep"), "AccessDenied", "with an explicit deny in an identity-based policy"},
		{"DeleteUser of an unprotected user", deleteUser("scratch"), "", ""},
		{"CreatePolicy of an SCP", orgPolicy("scp", orgtypes.PolicyTypeServiceControlPolicy, scp), "AccessDeniedException", "organizations:CreatePolicy"},
		{"CreatePolicy of a tag policy", orgPolicy("tags", orgtypes.PolicyTypeTagPolicy, tagPolicy), "", ""},
		{"AttachPolicy of an SCP (several resources)", attachOrgPolicy(scpID), "AccessDeniedException", "organizations:AttachPolicy"},
		{"AttachPolicy of a tag policy (several resources)", attachOrgPolicy(tagPolicyID), "", ""},
		{"TagResource of an SCP", tagOrgPolicy(scpID), "AccessDeniedException", "organizations:TagResource"},
		{"TagResource of a tag policy", tagOrgPolicy(tagPolicyID), "", ""},
		{"EnableAWSServiceAccess for another service", serviceAccess("iam.amazonaws.com"), "AccessDeniedException", "organizations:EnableAWSServiceAccess"},
		{"EnableAWSServiceAccess for the allowed service", serviceAccess("sso.amazonaws.com"), "", ""},
		{"CreateServiceLinkedRole for another service", linkedRole("elasticloadbalancing.amazonaws.com"), "AccessDenied", "iam:CreateServiceLinkedRole"},
		{"CreateServiceLinkedRole for the allowed service", linkedRole("autoscaling.amazonaws.com"), "", ""},
		{"UpdateUser of an untagged user (iam:ResourceTag)", updateUser("target"), "AccessDenied", "iam:UpdateUser on resource: arn:aws:iam::" + acct + ":user/target"},
		{"UpdateUser of a tagged user (iam:ResourceTag)", updateUser("keep"), "", ""},
		{"CreateServiceSpecificCredential for Keyspaces", createCred("cassandra.amazonaws.com"), "AccessDenied", "iam:CreateServiceSpecificCredential"},
		{"CreateServiceSpecificCredential for CodeCommit", createCred("codecommit.amazonaws.com"), "", ""},
		{"DeleteServiceSpecificCredential of a Keyspaces credential", deleteCred(cassandraCred), "AccessDenied", "iam:DeleteServiceSpecificCredential"},
		{"DeleteServiceSpecificCredential of a CodeCommit credential", deleteCred(codecommitCred), "", ""},
		{"GetRole of a role with the boundary", getRole("bounded"), "", ""},
		{"GetRole of a role without a boundary", getRole("free"), "AccessDenied", "iam:GetRole on resource: arn:aws:iam::" + acct + ":role/free"},
		{"CreatePermissionSet untagged", permissionSet("Plain", nil), "AccessDeniedException", "sso:CreatePermissionSet"},
		{"CreatePermissionSet with another cost center", permissionSet("Other", map[string]string{"cost-center": "7"}), "AccessDeniedException", "sso:CreatePermissionSet"},
		{"CreatePermissionSet with the cost center", permissionSet("Billed", map[string]string{"cost-center": "42"}), "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			if c.denied == "" {
				if err != nil {
					t.Fatalf("want allowed, got %v", err)
				}
				return
			}
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != c.denied || !strings.Contains(ae.ErrorMessage(), c.msg) {
				t.Fatalf("want %s containing %q, got %v", c.denied, c.msg, err)
			}
		})
	}
	// The refused calls changed nothing.
	if _, err := root.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("keep")}); err != nil {
		t.Fatalf("the protected user is gone: %v", err)
	}
	if _, err := root.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("u1")}); err == nil {
		t.Fatal("a refused CreateUser created the user")
	}
	att := mustDo[*iam.ListAttachedUserPoliciesOutput](t, "ListAttachedUserPolicies")(root.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("target")}))
	if len(att.AttachedPolicies) != 1 || aws.ToString(att.AttachedPolicies[0].PolicyName) != "ReadOnlyAccess" {
		t.Fatalf("attached policies = %+v", att.AttachedPolicies)
	}

	// Every denial is logged with its reason: the statement that denied, or
	// the kind of policy that allowed nothing, and the request id the client got.
	err := deleteUser("keep")()
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.ServiceRequestID() == "" {
		t.Fatalf("want a denial with a request id, got %v", err)
	}
	out := logs.String()
	if want := `user/keep reason="ExplicitDeny by identity-based policy user/deleter inline p statement 1 (Sid KeepProtected)" request_id=` + re.ServiceRequestID() + "\n"; !strings.Contains(out, want) {
		t.Errorf("log lacks %q", want)
	}
	for _, want := range []string{
		`msg="access denied" principal=arn:aws:iam::` + acct + `:user/deleter action=iam:DeleteUser resource=arn:aws:iam::` + acct + `:user/keep reason="ExplicitDeny by identity-based policy`,
		`statement 1 (Sid KeepProtected)"`,
		`msg="access denied" principal=arn:aws:iam::` + acct + `:user/boundary-admin action=iam:CreateUser resource=arn:aws:iam::` + acct + `:user/u1 reason="ImplicitDeny: no identity-based policy allows" request_id=`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, testSecret) {
		t.Error("the log holds the root secret")
	}
}

// TestEnforcementConditionKeysMore: aws:ResourceTag of a permission set,
// sso:PrimaryRegion of Identity Center resources, iam:PassedToService on the
// iam:PassRole of AddRoleToInstanceProfile (ec2.amazonaws.com), and the
// simulator deciding like the authorisation point when given the same keys
// as ContextEntries.
func TestEnforcementConditionKeysMore(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	root := iam.NewFromConfig(ts.rootConfig(t))
	sso := ssoadmin.NewFromConfig(ts.rootConfig(t))
	inst := ts.World.Instance.ARN
	region := ts.World.Instance.Region
	if region == "" {
		t.Fatal("the test world's instance has no region")
	}
	newSet := func(name string, tags ...ssotypes.Tag) string {
		out := mustDo[*ssoadmin.CreatePermissionSetOutput](t, "CreatePermissionSet "+name)(sso.CreatePermissionSet(ctx,
			&ssoadmin.CreatePermissionSetInput{InstanceArn: aws.String(inst), Name: aws.String(name), Tags: tags}))
		return aws.ToString(out.PermissionSet.PermissionSetArn)
	}
	locked := newSet("Locked", ssotypes.Tag{Key: aws.String("locked"), Value: aws.String("yes")})
	loose := newSet("Loose")
	user := func(name, doc string) aws.Config {
		return machineUser(t, ts, name, func(c *iam.Client) {
			mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))
			mustDo[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name),
				PolicyName: aws.String("p"), PolicyDocument: aws.String(doc)}))
		})
	}
	setCfg := user("set-admin", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"sso:DeletePermissionSet","Resource":"*","Condition":{"StringNotEquals":{"aws:ResourceTag/locked":"yes"}}},
		{"Effect":"Allow","Action":"sso:DescribePermissionSet","Resource":"*","Condition":{"StringEquals":{"sso:PrimaryRegion":"`+region+`"}}},
		{"Effect":"Allow","Action":"sso:ListPermissionSets","Resource":"*","Condition":{"StringEquals":{"sso:PrimaryRegion":"eu-north-9"}}}]}`)
	mustDo[*iam.CreateRoleOutput](t, "CreateRole")(root.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)}))
	passer := func(name, service string) aws.Config {
		cfg := user(name, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreateInstanceProfile","iam:AddRoleToInstanceProfile"],"Resource":"*"},
			{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"`+service+`"}}}]}`)
		mustDo[*iam.CreateInstanceProfileOutput](t, "CreateInstanceProfile")(iam.NewFromConfig(cfg).CreateInstanceProfile(ctx,
			&iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(name)}))
		return cfg
	}
	ec2Cfg, lambdaCfg := passer("to-ec2", "ec2.amazonaws.com"), passer("to-lambda", "lambda.amazonaws.com")
	addRole := func(cfg aws.Config, profile string) func() error {
		return func() error {
			_, err := iam.NewFromConfig(cfg).AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String(profile), RoleName: aws.String("app")})
			return err
		}
	}
	// Tags of other IAM resources: instance profiles and OIDC providers.
	keepTag := []iamtypes.Tag{{Key: aws.String("keep"), Value: aws.String("yes")}}
	for name, tags := range map[string][]iamtypes.Tag{"kept": keepTag, "spare": nil} {
		mustDo[*iam.CreateInstanceProfileOutput](t, "CreateInstanceProfile")(root.CreateInstanceProfile(ctx,
			&iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(name), Tags: tags}))
	}
	keptOIDC := aws.ToString(mustDo[*iam.CreateOpenIDConnectProviderOutput](t, "CreateOpenIDConnectProvider")(root.CreateOpenIDConnectProvider(ctx,
		&iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://kept.example.com"), ClientIDList: []string{"c"}, Tags: keepTag})).OpenIDConnectProviderArn)
	spareOIDC := aws.ToString(mustDo[*iam.CreateOpenIDConnectProviderOutput](t, "CreateOpenIDConnectProvider")(root.CreateOpenIDConnectProvider(ctx,
		&iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://spare.example.com"), ClientIDList: []string{"c"}})).OpenIDConnectProviderArn)
	guard := iam.NewFromConfig(user("guard", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["iam:DeleteInstanceProfile","iam:DeleteOpenIDConnectProvider"],"Resource":"*"},
		{"Effect":"Deny","Action":"iam:Delete*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/keep":"yes"}}}]}`))
	deleteProfile := func(name string) func() error {
		return func() error {
			_, err := guard.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String(name)})
			return err
		}
	}
	deleteOIDC := func(arn string) func() error {
		return func() error {
			_, err := guard.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})
			return err
		}
	}
	// Tags of Organizations resources: OUs.
	org := organizations.NewFromConfig(ts.rootConfig(t))
	roots := mustDo[*organizations.ListRootsOutput](t, "ListRoots")(org.ListRoots(ctx, &organizations.ListRootsInput{}))
	newOU := func(name string, tags ...orgtypes.Tag) string {
		out := mustDo[*organizations.CreateOrganizationalUnitOutput](t, "CreateOrganizationalUnit")(org.CreateOrganizationalUnit(ctx,
			&organizations.CreateOrganizationalUnitInput{ParentId: roots.Roots[0].Id, Name: aws.String(name), Tags: tags}))
		return aws.ToString(out.OrganizationalUnit.Id)
	}
	keptOU := newOU("Kept", orgtypes.Tag{Key: aws.String("keep"), Value: aws.String("yes")})
	spareOU := newOU("Spare")
	orgGuard := organizations.NewFromConfig(user("org-guard", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"organizations:DeleteOrganizationalUnit","Resource":"*"},
		{"Effect":"Deny","Action":"organizations:Delete*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/keep":"yes"}}}]}`))
	deleteOU := func(id string) func() error {
		return func() error {
			_, err := orgGuard.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: aws.String(id)})
			return err
		}
	}
	// Untag…'s TagKeys and GetFederationToken's session tags.
	mustDo[*iam.CreateUserOutput](t, "CreateUser tagged")(root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("tagged"),
		Tags: []iamtypes.Tag{{Key: aws.String("protected"), Value: aws.String("1")}, {Key: aws.String("note"), Value: aws.String("x")}}}))
	tagAdmin := user("tag-admin", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["iam:UntagUser","sts:GetFederationToken"],"Resource":"*"},
		{"Effect":"Deny","Action":"iam:UntagUser","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["protected"]}}},
		{"Effect":"Deny","Action":"sts:GetFederationToken","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestTag/project":"blue"}}}]}`)
	untag := func(keys ...string) func() error {
		return func() error {
			_, err := iam.NewFromConfig(tagAdmin).UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String("tagged"), TagKeys: keys})
			return err
		}
	}
	federate := func(project string) func() error {
		return func() error {
			_, err := sts.NewFromConfig(tagAdmin).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("fed"),
				Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`),
				Tags:   []ststypes.Tag{{Key: aws.String("project"), Value: aws.String(project)}}})
			return err
		}
	}
	setClient := ssoadmin.NewFromConfig(setCfg)
	cases := []struct {
		name        string
		call        func() error
		denied, msg string
	}{
		{"DeletePermissionSet of a locked set", func() error {
			_, err := setClient.DeletePermissionSet(ctx, &ssoadmin.DeletePermissionSetInput{InstanceArn: aws.String(inst), PermissionSetArn: aws.String(locked)})
			return err
		}, "AccessDeniedException", "sso:DeletePermissionSet on resource: " + locked},
		{"DeletePermissionSet of an untagged set", func() error {
			_, err := setClient.DeletePermissionSet(ctx, &ssoadmin.DeletePermissionSetInput{InstanceArn: aws.String(inst), PermissionSetArn: aws.String(loose)})
			return err
		}, "", ""},
		{"DescribePermissionSet in the instance's region", func() error {
			_, err := setClient.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: aws.String(inst), PermissionSetArn: aws.String(locked)})
			return err
		}, "", ""},
		{"ListPermissionSets allowed only in another region", func() error {
			_, err := setClient.ListPermissionSets(ctx, &ssoadmin.ListPermissionSetsInput{InstanceArn: aws.String(inst)})
			return err
		}, "AccessDeniedException", "sso:ListPermissionSets"},
		{"PassRole allowed for lambda only", addRole(lambdaCfg, "to-lambda"), "AccessDenied", "iam:PassRole on resource: arn:aws:iam::123456789012:role/app"},
		{"PassRole allowed for ec2", addRole(ec2Cfg, "to-ec2"), "", ""},
		{"DeleteInstanceProfile of a kept profile", deleteProfile("kept"), "AccessDenied", "with an explicit deny in an identity-based policy"},
		{"DeleteInstanceProfile of an untagged profile", deleteProfile("spare"), "", ""},
		{"DeleteOpenIDConnectProvider of a kept provider", deleteOIDC(keptOIDC), "AccessDenied", "with an explicit deny in an identity-based policy"},
		{"DeleteOpenIDConnectProvider of an untagged provider", deleteOIDC(spareOIDC), "", ""},
		{"UntagUser of a protected key", untag("note", "protected"), "AccessDenied", "with an explicit deny in an identity-based policy"},
		{"UntagUser of another key", untag("note"), "", ""},
		{"GetFederationToken tagged for another project", federate("red"), "AccessDenied", "with an explicit deny in an identity-based policy"},
		{"GetFederationToken tagged for the project", federate("blue"), "", ""},
		{"DeleteOrganizationalUnit of a kept OU", deleteOU(keptOU), "AccessDeniedException", "with an explicit deny in an identity-based policy"},
		{"DeleteOrganizationalUnit of an untagged OU", deleteOU(spareOU), "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			if c.denied == "" {
				if err != nil {
					t.Fatalf("want allowed, got %v", err)
				}
				return
			}
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != c.denied || !strings.Contains(ae.ErrorMessage(), c.msg) {
				t.Fatalf("want %s containing %q, got %v", c.denied, c.msg, err)
			}
		})
	}
	tags := mustDo[*iam.ListUserTagsOutput](t, "ListUserTags")(root.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("tagged")}))
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "protected" {
		t.Fatalf("tags after the untagging = %+v, want only protected", tags.Tags)
	}
	if _, err := sso.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: aws.String(inst), PermissionSetArn: aws.String(locked)}); err != nil {
		t.Fatalf("the locked permission set is gone: %v", err)
	}

	// The simulator, given the keys the server computes, decides the same.
	sim := func(service string) iamtypes.PolicyEvaluationDecisionType {
		out := mustDo[*iam.SimulatePrincipalPolicyOutput](t, "SimulatePrincipalPolicy")(root.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
			PolicySourceArn: aws.String("arn:aws:iam::123456789012:user/to-ec2"),
			ActionNames:     []string{"iam:PassRole"}, ResourceArns: []string{"arn:aws:iam::123456789012:role/app"},
			ContextEntries: []iamtypes.ContextEntry{{ContextKeyName: aws.String("iam:PassedToService"),
				ContextKeyType: iamtypes.ContextKeyTypeEnumString, ContextKeyValues: []string{service}}}}))
		return out.EvaluationResults[0].EvalDecision
	}
	if got := sim("ec2.amazonaws.com"); got != iamtypes.PolicyEvaluationDecisionTypeAllowed {
		t.Errorf("simulated PassRole to ec2 = %s, want allowed", got)
	}
	if got := sim("lambda.amazonaws.com"); got != iamtypes.PolicyEvaluationDecisionTypeImplicitDeny {
		t.Errorf("simulated PassRole to lambda = %s, want implicitDeny", got)
	}
}

// TestEnforcementDeniedLogClosedAccount: a closed account's principals are
// refused before any policy is evaluated; the log says why.
func TestEnforcementDeniedLogClosedAccount(t *testing.T) {
	ctx := context.Background()
	ts, c := orgMembers(t) // no request made yet
	logs := &lockedBuffer{}
	ts.Server.Log = slog.New(slog.NewTextHandler(logs, nil))
	acct, member, _ := newMember(t, ts, c, "closed@example.com")
	if _, err := c.CloseAccount(ctx, &organizations.CloseAccountInput{AccountId: aws.String(acct)}); err != nil {
		t.Fatalf("CloseAccount: %v", err)
	}
	_, err := member.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDeniedException" {
		t.Fatalf("closed account's call: want AccessDeniedException, got %v", err)
	}
	want := `msg="access denied" principal=arn:aws:sts::` + acct + `:assumed-role/OrganizationAccountAccessRole/`
	out := logs.String()
	if !strings.Contains(out, want) || !strings.Contains(out, `action=organizations:DescribeOrganization resource=* reason="The AWS account `+acct+` is closed (SUSPENDED)`) {
		t.Fatalf("log lacks the closed account's refusal:\n%s", out)
	}
}
