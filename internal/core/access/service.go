package access

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// Resource types reported in NotFound faults.
const (
	ResourceInstance      = "INSTANCE"
	ResourcePermissionSet = "PERMISSION_SET"
	ResourcePolicy        = "POLICY"
)

// ReasonConcurrentModification is the Conflict reason when the store reports a
// concurrent change.
const ReasonConcurrentModification = "CONCURRENT_MODIFICATION"

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// randomHex returns n random bytes as lower-case hex.
func (s *Service) randomHex(n int) (string, error) {
	r := s.Rand
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("access: generate id: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// update runs fn in a write transaction after checking the instance exists,
// and maps store sentinels that escape fn.
func (s *Service) update(ctx context.Context, op, instanceARN string, fn func(store.Tx) error) error {
	return mapErr(op, s.Store.Update(ctx, func(tx store.Tx) error {
		if err := checkInstance(ctx, tx, instanceARN); err != nil {
			return err
		}
		return fn(tx)
	}))
}

// view is update's read-only twin.
func (s *Service) view(ctx context.Context, op, instanceARN string, fn func(store.Tx) error) error {
	return mapErr(op, s.Store.View(ctx, func(tx store.Tx) error {
		if err := checkInstance(ctx, tx, instanceARN); err != nil {
			return err
		}
		return fn(tx)
	}))
}

func mapErr(op string, err error) error {
	if err == nil || fault.As(err) != nil {
		return err
	}
	if errors.Is(err, store.ErrConflict) {
		return &fault.Error{Kind: fault.Conflict, Reason: ReasonConcurrentModification,
			Message: "The request could not be completed because of a concurrent modification. Retry the request.", Err: err}
	}
	return fmt.Errorf("access: %s: %w", op, err)
}

func instanceNotFound(arn string) error {
	return fault.NotFoundf(ResourceInstance, arn, "Instance %s does not exist.", arn)
}

func checkInstance(ctx context.Context, tx store.Tx, instanceARN string) error {
	if instanceARN == "" {
		return fault.Validationf("InstanceArn is required.")
	}
	_, err := tx.GetInstance(ctx, instanceARN)
	if errors.Is(err, store.ErrNotFound) {
		return instanceNotFound(instanceARN)
	}
	return err
}

func permissionSetNotFound(arn string) error {
	return fault.NotFoundf(ResourcePermissionSet, arn, "Could not find PermissionSet with PermissionSetArn %s.", arn)
}

// getPermissionSet reads a set of the instance; absence is a NotFound fault.
func getPermissionSet(ctx context.Context, tx store.Tx, instanceARN, arn string) (store.PermissionSet, error) {
	ps, err := tx.GetPermissionSet(ctx, instanceARN, arn)
	if errors.Is(err, store.ErrNotFound) {
		return ps, permissionSetNotFound(arn)
	}
	return ps, err
}
