package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
)

const seedAccount = "123456789012"

// ssoWorld is a server with the clients the assignment tests use.
type ssoWorld struct {
	ts   *testServer
	sso  *ssoadmin.Client
	ids  *identitystore.Client
	iam  *iam.Client
	inst string
}

func newSSOWorld(t *testing.T, ts *testServer) *ssoWorld {
	cfg := ts.rootConfig(t)
	return &ssoWorld{ts: ts, sso: ssoadmin.NewFromConfig(cfg), ids: identitystore.NewFromConfig(cfg), iam: iam.NewFromConfig(cfg),
		inst: ts.World.Instance.ARN}
}

// openAt opens a server on a data folder, with or without the worker.
func openAt(t *testing.T, dir string, noWorker bool) *testServer {
	t.Helper()
	cfg := config.FromEnv(func(string) string { return "" })
	cfg.DataDir = dir
	cfg.RootAccessKeyID = testKeyID
	cfg.RootSecretAccessKey = testSecret
	s, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{NoWorker: noWorker})
	if err != nil {
		t.Fatalf("open server: %v", err)
	}
	hs := httptest.NewServer(s.Handler)
	ts := &testServer{Server: s, URL: hs.URL, httpSrv: hs}
	t.Cleanup(ts.stop)
	return ts
}

// devOpsSet creates the seed's permission set DevOps (PT2H, inline policy).
func (w *ssoWorld) devOpsSet(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	out, err := w.sso.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &w.inst, Name: aws.String("DevOps"),
		Description: aws.String("DevOps"), SessionDuration: aws.String("PT2H")})
	if err != nil {
		t.Fatalf("CreatePermissionSet: %v", err)
	}
	ps := aws.ToString(out.PermissionSet.PermissionSetArn)
	if _, err := w.sso.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{InstanceArn: &w.inst,
		PermissionSetArn: &ps, InlinePolicy: aws.String(seedPolicy)}); err != nil {
		t.Fatalf("PutInlinePolicyToPermissionSet: %v", err)
	}
	return ps
}

// devOpsGroup creates the seed's group devops.
func (w *ssoWorld) devOpsGroup(t *testing.T) string {
	t.Helper()
	out, err := w.ids.CreateGroup(context.Background(), &identitystore.CreateGroupInput{IdentityStoreId: aws.String(w.ts.World.Instance.IdentityStoreID),
		DisplayName: aws.String("devops")})
	if err != nil {
		t.Fatalf("CreateGroup: %v", err)
	}
	return aws.ToString(out.GroupId)
}

func (w *ssoWorld) assign(t *testing.T, ps, group string) *ssotypes.AccountAssignmentOperationStatus {
	t.Helper()
	out, err := w.sso.CreateAccountAssignment(context.Background(), &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &w.inst,
		PermissionSetArn: &ps, TargetId: aws.String(seedAccount), TargetType: ssotypes.TargetTypeAwsAccount,
		PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: &group})
	if err != nil {
		t.Fatalf("CreateAccountAssignment: %v", err)
	}
	st := out.AccountAssignmentCreationStatus
	if st.Status != ssotypes.StatusValuesInProgress || !regexp.MustCompile(`^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$`).MatchString(aws.ToString(st.RequestId)) ||
		st.CreatedDate == nil || aws.ToString(st.PrincipalId) != group || aws.ToString(st.TargetId) != seedAccount {
		t.Fatalf("creation status = %+v", st)
	}
	return st
}

