package store

import (
	"context"
	"time"
)

// Identity sources of an Identity Center instance: where its users sign in.
const (
	// IdentitySourceIdentityStore: users sign in to the portal with the
	// identity store's passwords and MFA (the default).
	IdentitySourceIdentityStore = "IDENTITY_STORE"
	// IdentitySourceExternalSAML: users sign in at an external identity
	// provider over SAML 2.0; idcenter is the service provider.
	IdentitySourceExternalSAML = "EXTERNAL_SAML"
)

// IdentitySource is the identity source setting of an instance. An
// instance without a stored setting uses the identity store.
type IdentitySource struct {
	InstanceARN string
	Type        string // IdentitySourceIdentityStore or IdentitySourceExternalSAML
	// IdPMetadata is the external IdP's SAML metadata (XML), as given.
	IdPMetadata string
	// MetadataSource says where the metadata was read from (a file or URL; informational).
	MetadataSource string
	// SPBaseURL is idcenter's externally visible URL (scheme://host[:port])
	// the SP's entity id and ACS URL are built from; empty: the server's own.
	SPBaseURL string
	// AllowIdPInitiated accepts unsolicited (IdP-initiated) responses.
	AllowIdPInitiated bool
	// UserNameAttribute names the assertion attribute (its Name or
	// FriendlyName) whose value is the identity store user name; "" = the
	// NameID.
	UserNameAttribute string
	// SPKey and SPCertificate are the service provider's key pair (PEM):
	// it decrypts encrypted assertions and signs logout messages (and
	// AuthnRequests when the IdP wants them signed), so the key is stored
	// recoverably.
	SPKey         string
	SPCertificate string
	UpdatedAt     time.Time
}

// SAMLRequest is an SP-initiated sign-in waiting for the IdP's response,
// found by the hash of its RelayState.
type SAMLRequest struct {
	RelayStateHash []byte
	RequestID      string // the AuthnRequest's ID (the response's InResponseTo)
	Next           string // the local path to return the browser to
	ExpiresAt      time.Time
}

// SAMLSubject is how the IdP named a user at the user's latest SAML
// sign-in, for single logout.
type SAMLSubject struct {
	IdentityStoreID string
	UserID          string
	NameID          string
	NameIDFormat    string
	SessionIndex    string
	ExpiresAt       time.Time
}

// IdentitySourceRepo keeps the identity source setting and the state of
// SAML sign-ins (pending requests and consumed assertion ids).
type IdentitySourceRepo interface {
	// GetIdentitySource: ErrNotFound when the instance's source was never set.
	GetIdentitySource(ctx context.Context, instanceARN string) (IdentitySource, error)
	// PutIdentitySource creates or replaces the instance's setting.
	PutIdentitySource(ctx context.Context, s IdentitySource) error

	// CreateSAMLRequest: ErrAlreadyExists on a duplicate RelayStateHash.
	CreateSAMLRequest(ctx context.Context, r SAMLRequest) error
	// TakeSAMLRequest returns and deletes a pending request (each is used
	// once): ErrNotFound when absent (expiry is the caller's check).
	TakeSAMLRequest(ctx context.Context, relayStateHash []byte) (SAMLRequest, error)
	// ConsumeSAMLAssertion records an assertion id as used until expiresAt:
	// ErrAlreadyExists when it is already recorded (a replay).
	ConsumeSAMLAssertion(ctx context.Context, assertionID string, expiresAt time.Time) error
	// PutSAMLSubject creates or replaces the subject of a user's latest
	// SAML sign-in.
	PutSAMLSubject(ctx context.Context, sub SAMLSubject) error
	// GetSAMLSubject: ErrNotFound when the user has none (expiry is the
	// caller's check).
	GetSAMLSubject(ctx context.Context, storeID, userID string) (SAMLSubject, error)
	// FindSAMLSubjects returns the subjects with the NameID nameID (exact
	// match), any expiry.
	FindSAMLSubjects(ctx context.Context, storeID, nameID string) ([]SAMLSubject, error)
	// DeleteExpiredSAML removes pending requests, assertion ids and SAML
	// subjects that expired at or before t, and reports how many rows it
	// removed.
	DeleteExpiredSAML(ctx context.Context, t time.Time) (int, error)
	// DeleteStoreWebSessions ends every portal session of an identity store
	// (the identity source changed) and reports how many.
	DeleteStoreWebSessions(ctx context.Context, storeID string) (int, error)
}
