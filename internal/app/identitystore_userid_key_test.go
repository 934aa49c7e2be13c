package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
)

// TestIdentityStoreUserIDConditionKey is AWS's "revoke access for deleted
// users" recipe: a permission set's inline policy denies everything when
// identitystore:UserId is a given Identity Center user. Portal role sessions
// carry the user's id, so that user's session of the shared role is denied
// while another user's session of the same role is not.
func TestIdentityStoreUserIDConditionKey(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	w := newSSOWorld(t, ts)
	storeID := ts.World.Instance.IdentityStoreID
	bojan := createSSOUser(t, w, "Bojan")
	ana := createSSOUser(t, w, "Ana")
	group := w.devOpsGroup(t)
	for _, u := range []string{bojan, ana} {
		if _, err := w.ids.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: &storeID,
			GroupId: &group, MemberId: &idtypes.MemberIdMemberUserId{Value: u}}); err != nil {
			t.Fatal(err)
		}
	}
	ps := mustDo[*ssoadmin.CreatePermissionSetOutput](t, "CreatePermissionSet")(w.sso.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{
		InstanceArn: &w.inst, Name: aws.String("Ops")})).PermissionSet.PermissionSetArn
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"},` +
		`{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"identitystore:UserId":"` + bojan + `"}}}]}`
	mustDo[*ssoadmin.PutInlinePolicyToPermissionSetOutput](t, "PutInlinePolicyToPermissionSet")(w.sso.PutInlinePolicyToPermissionSet(ctx,
		&ssoadmin.PutInlinePolicyToPermissionSetInput{InstanceArn: &w.inst, PermissionSetArn: ps, InlinePolicy: aws.String(doc)}))
	a := mustDo[*ssoadmin.CreateAccountAssignmentOutput](t, "CreateAccountAssignment")(w.sso.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{
		InstanceArn: &w.inst, PermissionSetArn: ps, TargetId: aws.String(seedAccount), TargetType: ssotypes.TargetTypeAwsAccount,
		PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: &group}))
	if st := w.waitCreation(t, aws.ToString(a.AccountAssignmentCreationStatus.RequestId)); st.Status != ssotypes.StatusValuesSucceeded {
		t.Fatalf("assignment = %+v", st)
	}
	oc := ssooidc.NewFromConfig(ts.rootConfig(t))
	reg := mustDo[*ssooidc.RegisterClientOutput](t, "RegisterClient")(oc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("cli"),
		ClientType: aws.String("public"), Scopes: []string{"sso:account:access"}}))
	session := func(user string) *iam.Client {
		tok := deviceLogin(t, ts, nil, oc, reg, user)
		rc := mustDo[*sso.GetRoleCredentialsOutput](t, "GetRoleCredentials")(sso.NewFromConfig(ts.rootConfig(t)).GetRoleCredentials(ctx,
			&sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken, AccountId: aws.String(seedAccount), RoleName: aws.String("Ops")})).RoleCredentials
		cfg := ts.rootConfig(t)
		cfg.Credentials = staticSession(aws.ToString(rc.AccessKeyId), aws.ToString(rc.SecretAccessKey), aws.ToString(rc.SessionToken))
		return iam.NewFromConfig(cfg)
	}
	if _, err := session(ana).ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatalf("Ana's session: ListUsers = %v", err)
	}
	_, err := session(bojan).ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, "Bojan's session", err, "AccessDenied")
	if !strings.Contains(err.Error(), "with an explicit deny in an identity-based policy") {
		t.Fatalf("Bojan's denial does not name the explicit deny: %v", err)
	}
}
