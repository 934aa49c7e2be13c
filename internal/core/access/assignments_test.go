package access

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/policy"
	"github.com/idcenter/idcenter/internal/store"
)

const (
	acct     = "123456789012"
	devops   = "group-devops"
	seedDoc  = `{"Version":"2012-10-17","Statement":[{"Action":["ecr:*","eks:*","lambda:*","s3:*","sqs:*"],"Effect":"Allow","Resource":"*"}]}`
	otherDoc = `{"Version":"2012-10-17","Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":"*"}]}`
)

// world adds the account and the group devops to the env's store.
func (e *env) world(t *testing.T) {
	t.Helper()
	err := e.svc.Store.Update(e.ctx, func(tx store.Tx) error {
		if err := tx.CreateAccount(e.ctx, store.Account{ID: acct, ARN: "arn:aws:organizations::" + acct + ":account/o-x/" + acct,
			Name: "main", Email: "main@example.com", Status: "ACTIVE", JoinedMethod: "CREATED", JoinedAt: start}); err != nil {
			return err
		}
		return tx.CreateGroup(e.ctx, store.Group{IdentityStoreID: "d-1234567890", GroupID: devops, DisplayName: "devops", CreatedAt: start})
	})
	if err != nil {
		t.Fatalf("world: %v", err)
	}
}

func (e *env) set(t *testing.T, name, doc string) store.PermissionSet {
	t.Helper()
	ps, err := e.svc.CreatePermissionSet(e.ctx, inst, NewPermissionSet{Name: name, Description: name + " access", SessionDuration: "PT2H"})
	if err != nil {
		t.Fatalf("create set: %v", err)
	}
	if doc != "" {
		if err := e.svc.PutInlinePolicy(e.ctx, inst, ps.ARN, doc); err != nil {
			t.Fatalf("put inline: %v", err)
		}
	}
	return ps
}

// run processes the pending requests and returns the request's final state.
func (e *env) run(t *testing.T, r store.SSORequest) store.SSORequest {
	t.Helper()
	if r.Status != StatusInProgress || !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(r.RequestID) {
		t.Fatalf("request = %+v, want IN_PROGRESS with a lower-case UUID", r)
	}
	if _, err := e.svc.ProcessPending(e.ctx); err != nil {
		t.Fatalf("ProcessPending: %v", err)
	}
	got, err := e.svc.DescribeRequest(e.ctx, inst, r.Kind, r.RequestID)
	if err != nil {
		t.Fatalf("DescribeRequest: %v", err)
	}
	return got
}

func (e *env) role(t *testing.T, ps store.PermissionSet) (store.IAMRole, []store.IAMInlinePolicy, []string, error) {
	t.Helper()
	var r store.IAMRole
	var inl []store.IAMInlinePolicy
	var att []string
	err := e.svc.Store.View(e.ctx, func(tx store.Tx) error {
		var err error
		if r, err = tx.GetIAMRole(e.ctx, acct, RoleName(ps.Name, ps.ARN, acct)); err != nil {
			return err
		}
		if inl, err = tx.ListIAMInlinePolicies(e.ctx, r.RoleID); err != nil {
			return err
		}
		att, err = tx.ListIAMAttachedPolicies(e.ctx, r.RoleID)
		return err
	})
	return r, inl, att, err
}

