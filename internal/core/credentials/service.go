package credentials

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/authn"
	"github.com/idcenter/idcenter/internal/core/authz"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/policy"
	"github.com/idcenter/idcenter/internal/store"
)

// Decider authorises a call with a resource-based policy (authz.Authorizer).
type Decider interface {
	AuthorizeWithResourcePolicy(ctx context.Context, c authz.Caller, action, resource string, resourcePolicy *authz.NamedDocument, extra map[string][]string) error
}

// Service issues temporary credentials.
type Service struct {
	Store store.Store
	// Authz decides sts:AssumeRole with the role's trust policy.
	Authz Decider
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Rand is the source of keys, secrets and tokens; crypto/rand when nil.
	Rand io.Reader

	// Federation decides federated role assumption (SAML, web identity)
	// with the role's trust policy (federation.go).
	Federation FederationDecider
	// MFA verifies and consumes the MFA codes of AssumeRole and GetSessionToken.
	MFA MFAVerifier
	// Fetch reads an OIDC provider's discovery document and keys.
	Fetch Fetcher
	// RootSessions says whether privileged root sessions (sts:AssumeRoot)
	// are enabled for the organization (iam.Service).
	RootSessions RootSessionsState
	// Outbound says whether an account's outbound web identity federation
	// is on, and its issuer (iam.Service).
	Outbound OutboundFederation
	// Delegations spends the trade-in tokens of IAM delegation requests
	// (delegated.go; iam.Service).
	Delegations DelegationRedeemer
	// jwks caches OIDC providers' keys; keys the server's own (keys.go).
	jwks       jwksCache
	serverKeys keyCache
}

// Reasons (wire error codes) of the faults this package returns.
const (
	CodeValidation           = "ValidationError"
	CodeMalformedPolicy      = "MalformedPolicyDocument"
	CodePackedPolicyTooLarge = "PackedPolicyTooLarge"
)

// Durations, in seconds, as AWS bounds them.
const (
	DefaultRoleDuration     = 3600
	MinDuration             = 900
	ChainedMaxDuration      = 3600
	DefaultSessionDuration  = 43200
	MaxSessionTokenDuration = 129600
	RootMaxDuration         = 3600
	// MaxSessionPolicyChars bounds the plain text of session policies.
	MaxSessionPolicyChars = 2048
	// packedLimit is the packed size (bytes of compacted policies, policy
	// ARNs and tags) that PackedPolicySize reports as 100 %.
	packedLimit = 2048
)

// Credentials are issued temporary credentials.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

