package app_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
)

const testWorld = `users:
  - userName: alice
    displayName: Alice Doe
    givenName: Alice
    familyName: Doe
    email: ${WORLD_TEST_EMAIL}
  - userName: bob
    givenName: Bob
    familyName: Roe
groups:
  - displayName: admins
    description: Administrators
    members: [alice]
permissionSets:
  - name: Admin
    description: Full access
    sessionDuration: PT4H
    managedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]
    inlinePolicy: |
      {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:DeleteUser", "Resource": "*"}]}
assignments:
  - permissionSet: Admin
    group: admins
    account: "123456789012"
  - permissionSet: Admin
    user: bob
    account: "123456789012"
`

// worldState is what the SDK sees of the world's entities.
type worldState struct {
	users, groups, sets, roles []string
	members                    int
}

func readWorld(t *testing.T, ts *testServer) worldState {
	t.Helper()
	ctx := context.Background()
	cfg := ts.rootConfig(t)
	storeID := aws.String(ts.World.Instance.IdentityStoreID)
	var st worldState
	ids := identitystore.NewFromConfig(cfg)
	lu, err := ids.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: storeID})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range lu.Users {
		st.users = append(st.users, aws.ToString(u.UserName))
	}
	lg, err := ids.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: storeID})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range lg.Groups {
		st.groups = append(st.groups, aws.ToString(g.DisplayName))
		lm, err := ids.ListGroupMemberships(ctx, &identitystore.ListGroupMembershipsInput{IdentityStoreId: storeID, GroupId: g.GroupId})
		if err != nil {
			t.Fatal(err)
		}
		st.members += len(lm.GroupMemberships)
	}
	sso := ssoadmin.NewFromConfig(cfg)
	inst := aws.String(ts.World.Instance.ARN)
	lp, err := sso.ListPermissionSets(ctx, &ssoadmin.ListPermissionSetsInput{InstanceArn: inst})
	if err != nil {
		t.Fatal(err)
	}
	for _, arn := range lp.PermissionSets {
		d, err := sso.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: inst, PermissionSetArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		st.sets = append(st.sets, aws.ToString(d.PermissionSet.Name)+"/"+aws.ToString(d.PermissionSet.SessionDuration))
	}
	lr, err := iam.NewFromConfig(cfg).ListRoles(ctx, &iam.ListRolesInput{PathPrefix: aws.String("/aws-reserved/sso.amazonaws.com/")})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range lr.Roles {
		st.roles = append(st.roles, aws.ToString(r.RoleName))
	}
	for _, l := range [][]string{st.users, st.groups, st.sets, st.roles} {
		sort.Strings(l)
	}
	return st
}

func checkWorld(t *testing.T, when string, st worldState) {
	t.Helper()
	if strings.Join(st.users, ",") != "alice,bob" || strings.Join(st.groups, ",") != "admins" || st.members != 1 ||
		strings.Join(st.sets, ",") != "Admin/PT4H" || len(st.roles) != 1 || !strings.HasPrefix(st.roles[0], "AWSReservedSSO_Admin_") {
		t.Fatalf("%s: state = %+v", when, st)
	}
}

