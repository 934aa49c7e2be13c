package scim

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// ImportToken stores a token whose value is given (the world file's pinned
// tokens, idcscim_<uuid>.<secret>) instead of drawn, valid until expires
// (zero: DefaultTokenTTL from now). Only its hash is kept. A token already
// stored with the same id and value is left as it is (created false); the
// same id with another value is a conflict.
func (s *Service) ImportToken(ctx context.Context, storeID, secret string, expires time.Time) (created bool, err error) {
	rest, ok := strings.CutPrefix(secret, tokenPrefix)
	id, _, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 || id == "" {
		return false, fault.Validationf("A SCIM token has the form %s<id>.<secret>.", tokenPrefix)
	}
	now := s.now()
	if expires.IsZero() {
		expires = now.Add(DefaultTokenTTL)
	}
	err = s.update(ctx, "import token", storeID, func(tx store.Tx) error {
		k, err := tx.GetSCIMToken(ctx, id)
		if err == nil {
			if k.IdentityStoreID != storeID || subtle.ConstantTimeCompare(k.Hash, hashToken(secret)) != 1 {
				return fault.Conflictf("", "A SCIM token with id %s already exists.", id)
			}
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		created = true
		return tx.CreateSCIMToken(ctx, store.SCIMToken{TokenID: id, IdentityStoreID: storeID, Hash: hashToken(secret),
			CreatedAt: now, ExpiresAt: expires})
	})
	if err != nil {
		return false, fmt.Errorf("scim: %w", err)
	}
	return created, nil
}