func TestAssignmentProvisionsRole(t *testing.T) {
	e := newEnv(t)
	e.world(t)
	ps := e.set(t, "DevOps", seedDoc)
	if err := e.svc.AttachManagedPolicy(e.ctx, inst, ps.ARN, "arn:aws:iam::aws:policy/ReadOnlyAccess"); err != nil {
		t.Fatalf("attach: %v", err)
	}
	a := Assignment{TargetID: acct, TargetType: TargetAWSAccount, PermissionSetARN: ps.ARN, PrincipalType: PrincipalGroup, PrincipalID: devops}
	r, err := e.svc.CreateAccountAssignment(e.ctx, inst, a)
	if err != nil {
		t.Fatalf("CreateAccountAssignment: %v", err)
	}
	if got := e.run(t, r); got.Status != StatusSucceeded {
		t.Fatalf("status = %+v", got)
	}
	role, inl, att, err := e.role(t, ps)
	if err != nil {
		t.Fatalf("role: %v", err)
	}
	if !regexp.MustCompile(`^AWSReservedSSO_DevOps_[0-9a-f]{16}$`).MatchString(role.RoleName) || role.Path != RolePathPrefix ||
		role.MaxSessionDuration != 7200 || role.Description != "DevOps access" ||
		role.ARN != "arn:aws:iam::"+acct+":role/aws-reserved/sso.amazonaws.com/"+role.RoleName {
		t.Errorf("role = %+v", role)
	}
	if _, err := policy.Compile(role.AssumeRolePolicy, policy.KindTrust); err != nil {
		t.Errorf("trust policy does not compile: %v\n%s", err, role.AssumeRolePolicy)
	}
	if len(inl) != 1 || inl[0].PolicyName != InlinePolicyName || inl[0].Document != seedDoc {
		t.Errorf("inline policies = %+v", inl)
	}
	if len(att) != 1 || att[0] != "arn:aws:iam::aws:policy/ReadOnlyAccess" {
		t.Errorf("attached = %v", att)
	}
	// A duplicate succeeds without a second record.
	r2, err := e.svc.CreateAccountAssignment(e.ctx, inst, a)
	if err != nil {
		t.Fatalf("duplicate: %v", err)
	}
	if got := e.run(t, r2); got.Status != StatusSucceeded {
		t.Fatalf("duplicate status = %+v", got)
	}
	as, _, err := e.svc.ListAccountAssignments(e.ctx, inst, acct, ps.ARN, 0, "")
	if err != nil || len(as) != 1 || as[0].PrincipalID != devops {
		t.Fatalf("assignments = %+v, %v", as, err)
	}
	// A provisioned set cannot be deleted.
	wantKind(t, "delete provisioned set", e.svc.DeletePermissionSet(e.ctx, inst, ps.ARN), fault.Conflict)
	// Removing the last assignment removes the role.
	d, err := e.svc.DeleteAccountAssignment(e.ctx, inst, a)
	if err != nil {
		t.Fatalf("DeleteAccountAssignment: %v", err)
	}
	if got := e.run(t, d); got.Status != StatusSucceeded || got.Kind != store.SSORequestDeleteAssignment {
		t.Fatalf("deletion = %+v", got)
	}
	if _, _, _, err := e.role(t, ps); err == nil {
		t.Errorf("role still exists after the last assignment's deletion")
	}
	accts, _, err := e.svc.ListAccountsForProvisionedPermissionSet(e.ctx, inst, ps.ARN, "", 0, "")
	if err != nil || len(accts) != 0 {
		t.Errorf("provisioned accounts = %v, %v", accts, err)
	}
	wantKind(t, "delete unprovisioned set", e.svc.DeletePermissionSet(e.ctx, inst, ps.ARN), 0)
}

func TestFailedRequests(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(e *env, ps store.PermissionSet)
		a      func(a *Assignment)
		reason string
	}{
		{"unknown group", nil, func(a *Assignment) { a.PrincipalID = "nobody" }, "principal nobody of type GROUP does not exist"},
		{"unknown user", nil, func(a *Assignment) { a.PrincipalType = PrincipalUser }, "does not exist in identity store"},
		{"unknown account", nil, func(a *Assignment) { a.TargetID = "999999999999" }, "999999999999 is not a member"},
		{"missing customer managed policy", func(e *env, ps store.PermissionSet) {
			if err := e.svc.AttachCustomerManagedPolicy(e.ctx, inst, ps.ARN, store.PolicyReference{Name: "Missing"}); err != nil {
				t.Fatalf("attach reference: %v", err)
			}
		}, nil, "Received a 404 status error: Not supported policy arn:aws:iam::123456789012:policy/Missing."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.world(t)
			ps := e.set(t, "DevOps", seedDoc)
			if tc.setup != nil {
				tc.setup(e, ps)
			}
			a := Assignment{TargetID: acct, TargetType: TargetAWSAccount, PermissionSetARN: ps.ARN, PrincipalType: PrincipalGroup, PrincipalID: devops}
			if tc.a != nil {
				tc.a(&a)
			}
			r, err := e.svc.CreateAccountAssignment(e.ctx, inst, a)
			if err != nil {
				t.Fatalf("CreateAccountAssignment: %v", err)
			}
			got := e.run(t, r)
			if got.Status != StatusFailed || !strings.Contains(got.FailureReason, tc.reason) {
				t.Fatalf("request = %+v, want FAILED with %q", got, tc.reason)
			}
			as, _, _ := e.svc.ListAccountAssignments(e.ctx, inst, acct, ps.ARN, 0, "")
			if _, _, _, err := e.role(t, ps); err == nil || len(as) != 0 {
				t.Errorf("a failed request left an assignment %v or a role", as)
			}
			failed, _, err := e.svc.ListRequests(e.ctx, inst, store.SSORequestCreateAssignment, StatusFailed, 0, "")
			if err != nil || len(failed) != 1 || failed[0].RequestID != r.RequestID {
				t.Errorf("failed requests = %+v, %v", failed, err)
			}
		})
	}
}

