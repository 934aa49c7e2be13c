package scim

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/identity"
	"github.com/idcenter/idcenter/internal/store"
)

// DefaultIssuer is the ExternalID issuer of SCIM externalId values.
const DefaultIssuer = "SCIM"

// Service implements SCIM provisioning and its tokens over a store.
type Service struct {
	Store store.Store
	// Issuer names SCIM's external ids; DefaultIssuer when empty.
	Issuer string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Rand is the source of ids and token secrets; crypto/rand when nil.
	Rand io.Reader
	// Actor is recorded as CreatedBy/UpdatedBy; "SCIM" when empty.
	Actor string
	// Identity writes users, groups and memberships under the directory's
	// rules (and deletes them with their sign-ins and assignments); when
	// nil, an identity.Service on Store, Now and Rand without assignment
	// cleanup.
	Identity *identity.Service
}

// dir is the identity core SCIM writes through.
func (s *Service) dir() *identity.Service {
	if s.Identity != nil {
		return s.Identity
	}
	return &identity.Service{Store: s.Store, Now: s.Now, Rand: s.Rand}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) rand() io.Reader {
	if s.Rand != nil {
		return s.Rand
	}
	return rand.Reader
}

func (s *Service) issuer() string {
	if s.Issuer != "" {
		return s.Issuer
	}
	return DefaultIssuer
}

func (s *Service) actor() string {
	if s.Actor != "" {
		return s.Actor
	}
	return "SCIM"
}

// scimFault gives the identity core's faults their SCIM error types: a
// duplicate unique attribute is scimType uniqueness.
func scimFault(f *fault.Error, err error) error {
	if f != nil && f.Kind == fault.Conflict && f.Reason == identity.ReasonUniqueness {
		c := *f
		c.Reason = ScimTypeUniqueness
		return &c
	}
	return err
}

func (s *Service) update(ctx context.Context, op, storeID string, fn func(store.Tx) error) error {
	return mapErr(op, s.Store.Update(ctx, func(tx store.Tx) error {
		if err := checkStore(ctx, tx, storeID); err != nil {
			return err
		}
		return fn(tx)
	}))
}

func (s *Service) view(ctx context.Context, op, storeID string, fn func(store.Tx) error) error {
	return mapErr(op, s.Store.View(ctx, func(tx store.Tx) error {
		if err := checkStore(ctx, tx, storeID); err != nil {
			return err
		}
		return fn(tx)
	}))
}

func checkStore(ctx context.Context, tx store.Tx, storeID string) error {
	_, err := tx.GetInstanceByIdentityStore(ctx, storeID)
	if errors.Is(err, store.ErrNotFound) {
		return fault.NotFoundf("IDENTITY_STORE", storeID, "Identity store %s does not exist.", storeID)
	}
	return err
}

func mapErr(op string, err error) error {
	if f := fault.As(err); err == nil || f != nil {
		return scimFault(f, err)
	}
	if errors.Is(err, store.ErrConflict) {
		return &fault.Error{Kind: fault.Conflict, Message: "Concurrent modification; retry the request.", Err: err}
	}
	if errors.Is(err, store.ErrAlreadyExists) {
		return &fault.Error{Kind: fault.Conflict, Reason: ScimTypeUniqueness, Message: "A unique attribute is already taken.", Err: err}
	}
	return fmt.Errorf("scim: %s: %w", op, err)
}

func notFound(kind, id string) error {
	return fault.NotFoundf(strings.ToUpper(kind), id, "%s %s not found.", kind, id)
}

func notFoundAs(err error, kind, id string) error {
	if errors.Is(err, store.ErrNotFound) {
		return notFound(kind, id)
	}
	return err
}

// ListQuery asks for one page of a list: Filter as sent (empty: all),
// StartIndex 1-based (values < 1 mean 1), Count (< 0: the default; 0: none).
type ListQuery struct {
	Filter     string
	StartIndex int
	Count      int
}

// ListResult is a page of resources and the total number of matches.
type ListResult struct {
	TotalResults int
	StartIndex   int
	Resources    []map[string]any
}

// Page sizes.
const (
	DefaultCount = 100
	MaxCount     = 100
)

func (q ListQuery) window() (start, count int) {
	start, count = q.StartIndex, q.Count
	if start < 1 {
		start = 1
	}
	if count < 0 {
		count = DefaultCount
	}
	if count > MaxCount {
		count = MaxCount
	}
	return start, count
}

// pageOf keeps the window [start, start+count) (1-based) of ids.
func pageOf(ids []string, start, count int) []string {
	if start > len(ids) {
		return nil
	}
	ids = ids[start-1:]
	if len(ids) > count {
		ids = ids[:count]
	}
	return ids
}
