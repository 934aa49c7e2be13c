package access

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

// Request statuses (StatusValues in the sso-admin model).
const (
	StatusInProgress = "IN_PROGRESS"
	StatusSucceeded  = "SUCCEEDED"
	StatusFailed     = "FAILED"
)

// Target and principal types.
const (
	TargetAWSAccount             = "AWS_ACCOUNT"
	TargetAllProvisionedAccounts = "ALL_PROVISIONED_ACCOUNTS"
	PrincipalUser                = "USER"
	PrincipalGroup               = "GROUP"
)

// Provisioning status filters of ListAccountsForProvisionedPermissionSet and
// ListPermissionSetsProvisionedToAccount.
const (
	LatestProvisioned    = "LATEST_PERMISSION_SET_PROVISIONED"
	LatestNotProvisioned = "LATEST_PERMISSION_SET_NOT_PROVISIONED"
)

var accountIDPattern = regexp.MustCompile(`^\d{12}$`)

// ResourceRequest is the NotFound resource type of an unknown request id.
const ResourceRequest = "REQUEST"

// Assignment names an account assignment in Create/DeleteAccountAssignment.
type Assignment struct {
	TargetID         string
	TargetType       string
	PermissionSetARN string
	PrincipalType    string
	PrincipalID      string
}

func (a Assignment) validate() error {
	if a.TargetType != TargetAWSAccount {
		return fault.Validationf("TargetType must be %s.", TargetAWSAccount)
	}
	if !accountIDPattern.MatchString(a.TargetID) {
		return fault.Validationf("The TargetId %q is not a valid AWS account id.", a.TargetID)
	}
	if a.PrincipalType != PrincipalUser && a.PrincipalType != PrincipalGroup {
		return fault.Validationf("PrincipalType must be USER or GROUP.")
	}
	if a.PrincipalID == "" {
		return fault.Validationf("PrincipalId is required.")
	}
	return nil
}

// newUUID returns a random lower-case version 4 UUID.
func (s *Service) newUUID() (string, error) {
	h, err := s.randomHex(16)
	if err != nil {
		return "", err
	}
	b := []byte(h)
	b[12] = '4'
	b[16] = "89ab"[int(b[16])%4]
	return fmt.Sprintf("%s-%s-%s-%s-%s", b[0:8], b[8:12], b[12:16], b[16:20], b[20:32]), nil
}

// enqueue stores a new IN_PROGRESS request after check has passed in the same
// transaction, and wakes the worker.
func (s *Service) enqueue(ctx context.Context, op string, r store.SSORequest, check func(tx store.Tx) error) (store.SSORequest, error) {
	id, err := s.newUUID()
	if err != nil {
		return store.SSORequest{}, err
	}
	r.RequestID, r.Status, r.CreatedAt = id, StatusInProgress, s.now()
	err = s.update(ctx, op, r.InstanceARN, func(tx store.Tx) error {
		if err := check(tx); err != nil {
			return err
		}
		return tx.CreateSSORequest(ctx, r)
	})
	if err != nil {
		return store.SSORequest{}, err
	}
	if s.Notify != nil {
		s.Notify()
	}
	return r, nil
}

// CreateAccountAssignment asks for an assignment: the returned request is
// IN_PROGRESS; the worker creates the assignment and provisions the set to the
// account, or fails the request with a reason.
func (s *Service) CreateAccountAssignment(ctx context.Context, instanceARN string, a Assignment) (store.SSORequest, error) {
	return s.assignmentRequest(ctx, "create account assignment", store.SSORequestCreateAssignment, instanceARN, a)
}

// DeleteAccountAssignment asks for an assignment's removal (asynchronous as
// CreateAccountAssignment); the last assignment of a set in an account takes
// the set's role with it.
func (s *Service) DeleteAccountAssignment(ctx context.Context, instanceARN string, a Assignment) (store.SSORequest, error) {
	return s.assignmentRequest(ctx, "delete account assignment", store.SSORequestDeleteAssignment, instanceARN, a)
}

