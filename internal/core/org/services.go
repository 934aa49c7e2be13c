package org

import (
	"context"
	"errors"

	"github.com/idcenter/idcenter/internal/store"
)

// EnableServiceAccess gives a service principal trusted access (idempotent).
func (s *Service) EnableServiceAccess(ctx context.Context, principal string) error {
	return s.update(ctx, "enable aws service access", func(tx store.Tx, _ world) error {
		return tx.PutOrgServiceAccess(ctx, store.OrgServiceAccess{ServicePrincipal: principal, EnabledAt: s.now()})
	})
}

// DisableServiceAccess removes a service's trusted access (idempotent, as AWS).
func (s *Service) DisableServiceAccess(ctx context.Context, principal string) error {
	return s.update(ctx, "disable aws service access", func(tx store.Tx, _ world) error {
		err := tx.DeleteOrgServiceAccess(ctx, principal)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	})
}

// ListServiceAccess pages through the services with trusted access.
func (s *Service) ListServiceAccess(ctx context.Context, max int, token string) ([]store.OrgServiceAccess, string, error) {
	var all []store.OrgServiceAccess
	err := s.view(ctx, "list aws service access", func(tx store.Tx, _ world) error {
		var err error
		all, err = tx.ListOrgServiceAccess(ctx)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return pageSlice(all, func(a store.OrgServiceAccess) string { return a.ServicePrincipal }, token, max, 20)
}

func serviceEnabled(ctx context.Context, tx store.Tx, principal string) (bool, error) {
	all, err := tx.ListOrgServiceAccess(ctx)
	if err != nil {
		return false, err
	}
	for _, a := range all {
		if a.ServicePrincipal == principal {
			return true, nil
		}
	}
	return false, nil
}

// RegisterDelegatedAdmin makes a member account a delegated administrator of
// a service that has trusted access.
func (s *Service) RegisterDelegatedAdmin(ctx context.Context, accountID, principal string) error {
	return s.update(ctx, "register delegated administrator", func(tx store.Tx, w world) error {
		if _, err := getAccount(ctx, tx, accountID); err != nil {
			return err
		}
		if accountID == w.Org.ManagementAccountID {
			return constraint("CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR", "You cannot register the management account of the organization as a delegated administrator for an AWS service integrated with Organizations.")
		}
		ok, err := serviceEnabled(ctx, tx, principal)
		if err != nil {
			return err
		}
		if !ok {
			return constraint("SERVICE_ACCESS_NOT_ENABLED", "You attempted to register a delegated administrator for a service that doesn't have trusted access enabled in the organization.")
		}
		err = tx.CreateOrgDelegatedAdmin(ctx, store.OrgDelegatedAdmin{AccountID: accountID, ServicePrincipal: principal, DelegatedAt: s.now()})
		if errors.Is(err, store.ErrAlreadyExists) {
			return conflict("ACCOUNT_REGISTERED", "The provided account is already a delegated administrator for your organization.")
		}
		return err
	})
}

// DeregisterDelegatedAdmin removes a registration.
func (s *Service) DeregisterDelegatedAdmin(ctx context.Context, accountID, principal string) error {
	return s.update(ctx, "deregister delegated administrator", func(tx store.Tx, _ world) error {
		if _, err := getAccount(ctx, tx, accountID); err != nil {
			return err
		}
		err := tx.DeleteOrgDelegatedAdmin(ctx, accountID, principal)
		if errors.Is(err, store.ErrNotFound) {
			return notFound("DELEGATED_ADMINISTRATOR", accountID, "The provided account is not a registered delegated administrator for your organization.")
		}
		return err
	})
}

// Delegation is one account's registration for one service.
type Delegation struct {
	Account store.Account
	store.OrgDelegatedAdmin
}

// ListDelegatedAdmins pages through the delegated administrators (of one
// service when principal is set); an account registered for several services
// is listed once, with its earliest registration.
func (s *Service) ListDelegatedAdmins(ctx context.Context, principal string, max int, token string) ([]Delegation, string, error) {
	var out []Delegation
	err := s.view(ctx, "list delegated administrators", func(tx store.Tx, _ world) error {
		all, err := tx.ListOrgDelegatedAdmins(ctx)
		if err != nil {
			return err
		}
		for _, d := range all {
			if principal != "" && d.ServicePrincipal != principal {
				continue
			}
			if n := len(out); n > 0 && out[n-1].AccountID == d.AccountID {
				if d.DelegatedAt.Before(out[n-1].DelegatedAt) {
					out[n-1].DelegatedAt = d.DelegatedAt
				}
				continue
			}
			acct, err := tx.GetAccount(ctx, d.AccountID)
			if err != nil {
				return err
			}
			out = append(out, Delegation{Account: acct, OrgDelegatedAdmin: d})
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return pageSlice(out, func(d Delegation) string { return d.AccountID }, token, max, 20)
}

// ListDelegatedServices pages through the services an account administers.
func (s *Service) ListDelegatedServices(ctx context.Context, accountID string, max int, token string) ([]store.OrgDelegatedAdmin, string, error) {
	var out []store.OrgDelegatedAdmin
	err := s.view(ctx, "list delegated services for account", func(tx store.Tx, _ world) error {
		if _, err := getAccount(ctx, tx, accountID); err != nil {
			return err
		}
		all, err := tx.ListOrgDelegatedAdmins(ctx)
		if err != nil {
			return err
		}
		for _, d := range all {
			if d.AccountID == accountID {
				out = append(out, d)
			}
		}
		if len(out) == 0 {
			return notFound("DELEGATED_ADMINISTRATOR", accountID, "The provided account is not a registered delegated administrator for your organization.")
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return pageSlice(out, func(d store.OrgDelegatedAdmin) string { return d.ServicePrincipal }, token, max, 20)
}

// IsDelegatedAdmin reports whether an account is a delegated administrator of a service.
func (s *Service) IsDelegatedAdmin(ctx context.Context, accountID, principal string) (bool, error) {
	var ok bool
	err := s.view(ctx, "is delegated administrator", func(tx store.Tx, _ world) error {
		all, err := tx.ListOrgDelegatedAdmins(ctx)
		for _, d := range all {
			if d.AccountID == accountID && d.ServicePrincipal == principal {
				ok = true
			}
		}
		return err
	})
	return ok, err
}
