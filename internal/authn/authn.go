package authn

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/idcenter/idcenter/internal/sigv4"
	"github.com/idcenter/idcenter/internal/store"
)

// Principal types, as the policy language's aws:PrincipalType knows them.
const (
	TypeAccount       = "Account" // the root user
	TypeUser          = "User"
	TypeAssumedRole   = "AssumedRole"
	TypeFederatedUser = "FederatedUser"
)

// Principal is who signed a request.
type Principal struct {
	AccountID string
	ARN       string
	// UserID is the unique id GetCallerIdentity reports: the account id for
	// root, AIDA... for users, AROA...:session for assumed roles (when known).
	UserID   string
	UserName string
	// Type is TypeAccount, TypeUser, TypeAssumedRole or TypeFederatedUser.
	Type         string
	AccessKeyID  string
	SessionToken string
	MFAPresent   bool
	// MFAAuthTime is when the session's MFA was verified (zero without MFA).
	MFAAuthTime time.Time
	SourceIP    string
	// Region and Service come from the SigV4 credential scope.
	Region, Service string
	// IdentityStoreUserID is the Identity Center user behind a portal role
	// session (identitystore:UserId).
	IdentityStoreUserID string
	// IdentityStoreARN is that user's identity store
	// (identitystore:IdentityStoreArn).
	IdentityStoreARN string
}

// Session is what a session token of temporary (ASIA...) credentials stands for.
type Session struct {
	// ARN, when set, replaces the key's PrincipalARN (e.g. the assumed-role ARN).
	ARN        string
	UserID     string
	MFAPresent bool
	// MFAAuthTime is when the MFA behind MFAPresent was verified.
	MFAAuthTime time.Time
	// Expiration, when set, is when the token stops working.
	Expiration time.Time
	// IdentityStoreUserID is the Identity Center user a portal role session
	// acts for (identitystore:UserId); empty for other sessions.
	IdentityStoreUserID string
	// IdentityStoreARN is the ARN of that user's identity store
	// (identitystore:IdentityStoreArn); empty for other sessions.
	IdentityStoreARN string
}

// SessionResolver validates the session token presented with a temporary key.
// It returns an *Error (KindInvalidToken, KindExpiredToken) to refuse the token;
// any other error is an internal failure.
type SessionResolver interface {
	ResolveSession(ctx context.Context, key store.AccessKey, token string) (Session, error)
}

// Authenticator authenticates requests against the access keys in Store.
type Authenticator struct {
	Store    store.Store
	Verifier *sigv4.Verifier
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sessions validates session tokens of temporary (ASIA...) keys. When nil,
	// every request made with a temporary key is refused as an invalid token.
	Sessions SessionResolver
	// KeyTTL, when positive, keeps looked-up access keys in memory that long:
	// a key's deactivation or deletion then takes effect within KeyTTL (AWS's
	// IAM is eventually consistent too). Zero reads the store on every request.
	KeyTTL time.Duration

	// AcceptUnknownKeysAs, when set, makes a syntactically valid but unknown
	// access key authenticate as the principal it returns, without verifying
	// the signature. It weakens authentication and exists only for
	// --accept-test-credentials (suites written for other emulators that sign
	// with AWS_ACCESS_KEY_ID=test).
	AcceptUnknownKeysAs func(accessKeyID string) *Principal

	cacheOnce sync.Once
	cache     *keyCache
}

// testKeyID is what --accept-test-credentials takes as an access key id.
var testKeyID = regexp.MustCompile(`^[A-Za-z0-9]{1,128}$`)

// ForgetKeys drops every cached access key (after a store reset).
func (a *Authenticator) ForgetKeys() {
	if a.cache != nil {
		a.cache.clear()
	}
}

// lookupKey returns the access key, from the cache when allowed.
func (a *Authenticator) lookupKey(ctx context.Context, id string) (store.AccessKey, error) {
	if a.KeyTTL > 0 {
		a.cacheOnce.Do(func() { a.cache = &keyCache{ttl: a.KeyTTL, max: 4096} })
		if k, ok := a.cache.get(id, a.now()); ok {
			return k, nil
		}
	}
	var key store.AccessKey
	err := a.Store.View(ctx, func(tx store.Tx) error {
		var err error
		key, err = tx.GetAccessKey(ctx, id)
		return err
	})
	if err == nil && a.cache != nil {
		a.cache.put(key, a.now())
	}
	return key, err
}

func (a *Authenticator) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// IsTemporaryKey reports whether an access key id belongs to temporary
// credentials, which must be used with a session token.
func IsTemporaryKey(id string) bool { return strings.HasPrefix(id, "ASIA") }

