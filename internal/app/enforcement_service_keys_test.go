package app_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idstypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/smithy-go"
)

// TestEnforcementServiceKeys: the remaining service condition keys reach the
// authorisation point — IAM's delegation-request keys (iam:TemplateArn,
// iam:NotificationChannel, iam:DelegationDuration, iam:DelegationRequestOwner),
// iam:AssociatedResourceArn on the iam:PassRole of AddRoleToInstanceProfile,
// and Identity Store's identitystore:PrimaryRegion,
// identitystore:UserExternalIdIssuers and identitystore:GroupExternalIdIssuers.
// Each caller is an IAM user whose one inline policy allows an action only
// under the key's value: the call is allowed with that value, denied without.
func TestEnforcementServiceKeys(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	const acct = "123456789012"
	root := iam.NewFromConfig(ts.rootConfig(t))
	user := func(name, doc string) aws.Config {
		return machineUser(t, ts, name, func(c *iam.Client) {
			mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))
			mustDo[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name),
				PolicyName: aws.String("p"), PolicyDocument: aws.String(doc)}))
		})
	}

	// IAM delegation requests.
	const template = "arn:aws:iam::aws:policy/template/ReadOnly"
	const topic = "arn:aws:sns:us-east-1:210987654321:partner"
	delegCfg := user("delegator", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"iam:CreateDelegationRequest","Resource":"*","Condition":{
			"ArnEquals":{"iam:TemplateArn":"`+template+`","iam:NotificationChannel":"`+topic+`"},
			"NumericLessThanEquals":{"iam:DelegationDuration":"3600"}}},
		{"Effect":"Allow","Action":"iam:ListDelegationRequests","Resource":"*","Condition":{"StringEquals":{"iam:DelegationRequestOwner":"arn:aws:iam::`+acct+`:root"}}}]}`)
	delegate := func(tmpl, channel string, seconds int32) func() error {
		return func() error {
			_, err := iam.NewFromConfig(delegCfg).CreateDelegationRequest(ctx, &iam.CreateDelegationRequestInput{
				Description: aws.String("monitoring setup"), RequestorWorkflowId: aws.String("workflow-1"),
				NotificationChannel: aws.String(channel), SessionDuration: aws.Int32(seconds),
				Permissions: &iamtypes.DelegationPermission{PolicyTemplateArn: aws.String(tmpl)}})
			return err
		}
	}
	listDelegations := func(owner string) func() error {
		return func() error {
			in := &iam.ListDelegationRequestsInput{}
			if owner != "" {
				in.OwnerId = aws.String(owner)
			}
			_, err := iam.NewFromConfig(delegCfg).ListDelegationRequests(ctx, in)
			return err
		}
	}

	// iam:AssociatedResourceArn: AWS documents arn:aws:ec2:*:<account>:instance/*
	// as the only value that matches for AddRoleToInstanceProfile.
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	mustDo[*iam.CreateRoleOutput](t, "CreateRole")(root.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(trust)}))
	for _, p := range []string{"any-region", "one-region"} {
		mustDo[*iam.CreateInstanceProfileOutput](t, "CreateInstanceProfile")(root.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(p)}))
	}
	passer := func(name, instances string) aws.Config {
		return user(name, `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"iam:AddRoleToInstanceProfile","Resource":"*"},
			{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"},
				"ArnLike":{"iam:AssociatedResourceArn":"`+instances+`"}}}]}`)
	}
	anyRegionCfg := passer("passer-any", "arn:aws:ec2:*:"+acct+":instance/*")
	oneRegionCfg := passer("passer-one", "arn:aws:ec2:us-east-1:"+acct+":instance/i-0123456789abcdef0")
	addRole := func(cfg aws.Config, profile string) func() error {
		return func() error {
			_, err := iam.NewFromConfig(cfg).AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String(profile), RoleName: aws.String("app")})
			return err
		}
	}

	// Identity Store: a user and a group provisioned by SCIM (with an
	// ExternalId) and a user and a group created through the API (without).
	storeID := ts.World.Instance.IdentityStoreID
	sc := newSCIM(t, ts)
	code, su := sc.do(http.MethodPost, "Users", `{"userName":"scim-ann","name":{"givenName":"Ann","familyName":"Test"},"externalId":"idp-ann"}`)
	if code != http.StatusCreated {
		t.Fatalf("SCIM create user: %d %v", code, su)
	}
	code, sg := sc.do(http.MethodPost, "Groups", `{"displayName":"scim-ops","externalId":"idp-ops"}`)
	if code != http.StatusCreated {
		t.Fatalf("SCIM create group: %d %v", code, sg)
	}
	scimUser, _ := su["id"].(string)
	scimGroup, _ := sg["id"].(string)
	rootIDS := identitystore.NewFromConfig(ts.rootConfig(t))
	described := mustDo[*identitystore.DescribeUserOutput](t, "DescribeUser")(rootIDS.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String(scimUser)}))
	if len(described.ExternalIds) != 1 {
		t.Fatalf("SCIM user ExternalIds = %+v", described.ExternalIds)
	}
	issuer := aws.ToString(described.ExternalIds[0].Issuer)
	apiUser := aws.ToString(mustDo[*identitystore.CreateUserOutput](t, "CreateUser")(rootIDS.CreateUser(ctx, &identitystore.CreateUserInput{
		IdentityStoreId: aws.String(storeID), UserName: aws.String("api-bob"), DisplayName: aws.String("Bob"),
		Name: &idstypes.Name{GivenName: aws.String("Bob"), FamilyName: aws.String("Test")}})).UserId)
	apiGroup := aws.ToString(mustDo[*identitystore.CreateGroupOutput](t, "CreateGroup")(rootIDS.CreateGroup(ctx, &identitystore.CreateGroupInput{
		IdentityStoreId: aws.String(storeID), DisplayName: aws.String("api-devs")})).GroupId)
	idsCfg := user("directory-reader", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"identitystore:DescribeUser","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"identitystore:UserExternalIdIssuers":"`+issuer+`"}}},
		{"Effect":"Allow","Action":"identitystore:DescribeGroup","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"identitystore:GroupExternalIdIssuers":"`+issuer+`"}}},
		{"Effect":"Allow","Action":"identitystore:ListUsers","Resource":"*","Condition":{"StringEquals":{"identitystore:PrimaryRegion":"`+ts.World.Instance.Region+`"}}},
		{"Effect":"Allow","Action":"identitystore:ListGroups","Resource":"*","Condition":{"StringEquals":{"identitystore:PrimaryRegion":"eu-west-3"}}}]}`)
	ids := identitystore.NewFromConfig(idsCfg)
	describeUser := func(id string) func() error {
		return func() error {
			_, err := ids.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String(id)})
			return err
		}
	}
	describeGroup := func(id string) func() error {
		return func() error {
			_, err := ids.DescribeGroup(ctx, &identitystore.DescribeGroupInput{IdentityStoreId: aws.String(storeID), GroupId: aws.String(id)})
			return err
		}
	}
	listUsers := func() error {
		_, err := ids.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(storeID)})
		return err
	}
	listGroups := func() error {
		_, err := ids.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: aws.String(storeID)})
		return err
	}

	cases := []struct {
		name string
		call func() error
		// denied is the error code of a refusal, with a part of its message; "" when allowed.
		denied, msg string
	}{
		{"CreateDelegationRequest with the allowed template, channel and duration", delegate(template, topic, 3600), "", ""},
		{"CreateDelegationRequest with another template", delegate("arn:aws:iam::aws:policy/template/Admin", topic, 3600), "AccessDenied", "iam:CreateDelegationRequest"},
		{"CreateDelegationRequest with another channel", delegate(template, "arn:aws:sns:us-east-1:210987654321:other", 3600), "AccessDenied", "iam:CreateDelegationRequest"},
		{"CreateDelegationRequest for too long", delegate(template, topic, 7200), "AccessDenied", "iam:CreateDelegationRequest"},
		{"ListDelegationRequests of the allowed owner", listDelegations("arn:aws:iam::" + acct + ":root"), "", ""},
		{"ListDelegationRequests without an owner", listDelegations(""), "AccessDenied", "iam:ListDelegationRequests"},
		{"ListDelegationRequests of another owner", listDelegations("arn:aws:iam::210987654321:root"), "AccessDenied", "iam:ListDelegationRequests"},
		{"AddRoleToInstanceProfile, PassRole for the account's instances", addRole(anyRegionCfg, "any-region"), "", ""},
		{"AddRoleToInstanceProfile, PassRole for one instance", addRole(oneRegionCfg, "one-region"), "AccessDenied", "iam:PassRole on resource: arn:aws:iam::" + acct + ":role/app"},
		{"DescribeUser of a SCIM user (issuer)", describeUser(scimUser), "", ""},
		{"DescribeUser of a user without ExternalIds", describeUser(apiUser), "AccessDeniedException", "identitystore:DescribeUser"},
		{"DescribeGroup of a SCIM group (issuer)", describeGroup(scimGroup), "", ""},
		{"DescribeGroup of a group without ExternalIds", describeGroup(apiGroup), "AccessDeniedException", "identitystore:DescribeGroup"},
		{"ListUsers in the store's region", listUsers, "", ""},
		{"ListGroups allowed only in another region", listGroups, "AccessDeniedException", "identitystore:ListGroups"},
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
	// The refused AddRoleToInstanceProfile changed nothing.
	p := mustDo[*iam.GetInstanceProfileOutput](t, "GetInstanceProfile")(root.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("one-region")}))
	if len(p.InstanceProfile.Roles) != 0 {
		t.Fatalf("a refused AddRoleToInstanceProfile added %+v", p.InstanceProfile.Roles)
	}
}

