package org

import (
	"context"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// EnsureAccount makes a member account with a fixed id exist (the world
// file's accounts): when absent it is created as CreateAccount does (under
// the root, FullAWSAccess when SCPs are enabled, the access role with
// AdministratorAccess) and created is true; an existing account is left as
// it is. An e-mail taken by another account is a conflict.
func (s *Service) EnsureAccount(ctx context.Context, id, name, email string) (created bool, err error) {
	err = s.update(ctx, "ensure account", func(tx store.Tx, w world) error {
		if _, err := tx.GetAccount(ctx, id); err == nil {
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		all, err := tx.ListAccounts(ctx, store.Page{})
		if err != nil {
			return err
		}
		for _, a := range all {
			if strings.EqualFold(a.Email, email) {
				return fault.Conflictf("", "The e-mail %s is already used by account %s.", email, a.ID)
			}
		}
		acct := store.Account{ID: id, ARN: w.accountARN(id), Name: name, Email: email,
			Status: "ACTIVE", JoinedMethod: "CREATED", JoinedAt: s.now()}
		if err := tx.CreateAccount(ctx, acct); err != nil {
			return err
		}
		if w.scpEnabled() {
			if err := attachIgnoringDup(ctx, tx, fullAccess, id, store.OrgTargetAccount); err != nil {
				return err
			}
		}
		created = true
		return s.createAccessRole(ctx, tx, w, id, DefaultAccessRole)
	})
	return created, err
}
