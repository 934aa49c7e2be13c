package identity

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

// Resource types reported in NotFound faults.
const (
	ResourceIdentityStore   = "IDENTITY_STORE"
	ResourceUser            = "USER"
	ResourceGroup           = "GROUP"
	ResourceGroupMembership = "GROUP_MEMBERSHIP"
)

// ReasonUniqueness is the Conflict reason for a duplicate unique attribute.
const ReasonUniqueness = "UNIQUENESS_CONSTRAINT_VIOLATION"

// ReasonConcurrentModification is the Conflict reason when the store reports
// a concurrent change.
const ReasonConcurrentModification = "CONCURRENT_MODIFICATION"

// Service implements the identitystore operations.
type Service struct {
	Store store.Store
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Rand is the source of id randomness; crypto/rand when nil.
	Rand io.Reader
	// Cleanup removes a deleted user's or group's account assignments in
	// the deleting transaction; nil removes nothing.
	Cleanup PrincipalCleanup
}

// Limits from the identitystore model.
const (
	maxPageSize     = 100
	maxFilters      = 1
	maxOperations   = 100
	maxGroupIDs     = 100
	maxExternalIDs  = 10
	maxExtensions   = 10
	maxStringLength = 1024
	maxUserName     = 128
)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// newID makes a resource id for storeID: "<10 hex>-<uuid>" for d-xxxxxxxxxx
// stores, a bare UUID for stores whose id is itself a UUID.
func (s *Service) newID(storeID string) (string, error) {
	r := s.Rand
	if r == nil {
		r = rand.Reader
	}
	u, err := uuid.NewRandomFromReader(r)
	if err != nil {
		return "", fmt.Errorf("identity: generate id: %w", err)
	}
	if p, ok := strings.CutPrefix(storeID, "d-"); ok {
		return p + "-" + u.String(), nil
	}
	return u.String(), nil
}

// update runs fn in a write transaction after checking the identity store
// exists, and maps store sentinels that escape fn.
func (s *Service) update(ctx context.Context, op, storeID string, fn func(store.Tx) error) error {
	return s.mapErr(op, s.Store.Update(ctx, func(tx store.Tx) error {
		if err := checkStore(ctx, tx, storeID); err != nil {
			return err
		}
		return fn(tx)
	}))
}

// view is update's read-only twin.
func (s *Service) view(ctx context.Context, op, storeID string, fn func(store.Tx) error) error {
	return s.mapErr(op, s.Store.View(ctx, func(tx store.Tx) error {
		if err := checkStore(ctx, tx, storeID); err != nil {
			return err
		}
		return fn(tx)
	}))
}

func (s *Service) mapErr(op string, err error) error {
	if err == nil || fault.As(err) != nil {
		return err
	}
	if errors.Is(err, store.ErrConflict) {
		return &fault.Error{Kind: fault.Conflict, Reason: ReasonConcurrentModification,
			Message: "The request could not be completed because of a concurrent modification. Retry the request.", Err: err}
	}
	return fmt.Errorf("identity: %s: %w", op, err)
}

func checkStore(ctx context.Context, tx store.Tx, storeID string) error {
	if storeID == "" {
		return fault.Validationf("IdentityStoreId is required.")
	}
	_, err := tx.GetInstanceByIdentityStore(ctx, storeID)
	if errors.Is(err, store.ErrNotFound) {
		return fault.NotFoundf(ResourceIdentityStore, storeID, "Identity store %s does not exist.", storeID)
	}
	return err
}

func userNotFound(id string) error {
	return fault.NotFoundf(ResourceUser, id, "User with id %s not found.", id)
}

func groupNotFound(id string) error {
	return fault.NotFoundf(ResourceGroup, id, "Group with id %s not found.", id)
}

func membershipNotFound(id string) error {
	return fault.NotFoundf(ResourceGroupMembership, id, "GroupMembership with id %s not found.", id)
}

// notFoundAs turns store.ErrNotFound into the given fault.
func notFoundAs(err error, f func() error) error {
	if errors.Is(err, store.ErrNotFound) {
		return f()
	}
	return err
}

func duplicate(what string, err error) error {
	return &fault.Error{Kind: fault.Conflict, Reason: ReasonUniqueness, Message: "Duplicate " + what, Err: err}
}

// pageSize validates MaxResults (1..100; 0 means the default 100).
func pageSize(maxResults int) (int, error) {
	if maxResults < 0 || maxResults > maxPageSize {
		return 0, fault.Validationf("MaxResults must be between 1 and %d.", maxPageSize)
	}
	return maxResults, nil
}
