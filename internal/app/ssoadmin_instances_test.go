package app_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// newMemberAccount creates an organization account (which gets
// OrganizationAccountAccessRole) and returns its id and a config for an
// AdministratorAccess session in it.
func newMemberAccount(t *testing.T, ts *testServer, org *organizations.Client, name string) (string, aws.Config) {
	t.Helper()
	ctx := context.Background()
	out, err := org.CreateAccount(ctx, &organizations.CreateAccountInput{Email: aws.String(name + "@example.com"), AccountName: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateAccount %s: %v", name, err)
	}
	var acct string
	for i := 0; ; i++ {
		st, err := org.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: out.CreateAccountStatus.Id})
		if err != nil {
			t.Fatalf("DescribeCreateAccountStatus: %v", err)
		}
		if st.CreateAccountStatus.State == orgtypes.CreateAccountStateSucceeded {
			acct = aws.ToString(st.CreateAccountStatus.AccountId)
			break
		}
		if st.CreateAccountStatus.State == orgtypes.CreateAccountStateFailed || i > 500 {
			t.Fatalf("create account %s: %+v", name, st.CreateAccountStatus)
		}
		time.Sleep(10 * time.Millisecond)
	}
	as, err := sts.NewFromConfig(ts.rootConfig(t)).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + acct + ":role/OrganizationAccountAccessRole"), RoleSessionName: aws.String("admin")})
	if err != nil {
		t.Fatalf("AssumeRole into %s: %v", acct, err)
	}
	return acct, sessionConfig(t, ts, as.Credentials)
}