// AuthenticateSigV4 parses and verifies the request's SigV4 signature and
// returns its Principal. body is the whole request body, read once by the
// caller. Authentication failures are *Error; other errors (store failures)
// are wrapped and mean an internal error.
func (a *Authenticator) AuthenticateSigV4(ctx context.Context, r *http.Request, body []byte) (*Principal, error) {
	claim, err := sigv4.Parse(r)
	if err != nil {
		return nil, fromSigV4(err)
	}
	key, err := a.lookupKey(ctx, claim.AccessKeyID)
	if errors.Is(err, store.ErrNotFound) {
		if a.AcceptUnknownKeysAs != nil && testKeyID.MatchString(claim.AccessKeyID) {
			// Development convenience (--accept-test-credentials): the signature
			// was parsed but cannot be verified without a known secret.
			p := a.AcceptUnknownKeysAs(claim.AccessKeyID)
			p.Region, p.Service = claim.Region, claim.Service
			p.SessionToken = claim.SessionToken
			p.SourceIP = sourceIP(r)
			return p, nil
		}
		return nil, &Error{Kind: KindUnknownKey, Message: MsgInvalidToken}
	}
	if err != nil {
		return nil, fmt.Errorf("authn: look up access key: %w", err)
	}
	if key.Status != "Active" {
		return nil, &Error{Kind: KindUnknownKey, Message: MsgInvalidToken}
	}
	v := a.Verifier
	if v == nil {
		v = &sigv4.Verifier{}
	}
	now := a.now()
	if err := v.Verify(r, body, claim, key.SecretAccessKey, now); err != nil {
		return nil, fromSigV4(err)
	}

	p := principalFor(key)
	if IsTemporaryKey(key.AccessKeyID) {
		if claim.SessionToken == "" || a.Sessions == nil {
			return nil, &Error{Kind: KindInvalidToken, Message: MsgInvalidToken}
		}
		s, err := a.Sessions.ResolveSession(ctx, key, claim.SessionToken)
		if err != nil {
			var ae *Error
			if errors.As(err, &ae) {
				return nil, ae
			}
			return nil, fmt.Errorf("authn: resolve session: %w", err)
		}
		if !s.Expiration.IsZero() && !now.Before(s.Expiration) {
			return nil, &Error{Kind: KindExpiredToken, Message: MsgExpiredToken}
		}
		if s.ARN != "" {
			key.PrincipalARN = s.ARN
			p = principalFor(key)
		}
		if s.UserID != "" {
			p.UserID = s.UserID
		}
		p.MFAPresent, p.MFAAuthTime = s.MFAPresent, s.MFAAuthTime
		p.IdentityStoreUserID = s.IdentityStoreUserID
		p.IdentityStoreARN = s.IdentityStoreARN
		p.SessionToken = claim.SessionToken
	} else if claim.SessionToken != "" {
		return nil, &Error{Kind: KindInvalidToken, Message: MsgInvalidToken}
	}
	p.Region, p.Service = claim.Region, claim.Service
	p.SourceIP = sourceIP(r)
	return p, nil
}

// principalFor derives the principal of a key from its owner's ARN.
func principalFor(k store.AccessKey) *Principal {
	p := &Principal{AccountID: k.AccountID, ARN: k.PrincipalARN, AccessKeyID: k.AccessKeyID, UserName: k.UserName}
	resource := k.PrincipalARN
	// arn:partition:service:region:account:resource
	if parts := strings.SplitN(k.PrincipalARN, ":", 6); len(parts) == 6 {
		if p.AccountID == "" {
			p.AccountID = parts[4]
		}
		resource = parts[5]
	}
	switch {
	case resource == "root":
		p.Type, p.UserID = TypeAccount, p.AccountID
	case strings.HasPrefix(resource, "user/"):
		p.Type, p.UserID = TypeUser, k.UserID
		if p.UserName == "" {
			p.UserName = resource[strings.LastIndexByte(resource, '/')+1:]
		}
	case strings.HasPrefix(resource, "assumed-role/"):
		p.Type = TypeAssumedRole
		if p.UserName == "" {
			p.UserName = resource[strings.LastIndexByte(resource, '/')+1:] // the session name
		}
	case strings.HasPrefix(resource, "federated-user/"):
		p.Type = TypeFederatedUser
		if p.UserName == "" {
			p.UserName = strings.TrimPrefix(resource, "federated-user/")
		}
		p.UserID = p.AccountID + ":" + p.UserName
	default:
		p.Type = TypeUser
	}
	return p
}

func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// fromSigV4 turns a sigv4 failure into an authn one.
func fromSigV4(err error) error {
	var se *sigv4.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("authn: sigv4: %w", err)
	}
	k := KindSignatureMismatch
	switch se.Kind {
	case sigv4.KindMissing:
		k = KindMissing
	case sigv4.KindIncomplete:
		k = KindIncomplete
	case sigv4.KindExpired:
		k = KindExpired
	case sigv4.KindSignatureMismatch, sigv4.KindPayloadHash:
		k = KindSignatureMismatch
	}
	return &Error{Kind: k, Message: se.Message}
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal carried by ctx.
func PrincipalFrom(ctx context.Context) (*Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(*Principal)
	return p, ok && p != nil
}