func TestReprovisionAfterChange(t *testing.T) {
	e := newEnv(t)
	e.world(t)
	ps := e.set(t, "DevOps", seedDoc)
	a := Assignment{TargetID: acct, TargetType: TargetAWSAccount, PermissionSetARN: ps.ARN, PrincipalType: PrincipalGroup, PrincipalID: devops}
	r, err := e.svc.CreateAccountAssignment(e.ctx, inst, a)
	if err != nil {
		t.Fatal(err)
	}
	e.run(t, r)
	status := func(filter string) []string {
		t.Helper()
		accts, _, err := e.svc.ListAccountsForProvisionedPermissionSet(e.ctx, inst, ps.ARN, filter, 0, "")
		if err != nil {
			t.Fatalf("list accounts: %v", err)
		}
		return accts
	}
	if got := status(LatestProvisioned); len(got) != 1 || got[0] != acct {
		t.Fatalf("latest provisioned = %v", got)
	}
	// The clock stands still: a change is still later than the provisioning.
	if err := e.svc.PutInlinePolicy(e.ctx, inst, ps.ARN, otherDoc); err != nil {
		t.Fatal(err)
	}
	if got := status(LatestNotProvisioned); len(got) != 1 {
		t.Fatalf("after a change, not provisioned = %v", got)
	}
	if got := status(LatestProvisioned); len(got) != 0 {
		t.Fatalf("after a change, provisioned = %v", got)
	}
	sets, _, err := e.svc.ListPermissionSetsProvisionedToAccount(e.ctx, inst, acct, LatestNotProvisioned, 0, "")
	if err != nil || len(sets) != 1 || sets[0] != ps.ARN {
		t.Fatalf("sets out of date = %v, %v", sets, err)
	}
	p, err := e.svc.ProvisionPermissionSet(e.ctx, inst, ps.ARN, TargetAllProvisionedAccounts, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := e.run(t, p); got.Status != StatusSucceeded {
		t.Fatalf("provisioning = %+v", got)
	}
	if got := status(LatestProvisioned); len(got) != 1 {
		t.Fatalf("after provisioning = %v", got)
	}
	_, inl, _, err := e.role(t, ps)
	if err != nil || len(inl) != 1 || inl[0].Document != otherDoc {
		t.Fatalf("inline after provisioning = %+v, %v", inl, err)
	}
	// Deleting the inline policy removes it from the role on provisioning.
	if err := e.svc.DeleteInlinePolicy(e.ctx, inst, ps.ARN); err != nil {
		t.Fatal(err)
	}
	p, err = e.svc.ProvisionPermissionSet(e.ctx, inst, ps.ARN, TargetAWSAccount, acct)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.run(t, p); got.Status != StatusSucceeded || got.TargetID != acct {
		t.Fatalf("provisioning = %+v", got)
	}
	if _, inl, _, _ := e.role(t, ps); len(inl) != 0 {
		t.Fatalf("inline after removal = %+v", inl)
	}
}

func TestRequestValidation(t *testing.T) {
	e := newEnv(t)
	e.world(t)
	ps := e.set(t, "DevOps", "")
	good := Assignment{TargetID: acct, TargetType: TargetAWSAccount, PermissionSetARN: ps.ARN, PrincipalType: PrincipalGroup, PrincipalID: devops}
	tests := []struct {
		name string
		fn   func(a *Assignment)
		kind fault.Kind
	}{
		{"bad target type", func(a *Assignment) { a.TargetType = "OU" }, fault.Validation},
		{"bad account", func(a *Assignment) { a.TargetID = "12" }, fault.Validation},
		{"bad principal type", func(a *Assignment) { a.PrincipalType = "ROLE" }, fault.Validation},
		{"unknown set", func(a *Assignment) { a.PermissionSetARN = ps.ARN[:len(ps.ARN)-1] + "0" }, fault.NotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := good
			tc.fn(&a)
			_, err := e.svc.CreateAccountAssignment(e.ctx, inst, a)
			wantKind(t, tc.name, err, tc.kind)
		})
	}
	_, err := e.svc.ProvisionPermissionSet(e.ctx, inst, ps.ARN, TargetAWSAccount, "")
	wantKind(t, "provision without target", err, fault.Validation)
	_, err = e.svc.DescribeRequest(e.ctx, inst, store.SSORequestProvision, "00000000-0000-4000-8000-000000000000")
	wantKind(t, "unknown request", err, fault.NotFound)
}