// poll calls get until the status is no longer IN_PROGRESS (generous bound).
func poll[T any](t *testing.T, what string, get func() (T, ssotypes.StatusValues, error)) T {
	t.Helper()
	for i := 0; i < 1000; i++ {
		v, st, err := get()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if st != ssotypes.StatusValuesInProgress {
			return v
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s: still IN_PROGRESS", what)
	panic("unreachable")
}

func (w *ssoWorld) waitCreation(t *testing.T, id string) *ssotypes.AccountAssignmentOperationStatus {
	t.Helper()
	return poll(t, "DescribeAccountAssignmentCreationStatus", func() (*ssotypes.AccountAssignmentOperationStatus, ssotypes.StatusValues, error) {
		out, err := w.sso.DescribeAccountAssignmentCreationStatus(context.Background(), &ssoadmin.DescribeAccountAssignmentCreationStatusInput{
			InstanceArn: &w.inst, AccountAssignmentCreationRequestId: &id})
		if err != nil {
			return nil, "", err
		}
		return out.AccountAssignmentCreationStatus, out.AccountAssignmentCreationStatus.Status, nil
	})
}

func (w *ssoWorld) waitProvisioning(t *testing.T, id string) *ssotypes.PermissionSetProvisioningStatus {
	t.Helper()
	return poll(t, "DescribePermissionSetProvisioningStatus", func() (*ssotypes.PermissionSetProvisioningStatus, ssotypes.StatusValues, error) {
		out, err := w.sso.DescribePermissionSetProvisioningStatus(context.Background(), &ssoadmin.DescribePermissionSetProvisioningStatusInput{
			InstanceArn: &w.inst, ProvisionPermissionSetRequestId: &id})
		if err != nil {
			return nil, "", err
		}
		return out.PermissionSetProvisioningStatus, out.PermissionSetProvisioningStatus.Status, nil
	})
}

// devOpsRole finds the provisioned role through IAM (ListRoles by path).
func (w *ssoWorld) devOpsRole(t *testing.T) (string, bool) {
	t.Helper()
	out, err := w.iam.ListRoles(context.Background(), &iam.ListRolesInput{PathPrefix: aws.String("/aws-reserved/sso.amazonaws.com/")})
	if err != nil {
		t.Fatalf("ListRoles: %v", err)
	}
	for _, r := range out.Roles {
		if strings.HasPrefix(aws.ToString(r.RoleName), "AWSReservedSSO_DevOps_") {
			return aws.ToString(r.RoleName), true
		}
	}
	return "", false
}

func (w *ssoWorld) inlineDoc(t *testing.T, role string) string {
	t.Helper()
	out, err := w.iam.GetRolePolicy(context.Background(), &iam.GetRolePolicyInput{RoleName: &role, PolicyName: aws.String("AwsSSOInlinePolicy")})
	if err != nil {
		t.Fatalf("GetRolePolicy: %v", err)
	}
	doc, err := url.QueryUnescape(aws.ToString(out.PolicyDocument))
	if err != nil {
		t.Fatalf("policy document: %v", err)
	}
	return doc
}

// TestSeedAssignmentProvisionsRole is the seed's flow: set DevOps, group
// devops assigned to the account, then the role seen through IAM.
func TestSeedAssignmentProvisionsRole(t *testing.T) {
	ctx := context.Background()
	w := newSSOWorld(t, startServer(t))
	ps := w.devOpsSet(t)
	group := w.devOpsGroup(t)
	st := w.waitCreation(t, aws.ToString(w.assign(t, ps, group).RequestId))
	if st.Status != ssotypes.StatusValuesSucceeded || aws.ToString(st.FailureReason) != "" {
		t.Fatalf("creation = %+v", st)
	}
	name, ok := w.devOpsRole(t)
	if !ok || !regexp.MustCompile(`^AWSReservedSSO_DevOps_[0-9a-f]{16}$`).MatchString(name) {
		t.Fatalf("role %q not found", name)
	}
	got, err := w.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: &name})
	if err != nil {
		t.Fatalf("GetRole: %v", err)
	}
	r := got.Role
	if aws.ToString(r.Path) != "/aws-reserved/sso.amazonaws.com/" || aws.ToInt32(r.MaxSessionDuration) != 7200 ||
		aws.ToString(r.Arn) != "arn:aws:iam::"+seedAccount+":role/aws-reserved/sso.amazonaws.com/"+name {
		t.Errorf("role = path %q, max %d, arn %q", aws.ToString(r.Path), aws.ToInt32(r.MaxSessionDuration), aws.ToString(r.Arn))
	}
	trust, _ := url.QueryUnescape(aws.ToString(r.AssumeRolePolicyDocument))
	if !regexp.MustCompile(`saml-provider/AWSSSO_[0-9a-f]{16}_DO_NOT_DELETE`).MatchString(trust) || !strings.Contains(trust, "sts:AssumeRoleWithSAML") {
		t.Errorf("trust policy = %s", trust)
	}
	pols, err := w.iam.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: &name})
	if err != nil || len(pols.PolicyNames) != 1 || pols.PolicyNames[0] != "AwsSSOInlinePolicy" {
		t.Fatalf("ListRolePolicies = %+v, %v", pols, err)
	}
	if doc := w.inlineDoc(t, name); doc != seedPolicy {
		t.Errorf("inline policy = %s", doc)
	}
	// Seen from sso-admin: the assignment, the principal's assignments, the
	// provisioned account and set, the creation status list.
	fp, err := w.sso.ListAccountAssignmentsForPrincipal(ctx, &ssoadmin.ListAccountAssignmentsForPrincipalInput{InstanceArn: &w.inst,
		PrincipalId: &group, PrincipalType: ssotypes.PrincipalTypeGroup})
	if err != nil || len(fp.AccountAssignments) != 1 || aws.ToString(fp.AccountAssignments[0].AccountId) != seedAccount {
		t.Errorf("ListAccountAssignmentsForPrincipal = %+v, %v", fp, err)
	}
	sets, err := w.sso.ListPermissionSetsProvisionedToAccount(ctx, &ssoadmin.ListPermissionSetsProvisionedToAccountInput{InstanceArn: &w.inst,
		AccountId: aws.String(seedAccount)})
	if err != nil || len(sets.PermissionSets) != 1 || sets.PermissionSets[0] != ps {
		t.Errorf("ListPermissionSetsProvisionedToAccount = %+v, %v", sets, err)
	}
	list, err := w.sso.ListAccountAssignmentCreationStatus(ctx, &ssoadmin.ListAccountAssignmentCreationStatusInput{InstanceArn: &w.inst,
		Filter: &ssotypes.OperationStatusFilter{Status: ssotypes.StatusValuesSucceeded}})
	if err != nil || len(list.AccountAssignmentsCreationStatus) != 1 {
		t.Errorf("ListAccountAssignmentCreationStatus = %+v, %v", list, err)
	}
	// Deleting a set still provisioned fails as in AWS.
	_, err = w.sso.DeletePermissionSet(ctx, &ssoadmin.DeletePermissionSetInput{InstanceArn: &w.inst, PermissionSetArn: &ps})
	wantCode(t, "DeletePermissionSet of a provisioned set", err, "ConflictException")
}