func TestWorldFileAppliedOnStartRestartAndReset(t *testing.T) {
	ctx := context.Background()
	t.Setenv("WORLD_TEST_EMAIL", "alice@example.com")
	path := filepath.Join(t.TempDir(), "world.yaml")
	if err := os.WriteFile(path, []byte(testWorld), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	open := func() *testServer {
		return startServerWith(t, func(c *config.Config) { c.DataDir, c.World, c.AllowReset = dir, path, true })
	}
	ts := open()
	first := readWorld(t, ts)
	checkWorld(t, "first start", first)

	// The assignments are provisioned before Open returns.
	sso := ssoadmin.NewFromConfig(ts.rootConfig(t))
	la, err := sso.ListAccountAssignments(ctx, &ssoadmin.ListAccountAssignmentsInput{InstanceArn: aws.String(ts.World.Instance.ARN),
		AccountId: aws.String("123456789012"), PermissionSetArn: aws.String(mustSetARN(t, ts))})
	if err != nil || len(la.AccountAssignments) != 2 {
		t.Fatalf("assignments = %+v, %v", la, err)
	}
	ts.stop()

	// A restart applies the file again: nothing is duplicated.
	ts = open()
	checkWorld(t, "restart", readWorld(t, ts))
	if again := readWorld(t, ts); again.roles[0] != first.roles[0] {
		t.Fatalf("role changed on restart: %v -> %v", first.roles, again.roles)
	}

	// Something created later is gone after a reset; the world is back.
	createBojan(t, identitystore.NewFromConfig(ts.rootConfig(t)), ts.World.Instance.IdentityStoreID)
	if err := ts.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	checkWorld(t, "reset", readWorld(t, ts))

	// What an earlier run left in the data folder is gone after a reset too:
	// the reset state of a folder that existed is the bootstrap plus the file.
	createBojan(t, identitystore.NewFromConfig(ts.rootConfig(t)), ts.World.Instance.IdentityStoreID)
	ts.stop()
	ts = open()
	if st := readWorld(t, ts); strings.Join(st.users, ",") != "Bojan,alice,bob" {
		t.Fatalf("users after the restart = %v", st.users)
	}
	if err := ts.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	checkWorld(t, "reset after a restart", readWorld(t, ts))
}

func mustSetARN(t *testing.T, ts *testServer) string {
	t.Helper()
	lp, err := ssoadmin.NewFromConfig(ts.rootConfig(t)).ListPermissionSets(context.Background(),
		&ssoadmin.ListPermissionSetsInput{InstanceArn: aws.String(ts.World.Instance.ARN)})
	if err != nil || len(lp.PermissionSets) != 1 {
		t.Fatalf("ListPermissionSets = %+v, %v", lp, err)
	}
	return lp.PermissionSets[0]
}

func TestWorldFileErrorStopsOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte("users:\n  - userName: a\n    shoeSize: 9\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := config.FromEnv(func(string) string { return "" })
	cfg.DataDir, cfg.World = t.TempDir(), path
	_, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err == nil || !strings.Contains(err.Error(), path+":3: ") || !strings.Contains(err.Error(), "shoeSize") {
		t.Fatalf("Open with a bad world = %v", err)
	}
	// The file is validated before the store is opened: nothing was written.
	if _, err := os.Stat(cfg.DatabasePath()); !os.IsNotExist(err) {
		t.Fatalf("database after a bad world file: %v", err)
	}
}

// A restart with an edited file brings existing users' names and e-mail and
// groups' descriptions to the file's.
func TestWorldFileUpdatesExistingUsersAndGroups(t *testing.T) {
	ctx := context.Background()
	t.Setenv("WORLD_TEST_EMAIL", "alice@example.com")
	dir := t.TempDir()
	ts := startServerWith(t, func(c *config.Config) { c.DataDir, c.World = dir, writeFile(t, "world.yaml", testWorld) })
	ts.stop()
	edited := strings.NewReplacer("displayName: Alice Doe", "displayName: Alice Smith", "familyName: Doe", "familyName: Smith",
		"description: Administrators", "description: The administrators").Replace(testWorld)
	t.Setenv("WORLD_TEST_EMAIL", "alice.smith@example.com")
	ts = startServerWith(t, func(c *config.Config) { c.DataDir, c.World = dir, writeFile(t, "world.yaml", edited) })
	c := identitystore.NewFromConfig(ts.rootConfig(t))
	storeID := aws.String(ts.World.Instance.IdentityStoreID)
	lu, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: storeID})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, u := range lu.Users {
		if aws.ToString(u.UserName) != "alice" {
			continue
		}
		found = true
		if aws.ToString(u.DisplayName) != "Alice Smith" || aws.ToString(u.Name.FamilyName) != "Smith" || aws.ToString(u.Name.GivenName) != "Alice" ||
			len(u.Emails) != 1 || aws.ToString(u.Emails[0].Value) != "alice.smith@example.com" || !u.Emails[0].Primary {
			t.Fatalf("alice after the edit = %+v %+v %+v", aws.ToString(u.DisplayName), u.Name, u.Emails)
		}
	}
	if !found || len(lu.Users) != 2 {
		t.Fatalf("users = %+v", lu.Users)
	}
	lg, err := c.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: storeID})
	if err != nil || len(lg.Groups) != 1 || aws.ToString(lg.Groups[0].Description) != "The administrators" {
		t.Fatalf("groups after the edit = %+v, %v", lg, err)
	}
}
