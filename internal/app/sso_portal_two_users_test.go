package app_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/idcenter/idcenter/internal/config"
)

// TestSSOPortalTwoUsersSeeOnlyTheirOwn: Bojan gets DevOps in the management
// account through the devops group, Ana gets ReadOnly in a member account
// directly. Each sees exactly their account and role, each gets working
// credentials for their own role only, and neither can get the other's.
func TestSSOPortalTwoUsersSeeOnlyTheirOwn(t *testing.T) {
	const member = "111111111111"
	ts := startServerWith(t, func(c *config.Config) { c.MemberAccounts = []string{member + "=Dev"} })
	w := newSSOWorld(t, ts)
	ctx := context.Background()
	storeID := ts.World.Instance.IdentityStoreID
	bojan := createSSOUser(t, w, "Bojan")
	ana := createSSOUser(t, w, "Ana")
	group := w.devOpsGroup(t)
	if _, err := w.ids.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: &storeID,
		GroupId: &group, MemberId: &idtypes.MemberIdMemberUserId{Value: bojan}}); err != nil {
		t.Fatalf("CreateGroupMembership: %v", err)
	}
	devOps := w.devOpsSet(t)
	w.waitCreation(t, aws.ToString(w.assign(t, devOps, group).RequestId))

	ro, err := w.sso.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &w.inst, Name: aws.String("ReadOnly"), SessionDuration: aws.String("PT1H")})
	if err != nil {
		t.Fatalf("CreatePermissionSet ReadOnly: %v", err)
	}
	roARN := ro.PermissionSet.PermissionSetArn
	if _, err := w.sso.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{InstanceArn: &w.inst,
		PermissionSetArn: roARN, ManagedPolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}); err != nil {
		t.Fatalf("AttachManagedPolicyToPermissionSet: %v", err)
	}
	a, err := w.sso.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &w.inst, PermissionSetArn: roARN,
		TargetId: aws.String(member), TargetType: ssotypes.TargetTypeAwsAccount, PrincipalType: ssotypes.PrincipalTypeUser, PrincipalId: &ana})
	if err != nil {
		t.Fatalf("CreateAccountAssignment Ana: %v", err)
	}
	if st := w.waitCreation(t, aws.ToString(a.AccountAssignmentCreationStatus.RequestId)); st.Status != ssotypes.StatusValuesSucceeded {
		t.Fatalf("Ana's assignment: %+v", st)
	}

	oc := ssooidc.NewFromConfig(ts.rootConfig(t))
	reg, err := oc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("cli"), ClientType: aws.String("public"),
		Scopes: []string{"sso:account:access"}})
	if err != nil {
		t.Fatalf("RegisterClient: %v", err)
	}
	portal := sso.NewFromConfig(ts.rootConfig(t))
	type person struct {
		name, id, account, role string
		token                   *string
	}
	people := []*person{{name: "Bojan", id: bojan, account: seedAccount, role: "DevOps"}, {name: "Ana", id: ana, account: member, role: "ReadOnly"}}
	for _, p := range people {
		p.token = deviceLogin(t, ts, nil, oc, reg, p.id).AccessToken
	}
	for i, p := range people {
		other := people[1-i]
		accts, err := portal.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: p.token})
		if err != nil || len(accts.AccountList) != 1 || aws.ToString(accts.AccountList[0].AccountId) != p.account {
			t.Fatalf("%s's ListAccounts = %+v, %v; want only %s", p.name, accts, err, p.account)
		}
		roles, err := portal.ListAccountRoles(ctx, &sso.ListAccountRolesInput{AccessToken: p.token, AccountId: aws.String(p.account)})
		if err != nil || len(roles.RoleList) != 1 || aws.ToString(roles.RoleList[0].RoleName) != p.role {
			t.Fatalf("%s's ListAccountRoles(%s) = %+v, %v; want only %s", p.name, p.account, roles, err, p.role)
		}
		if roles, err := portal.ListAccountRoles(ctx, &sso.ListAccountRolesInput{AccessToken: p.token, AccountId: aws.String(other.account)}); err == nil && len(roles.RoleList) != 0 {
			t.Fatalf("%s sees roles in %s's account: %+v", p.name, other.name, roles.RoleList)
		}
		// The other's role, in the other's account and in one's own.
		for _, acct := range []string{other.account, p.account} {
			_, err := portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: p.token, AccountId: aws.String(acct), RoleName: aws.String(other.role)})
			wantCode(t, p.name+" asking for "+other.role+" in "+acct, err, "ForbiddenException")
		}
		rc, err := portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: p.token, AccountId: aws.String(p.account), RoleName: aws.String(p.role)})
		if err != nil {
			t.Fatalf("%s's GetRoleCredentials: %v", p.name, err)
		}
		cr := rc.RoleCredentials
		cfg := ts.rootConfig(t)
		cfg.Credentials = staticSession(aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken))
		id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		want := `^arn:aws:sts::` + p.account + `:assumed-role/AWSReservedSSO_` + p.role + `_[0-9a-f]{16}/` + p.name + `$`
		if err != nil || !regexp.MustCompile(want).MatchString(aws.ToString(id.Arn)) {
			t.Fatalf("%s's session: GetCallerIdentity = %v, %v; want %s", p.name, id, err, want)
		}
	}
}

func staticSession(id, secret, token string) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token}, nil
	})
}
