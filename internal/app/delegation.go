package app

import (
	"context"

	coreiam "github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/store"
)

// ReadDelegationToken takes the trade-in token of a finalized IAM delegation
// request out of the outbox: idcenter has no SNS, so the token AWS would
// publish to the partner's notification channel waits, sealed, until the
// operator reads it, once (`idcenter admin delegation-token`).
func ReadDelegationToken(ctx context.Context, st store.Store, requestID string) (string, error) {
	return (&coreiam.Service{Store: st}).ReadDelegationToken(ctx, requestID)
}

// ReadDelegationToken is the package function on the server's store (for
// in-process use and tests).
func (s *Server) ReadDelegationToken(ctx context.Context, requestID string) (string, error) {
	return ReadDelegationToken(ctx, s.Store, requestID)
}
