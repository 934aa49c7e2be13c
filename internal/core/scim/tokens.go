package scim

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// Token rules, as AWS's.
const (
	MaxLiveTokens   = 2
	DefaultTokenTTL = 365 * 24 * time.Hour
	// touchEvery bounds how often a token's last use is written.
	touchEvery  = time.Minute
	tokenPrefix = "idcscim_"
)

// Token describes a SCIM access token (never its secret).
type Token struct {
	ID              string
	IdentityStoreID string
	CreatedAt       time.Time
	ExpiresAt       time.Time
	LastUsedAt      time.Time
}

// ErrUnauthorized is returned by Authenticate for any bad token.
var ErrUnauthorized = errors.New("scim: invalid, expired or revoked token")

func tokenOf(k store.SCIMToken) Token {
	return Token{ID: k.TokenID, IdentityStoreID: k.IdentityStoreID, CreatedAt: k.CreatedAt, ExpiresAt: k.ExpiresAt, LastUsedAt: k.LastUsedAt}
}

func hashToken(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// CreateToken makes a token for the identity store, valid for ttl (0: one
// year). The secret is returned once and only its hash is stored. At most
// MaxLiveTokens unexpired tokens may exist (QuotaExceeded otherwise).
func (s *Service) CreateToken(ctx context.Context, storeID string, ttl time.Duration) (Token, string, error) {
	if ttl < 0 {
		return Token{}, "", fault.Validationf("Token lifetime must be positive.")
	}
	if ttl == 0 {
		ttl = DefaultTokenTTL
	}
	u, err := uuid.NewRandomFromReader(s.rand())
	if err != nil {
		return Token{}, "", fmt.Errorf("scim: token id: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := io.ReadFull(s.rand(), raw); err != nil {
		return Token{}, "", fmt.Errorf("scim: token secret: %w", err)
	}
	id := u.String()
	secret := tokenPrefix + id + "." + base64.RawURLEncoding.EncodeToString(raw)
	now := s.now()
	k := store.SCIMToken{TokenID: id, IdentityStoreID: storeID, Hash: hashToken(secret), CreatedAt: now, ExpiresAt: now.Add(ttl)}
	err = s.update(ctx, "create token", storeID, func(tx store.Tx) error {
		ks, err := tx.ListSCIMTokens(ctx, storeID)
		if err != nil {
			return err
		}
		live := 0
		for _, o := range ks {
			if now.Before(o.ExpiresAt) {
				live++
			}
		}
		if live >= MaxLiveTokens {
			return fault.QuotaExceededf("An identity store has at most %d live SCIM tokens; delete one first.", MaxLiveTokens)
		}
		return tx.CreateSCIMToken(ctx, k)
	})
	if err != nil {
		return Token{}, "", err
	}
	return tokenOf(k), secret, nil
}

// ListTokens lists the identity store's tokens, oldest first (expired ones included).
func (s *Service) ListTokens(ctx context.Context, storeID string) ([]Token, error) {
	var out []Token
	err := s.view(ctx, "list tokens", storeID, func(tx store.Tx) error {
		ks, err := tx.ListSCIMTokens(ctx, storeID)
		for _, k := range ks {
			out = append(out, tokenOf(k))
		}
		return err
	})
	return out, err
}

// DeleteToken revokes a token.
func (s *Service) DeleteToken(ctx context.Context, storeID, tokenID string) error {
	return s.update(ctx, "delete token", storeID, func(tx store.Tx) error {
		return notFoundAs(tx.DeleteSCIMToken(ctx, storeID, tokenID), "Token", tokenID)
	})
}

// Authenticate checks a bearer token and returns its identity store id;
// ErrUnauthorized for unknown, revoked, expired or malformed tokens.
func (s *Service) Authenticate(ctx context.Context, secret string) (string, error) {
	t, err := s.AuthenticateToken(ctx, secret)
	return t.IdentityStoreID, err
}

// AuthenticateToken is Authenticate returning the whole token (its id keys
// per-token rate limits).
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (Token, error) {
	rest, ok := strings.CutPrefix(secret, tokenPrefix)
	if !ok {
		return Token{}, ErrUnauthorized
	}
	id, _, ok := strings.Cut(rest, ".")
	if !ok || id == "" {
		return Token{}, ErrUnauthorized
	}
	var k store.SCIMToken
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		k, err = tx.GetSCIMToken(ctx, id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return Token{}, ErrUnauthorized
	}
	if err != nil {
		return Token{}, fmt.Errorf("scim: authenticate: %w", err)
	}
	if subtle.ConstantTimeCompare(k.Hash, hashToken(secret)) != 1 {
		return Token{}, ErrUnauthorized
	}
	now := s.now()
	if !now.Before(k.ExpiresAt) {
		return Token{}, ErrUnauthorized
	}
	if now.Sub(k.LastUsedAt) >= touchEvery {
		err := s.Store.Update(ctx, func(tx store.Tx) error { return tx.TouchSCIMToken(ctx, id, now) })
		if errors.Is(err, store.ErrNotFound) {
			return Token{}, ErrUnauthorized // revoked meanwhile
		}
		if err != nil {
			return Token{}, fmt.Errorf("scim: record token use: %w", err)
		}
	}
	return tokenOf(k), nil
}
