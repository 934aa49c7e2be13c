package app_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/idcenter/idcenter/internal/core/signin"
	"github.com/idcenter/idcenter/internal/store"
)

// TestAccessEndsWithTheAssignment: role credentials from GetRoleCredentials
// stop working (InvalidClientTokenId) when the user loses the assignment
// that gave them — the group's assignment is deleted, or the user leaves the
// group — and everything the user is signed in with (portal session,
// sso-oidc token, role credentials) ends when the user is deactivated by
// SCIM, deleted by SCIM or deleted through identitystore. Another member of
// the group keeps working in every case.
func TestAccessEndsWithTheAssignment(t *testing.T) {
	for _, tc := range []struct {
		name string
		// lose takes Bojan's access away.
		lose func(t *testing.T, e *revokeEnv)
		// signedOut: Bojan's token and portal session end too.
		signedOut bool
	}{
		{name: "group assignment deleted", lose: func(t *testing.T, e *revokeEnv) {
			// Ana keeps her own (direct) assignment of the same set.
			e.assignUser(t, e.ana)
			out, err := e.w.sso.DeleteAccountAssignment(context.Background(), &ssoadmin.DeleteAccountAssignmentInput{
				InstanceArn: &e.w.inst, PermissionSetArn: &e.ps, TargetId: aws.String(seedAccount), TargetType: ssotypes.TargetTypeAwsAccount,
				PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: &e.group})
			if err != nil {
				t.Fatalf("DeleteAccountAssignment: %v", err)
			}
			e.waitDeletion(t, aws.ToString(out.AccountAssignmentDeletionStatus.RequestId))
		}},
		{name: "user leaves the group", lose: func(t *testing.T, e *revokeEnv) {
			ctx := context.Background()
			m, err := e.w.ids.GetGroupMembershipId(ctx, &identitystore.GetGroupMembershipIdInput{IdentityStoreId: &e.storeID,
				GroupId: &e.group, MemberId: &idtypes.MemberIdMemberUserId{Value: e.bojan}})
			if err != nil {
				t.Fatalf("GetGroupMembershipId: %v", err)
			}
			if _, err := e.w.ids.DeleteGroupMembership(ctx, &identitystore.DeleteGroupMembershipInput{IdentityStoreId: &e.storeID,
				MembershipId: m.MembershipId}); err != nil {
				t.Fatalf("DeleteGroupMembership: %v", err)
			}
		}},
		{name: "SCIM active false", signedOut: true, lose: func(t *testing.T, e *revokeEnv) {
			code, body := newSCIM(t, e.w.ts).do(http.MethodPatch, "Users/"+e.bojan,
				`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}`)
			if code != http.StatusOK || body["active"] != false {
				t.Fatalf("SCIM PATCH active false = %d %v", code, body)
			}
		}},
		{name: "SCIM delete", signedOut: true, lose: func(t *testing.T, e *revokeEnv) {
			if code, body := newSCIM(t, e.w.ts).do(http.MethodDelete, "Users/"+e.bojan, ""); code != http.StatusNoContent {
				t.Fatalf("SCIM DELETE = %d %v", code, body)
			}
		}},
		{name: "identitystore DeleteUser", signedOut: true, lose: func(t *testing.T, e *revokeEnv) {
			if _, err := e.w.ids.DeleteUser(context.Background(), &identitystore.DeleteUserInput{IdentityStoreId: &e.storeID,
				UserId: &e.bojan}); err != nil {
				t.Fatalf("DeleteUser: %v", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newRevokeEnv(t)
			ctx := context.Background()
			bojanTok := e.token(t, e.bojan)
			bojanCreds := e.roleCredentials(t, bojanTok)
			anaCreds := e.roleCredentials(t, e.token(t, e.ana))
			web := e.webSession(t, "Bojan")
			for who, c := range map[string]aws.Config{"Bojan": bojanCreds, "Ana": anaCreds} {
				if _, err := sts.NewFromConfig(c).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
					t.Fatalf("%s's role credentials before: %v", who, err)
				}
			}

			tc.lose(t, e)
			e.clk.Add(2 * time.Second) // past the authenticator's one-second key cache

			_, err := sts.NewFromConfig(bojanCreds).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			wantCode(t, "Bojan's role credentials after", err, "InvalidClientTokenId")
			if _, err := sts.NewFromConfig(anaCreds).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
				t.Fatalf("Ana's role credentials after: %v", err)
			}
			_, err = e.portal.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: bojanTok})
			_, sessErr := e.w.ts.SignIn.Session(ctx, web)
			if tc.signedOut {
				wantCode(t, "Bojan's sso-oidc token after", err, "UnauthorizedException")
				if !errors.Is(sessErr, signin.ErrNoSession) {
					t.Fatalf("Bojan's portal session after: %v; want it ended", sessErr)
				}
				return
			}
			if err != nil || sessErr != nil {
				t.Fatalf("Bojan is still signed in (only the credentials end): token %v, portal session %v", err, sessErr)
			}
			_, err = e.portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: bojanTok,
				AccountId: aws.String(seedAccount), RoleName: aws.String("DevOps")})
			wantCode(t, "new role credentials for Bojan after", err, "ForbiddenException")
		})
	}
}

