package scim

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/idcenter/idcenter/internal/core/fault"
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

// newID makes a resource id the way the identity store does:
// "<10 hex>-<uuid>" for d-xxxxxxxxxx stores, a bare UUID otherwise.
func (s *Service) newID(storeID string) (string, error) {
	u, err := uuid.NewRandomFromReader(s.rand())
	if err != nil {
		return "", fmt.Errorf("scim: generate id: %w", err)
	}
	if p, ok := strings.CutPrefix(storeID, "d-"); ok {
		return p + "-" + u.String(), nil
	}
	return u.String(), nil
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
	if err == nil || fault.As(err) != nil {
		return err
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

func conflict(format string, args ...any) error {
	e := fault.Conflictf(ScimTypeUniqueness, format, args...)
	return e
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