func (s *Service) assignmentRequest(ctx context.Context, op, kind, instanceARN string, a Assignment) (store.SSORequest, error) {
	if err := a.validate(); err != nil {
		return store.SSORequest{}, err
	}
	r := store.SSORequest{Kind: kind, InstanceARN: instanceARN, TargetID: a.TargetID, TargetType: a.TargetType,
		PermissionSetARN: a.PermissionSetARN, PrincipalType: a.PrincipalType, PrincipalID: a.PrincipalID}
	return s.enqueue(ctx, op, r, func(tx store.Tx) error {
		_, err := getPermissionSet(ctx, tx, instanceARN, a.PermissionSetARN)
		return err
	})
}

// ProvisionPermissionSet asks for a set's provisioning to one account
// (AWS_ACCOUNT) or to every account it is provisioned to
// (ALL_PROVISIONED_ACCOUNTS).
func (s *Service) ProvisionPermissionSet(ctx context.Context, instanceARN, psARN, targetType, targetID string) (store.SSORequest, error) {
	switch targetType {
	case TargetAWSAccount:
		if !accountIDPattern.MatchString(targetID) {
			return store.SSORequest{}, fault.Validationf("TargetId is required and must be an AWS account id when TargetType is AWS_ACCOUNT.")
		}
	case TargetAllProvisionedAccounts:
		targetID = ""
	default:
		return store.SSORequest{}, fault.Validationf("TargetType must be AWS_ACCOUNT or ALL_PROVISIONED_ACCOUNTS.")
	}
	r := store.SSORequest{Kind: store.SSORequestProvision, InstanceARN: instanceARN, TargetID: targetID, TargetType: targetType,
		PermissionSetARN: psARN}
	return s.enqueue(ctx, "provision permission set", r, func(tx store.Tx) error {
		_, err := getPermissionSet(ctx, tx, instanceARN, psARN)
		return err
	})
}

// DescribeRequest returns one request of a kind (store.SSORequest*).
func (s *Service) DescribeRequest(ctx context.Context, instanceARN, kind, requestID string) (store.SSORequest, error) {
	var r store.SSORequest
	err := s.view(ctx, "describe request", instanceARN, func(tx store.Tx) error {
		var err error
		r, err = tx.GetSSORequest(ctx, instanceARN, kind, requestID)
		if errors.Is(err, store.ErrNotFound) {
			return fault.NotFoundf(ResourceRequest, requestID, "Could not find request with RequestId %s.", requestID)
		}
		return err
	})
	return r, err
}

