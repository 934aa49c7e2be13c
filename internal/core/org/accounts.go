package org

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

// Account-creation states and the default role of a new account.
const (
	StateInProgress = "IN_PROGRESS"
	StateSucceeded  = "SUCCEEDED"
	StateFailed     = "FAILED"
	// DefaultAccessRole is the role CreateAccount creates in the new account.
	DefaultAccessRole = "OrganizationAccountAccessRole"
	// AdministratorAccess is the AWS managed policy attached to that role.
	AdministratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess"
)

// CreateAccountInput is what CreateAccount takes.
type CreateAccountInput struct {
	Email, AccountName, RoleName string
	Tags                         []store.Tag
}

// AccessRoleTrustPolicy is the trust policy of the access role: the management account.
func AccessRoleTrustPolicy(managementAccountID string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"}]}`, managementAccountID)
}

// CreateAccount creates a member account. The work is done within the call
// (the new account, its place under the root, FullAWSAccess, its tags and the
// access role with AdministratorAccess); the status returned is IN_PROGRESS,
// as AWS answers, while DescribeCreateAccountStatus reports the outcome
// (SUCCEEDED, or FAILED with EMAIL_ALREADY_EXISTS).
func (s *Service) CreateAccount(ctx context.Context, in CreateAccountInput) (store.CreateAccountStatus, error) {
	if in.RoleName == "" {
		in.RoleName = DefaultAccessRole
	}
	if err := checkTags(in.Tags); err != nil {
		return store.CreateAccountStatus{}, err
	}
	var out store.CreateAccountStatus
	err := s.update(ctx, "create account", func(tx store.Tx, w world) error {
		id, err := s.randomHex(16)
		if err != nil {
			return err
		}
		now := s.now()
		st := store.CreateAccountStatus{ID: "car-" + id, AccountName: in.AccountName, State: StateInProgress, RequestedAt: now}
		out = st
		st.CompletedAt = now
		all, err := tx.ListAccounts(ctx, store.Page{})
		if err != nil {
			return err
		}
		for _, a := range all {
			if strings.EqualFold(a.Email, in.Email) {
				st.State, st.FailureReason = StateFailed, "EMAIL_ALREADY_EXISTS"
				return tx.CreateAccountStatus(ctx, st)
			}
		}
		acctID, err := s.newAccountID(ctx, tx)
		if err != nil {
			return err
		}
		acct := store.Account{ID: acctID, ARN: w.accountARN(acctID), Name: in.AccountName, Email: in.Email,
			Status: "ACTIVE", JoinedMethod: "CREATED", JoinedAt: now}
		if err := tx.CreateAccount(ctx, acct); err != nil {
			return err
		}
		if w.scpEnabled() {
			if err := attachIgnoringDup(ctx, tx, fullAccess, acctID, store.OrgTargetAccount); err != nil {
				return err
			}
		}
		if len(in.Tags) > 0 {
			if err := tx.PutOrgTags(ctx, acctID, sortTags(in.Tags)); err != nil {
				return err
			}
		}
		if err := s.createAccessRole(ctx, tx, w, acctID, in.RoleName); err != nil {
			return err
		}
		st.State, st.AccountID = StateSucceeded, acctID
		return tx.CreateAccountStatus(ctx, st)
	})
	return out, err
}

func (s *Service) newAccountID(ctx context.Context, tx store.Tx) (string, error) {
	for {
		first, err := s.random("123456789", 1)
		if err != nil {
			return "", err
		}
		rest, err := s.random(digits, 11)
		if err != nil {
			return "", err
		}
		_, err = tx.GetAccount(ctx, first+rest)
		if errors.Is(err, store.ErrNotFound) {
			return first + rest, nil
		}
		if err != nil {
			return "", err
		}
	}
}

func (s *Service) createAccessRole(ctx context.Context, tx store.Tx, w world, acctID, name string) error {
	rid, err := s.random(upperAlnum, 17)
	if err != nil {
		return err
	}
	role := store.IAMRole{AccountID: acctID, RoleID: "AROA" + rid, RoleName: name, Path: "/",
		ARN: "arn:aws:iam::" + acctID + ":role/" + name, AssumeRolePolicy: AccessRoleTrustPolicy(w.Org.ManagementAccountID),
		MaxSessionDuration: 3600, CreatedAt: s.now()}
	if err := tx.CreateIAMRole(ctx, role); err != nil {
		return err
	}
	return tx.AttachIAMPolicy(ctx, store.IAMAttachment{AccountID: acctID, EntityType: store.IAMEntityRole,
		EntityID: role.RoleID, PolicyARN: AdministratorAccess})
}

// DescribeCreateAccountStatus returns a CreateAccount request's status.
func (s *Service) DescribeCreateAccountStatus(ctx context.Context, id string) (store.CreateAccountStatus, error) {
	var st store.CreateAccountStatus
	err := s.view(ctx, "describe create account status", func(tx store.Tx, _ world) error {
		var err error
		st, err = tx.GetAccountStatus(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return notFound("CREATE_ACCOUNT_STATUS", id, "We can't find a create account request with the CreateAccountRequestId that you specified.")
		}
		return err
	})
	return st, err
}

// ListCreateAccountStatus pages through the requests in the given states (all when none).
func (s *Service) ListCreateAccountStatus(ctx context.Context, states []string, max int, token string) ([]store.CreateAccountStatus, string, error) {
	p, limit, err := paging.Page(token, max, 20)
	if err != nil {
		return nil, "", err
	}
	var out []store.CreateAccountStatus
	err = s.view(ctx, "list create account status", func(tx store.Tx, _ world) error {
		out, err = tx.ListAccountStatuses(ctx, states, p)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	out, next := paging.Trim(out, limit, func(st store.CreateAccountStatus) string { return st.ID })
	return out, next, nil
}
