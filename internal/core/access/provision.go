package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/idcenter/idcenter/internal/core/revoke"
	"github.com/idcenter/idcenter/internal/store"
)

// The shape of a provisioned role (protocols notes §5).
const (
	RolePrefix       = "AWSReservedSSO_"
	RolePathPrefix   = "/aws-reserved/sso.amazonaws.com/"
	InlinePolicyName = "AwsSSOInlinePolicy"
	homeRegion       = "us-east-1"
	roleIDAlphabet   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)

// internalFailure is AWS's FailureReason for an unexpected error.
const internalFailure = "An unexpected internal service exception was encountered"

// failure is a request's FailureReason: the transaction that met it rolls
// back and the request becomes FAILED.
type failure struct{ reason string }

func (f *failure) Error() string { return f.reason }

func failf(format string, args ...any) error { return &failure{reason: fmt.Sprintf(format, args...)} }

// stableHex is 16 lower-case hex characters derived from parts: the same
// parts always give the same suffix.
func stableHex(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// RoleName is the name of a set's role in an account:
// AWSReservedSSO_<set name>_<16 hex stable per set and account>.
func RoleName(setName, setARN, accountID string) string {
	return RolePrefix + setName + "_" + stableHex("role", setARN, accountID)
}

// RolePath is the path of provisioned roles: the region is appended for
// instances outside us-east-1.
func RolePath(region string) string {
	if region == "" || region == homeRegion {
		return RolePathPrefix
	}
	return RolePathPrefix + region + "/"
}

// SAMLProviderARN is the identity provider the roles of an instance trust in
// an account.
func SAMLProviderARN(instanceARN, accountID string) string {
	return "arn:aws:iam::" + accountID + ":saml-provider/AWSSSO_" + stableHex("saml", instanceARN, accountID) + "_DO_NOT_DELETE"
}

// TrustPolicy is the trust policy of a provisioned role.
func TrustPolicy(instanceARN, accountID string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + SAMLProviderARN(instanceARN, accountID) +
		`"},"Action":["sts:AssumeRoleWithSAML","sts:TagSession"],"Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}`
}

func customerPolicyARN(accountID string, r store.PolicyReference) string {
	path := r.Path
	if path == "" {
		path = "/"
	}
	return "arn:aws:iam::" + accountID + ":policy" + path + r.Name
}

func (s *Service) roleID() (string, error) {
	r := s.Rand
	if r == nil {
		r = rand.Reader
	}
	out := []byte("AROA")
	limit := 256 - 256%len(roleIDAlphabet)
	var one [1]byte
	for len(out) < 21 {
		if _, err := io.ReadFull(r, one[:]); err != nil {
			return "", fmt.Errorf("access: role id: %w", err)
		}
		if int(one[0]) < limit {
			out = append(out, roleIDAlphabet[int(one[0])%len(roleIDAlphabet)])
		}
	}
	return string(out), nil
}

// resolvePolicy finds a customer managed policy in the account.
func resolvePolicy(ctx context.Context, tx store.Tx, accountID string, r store.PolicyReference) (string, error) {
	arn := customerPolicyARN(accountID, r)
	_, err := tx.GetIAMPolicy(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return "", failf("Received a 404 status error: Not supported policy %s.", arn)
	}
	return arn, err
}

// provision creates or updates the set's role in the account to match the
// set and records the provisioning.
func (s *Service) provision(ctx context.Context, tx store.Tx, in store.Instance, ps store.PermissionSet, accountID string) error {
	managed, err := tx.ListManagedPolicies(ctx, ps.ARN, store.Page{})
	if err != nil {
		return err
	}
	refs, err := tx.ListCustomerManagedPolicies(ctx, ps.ARN, store.Page{})
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, arn := range managed {
		want[arn] = true
	}
	for _, r := range refs {
		arn, err := resolvePolicy(ctx, tx, accountID, r)
		if err != nil {
			return err
		}
		want[arn] = true
	}
	boundary := ""
	if b := ps.Boundary; b != nil {
		boundary = b.ManagedPolicyARN
		if b.CustomerManaged != nil {
			if boundary, err = resolvePolicy(ctx, tx, accountID, *b.CustomerManaged); err != nil {
				return err
			}
		}
	}
	name := RoleName(ps.Name, ps.ARN, accountID)
	path := RolePath(in.Region)
	role, err := tx.GetIAMRole(ctx, accountID, name)
	exists := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if !exists {
		id, err := s.roleID()
		if err != nil {
			return err
		}
		role = store.IAMRole{AccountID: accountID, RoleID: id, RoleName: name, CreatedAt: s.now()}
	}
	role.Path = path
	role.ARN = "arn:aws:iam::" + accountID + ":role" + path + name
	role.AssumeRolePolicy = TrustPolicy(in.ARN, accountID)
	role.Description = ps.Description
	role.MaxSessionDuration = SessionSeconds(ps.SessionDuration)
	role.PermissionsBoundary = boundary
	if exists {
		err = tx.ReplaceIAMRole(ctx, role)
	} else {
		err = tx.CreateIAMRole(ctx, role)
	}
	if err != nil {
		return err
	}
	if ps.InlinePolicy != "" {
		err = tx.PutIAMInlinePolicy(ctx, store.IAMInlinePolicy{EntityType: store.IAMEntityRole, EntityID: role.RoleID,
			PolicyName: InlinePolicyName, Document: ps.InlinePolicy})
	} else {
		err = ignoreNotFound(tx.DeleteIAMInlinePolicy(ctx, role.RoleID, InlinePolicyName))
	}
	if err != nil {
		return err
	}
	attached, err := tx.ListIAMAttachedPolicies(ctx, role.RoleID)
	if err != nil {
		return err
	}
	for _, arn := range attached {
		if !want[arn] {
			if err := tx.DetachIAMPolicy(ctx, role.RoleID, arn); err != nil {
				return err
			}
		}
		delete(want, arn)
	}
	for arn := range want {
		if err := tx.AttachIAMPolicy(ctx, store.IAMAttachment{AccountID: accountID, EntityType: store.IAMEntityRole,
			EntityID: role.RoleID, PolicyARN: arn}); err != nil {
			return err
		}
	}
	return tx.PutProvisioned(ctx, store.Provisioned{InstanceARN: in.ARN, PermissionSetARN: ps.ARN, AccountID: accountID,
		RoleName: name, SetChangedAt: ps.ChangedAt, ProvisionedAt: s.now()})
}

// deprovision removes the set's role from the account (with its policies)
// and the provisioning record; a set not provisioned there is left alone.
func deprovision(ctx context.Context, tx store.Tx, instanceARN, psARN, accountID string) error {
	prs, err := tx.ListProvisioned(ctx, instanceARN, store.ProvisionedFilter{PermissionSetARN: psARN, AccountID: accountID}, store.Page{Limit: 1})
	if err != nil || len(prs) == 0 {
		return err
	}
	role, err := tx.GetIAMRole(ctx, accountID, prs[0].RoleName)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	default:
		inl, err := tx.ListIAMInlinePolicies(ctx, role.RoleID)
		if err != nil {
			return err
		}
		for _, p := range inl {
			if err := tx.DeleteIAMInlinePolicy(ctx, role.RoleID, p.PolicyName); err != nil {
				return err
			}
		}
		attached, err := tx.ListIAMAttachedPolicies(ctx, role.RoleID)
		if err != nil {
			return err
		}
		for _, arn := range attached {
			if err := tx.DetachIAMPolicy(ctx, role.RoleID, arn); err != nil {
				return err
			}
		}
		if err := tx.DeleteIAMRole(ctx, accountID, role.RoleID); err != nil {
			return err
		}
	}
	return tx.DeleteProvisioned(ctx, psARN, accountID)
}

func ignoreNotFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// ProcessPending processes the IN_PROGRESS requests, oldest first, until none
// is left; it returns how many it processed.
func (s *Service) ProcessPending(ctx context.Context) (int, error) {
	n := 0
	for {
		var rs []store.SSORequest
		err := s.Store.View(ctx, func(tx store.Tx) error {
			var err error
			rs, err = tx.ListPendingSSORequests(ctx, 50)
			return err
		})
		if err != nil {
			return n, fmt.Errorf("access: list pending requests: %w", err)
		}
		if len(rs) == 0 {
			return n, nil
		}
		for _, r := range rs {
			if err := s.process(ctx, r); err != nil {
				return n, err
			}
			n++
		}
	}
}

// process does one request's work in one transaction; a failure rolls the
// work back and marks the request FAILED with its reason.
func (s *Service) process(ctx context.Context, r store.SSORequest) error {
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		cur, err := tx.GetSSORequest(ctx, r.InstanceARN, r.Kind, r.RequestID)
		if err != nil {
			return err
		}
		if cur.Status != StatusInProgress {
			return nil
		}
		in, err := tx.GetInstance(ctx, r.InstanceARN)
		if err != nil {
			return err
		}
		switch r.Kind {
		case store.SSORequestCreateAssignment:
			err = s.createAssignment(ctx, tx, in, r)
		case store.SSORequestDeleteAssignment:
			err = s.deleteAssignment(ctx, tx, in, r)
		case store.SSORequestProvision:
			err = s.provisionRequest(ctx, tx, in, r)
		default:
			err = failf("Unknown request kind %s.", r.Kind)
		}
		if err != nil {
			return err
		}
		return tx.SetSSORequestStatus(ctx, r.RequestID, StatusSucceeded, "")
	})
	var f *failure
	reason := ""
	switch {
	case err == nil, errors.Is(err, store.ErrConflict), ctx.Err() != nil:
		// done, or retried by a later scan
	case errors.As(err, &f):
		reason = f.reason
	default:
		// Any other error would block the queue: fail the request as AWS
		// reports its own internal errors, and report the cause.
		reason = internalFailure
		if s.Log != nil {
			s.Log.Error("sso request failed", "request_id", r.RequestID, "err", err)
		}
	}
	if reason != "" {
		// Only a request still IN_PROGRESS fails: a worker on another
		// replica may have completed it meanwhile (its transaction then
		// committed first, and this one's work was rolled back, e.g. on the
		// unique violation of the role that worker created), and a
		// SUCCEEDED request must stay so.
		err = s.Store.Update(ctx, func(tx store.Tx) error {
			cur, err := tx.GetSSORequest(ctx, r.InstanceARN, r.Kind, r.RequestID)
			if err != nil || cur.Status != StatusInProgress {
				return err
			}
			return tx.SetSSORequestStatus(ctx, r.RequestID, StatusFailed, reason)
		})
	}
	if err != nil {
		return fmt.Errorf("access: process request %s: %w", r.RequestID, err)
	}
	return nil
}

