package store

import (
	"context"
	"time"
)

// SCIMToken is a bearer token an identity provider uses to provision an
// identity store over SCIM. Only the SHA-256 hash of the secret is kept.
type SCIMToken struct {
	TokenID         string
	IdentityStoreID string
	Hash            []byte // SHA-256 of the token as presented
	CreatedAt       time.Time
	ExpiresAt       time.Time
	LastUsedAt      time.Time // zero: never used
}

// SCIMRepo keeps SCIM access tokens.
type SCIMRepo interface {
	// CreateSCIMToken: ErrAlreadyExists on a duplicate TokenID.
	CreateSCIMToken(ctx context.Context, t SCIMToken) error
	// GetSCIMToken finds a token by id in any identity store; ErrNotFound when absent.
	GetSCIMToken(ctx context.Context, tokenID string) (SCIMToken, error)
	// ListSCIMTokens returns the tokens of an identity store, oldest first
	// (by CreatedAt, then TokenID).
	ListSCIMTokens(ctx context.Context, storeID string) ([]SCIMToken, error)
	// DeleteSCIMToken: ErrNotFound when the store has no such token.
	DeleteSCIMToken(ctx context.Context, storeID, tokenID string) error
	// TouchSCIMToken records the token's last use; ErrNotFound when absent.
	TouchSCIMToken(ctx context.Context, tokenID string, at time.Time) error
}
