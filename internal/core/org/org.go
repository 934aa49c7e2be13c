package org

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

// Service answers Organizations questions from the store.
type Service struct {
	Store store.Store
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Rand is the source of ids; crypto/rand when nil.
	Rand io.Reader
}

// DescribeOrganization returns the organization.
func (s *Service) DescribeOrganization(ctx context.Context) (store.Organization, error) {
	var o store.Organization
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		o, err = tx.GetOrganization(ctx)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return o, &fault.Error{Kind: fault.NotFound, ResourceType: "ORGANIZATION", Message: "Your account is not a member of an organization."}
	}
	if err != nil {
		return o, fmt.Errorf("org: describe organization: %w", err)
	}
	return o, nil
}

// DescribeAccount returns one account of the organization.
func (s *Service) DescribeAccount(ctx context.Context, id string) (store.Account, error) {
	var a store.Account
	err := s.Store.View(ctx, func(tx store.Tx) error {
		if gone, err := deleted(ctx, tx); err != nil || gone {
			if err == nil {
				err = notInUse()
			}
			return err
		}
		var err error
		a, err = tx.GetAccount(ctx, id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return a, fault.NotFoundf("ACCOUNT", id, "You specified an account that doesn't exist.")
	}
	if err != nil {
		return a, fmt.Errorf("org: describe account: %w", err)
	}
	return a, nil
}

// ListAccounts pages through the accounts (MaxResults 1-20, default 20 as AWS).
func (s *Service) ListAccounts(ctx context.Context, maxResults int, nextToken string) ([]store.Account, string, error) {
	p, limit, err := paging.Page(nextToken, maxResults, 20)
	if err != nil {
		return nil, "", err
	}
	var accts []store.Account
	err = s.Store.View(ctx, func(tx store.Tx) error {
		if gone, err := deleted(ctx, tx); err != nil || gone {
			if err == nil {
				err = notInUse()
			}
			return err
		}
		var err error
		accts, err = tx.ListAccounts(ctx, p)
		return err
	})
	if fault.As(err) != nil {
		return nil, "", err
	}
	if err != nil {
		return nil, "", fmt.Errorf("org: list accounts: %w", err)
	}
	accts, next := paging.Trim(accts, limit, func(a store.Account) string { return a.ID })
	return accts, next, nil
}