func getSetForRequest(ctx context.Context, tx store.Tx, r store.SSORequest) (store.PermissionSet, error) {
	ps, err := tx.GetPermissionSet(ctx, r.InstanceARN, r.PermissionSetARN)
	if errors.Is(err, store.ErrNotFound) {
		return ps, failf("Received a 404 status error: PermissionSet %s does not exist.", r.PermissionSetARN)
	}
	return ps, err
}

func checkAccount(ctx context.Context, tx store.Tx, accountID string) error {
	_, err := tx.GetAccount(ctx, accountID)
	if errors.Is(err, store.ErrNotFound) {
		return failf("Received a 404 status error: Account %s is not a member of the organization.", accountID)
	}
	return err
}

func (s *Service) createAssignment(ctx context.Context, tx store.Tx, in store.Instance, r store.SSORequest) error {
	ps, err := getSetForRequest(ctx, tx, r)
	if err != nil {
		return err
	}
	if err := checkAccount(ctx, tx, r.TargetID); err != nil {
		return err
	}
	if r.PrincipalType == PrincipalGroup {
		_, err = tx.GetGroup(ctx, in.IdentityStoreID, r.PrincipalID)
	} else {
		_, err = tx.GetUser(ctx, in.IdentityStoreID, r.PrincipalID)
	}
	if errors.Is(err, store.ErrNotFound) {
		return failf("Received a 404 status error: The principal %s of type %s does not exist in identity store %s.",
			r.PrincipalID, r.PrincipalType, in.IdentityStoreID)
	}
	if err != nil {
		return err
	}
	err = tx.CreateAccountAssignment(ctx, store.AccountAssignment{InstanceARN: in.ARN, PermissionSetARN: ps.ARN, AccountID: r.TargetID,
		PrincipalType: r.PrincipalType, PrincipalID: r.PrincipalID, CreatedAt: s.now()})
	if err != nil && !errors.Is(err, store.ErrAlreadyExists) { // a duplicate succeeds without a second record
		return err
	}
	return s.provision(ctx, tx, in, ps, r.TargetID)
}

func (s *Service) deleteAssignment(ctx context.Context, tx store.Tx, in store.Instance, r store.SSORequest) error {
	a := store.AccountAssignment{PermissionSetARN: r.PermissionSetARN, AccountID: r.TargetID, PrincipalType: r.PrincipalType, PrincipalID: r.PrincipalID}
	if err := ignoreNotFound(tx.DeleteAccountAssignment(ctx, a)); err != nil {
		return err
	}
	// The role credentials of users who no longer have this access end.
	users := []string{r.PrincipalID}
	if r.PrincipalType == PrincipalGroup {
		var err error
		if users, err = revoke.GroupMembers(ctx, tx, in.IdentityStoreID, r.PrincipalID); err != nil {
			return err
		}
	}
	if err := revoke.Users(ctx, tx, in.IdentityStoreID, users); err != nil {
		return err
	}
	left, err := tx.ListAccountAssignments(ctx, in.ARN, store.AssignmentFilter{PermissionSetARN: r.PermissionSetARN, AccountID: r.TargetID}, store.Page{Limit: 1})
	if err != nil || len(left) > 0 {
		return err
	}
	return deprovision(ctx, tx, in.ARN, r.PermissionSetARN, r.TargetID)
}

func (s *Service) provisionRequest(ctx context.Context, tx store.Tx, in store.Instance, r store.SSORequest) error {
	ps, err := getSetForRequest(ctx, tx, r)
	if err != nil {
		return err
	}
	var accounts []string
	if r.TargetType == TargetAWSAccount {
		if err := checkAccount(ctx, tx, r.TargetID); err != nil {
			return err
		}
		accounts = []string{r.TargetID}
	} else {
		prs, err := tx.ListProvisioned(ctx, in.ARN, store.ProvisionedFilter{PermissionSetARN: ps.ARN}, store.Page{})
		if err != nil {
			return err
		}
		for _, p := range prs {
			accounts = append(accounts, p.AccountID)
		}
	}
	for _, acct := range accounts {
		if err := s.provision(ctx, tx, in, ps, acct); err != nil {
			return err
		}
	}
	return nil
}