// waitInstance polls DescribeInstance until the status is not in progress.
func waitInstance(t *testing.T, c *ssoadmin.Client, arn string) *ssoadmin.DescribeInstanceOutput {
	t.Helper()
	for i := 0; i < 1000; i++ {
		d, err := c.DescribeInstance(context.Background(), &ssoadmin.DescribeInstanceInput{InstanceArn: &arn})
		if err != nil {
			t.Fatalf("DescribeInstance: %v", err)
		}
		if d.Status != ssotypes.InstanceStatusCreateInProgress {
			return d
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("instance still CREATE_IN_PROGRESS")
	return nil
}

// waitInstanceGone polls DescribeInstance until ResourceNotFoundException.
func waitInstanceGone(t *testing.T, c *ssoadmin.Client, arn string) {
	t.Helper()
	for i := 0; i < 1000; i++ {
		d, err := c.DescribeInstance(context.Background(), &ssoadmin.DescribeInstanceInput{InstanceArn: &arn})
		if err != nil {
			wantCode(t, "DescribeInstance after DeleteInstance", err, "ResourceNotFoundException")
			return
		}
		if d.Status != ssotypes.InstanceStatusDeleteInProgress {
			t.Fatalf("status while deleting = %s", d.Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("instance still DELETE_IN_PROGRESS")
}

func instanceARNs(t *testing.T, c *ssoadmin.Client) []string {
	t.Helper()
	out, err := c.ListInstances(context.Background(), &ssoadmin.ListInstancesInput{})
	if err != nil {
		t.Fatalf("ListInstances: %v", err)
	}
	var arns []string
	for _, i := range out.Instances {
		arns = append(arns, aws.ToString(i.InstanceArn))
	}
	return arns
}

// TestSSOAdminAccountInstanceLifecycle: a member account creates its account
// instance (CREATE_IN_PROGRESS, then ACTIVE, with its own identity store and
// tags), sees only it, administers its identity store, cannot create a
// second one; the management account can neither create one nor touch the
// member's; the member deletes it (DELETE_IN_PROGRESS, then gone with its
// identity store data).
func TestSSOAdminAccountInstanceLifecycle(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	root := ssoadmin.NewFromConfig(ts.rootConfig(t))
	rootIDs := identitystore.NewFromConfig(ts.rootConfig(t))
	acct, memberCfg := newMemberAccount(t, ts, organizations.NewFromConfig(ts.rootConfig(t)), "team")
	member := ssoadmin.NewFromConfig(memberCfg)
	memberIDs := identitystore.NewFromConfig(memberCfg)

	// The management account has the organization instance.
	_, err := root.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("second")})
	wantCode(t, "CreateInstance in the management account", err, "ConflictException")

	out, err := member.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("team-instance"), ClientToken: aws.String("token-1"),
		Tags: []ssotypes.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}})
	if err != nil {
		t.Fatalf("CreateInstance: %v", err)
	}
	inst := aws.ToString(out.InstanceArn)
	if !regexp.MustCompile(`^arn:aws:sso:::instance/ssoins-[0-9a-f]{16}$`).MatchString(inst) || inst == ts.World.Instance.ARN {
		t.Fatalf("InstanceArn = %q", inst)
	}
	// A retry with the same ClientToken and parameters is the same call; with
	// other parameters it is refused.
	retry, err := member.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("team-instance"), ClientToken: aws.String("token-1"),
		Tags: []ssotypes.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}})
	if err != nil || aws.ToString(retry.InstanceArn) != inst {
		t.Fatalf("CreateInstance retried with its ClientToken = %+v, %v", retry, err)
	}
	_, err = member.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("other"), ClientToken: aws.String("token-1")})
	wantCode(t, "ClientToken reused with other parameters", err, "ConflictException")
	_, err = member.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("again")})
	wantCode(t, "second CreateInstance in the account", err, "ConflictException")

	d := waitInstance(t, member, inst)
	storeID := aws.ToString(d.IdentityStoreId)
	if d.Status != ssotypes.InstanceStatusActive || aws.ToString(d.OwnerAccountId) != acct || aws.ToString(d.Name) != "team-instance" ||
		!regexp.MustCompile(`^d-[0-9a-f]{10}$`).MatchString(storeID) || storeID == ts.World.Instance.IdentityStoreID || d.CreatedDate == nil {
		t.Fatalf("DescribeInstance = %+v", d)
	}
	tags, err := member.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{InstanceArn: &inst, ResourceArn: &inst})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "env" || aws.ToString(tags.Tags[0].Value) != "dev" {
		t.Fatalf("ListTagsForResource = %+v, %v", tags, err)
	}
	if _, err := member.UpdateInstance(ctx, &ssoadmin.UpdateInstanceInput{InstanceArn: &inst, Name: aws.String("renamed")}); err != nil {
		t.Fatalf("UpdateInstance: %v", err)
	}
	// Permission sets (and so AWS account access) need the organization
	// instance: an account instance cannot create roles in other accounts.
	_, err = member.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("DevOps")})
	wantCode(t, "CreatePermissionSet on an account instance", err, "ValidationException")

	// Each account lists its own instance only.
	if got := instanceARNs(t, member); len(got) != 1 || got[0] != inst {
		t.Fatalf("member ListInstances = %v", got)
	}
	if got := instanceARNs(t, root); len(got) != 1 || got[0] != ts.World.Instance.ARN {
		t.Fatalf("management ListInstances = %v", got)
	}

	// The new identity store works for its owner, not for the management account.
	u, err := memberIDs.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: &storeID, UserName: aws.String("Bojan"),
		DisplayName: aws.String("Bojan"), Name: &idtypes.Name{GivenName: aws.String("Bojan"), FamilyName: aws.String("B")}})
	if err != nil {
		t.Fatalf("CreateUser in the account instance's store: %v", err)
	}
	if _, err := memberIDs.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &storeID, UserId: u.UserId}); err != nil {
		t.Fatalf("DescribeUser: %v", err)
	}
	// The same user name in the organization's store is another user.
	if _, err := rootIDs.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: aws.String(ts.World.Instance.IdentityStoreID),
		UserName: aws.String("Bojan"), DisplayName: aws.String("Bojan"), Name: &idtypes.Name{GivenName: aws.String("Bojan"), FamilyName: aws.String("B")}}); err != nil {
		t.Fatalf("CreateUser in the organization store: %v", err)
	}
	_, err = rootIDs.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &storeID})
	wantCode(t, "management account on the member's identity store", err, "AccessDeniedException")
	_, err = rootIDs.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &storeID, UserId: u.UserId})
	wantCode(t, "management account on the member's user", err, "AccessDeniedException")
	_, err = root.DeleteInstance(ctx, &ssoadmin.DeleteInstanceInput{InstanceArn: &inst})
	wantCode(t, "management account deleting the member's instance", err, "AccessDeniedException")
	_, err = member.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: aws.String(ts.World.Instance.ARN)})
	wantCode(t, "member describing the organization instance", err, "AccessDeniedException")
	_, err = member.DeleteInstance(ctx, &ssoadmin.DeleteInstanceInput{InstanceArn: aws.String(ts.World.Instance.ARN)})
	wantCode(t, "member deleting the organization instance", err, "AccessDeniedException")

	// Delete: DELETE_IN_PROGRESS, then gone with its identity store.
	if _, err := member.DeleteInstance(ctx, &ssoadmin.DeleteInstanceInput{InstanceArn: &inst}); err != nil {
		t.Fatalf("DeleteInstance: %v", err)
	}
	waitInstanceGone(t, member, inst)
	_, err = member.DeleteInstance(ctx, &ssoadmin.DeleteInstanceInput{InstanceArn: &inst})
	wantCode(t, "DeleteInstance twice", err, "ResourceNotFoundException")
	_, err = memberIDs.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &storeID, UserId: u.UserId})
	wantCode(t, "user of the deleted instance", err, "ResourceNotFoundException")
	if got := instanceARNs(t, member); len(got) != 0 {
		t.Fatalf("member ListInstances after delete = %v", got)
	}
	// The organization's store is untouched, and the account may create a new instance.
	users, err := rootIDs.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(ts.World.Instance.IdentityStoreID)})
	if err != nil || len(users.Users) != 1 {
		t.Fatalf("organization store after the delete: %+v, %v", users, err)
	}
	_, err = member.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("bad name!")})
	wantCode(t, "CreateInstance with an invalid name", err, "ValidationException")
	// Name is optional (the CLI's plain `aws sso-admin create-instance`).
	again, err := member.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{})
	if err != nil || aws.ToString(again.InstanceArn) == inst {
		t.Fatalf("CreateInstance after delete = %+v, %v", again, err)
	}
	if d := waitInstance(t, member, aws.ToString(again.InstanceArn)); d.Name != nil && aws.ToString(d.Name) != "" {
		t.Fatalf("unnamed instance: %+v", d)
	}
}