// TestTerraformAccountAssignment replays terraform-provider-aws's calls for
// aws_ssoadmin_account_assignment: pre-check, create, poll, read, delete,
// poll the deletion.
func TestTerraformAccountAssignment(t *testing.T) {
	ctx := context.Background()
	w := newSSOWorld(t, startServer(t))
	ps := w.devOpsSet(t)
	group := w.devOpsGroup(t)
	find := func() []ssotypes.AccountAssignment {
		t.Helper()
		var found []ssotypes.AccountAssignment
		p := ssoadmin.NewListAccountAssignmentsPaginator(w.sso, &ssoadmin.ListAccountAssignmentsInput{AccountId: aws.String(seedAccount),
			InstanceArn: &w.inst, PermissionSetArn: &ps})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatalf("ListAccountAssignments: %v", err)
			}
			for _, a := range page.AccountAssignments {
				if aws.ToString(a.PrincipalId) == group && a.PrincipalType == ssotypes.PrincipalTypeGroup {
					found = append(found, a)
				}
			}
		}
		return found
	}
	// Create: the pre-check finds nothing, then create and wait.
	if got := find(); len(got) != 0 {
		t.Fatalf("pre-check found %+v", got)
	}
	st := w.waitCreation(t, aws.ToString(w.assign(t, ps, group).RequestId))
	if st.Status != ssotypes.StatusValuesSucceeded {
		t.Fatalf("creation = %+v", st)
	}
	// Read: exactly one.
	got := find()
	if len(got) != 1 || aws.ToString(got[0].PermissionSetArn) != ps || aws.ToString(got[0].AccountId) != seedAccount {
		t.Fatalf("read = %+v", got)
	}
	// Delete and wait for the deletion.
	del, err := w.sso.DeleteAccountAssignment(ctx, &ssoadmin.DeleteAccountAssignmentInput{InstanceArn: &w.inst, PermissionSetArn: &ps,
		TargetId: aws.String(seedAccount), TargetType: ssotypes.TargetTypeAwsAccount, PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: &group})
	if err != nil {
		t.Fatalf("DeleteAccountAssignment: %v", err)
	}
	id := aws.ToString(del.AccountAssignmentDeletionStatus.RequestId)
	dst := poll(t, "DescribeAccountAssignmentDeletionStatus", func() (*ssotypes.AccountAssignmentOperationStatus, ssotypes.StatusValues, error) {
		out, err := w.sso.DescribeAccountAssignmentDeletionStatus(ctx, &ssoadmin.DescribeAccountAssignmentDeletionStatusInput{
			InstanceArn: &w.inst, AccountAssignmentDeletionRequestId: &id})
		if err != nil {
			return nil, "", err
		}
		return out.AccountAssignmentDeletionStatus, out.AccountAssignmentDeletionStatus.Status, nil
	})
	if dst.Status != ssotypes.StatusValuesSucceeded {
		t.Fatalf("deletion = %+v", dst)
	}
	if got := find(); len(got) != 0 {
		t.Fatalf("after delete: %+v", got)
	}
	// The last assignment took the role with it; the set can go.
	if name, ok := w.devOpsRole(t); ok {
		t.Errorf("role %s still exists", name)
	}
	dl, err := w.sso.ListAccountAssignmentDeletionStatus(ctx, &ssoadmin.ListAccountAssignmentDeletionStatusInput{InstanceArn: &w.inst})
	if err != nil || len(dl.AccountAssignmentsDeletionStatus) != 1 {
		t.Errorf("ListAccountAssignmentDeletionStatus = %+v, %v", dl, err)
	}
	if _, err := w.sso.DeletePermissionSet(ctx, &ssoadmin.DeletePermissionSetInput{InstanceArn: &w.inst, PermissionSetArn: &ps}); err != nil {
		t.Fatalf("DeletePermissionSet: %v", err)
	}
}

