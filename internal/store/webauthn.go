package store

import (
	"context"
	"time"
)

// MFA types an instance may allow (MFASettings.Types).
const (
	MFATypeTOTP     = "TOTP"     // authenticator apps
	MFATypeWebAuthn = "WEBAUTHN" // security keys and built-in authenticators (passkeys)
)

// MFANoDeviceAllow lets a user without a device sign in with the password
// alone (MFASettings.NoDevice; AWS's "Allow them to sign in").
const MFANoDeviceAllow = "ALLOW"

// WebAuthnCredential is a security key or passkey registered by a user.
// CredentialID is unique. Data is the credential as the relying party keeps
// it (public key, flags, AAGUID, transports), opaque to the store; SignCount
// is the authenticator's signature counter last seen.
type WebAuthnCredential struct {
	CredentialID    []byte
	IdentityStoreID string
	UserID          string
	Name            string
	Data            []byte
	SignCount       uint32
	CreatedAt       time.Time
	LastUsedAt      time.Time // zero: never used to sign in
}

// SSORoleSession links temporary credentials issued through the portal
// (GetRoleCredentials, the web portal) to the identity store user and the
// assignment (account, permission set) they were issued for, so that they
// can be ended when the user loses that access.
type SSORoleSession struct {
	AccessKeyID      string
	IdentityStoreID  string
	UserID           string
	AccountID        string
	PermissionSetARN string
	ExpiresAt        time.Time
}

// WebAuthnRepo keeps WebAuthn credentials and the portal's role sessions.
type WebAuthnRepo interface {
	// CreateWebAuthnCredential: ErrAlreadyExists on a duplicate
	// CredentialID, ErrNotFound when the user does not exist.
	CreateWebAuthnCredential(ctx context.Context, c WebAuthnCredential) error
	// ListWebAuthnCredentials returns the user's credentials, oldest first.
	ListWebAuthnCredentials(ctx context.Context, storeID, userID string) ([]WebAuthnCredential, error)
	// UseWebAuthnCredential records a successful assertion: the new
	// signature counter, Data and LastUsedAt. It refuses with ErrConflict a
	// counter that is not greater than the stored one unless both are zero
	// (an authenticator without a counter); ErrNotFound when absent.
	UseWebAuthnCredential(ctx context.Context, credentialID []byte, signCount uint32, data []byte, at time.Time) error
	// DeleteWebAuthnCredentials removes the user's credentials and reports how many.
	DeleteWebAuthnCredentials(ctx context.Context, storeID, userID string) (int, error)
	// DeleteWebAuthnCredential removes one credential of the user;
	// ErrNotFound when the user has no credential credentialID.
	DeleteWebAuthnCredential(ctx context.Context, storeID, userID string, credentialID []byte) error
	// RenameWebAuthnCredential sets the name of one credential of the
	// user; ErrNotFound when the user has no credential credentialID.
	RenameWebAuthnCredential(ctx context.Context, storeID, userID string, credentialID []byte, name string) error

	// SetWebSessionCeremony keeps the pending WebAuthn ceremony (challenge)
	// of a web session (nil clears it); ErrNotFound when the session is absent.
	SetWebSessionCeremony(ctx context.Context, idHash []byte, ceremony []byte) error
	// GetWebSessionCeremony: nil when none; ErrNotFound when the session is absent.
	GetWebSessionCeremony(ctx context.Context, idHash []byte) ([]byte, error)

	// RecordSSORoleSession links a temporary access key to a user's
	// assignment; the record goes with the access key.
	RecordSSORoleSession(ctx context.Context, s SSORoleSession) error
	// ListSSORoleSessions lists the role sessions of a user, by access key id.
	ListSSORoleSessions(ctx context.Context, storeID, userID string) ([]SSORoleSession, error)
	// GetSSORoleSession is the portal role session of a temporary access
	// key (whose user the credentials act for); ErrNotFound when the key was
	// not issued through the portal.
	GetSSORoleSession(ctx context.Context, accessKeyID string) (SSORoleSession, error)
	// RevokeOIDCUserTokens marks every sso-oidc token of a user revoked and
	// reports how many were live (not yet revoked).
	RevokeOIDCUserTokens(ctx context.Context, userID string) (int, error)
}
