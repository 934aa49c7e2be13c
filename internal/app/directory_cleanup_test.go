package app_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
)

// cleanupEnv: user Carla and group team (Carla not a member), both assigned
// the permission set Shared in the seed account; the principal a case
// deletes also has the set Solo there, its only assignment.
type cleanupEnv struct {
	w            *ssoWorld
	storeID      string
	user, group  string
	shared, solo string
	app          string // an application both are assigned to
}

// appAssignments lists the principals assigned the application.
func (e *cleanupEnv) appAssignments(t *testing.T) []string {
	t.Helper()
	out, err := e.w.sso.ListApplicationAssignments(context.Background(), &ssoadmin.ListApplicationAssignmentsInput{ApplicationArn: &e.app})
	if err != nil {
		t.Fatalf("ListApplicationAssignments: %v", err)
	}
	var got []string
	for _, a := range out.ApplicationAssignments {
		got = append(got, string(a.PrincipalType)+" "+aws.ToString(a.PrincipalId))
	}
	slices.Sort(got)
	return got
}

func (e *cleanupEnv) assign(t *testing.T, ps string, pt ssotypes.PrincipalType, id string) {
	t.Helper()
	out, err := e.w.sso.CreateAccountAssignment(context.Background(), &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &e.w.inst,
		PermissionSetArn: &ps, TargetId: aws.String(seedAccount), TargetType: ssotypes.TargetTypeAwsAccount,
		PrincipalType: pt, PrincipalId: &id})
	if err != nil {
		t.Fatalf("CreateAccountAssignment: %v", err)
	}
	if st := e.w.waitCreation(t, aws.ToString(out.AccountAssignmentCreationStatus.RequestId)); st.Status != ssotypes.StatusValuesSucceeded {
		t.Fatalf("assignment = %s %q", st.Status, aws.ToString(st.FailureReason))
	}
}

// role returns the name of the set's provisioned role in the seed account
// (the server's account), or "" when there is none.
func (e *cleanupEnv) role(t *testing.T, set string) string {
	t.Helper()
	out, err := e.w.iam.ListRoles(context.Background(), &iam.ListRolesInput{PathPrefix: aws.String("/aws-reserved/sso.amazonaws.com/")})
	if err != nil {
		t.Fatalf("ListRoles: %v", err)
	}
	for _, r := range out.Roles {
		if strings.HasPrefix(aws.ToString(r.RoleName), "AWSReservedSSO_"+set+"_") {
			return aws.ToString(r.RoleName)
		}
	}
	return ""
}

// assignments lists the principals ("USER id", "GROUP id") assigned a set in the seed account.
func (e *cleanupEnv) assignments(t *testing.T, ps string) []string {
	t.Helper()
	out, err := e.w.sso.ListAccountAssignments(context.Background(), &ssoadmin.ListAccountAssignmentsInput{InstanceArn: &e.w.inst,
		AccountId: aws.String(seedAccount), PermissionSetArn: &ps})
	if err != nil {
		t.Fatalf("ListAccountAssignments: %v", err)
	}
	var got []string
	for _, a := range out.AccountAssignments {
		got = append(got, string(a.PrincipalType)+" "+aws.ToString(a.PrincipalId))
	}
	slices.Sort(got)
	return got
}

func (e *cleanupEnv) forPrincipal(t *testing.T, pt ssotypes.PrincipalType, id string) []ssotypes.AccountAssignmentForPrincipal {
	t.Helper()
	out, err := e.w.sso.ListAccountAssignmentsForPrincipal(context.Background(), &ssoadmin.ListAccountAssignmentsForPrincipalInput{
		InstanceArn: &e.w.inst, PrincipalType: pt, PrincipalId: &id})
	if err != nil {
		t.Fatalf("ListAccountAssignmentsForPrincipal: %v", err)
	}
	return out.AccountAssignments
}