func TestSSOAdminAssignmentFailures(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		principal func(w *ssoWorld, t *testing.T) string
		setup     func(w *ssoWorld, t *testing.T, ps string)
		reason    string
	}{
		{"unknown principal", func(*ssoWorld, *testing.T) string { return "00000000-0000-0000-0000-000000000000" }, nil,
			"does not exist in identity store"},
		{"missing customer managed policy", (*ssoWorld).devOpsGroup, func(w *ssoWorld, t *testing.T, ps string) {
			if _, err := w.sso.AttachCustomerManagedPolicyReferenceToPermissionSet(ctx, &ssoadmin.AttachCustomerManagedPolicyReferenceToPermissionSetInput{
				InstanceArn: &w.inst, PermissionSetArn: &ps,
				CustomerManagedPolicyReference: &ssotypes.CustomerManagedPolicyReference{Name: aws.String("DevOpsExtra")}}); err != nil {
				t.Fatalf("attach reference: %v", err)
			}
		}, "Received a 404 status error: Not supported policy arn:aws:iam::123456789012:policy/DevOpsExtra."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newSSOWorld(t, startServer(t))
			ps := w.devOpsSet(t)
			if tc.setup != nil {
				tc.setup(w, t, ps)
			}
			st := w.waitCreation(t, aws.ToString(w.assign(t, ps, tc.principal(w, t)).RequestId))
			if st.Status != ssotypes.StatusValuesFailed || !strings.Contains(aws.ToString(st.FailureReason), tc.reason) {
				t.Fatalf("creation = %s %q, want FAILED with %q", st.Status, aws.ToString(st.FailureReason), tc.reason)
			}
			if name, ok := w.devOpsRole(t); ok {
				t.Errorf("a failed request created role %s", name)
			}
		})
	}
	// With the policy created in the account, the same set provisions and
	// the role has the policy attached.
	t.Run("customer managed policy present", func(t *testing.T) {
		w := newSSOWorld(t, startServer(t))
		ps := w.devOpsSet(t)
		if _, err := w.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("DevOpsExtra"), PolicyDocument: aws.String(seedPolicy)}); err != nil {
			t.Fatalf("CreatePolicy: %v", err)
		}
		if _, err := w.sso.AttachCustomerManagedPolicyReferenceToPermissionSet(ctx, &ssoadmin.AttachCustomerManagedPolicyReferenceToPermissionSetInput{
			InstanceArn: &w.inst, PermissionSetArn: &ps,
			CustomerManagedPolicyReference: &ssotypes.CustomerManagedPolicyReference{Name: aws.String("DevOpsExtra")}}); err != nil {
			t.Fatalf("attach reference: %v", err)
		}
		if _, err := w.sso.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{InstanceArn: &w.inst,
			PermissionSetArn: &ps, ManagedPolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}); err != nil {
			t.Fatalf("attach managed: %v", err)
		}
		st := w.waitCreation(t, aws.ToString(w.assign(t, ps, w.devOpsGroup(t)).RequestId))
		if st.Status != ssotypes.StatusValuesSucceeded {
			t.Fatalf("creation = %s %q", st.Status, aws.ToString(st.FailureReason))
		}
		name, _ := w.devOpsRole(t)
		att, err := w.iam.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: &name})
		if err != nil {
			t.Fatalf("ListAttachedRolePolicies: %v", err)
		}
		var arns []string
		for _, p := range att.AttachedPolicies {
			arns = append(arns, aws.ToString(p.PolicyArn))
		}
		if strings.Join(arns, ",") != "arn:aws:iam::123456789012:policy/DevOpsExtra,arn:aws:iam::aws:policy/ReadOnlyAccess" {
			t.Errorf("attached = %v", arns)
		}
	})
}

