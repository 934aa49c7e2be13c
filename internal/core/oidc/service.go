package oidc

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// Error codes (the sso-oidc exception names) carried in fault.Error.Reason.
const (
	CodeAccessDenied          = "AccessDeniedException"
	CodeAuthorizationPending  = "AuthorizationPendingException"
	CodeExpiredToken          = "ExpiredTokenException"
	CodeInvalidClient         = "InvalidClientException"
	CodeInvalidClientMetadata = "InvalidClientMetadataException"
	CodeInvalidGrant          = "InvalidGrantException"
	CodeInvalidRedirectURI    = "InvalidRedirectUriException"
	CodeInvalidRequest        = "InvalidRequestException"
	CodeInvalidScope          = "InvalidScopeException"
	CodeSlowDown              = "SlowDownException"
	CodeUnauthorizedClient    = "UnauthorizedClientException"
	CodeUnsupportedGrantType  = "UnsupportedGrantTypeException"
	// CodeUnauthorized is the portal's answer to a missing, revoked or expired token.
	CodeUnauthorized = "UnauthorizedException"
)

// Grant types.
const (
	GrantDeviceCode        = "urn:ietf:params:oauth:grant-type:device_code"
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
)

// Lifetimes.
const (
	ClientTTL        = 90 * 24 * time.Hour
	DeviceTTL        = 600 * time.Second
	CodeTTL          = 5 * time.Minute
	DefaultInterval  = 1 // seconds between device-code polls
	AccessTokenTTL   = time.Hour
	PortalSessionTTL = 8 * time.Hour
	// MaxFailedConfirmations locks a user code.
	MaxFailedConfirmations = 5
)

// Service is the sso-oidc authorization server.
type Service struct {
	Store store.Store
	// Issuer is this server's base URL (scheme://host:port, no trailing
	// slash): verification and authorization endpoints live under it.
	Issuer string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Rand is the source of secrets, codes and tokens; crypto/rand when nil.
	Rand io.Reader
	// AccessTTL and SessionTTL override AccessTokenTTL and PortalSessionTTL when non-zero.
	AccessTTL, SessionTTL time.Duration
	// InstanceARN names the instance whose portal session lifetime (its
	// sign-in settings, `idcenter admin session-settings`) bounds a sign-in's
	// tokens when SessionTTL is zero.
	InstanceARN string
	// Interval overrides DefaultInterval (seconds) when non-zero.
	Interval int
	// Fetch reads trusted token issuers' OpenID configuration and JWKS
	// (CreateTokenWithIAM's jwt-bearer grant); iam.go.
	Fetch Fetcher

	signer signer    // of ID tokens (iam.go)
	jwks   jwksCache // trusted token issuers' keys (iam.go)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) reader() io.Reader {
	if s.Rand != nil {
		return s.Rand
	}
	return rand.Reader
}

func (s *Service) accessTTL() time.Duration {
	if s.AccessTTL > 0 {
		return s.AccessTTL
	}
	return AccessTokenTTL
}

func (s *Service) sessionTTL() time.Duration {
	if s.SessionTTL > 0 {
		return s.SessionTTL
	}
	return PortalSessionTTL
}

// portalSessionTTL is the lifetime of a new sign-in's tokens: SessionTTL,
// else the instance's portal session setting, else PortalSessionTTL.
func (s *Service) portalSessionTTL(ctx context.Context, tx store.Tx) (time.Duration, error) {
	if s.SessionTTL > 0 || s.InstanceARN == "" {
		return s.sessionTTL(), nil
	}
	set, err := tx.GetMFASettings(ctx, s.InstanceARN)
	if errors.Is(err, store.ErrNotFound) || err == nil && set.SessionDuration <= 0 {
		return PortalSessionTTL, nil
	}
	if err != nil {
		return 0, err
	}
	return set.SessionDuration, nil
}

func (s *Service) interval() int {
	if s.Interval > 0 {
		return s.Interval
	}
	return DefaultInterval
}

// token returns n random bytes, base64url-encoded without padding, after
// prefix. A value starting with "-" is drawn again (a few times at most):
// client ids, secrets and device codes are passed as command-line arguments
// (`aws sso-oidc create-token --client-id …`), where a leading "-" reads as
// an option.
func (s *Service) token(prefix string, n int) (string, error) {
	b := make([]byte, n)
	var t string
	for try := 0; try < 8; try++ {
		if _, err := io.ReadFull(s.reader(), b); err != nil {
			return "", fmt.Errorf("oidc: randomness: %w", err)
		}
		if t = base64.RawURLEncoding.EncodeToString(b); prefix != "" || t[0] != '-' {
			break
		}
	}
	return prefix + t, nil
}

func hash(v string) []byte {
	h := sha256.Sum256([]byte(v))
	return h[:]
}

func sameHash(v string, h []byte) bool {
	return subtle.ConstantTimeCompare(hash(v), h) == 1
}

func oauthErr(code, format string, args ...any) error {
	kind := fault.Validation
	switch code {
	case CodeAccessDenied, CodeInvalidClient, CodeUnauthorized, CodeUnauthorizedClient:
		kind = fault.AccessDenied
	}
	return &fault.Error{Kind: kind, Reason: code, Message: fmt.Sprintf(format, args...)}
}

func mapErr(op string, err error) error {
	if err == nil || fault.As(err) != nil {
		return err
	}
	return fmt.Errorf("oidc: %s: %w", op, err)
}

// mayUseGrant reports whether client c may use a grant type. A client
// registered with no grant types may use any. The device-code grant is also
// allowed to a client that did not register for the authorization_code grant:
// aws-sso-cli registers with grantTypes ["refresh_token"] only and then uses the
// device code, which AWS accepts. A PKCE client (authorization_code) is held to
// what it registered.
func mayUseGrant(c store.OIDCClient, grant string) bool {
	if len(c.GrantTypes) == 0 || contains(c.GrantTypes, grant) {
		return true
	}
	return grant == GrantDeviceCode && !contains(c.GrantTypes, GrantAuthorizationCode)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
