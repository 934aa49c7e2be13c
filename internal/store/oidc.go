package store

import (
	"context"
	"time"
)

// Device authorization statuses.
const (
	DevicePending  = "PENDING"
	DeviceApproved = "APPROVED"
	DeviceDenied   = "DENIED"
)

// OIDCClient is a client registered with sso-oidc RegisterClient. ClientID is
// unique; the secret is kept only as its SHA-256.
type OIDCClient struct {
	ClientID     string
	SecretHash   []byte
	Name         string
	Type         string // public
	Scopes       []string
	GrantTypes   []string
	RedirectURIs []string
	IssuerURL    string
	IssuedAt     time.Time
	ExpiresAt    time.Time
}

// DeviceAuthorization is a device-code grant in progress. DeviceCodeHash
// (SHA-256 of the device code) and UserCode are unique.
type DeviceAuthorization struct {
	DeviceCodeHash []byte
	UserCode       string
	ClientID       string
	StartURL       string
	Scopes         []string
	Status         string // DevicePending, DeviceApproved, DeviceDenied
	UserID         string // the approving user (DeviceApproved)
	Interval       int    // seconds between polls
	LastPolledAt   time.Time
	FailedAttempts int // wrong confirmations of the user code
	ExpiresAt      time.Time
	CreatedAt      time.Time
}

// AuthCode is an authorization code of the PKCE flow; CodeHash is unique.
type AuthCode struct {
	CodeHash      []byte
	ClientID      string
	RedirectURI   string
	CodeChallenge string // S256 challenge
	UserID        string
	Scopes        []string
	ExpiresAt     time.Time
	CreatedAt     time.Time
}

// OIDCToken is an issued access token (and its refresh token, when any). Both
// hashes are unique (an empty RefreshHash means none). SessionID names the
// portal session: every token issued by refresh from the same sign-in shares it.
type OIDCToken struct {
	AccessHash       []byte
	RefreshHash      []byte
	ClientID         string
	UserID           string
	Scopes           []string
	SessionID        string
	ExpiresAt        time.Time // of the access token
	SessionExpiresAt time.Time // of the portal session (refresh tokens stop here)
	Revoked          bool
	CreatedAt        time.Time
}

// OIDCRepo keeps sso-oidc clients, grants in progress and tokens.
type OIDCRepo interface {
	// CreateOIDCClient: ErrAlreadyExists on a duplicate ClientID.
	CreateOIDCClient(ctx context.Context, c OIDCClient) error
	GetOIDCClient(ctx context.Context, clientID string) (OIDCClient, error)

	// CreateDeviceAuthorization: ErrAlreadyExists on a duplicate device code
	// hash or user code.
	CreateDeviceAuthorization(ctx context.Context, d DeviceAuthorization) error
	GetDeviceAuthorization(ctx context.Context, deviceCodeHash []byte) (DeviceAuthorization, error)
	// GetDeviceAuthorizationByUserCode matches the user code exactly.
	GetDeviceAuthorizationByUserCode(ctx context.Context, userCode string) (DeviceAuthorization, error)
	// UpdateDeviceAuthorization replaces Status, UserID, LastPolledAt and
	// FailedAttempts of a stored authorization; ErrNotFound when absent.
	UpdateDeviceAuthorization(ctx context.Context, d DeviceAuthorization) error
	// DeleteDeviceAuthorization: ErrNotFound when absent.
	DeleteDeviceAuthorization(ctx context.Context, deviceCodeHash []byte) error

	// CreateAuthCode: ErrAlreadyExists on a duplicate hash.
	CreateAuthCode(ctx context.Context, c AuthCode) error
	GetAuthCode(ctx context.Context, codeHash []byte) (AuthCode, error)
	// DeleteAuthCode: ErrNotFound when absent.
	DeleteAuthCode(ctx context.Context, codeHash []byte) error

	// CreateOIDCToken: ErrAlreadyExists on a duplicate access or refresh hash.
	CreateOIDCToken(ctx context.Context, t OIDCToken) error
	GetOIDCTokenByAccess(ctx context.Context, accessHash []byte) (OIDCToken, error)
	GetOIDCTokenByRefresh(ctx context.Context, refreshHash []byte) (OIDCToken, error)
	// RevokeOIDCToken marks one token revoked; ErrNotFound when absent.
	RevokeOIDCToken(ctx context.Context, accessHash []byte) error
	// RevokeOIDCSession marks every token of a portal session revoked.
	RevokeOIDCSession(ctx context.Context, sessionID string) error

	// AddOIDCSessionKey records that a temporary access key was issued in a
	// portal session (so that Logout ends it).
	AddOIDCSessionKey(ctx context.Context, sessionID, accessKeyID string) error
	// ListOIDCSessionKeys lists a session's access key ids in order.
	ListOIDCSessionKeys(ctx context.Context, sessionID string) ([]string, error)

	// DeleteExpiredOIDC removes clients, device authorizations, codes and
	// tokens (with their session keys) that expired at or before t.
	DeleteExpiredOIDC(ctx context.Context, t time.Time) error
}