// TestIdentityStoreArnConditionKey: a portal role session carries
// identitystore:IdentityStoreArn, the ARN of its user's identity store, next
// to identitystore:UserId. The permission set allows iam:ListUsers only for
// sessions of this store and iam:ListRoles only for another store's.
func TestIdentityStoreArnConditionKey(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	w := newSSOWorld(t, ts)
	storeID := ts.World.Instance.IdentityStoreID
	storeARN := "arn:aws:identitystore::" + ts.World.Instance.OwnerAccountID + ":identitystore/" + storeID
	user := createSSOUser(t, w, "Iva")
	ps := mustDo[*ssoadmin.CreatePermissionSetOutput](t, "CreatePermissionSet")(w.sso.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{
		InstanceArn: &w.inst, Name: aws.String("StoreBound")})).PermissionSet.PermissionSetArn
	doc := `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"ArnEquals":{"identitystore:IdentityStoreArn":"` + storeARN + `"}}},` +
		`{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*","Condition":{"ArnEquals":{"identitystore:IdentityStoreArn":"arn:aws:identitystore::` + ts.World.Instance.OwnerAccountID + `:identitystore/d-0000000000"}}}]}`
	mustDo[*ssoadmin.PutInlinePolicyToPermissionSetOutput](t, "PutInlinePolicyToPermissionSet")(w.sso.PutInlinePolicyToPermissionSet(ctx,
		&ssoadmin.PutInlinePolicyToPermissionSetInput{InstanceArn: &w.inst, PermissionSetArn: ps, InlinePolicy: aws.String(doc)}))
	a := mustDo[*ssoadmin.CreateAccountAssignmentOutput](t, "CreateAccountAssignment")(w.sso.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{
		InstanceArn: &w.inst, PermissionSetArn: ps, TargetId: aws.String(seedAccount), TargetType: ssotypes.TargetTypeAwsAccount,
		PrincipalType: ssotypes.PrincipalTypeUser, PrincipalId: &user}))
	if st := w.waitCreation(t, aws.ToString(a.AccountAssignmentCreationStatus.RequestId)); st.Status != ssotypes.StatusValuesSucceeded {
		t.Fatalf("assignment = %+v", st)
	}
	oc := ssooidc.NewFromConfig(ts.rootConfig(t))
	reg := mustDo[*ssooidc.RegisterClientOutput](t, "RegisterClient")(oc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("cli"),
		ClientType: aws.String("public"), Scopes: []string{"sso:account:access"}}))
	tok := deviceLogin(t, ts, nil, oc, reg, user)
	rc := mustDo[*sso.GetRoleCredentialsOutput](t, "GetRoleCredentials")(sso.NewFromConfig(ts.rootConfig(t)).GetRoleCredentials(ctx,
		&sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken, AccountId: aws.String(seedAccount), RoleName: aws.String("StoreBound")})).RoleCredentials
	cfg := ts.rootConfig(t)
	cfg.Credentials = staticSession(aws.ToString(rc.AccessKeyId), aws.ToString(rc.SecretAccessKey), aws.ToString(rc.SessionToken))
	c := iam.NewFromConfig(cfg)
	if _, err := c.ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatalf("ListUsers, allowed for this identity store: %v", err)
	}
	_, err := c.ListRoles(ctx, &iam.ListRolesInput{})
	wantCode(t, "ListRoles, allowed only for another identity store", err, "AccessDenied")
	// An IAM user's call has no identitystore:IdentityStoreArn.
	iamCfg := machineUser(t, ts, "plain", func(c *iam.Client) {
		mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("plain")}))
		mustDo[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("plain"),
			PolicyName: aws.String("p"), PolicyDocument: aws.String(doc)}))
	})
	_, err = iam.NewFromConfig(iamCfg).ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, "an IAM user's ListUsers", err, "AccessDenied")
}
