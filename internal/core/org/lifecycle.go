package org

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// Feature sets and account statuses.
const (
	FeatureSetAll     = "ALL"
	FeatureSetBilling = "CONSOLIDATED_BILLING"
	StatusActive      = "ACTIVE"
	StatusSuspended   = "SUSPENDED"
	StatusPending     = "PENDING_CLOSURE"
)

// deletedKey marks a deleted organization. The organization's record stays
// (the bootstrap and the Identity Center instance refer to its management
// account); every Organizations operation then answers
// AWSOrganizationsNotInUseException until CreateOrganization.
const deletedKey = "org.deleted_at"

const msgNoPermission = "You don't have permissions to access this resource."

func accessDenied() error {
	return &fault.Error{Kind: fault.AccessDenied, Message: msgNoPermission}
}

func deleted(ctx context.Context, tx store.Tx) (bool, error) {
	v, err := tx.GetMeta(ctx, deletedKey)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return v != "", err
}

// requireManagement: the operation can only be called from the management account.
func requireManagement(w world, caller string) error {
	if caller != w.Org.ManagementAccountID {
		return accessDenied()
	}
	return nil
}

// organizationOut is the organization as the API shows it.
type Organization struct {
	store.Organization
	// AvailablePolicyTypes are the policy types of the root (none in
	// CONSOLIDATED_BILLING mode).
	AvailablePolicyTypes []store.OrgPolicyType
}

// CreateOrganization creates the organization with the caller's account as
// its management account. idcenter hosts one organization: while it exists,
// the answer is AlreadyInOrganizationException to its accounts and
// AccessDeniedException to others; after DeleteOrganization
// only its management account can create it again (with a new id).
func (s *Service) CreateOrganization(ctx context.Context, caller, featureSet string) (Organization, error) {
	if featureSet == "" {
		featureSet = FeatureSetAll
	}
	var out Organization
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		o, err := tx.GetOrganization(ctx)
		if err != nil {
			return err
		}
		gone, err := deleted(ctx, tx)
		if err != nil {
			return err
		}
		if !gone {
			if _, err := tx.GetAccount(ctx, caller); errors.Is(err, store.ErrNotFound) {
				return &fault.Error{Kind: fault.AccessDenied, Message: "This idcenter hosts one organization, and it exists: an account outside it can't create another."}
			} else if err != nil {
				return err
			}
			return conflict("ALREADY_IN_ORGANIZATION", "The provided account is already a member of an organization.")
		}
		if caller != o.ManagementAccountID {
			return accessDenied()
		}
		suffix, err := s.random(lowerAlnum, 10)
		if err != nil {
			return err
		}
		o.ID = "o-" + suffix
		o.ARN = fmt.Sprintf("arn:aws:organizations::%s:organization/%s", o.ManagementAccountID, o.ID)
		o.FeatureSet, o.CreatedAt = featureSet, s.now()
		if err := tx.ReplaceOrganization(ctx, o); err != nil {
			return err
		}
		if err := tx.PutMeta(ctx, deletedKey, ""); err != nil {
			return err
		}
		// The management account's ARN names the new organization.
		if err := s.rejoin(ctx, tx, o); err != nil {
			return err
		}
		if featureSet == FeatureSetBilling {
			rootSuffix, err := s.random(lowerAlnum, 4)
			if err != nil {
				return err
			}
			root := store.OrgRoot{ID: "r-" + rootSuffix, Name: "Root",
				ARN: fmt.Sprintf("arn:aws:organizations::%s:root/%s/r-%s", o.ManagementAccountID, o.ID, rootSuffix)}
			if err := tx.CreateOrgRoot(ctx, root); err != nil {
				return err
			}
			out = Organization{Organization: o}
			return nil
		}
		w, err := s.load(ctx, tx, true)
		if err != nil {
			return err
		}
		out = Organization{Organization: o, AvailablePolicyTypes: w.Root.PolicyTypes}
		return nil
	})
	return out, wrap("create organization", err)
}

