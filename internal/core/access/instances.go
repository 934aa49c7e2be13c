package access

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

// Service answers Identity Center administration calls.
type Service struct {
	Store store.Store
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Rand is the source of identifier randomness; crypto/rand when nil.
	Rand io.Reader
	// Notify, when set, is called after an asynchronous request is stored
	// (Worker.Notify wakes the worker).
	Notify func()
	// Log reports unexpected errors of asynchronous requests; nil logs nothing.
	Log *slog.Logger
}

// DescribeInstance returns one instance by ARN.
func (s *Service) DescribeInstance(ctx context.Context, arn string) (store.Instance, error) {
	var in store.Instance
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		in, err = tx.GetInstance(ctx, arn)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return in, fault.NotFoundf("INSTANCE", arn, "Instance %s does not exist.", arn)
	}
	if err != nil {
		return in, fmt.Errorf("access: describe instance: %w", err)
	}
	return in, nil
}

// ListInstances pages through the instances (MaxResults 1-100, default 100).
func (s *Service) ListInstances(ctx context.Context, maxResults int, nextToken string) ([]store.Instance, string, error) {
	p, limit, err := paging.Page(nextToken, maxResults, 100)
	if err != nil {
		return nil, "", err
	}
	var ins []store.Instance
	err = s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		ins, err = tx.ListInstances(ctx, p)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("access: list instances: %w", err)
	}
	ins, next := paging.Trim(ins, limit, func(i store.Instance) string { return i.ARN })
	return ins, next, nil
}