// deletions returns the assignment deletion requests, as
// DescribeAccountAssignmentDeletionStatus reports them.
func (e *cleanupEnv) deletions(t *testing.T) []*ssotypes.AccountAssignmentOperationStatus {
	t.Helper()
	ctx := context.Background()
	list, err := e.w.sso.ListAccountAssignmentDeletionStatus(ctx, &ssoadmin.ListAccountAssignmentDeletionStatusInput{InstanceArn: &e.w.inst})
	if err != nil {
		t.Fatalf("ListAccountAssignmentDeletionStatus: %v", err)
	}
	var out []*ssotypes.AccountAssignmentOperationStatus
	for _, m := range list.AccountAssignmentsDeletionStatus {
		d, err := e.w.sso.DescribeAccountAssignmentDeletionStatus(ctx, &ssoadmin.DescribeAccountAssignmentDeletionStatusInput{
			InstanceArn: &e.w.inst, AccountAssignmentDeletionRequestId: m.RequestId})
		if err != nil {
			t.Fatalf("DescribeAccountAssignmentDeletionStatus: %v", err)
		}
		out = append(out, d.AccountAssignmentDeletionStatus)
	}
	return out
}

// waitRoleGone polls IAM until the role is gone (NoSuchEntity).
func (e *cleanupEnv) waitRoleGone(t *testing.T, role string) {
	t.Helper()
	for i := 0; i < 1000; i++ {
		_, err := e.w.iam.GetRole(context.Background(), &iam.GetRoleInput{RoleName: &role})
		if err != nil {
			wantCode(t, "GetRole "+role, err, "NoSuchEntity")
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("role %s still exists", role)
}

// newCleanupEnv makes the principals over SCIM or through identitystore.
func newCleanupEnv(t *testing.T, ts *testServer, overSCIM bool) *cleanupEnv {
	t.Helper()
	w := newSSOWorld(t, ts)
	e := &cleanupEnv{w: w, storeID: ts.World.Instance.IdentityStoreID}
	if overSCIM {
		sc := newSCIM(t, ts)
		code, u := sc.do(http.MethodPost, "Users", `{"userName":"carla","name":{"givenName":"Carla","familyName":"Test"},"externalId":"okta-carla"}`)
		if code != http.StatusCreated {
			t.Fatalf("SCIM create user = %d %v", code, u)
		}
		code, g := sc.do(http.MethodPost, "Groups", `{"displayName":"team","externalId":"okta-team"}`)
		if code != http.StatusCreated {
			t.Fatalf("SCIM create group = %d %v", code, g)
		}
		e.user, e.group = u["id"].(string), g["id"].(string)
	} else {
		e.user = createSSOUser(t, w, "carla")
		out, err := w.ids.CreateGroup(context.Background(), &identitystore.CreateGroupInput{IdentityStoreId: &e.storeID, DisplayName: aws.String("team")})
		if err != nil {
			t.Fatalf("CreateGroup: %v", err)
		}
		e.group = aws.ToString(out.GroupId)
	}
	e.shared = createPS(t, w.sso, w.inst, "Shared")
	e.solo = createPS(t, w.sso, w.inst, "Solo")
	e.assign(t, e.shared, ssotypes.PrincipalTypeUser, e.user)
	e.assign(t, e.shared, ssotypes.PrincipalTypeGroup, e.group)
	ctx := context.Background()
	app, err := w.sso.CreateApplication(ctx, &ssoadmin.CreateApplicationInput{InstanceArn: &w.inst, ApplicationProviderArn: aws.String(customProvider),
		Name: aws.String("grafana")})
	if err != nil {
		t.Fatalf("CreateApplication: %v", err)
	}
	e.app = aws.ToString(app.ApplicationArn)
	for pt, id := range map[ssotypes.PrincipalType]string{ssotypes.PrincipalTypeUser: e.user, ssotypes.PrincipalTypeGroup: e.group} {
		if _, err := w.sso.CreateApplicationAssignment(ctx, &ssoadmin.CreateApplicationAssignmentInput{ApplicationArn: &e.app,
			PrincipalType: pt, PrincipalId: aws.String(id)}); err != nil {
			t.Fatalf("CreateApplicationAssignment: %v", err)
		}
	}
	return e
}

// TestDeletedPrincipalLosesAssignments: deleting a user or a group over SCIM
// or through identitystore removes its account assignments — at once from
// ListAccountAssignments and ListAccountAssignmentsForPrincipal — by
// DELETE_ASSIGNMENT requests listed by ListAccountAssignmentDeletionStatus;
// the worker removes the AWSReservedSSO_ role of a set whose last assignment
// in the account went (Solo), and keeps the role of a set another
// principal still has there (Shared). Its application assignments go too.
func TestDeletedPrincipalLosesAssignments(t *testing.T) {
	for _, tc := range []struct {
		name     string
		overSCIM bool
		group    bool // the group is deleted (else the user)
		del      func(t *testing.T, ts *testServer, e *cleanupEnv)
	}{
		{name: "SCIM DELETE Users", overSCIM: true, del: func(t *testing.T, ts *testServer, e *cleanupEnv) {
			if code, body := newSCIM(t, ts).do(http.MethodDelete, "Users/"+e.user, ""); code != http.StatusNoContent {
				t.Fatalf("SCIM DELETE = %d %v", code, body)
			}
		}},
		{name: "identitystore DeleteUser", del: func(t *testing.T, ts *testServer, e *cleanupEnv) {
			if _, err := e.w.ids.DeleteUser(context.Background(), &identitystore.DeleteUserInput{IdentityStoreId: &e.storeID, UserId: &e.user}); err != nil {
				t.Fatalf("DeleteUser: %v", err)
			}
		}},
		{name: "SCIM DELETE Groups", overSCIM: true, group: true, del: func(t *testing.T, ts *testServer, e *cleanupEnv) {
			if code, body := newSCIM(t, ts).do(http.MethodDelete, "Groups/"+e.group, ""); code != http.StatusNoContent {
				t.Fatalf("SCIM DELETE = %d %v", code, body)
			}
		}},
		{name: "identitystore DeleteGroup", group: true, del: func(t *testing.T, ts *testServer, e *cleanupEnv) {
			if _, err := e.w.ids.DeleteGroup(context.Background(), &identitystore.DeleteGroupInput{IdentityStoreId: &e.storeID, GroupId: &e.group}); err != nil {
				t.Fatalf("DeleteGroup: %v", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := startServer(t)
			e := newCleanupEnv(t, ts, tc.overSCIM)
			gone, stays := ssotypes.PrincipalTypeUser, ssotypes.PrincipalTypeGroup
			goneID, staysID := e.user, e.group
			if tc.group {
				gone, stays, goneID, staysID = stays, gone, staysID, goneID
			}
			e.assign(t, e.solo, gone, goneID)
			soloRole, sharedRole := e.role(t, "Solo"), e.role(t, "Shared")
			if soloRole == "" || sharedRole == "" {
				t.Fatalf("roles before: Solo %q, Shared %q", soloRole, sharedRole)
			}
			if got := e.forPrincipal(t, gone, goneID); len(got) != 2 {
				t.Fatalf("assignments of the principal before = %+v", got)
			}
			if d := e.deletions(t); len(d) != 0 {
				t.Fatalf("deletion requests before = %+v", d)
			}

			tc.del(t, ts, e)

			if got, want := e.assignments(t, e.shared), []string{string(stays) + " " + staysID}; !slices.Equal(got, want) {
				t.Errorf("Shared's assignments after = %v, want %v", got, want)
			}
			if got := e.assignments(t, e.solo); len(got) != 0 {
				t.Errorf("Solo's assignments after = %v, want none", got)
			}
			if got := e.forPrincipal(t, gone, goneID); len(got) != 0 {
				t.Errorf("ListAccountAssignmentsForPrincipal after = %+v, want none", got)
			}
			if got, want := e.appAssignments(t), []string{string(stays) + " " + staysID}; !slices.Equal(got, want) {
				t.Errorf("application assignments after = %v, want %v", got, want)
			}
			e.waitRoleGone(t, soloRole)
			if e.role(t, "Shared") != sharedRole {
				t.Errorf("Shared's role %s went with an assignment that was not its last", sharedRole)
			}
			ds := e.deletions(t)
			var sets []string
			for _, d := range ds {
				poll(t, "deletion request", func() (struct{}, ssotypes.StatusValues, error) {
					out, err := e.w.sso.DescribeAccountAssignmentDeletionStatus(context.Background(), &ssoadmin.DescribeAccountAssignmentDeletionStatusInput{
						InstanceArn: &e.w.inst, AccountAssignmentDeletionRequestId: d.RequestId})
					if err != nil {
						return struct{}{}, "", err
					}
					d = out.AccountAssignmentDeletionStatus
					return struct{}{}, d.Status, nil
				})
				if d.Status != ssotypes.StatusValuesSucceeded || d.PrincipalType != gone || aws.ToString(d.PrincipalId) != goneID ||
					aws.ToString(d.TargetId) != seedAccount || d.TargetType != ssotypes.TargetTypeAwsAccount {
					t.Errorf("deletion request = %+v (%s)", d, aws.ToString(d.FailureReason))
				}
				sets = append(sets, aws.ToString(d.PermissionSetArn))
			}
			slices.Sort(sets)
			want := []string{e.shared, e.solo}
			slices.Sort(want)
			if !slices.Equal(sets, want) {
				t.Errorf("deletion requests for sets %v, want %v", sets, want)
			}
		})
	}
}

// TestDeletedUserAssignmentsSurviveACrash: the deletion requests are stored
// in the transaction that deletes the user, so a server stopped before its
// worker ran them removes the role after the restart — and the user's
// assignments are never seen without the user, nor the user without them.
func TestDeletedUserAssignmentsSurviveACrash(t *testing.T) {
	dir := t.TempDir()
	first := openAt(t, dir, false)
	e := newCleanupEnv(t, first, false)
	e.assign(t, e.solo, ssotypes.PrincipalTypeUser, e.user)
	soloRole := e.role(t, "Solo")
	if soloRole == "" {
		t.Fatal("no Solo role")
	}
	first.stop()

	second := openAt(t, dir, true) // no worker: the requests stay queued
	e.w = newSSOWorld(t, second)
	if _, err := e.w.ids.DeleteUser(context.Background(), &identitystore.DeleteUserInput{IdentityStoreId: &e.storeID, UserId: &e.user}); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	if got := e.forPrincipal(t, ssotypes.PrincipalTypeUser, e.user); len(got) != 0 {
		t.Fatalf("assignments after the deletion = %+v", got)
	}
	ds := e.deletions(t)
	if len(ds) != 2 {
		t.Fatalf("deletion requests = %d, want 2", len(ds))
	}
	for _, d := range ds {
		if d.Status != ssotypes.StatusValuesInProgress {
			t.Fatalf("without a worker, request %+v", d)
		}
	}
	if _, err := e.w.iam.GetRole(context.Background(), &iam.GetRoleInput{RoleName: &soloRole}); err != nil {
		t.Fatalf("the role went before the worker ran: %v", err)
	}
	second.stop()

	e.w = newSSOWorld(t, openAt(t, dir, false))
	e.waitRoleGone(t, soloRole)
	for _, d := range ds {
		st := poll(t, "deletion after restart", func() (*ssotypes.AccountAssignmentOperationStatus, ssotypes.StatusValues, error) {
			out, err := e.w.sso.DescribeAccountAssignmentDeletionStatus(context.Background(), &ssoadmin.DescribeAccountAssignmentDeletionStatusInput{
				InstanceArn: &e.w.inst, AccountAssignmentDeletionRequestId: d.RequestId})
			if err != nil {
				return nil, "", err
			}
			return out.AccountAssignmentDeletionStatus, out.AccountAssignmentDeletionStatus.Status, nil
		})
		if st.Status != ssotypes.StatusValuesSucceeded {
			t.Errorf("after restart %s = %s %q", aws.ToString(st.RequestId), st.Status, aws.ToString(st.FailureReason))
		}
	}
	if e.role(t, "Shared") == "" {
		t.Error("Shared's role went though the group still has it")
	}
}

// TestSCIMWritesFollowDirectoryRules: SCIM and identitystore share one set of
// rules — what one refuses the other refuses, and names one took are taken
// for the other.
func TestSCIMWritesFollowDirectoryRules(t *testing.T) {
	ts := startServer(t)
	w := newSSOWorld(t, ts)
	sc := newSCIM(t, ts)
	storeID := ts.World.Instance.IdentityStoreID
	ctx := context.Background()
	createSSOUser(t, w, "dana")
	if _, err := w.ids.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: &storeID, DisplayName: aws.String("ops")}); err != nil {
		t.Fatalf("CreateGroup: %v", err)
	}
	long := strings.Repeat("x", 129)
	for _, c := range []struct {
		name, path, body string
		status           int
		scimType         string
		// ids makes identitystore do the same; it must refuse it (nil: not asked).
		ids func() error
	}{
		{"user name taken through identitystore", "Users", `{"userName":"DANA"}`, 409, "uniqueness", nil},
		{"group name taken through identitystore", "Groups", `{"displayName":"OPS"}`, 409, "uniqueness", nil},
		{"user name too long", "Users", fmt.Sprintf(`{"userName":%q}`, long), 400, "invalidValue", func() error {
			_, err := w.ids.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: &storeID, UserName: &long, DisplayName: aws.String("x"),
				Name: &idtypes.Name{GivenName: aws.String("x"), FamilyName: aws.String("y")}})
			return err
		}},
		{"reserved user name", "Users", `{"userName":"administrator"}`, 400, "invalidValue", func() error {
			_, err := w.ids.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: &storeID, UserName: aws.String("administrator"),
				DisplayName: aws.String("x"), Name: &idtypes.Name{GivenName: aws.String("x"), FamilyName: aws.String("y")}})
			return err
		}},
		{"control character in a display name", "Users", `{"userName":"eve","displayName":"E\u0007ve"}`, 400, "invalidValue", func() error {
			_, err := w.ids.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: &storeID, UserName: aws.String("eve"),
				DisplayName: aws.String("E\u0007ve"), Name: &idtypes.Name{GivenName: aws.String("x"), FamilyName: aws.String("y")}})
			return err
		}},
		{"reserved group name", "Groups", `{"displayName":"AWSAdministrators"}`, 400, "invalidValue", func() error {
			_, err := w.ids.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: &storeID, DisplayName: aws.String("AWSAdministrators")})
			return err
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, body := sc.do(http.MethodPost, c.path, c.body)
			if code != c.status || body["scimType"] != c.scimType {
				t.Fatalf("SCIM = %d %v, want %d %s", code, body, c.status, c.scimType)
			}
			if c.ids != nil {
				wantCode(t, "identitystore", c.ids(), "ValidationException")
			}
		})
	}
	// And the reverse: a user SCIM created is taken for identitystore.
	if code, body := sc.do(http.MethodPost, "Users", `{"userName":"frank","name":{"givenName":"F","familyName":"K"}}`); code != http.StatusCreated {
		t.Fatalf("SCIM create = %d %v", code, body)
	}
	_, err := w.ids.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: &storeID, UserName: aws.String("Frank"),
		DisplayName: aws.String("F"), Name: &idtypes.Name{GivenName: aws.String("F"), FamilyName: aws.String("K")}})
	wantCode(t, "identitystore CreateUser of SCIM's user name", err, "ConflictException")
}