// rejoin rewrites the management account's record for a new organization.
func (s *Service) rejoin(ctx context.Context, tx store.Tx, o store.Organization) error {
	a, err := tx.GetAccount(ctx, o.ManagementAccountID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := tx.RemoveOrgAccount(ctx, a.ID, s.now()); err != nil {
		return err
	}
	if err := tx.DeleteOrgFormerAccount(ctx, a.ID); err != nil {
		return err
	}
	a.ARN = fmt.Sprintf("arn:aws:organizations::%s:account/%s/%s", o.ManagementAccountID, o.ID, a.ID)
	a.JoinedAt = s.now()
	return tx.CreateAccount(ctx, a)
}

// DescribeOrganizationFull is DescribeOrganization with the root's policy
// types, for a caller in the organization (an account outside it — one that
// left or was removed — is in no organization).
func (s *Service) DescribeOrganizationFull(ctx context.Context, caller string) (Organization, error) {
	var out Organization
	err := s.view(ctx, "describe organization", func(tx store.Tx, w world) error {
		if caller != "" && caller != w.Org.ManagementAccountID {
			if _, err := tx.GetAccount(ctx, caller); errors.Is(err, store.ErrNotFound) {
				return notInUse()
			} else if err != nil {
				return err
			}
		}
		out = Organization{Organization: w.Org}
		if w.Org.FeatureSet != FeatureSetBilling {
			out.AvailablePolicyTypes = w.Root.PolicyTypes
		}
		return nil
	})
	return out, err
}

// DeleteOrganization deletes the organization: only from the management
// account, and only when no member account is left.
func (s *Service) DeleteOrganization(ctx context.Context, caller string) error {
	return s.update(ctx, "delete organization", func(tx store.Tx, w world) error {
		if err := requireManagement(w, caller); err != nil {
			return err
		}
		accts, err := tx.ListAccounts(ctx, store.Page{})
		if err != nil {
			return err
		}
		for _, a := range accts {
			if a.ID != w.Org.ManagementAccountID {
				return conflict("ORG_NOT_EMPTY", "The organization isn't empty. To delete an organization, you must first remove all member accounts except the management account.")
			}
		}
		if err := tx.DeleteOrgData(ctx); err != nil {
			return err
		}
		return tx.PutMeta(ctx, deletedKey, s.now().Format(time.RFC3339Nano))
	})
}

// LeaveOrganization removes the caller's (member) account from the organization.
func (s *Service) LeaveOrganization(ctx context.Context, caller string) error {
	return s.update(ctx, "leave organization", func(tx store.Tx, w world) error {
		if caller == w.Org.ManagementAccountID {
			return conflict("MASTER_CANNOT_LEAVE", "You can't remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization of the management account.")
		}
		if _, err := tx.GetAccount(ctx, caller); errors.Is(err, store.ErrNotFound) {
			return notInUse()
		} else if err != nil {
			return err
		}
		return s.remove(ctx, tx, caller)
	})
}

// RemoveAccount removes a member account from the organization (management account only).
func (s *Service) RemoveAccount(ctx context.Context, caller, accountID string) error {
	return s.update(ctx, "remove account from organization", func(tx store.Tx, w world) error {
		if err := requireManagement(w, caller); err != nil {
			return err
		}
		if accountID == w.Org.ManagementAccountID {
			return conflict("MASTER_CANNOT_LEAVE", "You can't remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization of the management account.")
		}
		if _, err := getAccount(ctx, tx, accountID); err != nil {
			return err
		}
		return s.remove(ctx, tx, accountID)
	})
}

// remove takes a member account out: it must not be a delegated administrator.
func (s *Service) remove(ctx context.Context, tx store.Tx, accountID string) error {
	ds, err := tx.ListOrgDelegatedAdmins(ctx)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.AccountID == accountID {
			return constraint("CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG",
				"You can't remove a delegated administrator account from the organization. Deregister it as delegated administrator first.")
		}
	}
	return tx.RemoveOrgAccount(ctx, accountID, s.now())
}

// closureQuota is how many accounts may be closed in a rolling 30 days: the
// higher of 250 and 20% of the member accounts, at most 1,000 (AWS's quota).
func closureQuota(members int) int {
	q := members / 5
	if q < 250 {
		q = 250
	}
	if q > 1000 {
		q = 1000
	}
	return q
}

// CloseAccount closes a member account (management account only). idcenter
// completes the closure within the call: the account is SUSPENDED at once
// and its principals can no longer call any API (CheckAccountOpen).
func (s *Service) CloseAccount(ctx context.Context, caller, accountID string) error {
	return s.update(ctx, "close account", func(tx store.Tx, w world) error {
		if err := requireManagement(w, caller); err != nil {
			return err
		}
		if w.Org.FeatureSet != FeatureSetAll {
			return constraint("ORGANIZATION_NOT_IN_ALL_FEATURES_MODE", "You can close an account only when all features are enabled in the organization.")
		}
		if accountID == w.Org.ManagementAccountID {
			return constraint("CANNOT_CLOSE_MANAGEMENT_ACCOUNT", "You can't close the management account with this API.")
		}
		a, err := getAccount(ctx, tx, accountID)
		if err != nil {
			return err
		}
		if a.Status != StatusActive {
			return conflict("ACCOUNT_ALREADY_CLOSED", "You attempted to close an account that is already closed.")
		}
		accts, err := tx.ListAccounts(ctx, store.Page{})
		if err != nil {
			return err
		}
		n, err := tx.CountOrgAccountClosures(ctx, s.now().Add(-30*24*time.Hour))
		if err != nil {
			return err
		}
		if n >= closureQuota(len(accts)-1) {
			return constraint("CLOSE_ACCOUNT_QUOTA_EXCEEDED", "You have exceeded close account quota for the past 30 days.")
		}
		if err := tx.SetAccountStatus(ctx, accountID, StatusSuspended); err != nil {
			return err
		}
		return tx.PutOrgAccountClosure(ctx, accountID, s.now())
	})
}

// CheckAccountOpen refuses the principals of a closed account (SUSPENDED or
// PENDING_CLOSURE) with an access-denied fault; other accounts pass.
func (s *Service) CheckAccountOpen(ctx context.Context, accountID string) error {
	var status string
	err := s.Store.View(ctx, func(tx store.Tx) error {
		a, err := tx.GetAccount(ctx, accountID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		status = a.Status
		return err
	})
	if err != nil {
		return fmt.Errorf("org: account status: %w", err)
	}
	if status == StatusSuspended || status == StatusPending {
		return &fault.Error{Kind: fault.AccessDenied,
			Message: fmt.Sprintf("The AWS account %s is closed (%s): its principals can no longer make requests.", accountID, status)}
	}
	return nil
}

// CreateGovCloudAccount: idcenter's management account is never paired with
// an AWS GovCloud (US) account, so the request fails as AWS fails it for such
// an organization (ConstraintViolationException MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED).
func (s *Service) CreateGovCloudAccount(ctx context.Context, caller string) error {
	return s.view(ctx, "create govcloud account", func(_ store.Tx, w world) error {
		if err := requireManagement(w, caller); err != nil {
			return err
		}
		return constraint("MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED",
			"You can't create a GovCloud account because the management account of this organization isn't enabled for AWS GovCloud (US).")
	})
}