// revokeEnv: Bojan and Ana in the devops group, which has the DevOps
// permission set in the seed account.
type revokeEnv struct {
	w          *ssoWorld
	clk        *testClock
	portal     *sso.Client
	oidc       *ssooidc.Client
	reg        *ssooidc.RegisterClientOutput
	storeID    string
	bojan, ana string
	group, ps  string
}

func newRevokeEnv(t *testing.T) *revokeEnv {
	t.Helper()
	ts, clk := startClockServer(t)
	w := newSSOWorld(t, ts)
	ctx := context.Background()
	e := &revokeEnv{w: w, clk: clk, portal: sso.NewFromConfig(ts.rootConfig(t)), oidc: ssooidc.NewFromConfig(ts.rootConfig(t)),
		storeID: ts.World.Instance.IdentityStoreID}
	e.bojan, e.ana = createSSOUser(t, w, "Bojan"), createSSOUser(t, w, "Ana")
	e.group = w.devOpsGroup(t)
	for _, u := range []string{e.bojan, e.ana} {
		if _, err := w.ids.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: &e.storeID,
			GroupId: &e.group, MemberId: &idtypes.MemberIdMemberUserId{Value: u}}); err != nil {
			t.Fatalf("CreateGroupMembership: %v", err)
		}
	}
	e.ps = w.devOpsSet(t)
	w.waitCreation(t, aws.ToString(w.assign(t, e.ps, e.group).RequestId))
	var err error
	if e.reg, err = e.oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("cli"), ClientType: aws.String("public"),
		Scopes: []string{"sso:account:access"}}); err != nil {
		t.Fatalf("RegisterClient: %v", err)
	}
	return e
}

func (e *revokeEnv) assignUser(t *testing.T, userID string) {
	t.Helper()
	out, err := e.w.sso.CreateAccountAssignment(context.Background(), &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &e.w.inst,
		PermissionSetArn: &e.ps, TargetId: aws.String(seedAccount), TargetType: ssotypes.TargetTypeAwsAccount,
		PrincipalType: ssotypes.PrincipalTypeUser, PrincipalId: &userID})
	if err != nil {
		t.Fatalf("CreateAccountAssignment: %v", err)
	}
	e.w.waitCreation(t, aws.ToString(out.AccountAssignmentCreationStatus.RequestId))
}

func (e *revokeEnv) waitDeletion(t *testing.T, id string) {
	t.Helper()
	st := poll(t, "DescribeAccountAssignmentDeletionStatus", func() (*ssotypes.AccountAssignmentOperationStatus, ssotypes.StatusValues, error) {
		out, err := e.w.sso.DescribeAccountAssignmentDeletionStatus(context.Background(), &ssoadmin.DescribeAccountAssignmentDeletionStatusInput{
			InstanceArn: &e.w.inst, AccountAssignmentDeletionRequestId: &id})
		if err != nil {
			return nil, "", err
		}
		return out.AccountAssignmentDeletionStatus, out.AccountAssignmentDeletionStatus.Status, nil
	})
	if st.Status != ssotypes.StatusValuesSucceeded {
		t.Fatalf("deletion = %+v", st)
	}
}

// token is an sso-oidc access token of the user (device flow).
func (e *revokeEnv) token(t *testing.T, userID string) *string {
	t.Helper()
	return deviceLogin(t, e.w.ts, e.clk, e.oidc, e.reg, userID).AccessToken
}

// roleCredentials gets DevOps credentials with a token and returns an SDK
// config signing with them.
func (e *revokeEnv) roleCredentials(t *testing.T, token *string) aws.Config {
	t.Helper()
	rc, err := e.portal.GetRoleCredentials(context.Background(), &sso.GetRoleCredentialsInput{AccessToken: token,
		AccountId: aws.String(seedAccount), RoleName: aws.String("DevOps")})
	if err != nil {
		t.Fatalf("GetRoleCredentials: %v", err)
	}
	cr := rc.RoleCredentials
	cfg := e.w.ts.rootConfig(t)
	cfg.Credentials = aws.NewCredentialsCache(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: aws.ToString(cr.AccessKeyId), SecretAccessKey: aws.ToString(cr.SecretAccessKey),
			SessionToken: aws.ToString(cr.SessionToken)}, nil
	}))
	return cfg
}

// webSession signs the user in to the web portal (MFA off) and returns the session id.
func (e *revokeEnv) webSession(t *testing.T, userName string) string {
	t.Helper()
	ctx := context.Background()
	svc := e.w.ts.SignIn
	if err := svc.SetMFASettings(ctx, signin.Settings{Mode: store.MFANever}); err != nil {
		t.Fatal(err)
	}
	const pw = "Correct-Horse-9-battery"
	if err := svc.SetPassword(ctx, userName, pw); err != nil {
		t.Fatal(err)
	}
	s, err := svc.Begin(ctx, userName, pw, "")
	if err != nil || s.Next != signin.StepDone {
		t.Fatalf("Begin = %+v, %v", s, err)
	}
	return s.ID
}