func TestWorkerWakesAndScans(t *testing.T) {
	e := newEnv(t)
	e.world(t)
	ps := e.set(t, "DevOps", seedDoc)
	a := Assignment{TargetID: acct, TargetType: TargetAWSAccount, PermissionSetARN: ps.ARN, PrincipalType: PrincipalGroup, PrincipalID: devops}
	// Stored before the worker starts: found at start.
	before, err := e.svc.CreateAccountAssignment(e.ctx, inst, a)
	if err != nil {
		t.Fatal(err)
	}
	w := &Worker{Service: e.svc, Interval: time.Hour}
	e.svc.Notify = w.Notify
	w.Start(context.Background())
	defer w.Stop()
	wait := func(r store.SSORequest) {
		t.Helper()
		for i := 0; i < 500; i++ {
			got, err := e.svc.DescribeRequest(e.ctx, inst, r.Kind, r.RequestID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != StatusInProgress {
				if got.Status != StatusSucceeded {
					t.Fatalf("request = %+v", got)
				}
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("request %s still IN_PROGRESS", r.RequestID)
	}
	wait(before)
	// Stored while it sleeps (scans are an hour apart): Notify wakes it.
	after, err := e.svc.DeleteAccountAssignment(e.ctx, inst, a)
	if err != nil {
		t.Fatal(err)
	}
	wait(after)
}

func TestRoleShape(t *testing.T) {
	const ps1 = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111"
	const ps2 = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-2222222222222222"
	tests := []struct {
		name string
		got  string
		want string // regexp
	}{
		{"path us-east-1", RolePath("us-east-1"), `^/aws-reserved/sso\.amazonaws\.com/$`},
		{"path other region", RolePath("eu-west-1"), `^/aws-reserved/sso\.amazonaws\.com/eu-west-1/$`},
		{"role name", RoleName("DevOps", ps1, acct), `^AWSReservedSSO_DevOps_[0-9a-f]{16}$`},
		{"saml provider", SAMLProviderARN(inst, acct), `^arn:aws:iam::123456789012:saml-provider/AWSSSO_[0-9a-f]{16}_DO_NOT_DELETE$`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !regexp.MustCompile(tc.want).MatchString(tc.got) {
				t.Errorf("%s = %q, want %s", tc.name, tc.got, tc.want)
			}
		})
	}
	if RoleName("DevOps", ps1, acct) != RoleName("DevOps", ps1, acct) {
		t.Errorf("role name is not stable")
	}
	if RoleName("DevOps", ps1, acct) == RoleName("DevOps", ps2, acct) || RoleName("DevOps", ps1, acct) == RoleName("DevOps", ps1, "210987654321") {
		t.Errorf("role names of different sets or accounts collide")
	}
	for _, acct := range []string{acct, "210987654321"} {
		if _, err := policy.Compile(TrustPolicy(inst, acct), policy.KindTrust); err != nil {
			t.Errorf("trust policy of %s: %v", acct, err)
		}
	}
}
