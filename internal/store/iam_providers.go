package store

import (
	"context"
	"time"
)

// IAMSAMLProvider is an IAM SAML 2.0 identity provider of an account. ARN
// (arn:aws:iam::<acct>:saml-provider/<name>) is unique.
type IAMSAMLProvider struct {
	ARN       string
	AccountID string
	Name      string
	// UUID is the provider's SAMLProviderUUID.
	UUID string
	// MetadataDocument is the IdP's SAML metadata XML as uploaded.
	MetadataDocument string
	// ValidUntil is the metadata's validUntil (zero when it has none).
	ValidUntil time.Time
	// AssertionEncryptionMode is "Required", "Allowed" or empty.
	AssertionEncryptionMode string
	// PrivateKeys are the keys that decrypt encrypted assertions (at most 2).
	PrivateKeys []IAMSAMLPrivateKey
	Tags        []Tag
	CreatedAt   time.Time
}

// IAMSAMLPrivateKey is a private key uploaded to a SAML provider.
type IAMSAMLPrivateKey struct {
	KeyID     string
	PEM       string
	Timestamp time.Time
}

// IAMOIDCProvider is an IAM OpenID Connect identity provider of an account.
// ARN (arn:aws:iam::<acct>:oidc-provider/<host and path>) is unique.
type IAMOIDCProvider struct {
	ARN       string
	AccountID string
	// URL is the issuer URL without its https:// scheme, as IAM reports it.
	URL         string
	ClientIDs   []string
	Thumbprints []string
	Tags        []Tag
	CreatedAt   time.Time
}

// IAMProviderRepo holds IAM SAML and OIDC identity providers.
type IAMProviderRepo interface {
	// CreateIAMSAMLProvider: ErrAlreadyExists on a duplicate ARN.
	CreateIAMSAMLProvider(ctx context.Context, p IAMSAMLProvider) error
	// GetIAMSAMLProvider: ErrNotFound when absent.
	GetIAMSAMLProvider(ctx context.Context, arn string) (IAMSAMLProvider, error)
	// ReplaceIAMSAMLProvider overwrites the metadata, validity, encryption
	// mode, private keys and tags; ErrNotFound when absent.
	ReplaceIAMSAMLProvider(ctx context.Context, p IAMSAMLProvider) error
	DeleteIAMSAMLProvider(ctx context.Context, arn string) error
	// ListIAMSAMLProviders lists an account's SAML providers by ARN.
	ListIAMSAMLProviders(ctx context.Context, accountID string) ([]IAMSAMLProvider, error)

	// CreateIAMOIDCProvider: ErrAlreadyExists on a duplicate ARN.
	CreateIAMOIDCProvider(ctx context.Context, p IAMOIDCProvider) error
	GetIAMOIDCProvider(ctx context.Context, arn string) (IAMOIDCProvider, error)
	// ReplaceIAMOIDCProvider overwrites the client ids, thumbprints and tags.
	ReplaceIAMOIDCProvider(ctx context.Context, p IAMOIDCProvider) error
	DeleteIAMOIDCProvider(ctx context.Context, arn string) error
	// ListIAMOIDCProviders lists an account's OIDC providers by ARN.
	ListIAMOIDCProviders(ctx context.Context, accountID string) ([]IAMOIDCProvider, error)
}