// TestSSOAdminDeleteOrganizationInstance: the management account deletes the
// organization instance; the roles it provisioned go with it, and so do its
// permission sets and identity store.
func TestSSOAdminDeleteOrganizationInstance(t *testing.T) {
	ctx := context.Background()
	w := newSSOWorld(t, startServer(t))
	ps := w.devOpsSet(t)
	group := w.devOpsGroup(t)
	if st := w.waitCreation(t, aws.ToString(w.assign(t, ps, group).RequestId)); st.Status != ssotypes.StatusValuesSucceeded {
		t.Fatalf("assignment: %+v", st)
	}
	role, ok := w.devOpsRole(t)
	if !ok {
		t.Fatal("no AWSReservedSSO_DevOps_ role after the assignment")
	}
	if _, err := w.sso.DeleteInstance(ctx, &ssoadmin.DeleteInstanceInput{InstanceArn: &w.inst}); err != nil {
		t.Fatalf("DeleteInstance: %v", err)
	}
	waitInstanceGone(t, w.sso, w.inst)
	if _, ok := w.devOpsRole(t); ok {
		t.Fatalf("role %s survived the instance", role)
	}
	_, err := w.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: &role})
	wantCode(t, "GetRole after the instance's deletion", err, "NoSuchEntity")
	_, err = w.sso.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: &w.inst, PermissionSetArn: &ps})
	wantCode(t, "permission set of the deleted instance", err, "ResourceNotFoundException")
	_, err = w.ids.DescribeGroup(ctx, &identitystore.DescribeGroupInput{IdentityStoreId: aws.String(w.ts.World.Instance.IdentityStoreID), GroupId: &group})
	wantCode(t, "group of the deleted instance", err, "ResourceNotFoundException")
	if got := instanceARNs(t, w.sso); len(got) != 0 {
		t.Fatalf("ListInstances after delete = %v", got)
	}
}

// TestSSOAdminInstanceRequestsSurviveRestart: an instance left
// CREATE_IN_PROGRESS or DELETE_IN_PROGRESS by a stopped server is completed by
// the worker of the next one.
func TestSSOAdminInstanceRequestsSurviveRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ts := openAt(t, dir, true)
	_, cfg := newMemberAccount(t, ts, organizations.NewFromConfig(ts.rootConfig(t)), "team")
	member := func(ts *testServer) *ssoadmin.Client {
		c := cfg.Copy()
		c.BaseEndpoint = aws.String(ts.URL)
		return ssoadmin.NewFromConfig(c)
	}
	out, err := member(ts).CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("team")})
	if err != nil {
		t.Fatalf("CreateInstance: %v", err)
	}
	inst := out.InstanceArn
	status := func(c *ssoadmin.Client) ssotypes.InstanceStatus {
		t.Helper()
		d, err := c.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: inst})
		if err != nil {
			t.Fatalf("DescribeInstance: %v", err)
		}
		return d.Status
	}
	if st := status(member(ts)); st != ssotypes.InstanceStatusCreateInProgress {
		t.Fatalf("without a worker: %s", st)
	}
	ts.stop()

	ts = openAt(t, dir, false)
	if d := waitInstance(t, member(ts), aws.ToString(inst)); d.Status != ssotypes.InstanceStatusActive {
		t.Fatalf("after restart: %s", d.Status)
	}
	ts.stop()

	ts = openAt(t, dir, true)
	if _, err := member(ts).DeleteInstance(ctx, &ssoadmin.DeleteInstanceInput{InstanceArn: inst}); err != nil {
		t.Fatalf("DeleteInstance: %v", err)
	}
	if st := status(member(ts)); st != ssotypes.InstanceStatusDeleteInProgress {
		t.Fatalf("deleting without a worker: %s", st)
	}
	_, err = member(ts).DeleteInstance(ctx, &ssoadmin.DeleteInstanceInput{InstanceArn: inst})
	wantCode(t, "DeleteInstance while deleting", err, "ConflictException")
	ts.stop()

	ts = openAt(t, dir, false)
	waitInstanceGone(t, member(ts), aws.ToString(inst))
}
