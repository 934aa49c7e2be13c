package org

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

const (
	lowerAlnum  = "abcdefghijklmnopqrstuvwxyz0123456789"
	upperAlnum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	digits      = "0123456789"
	scpType     = "SERVICE_CONTROL_POLICY"
	fullAccess  = "p-FullAWSAccess"
	fullContent = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
}`
)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) reader() io.Reader {
	if s.Rand != nil {
		return s.Rand
	}
	return rand.Reader
}

// random draws n characters uniformly from alphabet by rejection sampling.
func (s *Service) random(alphabet string, n int) (string, error) {
	out := make([]byte, 0, n)
	limit := 256 - 256%len(alphabet)
	var one [1]byte
	for len(out) < n {
		if _, err := io.ReadFull(s.reader(), one[:]); err != nil {
			return "", fmt.Errorf("org: randomness: %w", err)
		}
		if int(one[0]) < limit {
			out = append(out, alphabet[int(one[0])%len(alphabet)])
		}
	}
	return string(out), nil
}

func (s *Service) randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.reader(), b); err != nil {
		return "", fmt.Errorf("org: randomness: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// errNoRoot: the root has not been created yet (view retries after creating it).
var errNoRoot = errors.New("org: no root yet")

// world is what every operation needs: the organization and its root.
type world struct {
	Org  store.Organization
	Root store.OrgRoot
}

func (w world) accountARN(id string) string {
	return fmt.Sprintf("arn:aws:organizations::%s:account/%s/%s", w.Org.ManagementAccountID, w.Org.ID, id)
}

func (w world) ouARN(id string) string {
	return fmt.Sprintf("arn:aws:organizations::%s:ou/%s/%s", w.Org.ManagementAccountID, w.Org.ID, id)
}

func (w world) policyARN(p store.OrgPolicy) string {
	return p.ARN
}

func (w world) scpEnabled() bool { return w.typeEnabled(scpType) }

func (w world) typeEnabled(t string) bool {
	for _, pt := range w.Root.PolicyTypes {
		if pt.Type == t && pt.Status == "ENABLED" {
			return true
		}
	}
	return false
}

func notInUse() error {
	return &fault.Error{Kind: fault.NotFound, ResourceType: "ORGANIZATION", Message: "Your account is not a member of an organization."}
}

// load reads the organization and its root; the root is created when missing
// and create is true (with FullAWSAccess attached to it and every account).
func (s *Service) load(ctx context.Context, tx store.Tx, create bool) (world, error) {
	var w world
	var err error
	w.Org, err = tx.GetOrganization(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return w, notInUse()
	}
	if err != nil {
		return w, err
	}
	if gone, err := deleted(ctx, tx); err != nil || gone {
		if err == nil {
			err = notInUse()
		}
		return w, err
	}
	w.Root, err = tx.GetOrgRoot(ctx)
	if errors.Is(err, store.ErrNotFound) && !create {
		return w, errNoRoot
	}
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return w, err
	}
	suffix, err := s.random(lowerAlnum, 4)
	if err != nil {
		return w, err
	}
	w.Root = store.OrgRoot{ID: "r-" + suffix, Name: "Root",
		ARN:         fmt.Sprintf("arn:aws:organizations::%s:root/%s/r-%s", w.Org.ManagementAccountID, w.Org.ID, suffix),
		PolicyTypes: []store.OrgPolicyType{{Type: scpType, Status: "ENABLED"}}}
	if err := tx.CreateOrgRoot(ctx, w.Root); err != nil {
		return w, err
	}
	if err := ensureFullAccess(ctx, tx); err != nil {
		return w, err
	}
	if err := attachIgnoringDup(ctx, tx, fullAccess, w.Root.ID, store.OrgTargetRoot); err != nil {
		return w, err
	}
	accts, err := tx.ListAccounts(ctx, store.Page{})
	if err != nil {
		return w, err
	}
	for _, a := range accts {
		if err := attachIgnoringDup(ctx, tx, fullAccess, a.ID, store.OrgTargetAccount); err != nil {
			return w, err
		}
	}
	return w, nil
}

func ensureFullAccess(ctx context.Context, tx store.Tx) error {
	err := tx.CreateOrgPolicy(ctx, store.OrgPolicy{ID: fullAccess, Name: "FullAWSAccess",
		ARN:         "arn:aws:organizations::aws:policy/service_control_policy/" + fullAccess,
		Description: "Allows access to every operation", Type: scpType, Content: fullContent, AWSManaged: true})
	if errors.Is(err, store.ErrAlreadyExists) {
		return nil
	}
	return err
}

func attachIgnoringDup(ctx context.Context, tx store.Tx, policyID, targetID, targetType string) error {
	err := tx.AttachOrgPolicy(ctx, store.OrgPolicyTarget{PolicyID: policyID, TargetID: targetID, TargetType: targetType})
	if errors.Is(err, store.ErrAlreadyExists) {
		return nil
	}
	return err
}

// update runs fn in a write transaction with the world loaded (the root
// created if needed).
func (s *Service) update(ctx context.Context, op string, fn func(store.Tx, world) error) error {
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		w, err := s.load(ctx, tx, true)
		if err != nil {
			return err
		}
		return fn(tx, w)
	})
	return wrap(op, err)
}

// view runs fn in a read transaction with the world loaded; when the root does
// not exist yet, a write transaction creates it first.
func (s *Service) view(ctx context.Context, op string, fn func(store.Tx, world) error) error {
	for attempt := 0; ; attempt++ {
		err := s.Store.View(ctx, func(tx store.Tx) error {
			w, err := s.load(ctx, tx, false)
			if err != nil {
				return err
			}
			return fn(tx, w)
		})
		if attempt == 0 && errors.Is(err, errNoRoot) {
			if err := s.update(ctx, op, func(store.Tx, world) error { return nil }); err != nil {
				return err
			}
			continue
		}
		return wrap(op, err)
	}
}

func wrap(op string, err error) error {
	if err == nil || fault.As(err) != nil {
		return err
	}
	return fmt.Errorf("org: %s: %w", op, err)
}

// pageSlice pages an in-memory list ordered by key.
func pageSlice[T any](items []T, key func(T) string, token string, max, def int) ([]T, string, error) {
	p, limit, err := paging.Page(token, max, def)
	if err != nil {
		return nil, "", err
	}
	var out []T
	for _, it := range items {
		if p.After == "" || key(it) > p.After {
			out = append(out, it)
		}
	}
	out, next := paging.Trim(out, limit, key)
	return out, next, nil
}

// ---- faults: the adapter maps ResourceType (not found) and Reason to AWS's exceptions ----

func notFound(resourceType, id, msg string) error {
	return fault.NotFoundf(resourceType, id, "%s", msg)
}

func conflict(reason, msg string) error { return fault.Conflictf(reason, "%s", msg) }

func constraint(reason, msg string) error {
	return &fault.Error{Kind: fault.QuotaExceeded, Reason: reason, Message: msg}
}

func invalid(reason, msg string) error {
	return &fault.Error{Kind: fault.Validation, Reason: reason, Message: msg}
}