// TestSSOAdminReprovisioning: an inline-policy change makes the account out
// of date until ProvisionPermissionSet, which updates the role's policy.
func TestSSOAdminReprovisioning(t *testing.T) {
	ctx := context.Background()
	w := newSSOWorld(t, startServer(t))
	ps := w.devOpsSet(t)
	w.waitCreation(t, aws.ToString(w.assign(t, ps, w.devOpsGroup(t)).RequestId))
	accounts := func(status ssotypes.ProvisioningStatus) []string {
		t.Helper()
		out, err := w.sso.ListAccountsForProvisionedPermissionSet(ctx, &ssoadmin.ListAccountsForProvisionedPermissionSetInput{
			InstanceArn: &w.inst, PermissionSetArn: &ps, ProvisioningStatus: status})
		if err != nil {
			t.Fatalf("ListAccountsForProvisionedPermissionSet: %v", err)
		}
		return out.AccountIds
	}
	if got := accounts(ssotypes.ProvisioningStatusLatestPermissionSetProvisioned); len(got) != 1 || got[0] != seedAccount {
		t.Fatalf("provisioned = %v", got)
	}
	changed := `{"Version":"2012-10-17","Statement":[{"Action":["s3:*"],"Effect":"Allow","Resource":"*"}]}`
	if _, err := w.sso.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{InstanceArn: &w.inst,
		PermissionSetArn: &ps, InlinePolicy: aws.String(changed)}); err != nil {
		t.Fatalf("PutInlinePolicyToPermissionSet: %v", err)
	}
	if got := accounts(ssotypes.ProvisioningStatusLatestPermissionSetNotProvisioned); len(got) != 1 {
		t.Fatalf("out of date = %v", got)
	}
	name, _ := w.devOpsRole(t)
	if doc := w.inlineDoc(t, name); doc != seedPolicy {
		t.Fatalf("the role changed before provisioning: %s", doc)
	}
	out, err := w.sso.ProvisionPermissionSet(ctx, &ssoadmin.ProvisionPermissionSetInput{InstanceArn: &w.inst, PermissionSetArn: &ps,
		TargetType: ssotypes.ProvisionTargetTypeAllProvisionedAccounts})
	if err != nil {
		t.Fatalf("ProvisionPermissionSet: %v", err)
	}
	if out.PermissionSetProvisioningStatus.Status != ssotypes.StatusValuesInProgress {
		t.Fatalf("provisioning = %+v", out.PermissionSetProvisioningStatus)
	}
	st := w.waitProvisioning(t, aws.ToString(out.PermissionSetProvisioningStatus.RequestId))
	if st.Status != ssotypes.StatusValuesSucceeded {
		t.Fatalf("provisioning = %s %q", st.Status, aws.ToString(st.FailureReason))
	}
	if got := accounts(ssotypes.ProvisioningStatusLatestPermissionSetProvisioned); len(got) != 1 {
		t.Fatalf("after provisioning = %v", got)
	}
	if got := accounts(ssotypes.ProvisioningStatusLatestPermissionSetNotProvisioned); len(got) != 0 {
		t.Fatalf("still out of date = %v", got)
	}
	if doc := w.inlineDoc(t, name); doc != changed {
		t.Fatalf("role policy after provisioning = %s", doc)
	}
	lp, err := w.sso.ListPermissionSetProvisioningStatus(ctx, &ssoadmin.ListPermissionSetProvisioningStatusInput{InstanceArn: &w.inst})
	if err != nil || len(lp.PermissionSetsProvisioningStatus) != 1 {
		t.Fatalf("ListPermissionSetProvisioningStatus = %+v, %v", lp, err)
	}
}