// ListRequests pages an instance's requests of a kind by id; status ""
// lists all.
func (s *Service) ListRequests(ctx context.Context, instanceARN, kind, status string, maxResults int, nextToken string) ([]store.SSORequest, string, error) {
	if status != "" && status != StatusInProgress && status != StatusSucceeded && status != StatusFailed {
		return nil, "", fault.Validationf("Status must be IN_PROGRESS, FAILED or SUCCEEDED.")
	}
	p, limit, err := s.page(maxResults, nextToken)
	if err != nil {
		return nil, "", err
	}
	var rs []store.SSORequest
	err = s.view(ctx, "list requests", instanceARN, func(tx store.Tx) error {
		rs, err = tx.ListSSORequests(ctx, instanceARN, kind, status, p)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	rs, next := paging.Trim(rs, limit, func(r store.SSORequest) string { return r.RequestID })
	return rs, next, nil
}

func (s *Service) page(maxResults int, nextToken string) (store.Page, int, error) {
	max, err := pageSize(maxResults)
	if err != nil {
		return store.Page{}, 0, err
	}
	return paging.Page(nextToken, max, maxPageSize)
}

// ListAccountAssignments pages the assignments of a set in an account.
func (s *Service) ListAccountAssignments(ctx context.Context, instanceARN, accountID, psARN string, maxResults int, nextToken string) ([]store.AccountAssignment, string, error) {
	return s.listAssignments(ctx, instanceARN, store.AssignmentFilter{AccountID: accountID, PermissionSetARN: psARN}, maxResults, nextToken,
		func(tx store.Tx) error {
			_, err := getPermissionSet(ctx, tx, instanceARN, psARN)
			return err
		})
}

// ListAccountAssignmentsForPrincipal pages a principal's assignments,
// optionally in one account.
func (s *Service) ListAccountAssignmentsForPrincipal(ctx context.Context, instanceARN, principalType, principalID, accountID string, maxResults int, nextToken string) ([]store.AccountAssignment, string, error) {
	if principalType != PrincipalUser && principalType != PrincipalGroup {
		return nil, "", fault.Validationf("PrincipalType must be USER or GROUP.")
	}
	return s.listAssignments(ctx, instanceARN, store.AssignmentFilter{PrincipalType: principalType, PrincipalID: principalID, AccountID: accountID},
		maxResults, nextToken, func(store.Tx) error { return nil })
}

func (s *Service) listAssignments(ctx context.Context, instanceARN string, f store.AssignmentFilter, maxResults int, nextToken string, check func(store.Tx) error) ([]store.AccountAssignment, string, error) {
	p, limit, err := s.page(maxResults, nextToken)
	if err != nil {
		return nil, "", err
	}
	var as []store.AccountAssignment
	err = s.view(ctx, "list account assignments", instanceARN, func(tx store.Tx) error {
		if err := check(tx); err != nil {
			return err
		}
		as, err = tx.ListAccountAssignments(ctx, instanceARN, f, p)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	as, next := paging.Trim(as, limit, store.AccountAssignment.Key)
	return as, next, nil
}

// ListAccountsForProvisionedPermissionSet pages the accounts a set is
// provisioned to; status (LatestProvisioned, LatestNotProvisioned, "" for
// both) compares the set's last change with each account's provisioning.
func (s *Service) ListAccountsForProvisionedPermissionSet(ctx context.Context, instanceARN, psARN, status string, maxResults int, nextToken string) ([]string, string, error) {
	return s.listProvisioned(ctx, instanceARN, store.ProvisionedFilter{PermissionSetARN: psARN}, status, maxResults, nextToken,
		func(p store.Provisioned) string { return p.AccountID })
}

// ListPermissionSetsProvisionedToAccount pages the sets provisioned to an
// account, filtered by status as ListAccountsForProvisionedPermissionSet.
func (s *Service) ListPermissionSetsProvisionedToAccount(ctx context.Context, instanceARN, accountID, status string, maxResults int, nextToken string) ([]string, string, error) {
	return s.listProvisioned(ctx, instanceARN, store.ProvisionedFilter{AccountID: accountID}, status, maxResults, nextToken,
		func(p store.Provisioned) string { return p.PermissionSetARN })
}

func (s *Service) listProvisioned(ctx context.Context, instanceARN string, f store.ProvisionedFilter, status string, maxResults int, nextToken string, field func(store.Provisioned) string) ([]string, string, error) {
	if status != "" && status != LatestProvisioned && status != LatestNotProvisioned {
		return nil, "", fault.Validationf("ProvisioningStatus must be %s or %s.", LatestProvisioned, LatestNotProvisioned)
	}
	p, limit, err := s.page(maxResults, nextToken)
	if err != nil {
		return nil, "", err
	}
	var out []store.Provisioned
	err = s.view(ctx, "list provisioned", instanceARN, func(tx store.Tx) error {
		if f.PermissionSetARN != "" {
			if _, err := getPermissionSet(ctx, tx, instanceARN, f.PermissionSetARN); err != nil {
				return err
			}
		}
		// The status filter needs each set's last change: read the
		// matching records in pages and keep the wanted ones.
		page := store.Page{After: p.After, Limit: 100}
		changed := map[string]store.PermissionSet{}
		for len(out) < p.Limit {
			ps, err := tx.ListProvisioned(ctx, instanceARN, f, page)
			if err != nil {
				return err
			}
			for _, pr := range ps {
				set, ok := changed[pr.PermissionSetARN]
				if !ok {
					if set, err = tx.GetPermissionSet(ctx, instanceARN, pr.PermissionSetARN); err != nil {
						return err
					}
					changed[pr.PermissionSetARN] = set
				}
				latest := !set.ChangedAt.After(pr.SetChangedAt)
				if status == "" || (status == LatestProvisioned) == latest {
					out = append(out, pr)
				}
			}
			if len(ps) < page.Limit {
				break
			}
			page.After = ps[len(ps)-1].Key()
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	if len(out) > p.Limit {
		out = out[:p.Limit]
	}
	out, next := paging.Trim(out, limit, store.Provisioned.Key)
	ids := make([]string, len(out))
	for i, pr := range out {
		ids[i] = field(pr)
	}
	return slices.Clip(ids), next, nil
}