// Issued is the result of an operation issuing credentials.
type Issued struct {
	Credentials Credentials
	// ARN and ID: the assumed-role user (AssumedRoleId AROA…:session) or
	// federated user (<account>:<name>).
	ARN, ID          string
	PackedPolicySize int // percent of the allowed size; -1 when no session policy or tag was passed
	SourceIdentity   string
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

const (
	keyAlphabet    = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

func (s *Service) reader() io.Reader {
	if s.Rand != nil {
		return s.Rand
	}
	return rand.Reader
}

func (s *Service) random(prefix, alphabet string, n int) (string, error) {
	out := make([]byte, 0, len(prefix)+n)
	out = append(out, prefix...)
	limit := 256 - 256%len(alphabet)
	var one [1]byte
	for len(out) < len(prefix)+n {
		if _, err := io.ReadFull(s.reader(), one[:]); err != nil {
			return "", fmt.Errorf("credentials: randomness: %w", err)
		}
		if int(one[0]) >= limit {
			continue
		}
		out = append(out, alphabet[int(one[0])%len(alphabet)])
	}
	return string(out), nil
}

// newCredentials makes an ASIA key, its secret and a session token.
func (s *Service) newCredentials(exp time.Time) (Credentials, []byte, error) {
	id, err := s.random("ASIA", keyAlphabet, 16)
	if err != nil {
		return Credentials{}, nil, err
	}
	secret, err := s.random("", secretAlphabet, 40)
	if err != nil {
		return Credentials{}, nil, err
	}
	raw := make([]byte, 192)
	if _, err := io.ReadFull(s.reader(), raw); err != nil {
		return Credentials{}, nil, fmt.Errorf("credentials: randomness: %w", err)
	}
	token := base64.StdEncoding.EncodeToString(raw)
	h := sha256.Sum256([]byte(token))
	return Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token, Expiration: exp}, h[:], nil
}

func validation(format string, args ...any) error {
	return &fault.Error{Kind: fault.Validation, Reason: CodeValidation, Message: fmt.Sprintf(format, args...)}
}

func denied(format string, args ...any) error {
	return &fault.Error{Kind: fault.AccessDenied, Message: fmt.Sprintf(format, args...)}
}

// SessionPolicies are the session policies passed with a request.
type SessionPolicies struct {
	Policy     string
	PolicyARNs []string
}

var policyARN = regexp.MustCompile(`^arn:aws:iam::(aws|\d{12}):policy/[\w+=,.@/-]+$`)

// checkSessionPolicies validates session policies and tags and returns the
// packed size in percent (-1 when nothing was passed).
func checkSessionPolicies(p SessionPolicies, tags []store.Tag) (int, error) {
	if p.Policy == "" && len(p.PolicyARNs) == 0 && len(tags) == 0 {
		return -1, nil
	}
	size := 0
	if p.Policy != "" {
		if _, err := policy.Compile(p.Policy, policy.KindIdentity); err != nil {
			var pe *policy.Error
			if errors.As(err, &pe) {
				return 0, &fault.Error{Kind: fault.Validation, Reason: CodeMalformedPolicy, Message: pe.Message, Err: err}
			}
			return 0, err
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(p.Policy)); err != nil {
			return 0, &fault.Error{Kind: fault.Validation, Reason: CodeMalformedPolicy, Message: policy.MsgSyntax, Err: err}
		}
		size += compact.Len()
	}
	chars := len(p.Policy)
	for _, a := range p.PolicyARNs {
		if !policyARN.MatchString(a) {
			return 0, validation("Invalid ARN %s: the session policy ARN is not a valid IAM policy ARN.", a)
		}
		chars += len(a)
		size += len(a)
	}
	if chars > MaxSessionPolicyChars {
		return 0, validation("The policy and policy ARNs passed as session policies exceed %d characters.", MaxSessionPolicyChars)
	}
	seen := map[string]bool{}
	for _, t := range tags {
		k := strings.ToLower(t.Key)
		if seen[k] {
			return 0, validation("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[k] = true
		size += len(t.Key) + len(t.Value)
	}
	pct := (size*100 + packedLimit - 1) / packedLimit
	if pct > 100 {
		return 0, &fault.Error{Kind: fault.Validation, Reason: CodePackedPolicyTooLarge,
			Message: fmt.Sprintf("Packed policy consumes %d%% of allotted space, please use smaller policy.", pct)}
	}
	return pct, nil
}

func mapErr(op string, err error) error {
	if err == nil || fault.As(err) != nil {
		return err
	}
	return fmt.Errorf("credentials: %s: %w", op, err)
}

// ResolveSession implements authn.SessionResolver: the token must be the one
// issued with the key (compared by SHA-256 in constant time) and unexpired.
func (s *Service) ResolveSession(ctx context.Context, key store.AccessKey, token string) (authn.Session, error) {
	var sess store.Session
	var portal store.SSORoleSession // set when the key was issued through the portal
	var storeARN string             // the portal user's identity store
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		if sess, err = tx.GetSession(ctx, key.AccessKeyID); err != nil {
			return err
		}
		if portal, err = tx.GetSSORoleSession(ctx, key.AccessKeyID); errors.Is(err, store.ErrNotFound) {
			err = nil
		}
		if err == nil && portal.IdentityStoreID != "" {
			// The user's identity store, for identitystore:IdentityStoreArn
			// (absent when its instance is gone).
			if in, ierr := tx.GetInstanceByIdentityStore(ctx, portal.IdentityStoreID); ierr == nil {
				storeARN = "arn:aws:identitystore::" + in.OwnerAccountID + ":identitystore/" + portal.IdentityStoreID
			}
		}
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return authn.Session{}, &authn.Error{Kind: authn.KindInvalidToken, Message: authn.MsgInvalidToken}
	}
	if err != nil {
		return authn.Session{}, fmt.Errorf("credentials: resolve session: %w", err)
	}
	h := sha256.Sum256([]byte(token))
	if subtle.ConstantTimeCompare(h[:], sess.TokenHash) != 1 {
		return authn.Session{}, &authn.Error{Kind: authn.KindInvalidToken, Message: authn.MsgInvalidToken}
	}
	if !s.now().Before(sess.Expiration) {
		return authn.Session{}, &authn.Error{Kind: authn.KindExpiredToken, Message: authn.MsgExpiredToken}
	}
	return authn.Session{ARN: sess.PrincipalARN, UserID: sess.UserID, MFAPresent: sess.MFAPresent,
		MFAAuthTime: sess.MFAAuthTime, Expiration: sess.Expiration, IdentityStoreUserID: portal.UserID,
		IdentityStoreARN: storeARN}, nil
}