// TestSSOAdminRequestSurvivesRestart: a request stored by a server without a
// worker is completed by the next server on the same data folder.
func TestSSOAdminRequestSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	first := openAt(t, dir, true)
	w := newSSOWorld(t, first)
	ps := w.devOpsSet(t)
	id := aws.ToString(w.assign(t, ps, w.devOpsGroup(t)).RequestId)
	out, err := w.sso.DescribeAccountAssignmentCreationStatus(context.Background(), &ssoadmin.DescribeAccountAssignmentCreationStatusInput{
		InstanceArn: &w.inst, AccountAssignmentCreationRequestId: &id})
	if err != nil || out.AccountAssignmentCreationStatus.Status != ssotypes.StatusValuesInProgress {
		t.Fatalf("without a worker: %+v, %v", out, err)
	}
	first.stop()

	w = newSSOWorld(t, openAt(t, dir, false))
	if st := w.waitCreation(t, id); st.Status != ssotypes.StatusValuesSucceeded {
		t.Fatalf("after restart = %s %q", st.Status, aws.ToString(st.FailureReason))
	}
	if _, ok := w.devOpsRole(t); !ok {
		t.Fatalf("no role after restart")
	}
}

func TestSSOAdminAssignmentErrors(t *testing.T) {
	ctx := context.Background()
	w := newSSOWorld(t, startServer(t))
	ps := w.devOpsSet(t)
	unknownID := "00000000-0000-4000-8000-000000000000"
	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"creation status of an unknown request", func() error {
			_, err := w.sso.DescribeAccountAssignmentCreationStatus(ctx, &ssoadmin.DescribeAccountAssignmentCreationStatusInput{
				InstanceArn: &w.inst, AccountAssignmentCreationRequestId: &unknownID})
			return err
		}, "ResourceNotFoundException"},
		{"provisioning status of an unknown request", func() error {
			_, err := w.sso.DescribePermissionSetProvisioningStatus(ctx, &ssoadmin.DescribePermissionSetProvisioningStatusInput{
				InstanceArn: &w.inst, ProvisionPermissionSetRequestId: &unknownID})
			return err
		}, "ResourceNotFoundException"},
		{"assignment of an unknown set", func() error {
			_, err := w.sso.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &w.inst,
				PermissionSetArn: aws.String(unknownPS), TargetId: aws.String(seedAccount), TargetType: ssotypes.TargetTypeAwsAccount,
				PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: aws.String(unknownID)})
			return err
		}, "ResourceNotFoundException"},
		{"list assignments of an unknown set", func() error {
			_, err := w.sso.ListAccountAssignments(ctx, &ssoadmin.ListAccountAssignmentsInput{InstanceArn: &w.inst,
				PermissionSetArn: aws.String(unknownPS), AccountId: aws.String(seedAccount)})
			return err
		}, "ResourceNotFoundException"},
		{"provision to an account without its id", func() error {
			_, err := w.sso.ProvisionPermissionSet(ctx, &ssoadmin.ProvisionPermissionSetInput{InstanceArn: &w.inst, PermissionSetArn: &ps,
				TargetType: ssotypes.ProvisionTargetTypeAwsAccount})
			return err
		}, "ValidationException"},
		{"bad status filter", func() error {
			_, err := w.sso.ListAccountAssignmentCreationStatus(ctx, &ssoadmin.ListAccountAssignmentCreationStatusInput{InstanceArn: &w.inst,
				Filter: &ssotypes.OperationStatusFilter{Status: "DONE"}})
			return err
		}, "ValidationException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.name, tc.call(), tc.code) })
	}
}
