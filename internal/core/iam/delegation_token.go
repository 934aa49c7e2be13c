package iam

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
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

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/policy"
	"github.com/idcenter/idcenter/internal/store"
)

// The trade-in token of a delegation request (STS GetDelegatedAccessToken).
//
// At AcceptDelegationRequest the request's policy template is resolved to a
// session policy document and frozen in the request (a later change of the
// template cannot widen an accepted request). idcenter resolves a template
// ARN that names a managed policy: a customer managed policy of the
// requesting (partner) account, its default version, or an AWS managed
// policy of idcenter's catalog. The template's ${Name} placeholders are
// replaced by the request's parameters (a parameter with several values
// turns the string into a list of strings); IAM policy variables
// (${aws:username}, ${*}, …) are left alone. A template idcenter cannot
// resolve, an unknown placeholder or a document that is not a valid policy
// of at most 2048 characters records an error instead, and the token of such
// a request is refused at GetDelegatedAccessToken: never more than asked for.
//
// SendDelegationToken issues the token: "idcdt.<request id>.<32 random bytes,
// base64url>". Only its SHA-256 is kept for the exchange; AWS publishes the
// token to the partner's SNS topic, which idcenter does not have, so the
// plaintext is sealed (AES-256-GCM with a server key kept in the store's
// meta table) into an outbox the operator reads once (ReadDelegationToken,
// `idcenter admin delegation-token`); the sealed copy is erased on reading.
// The token is valid for the request's SessionDuration from the moment it is
// sent ("the delegation period (exchange token validity) begins when the
// request reaches Finalized state") and can be exchanged once, by the
// requesting account.

// CodeExpiredTradeInToken is STS's error for a token that cannot be exchanged.
const CodeExpiredTradeInToken = "ExpiredTradeInTokenException"

// maxDelegationPolicy bounds the resolved session policy (compacted), as STS
// bounds a session policy's plain text.
const maxDelegationPolicy = 2048

const (
	delegationTokenPrefix = "idcdt."
	metaDelegationOutbox  = "iam.delegation-outbox-key" // base64, 32 bytes (AES-256-GCM)
	delegationOutboxAAD   = "idcenter delegation token outbox"
)

// DelegationToken is the trade-in token state of a finalized request.
type DelegationToken struct {
	Hash    []byte    // SHA-256 of the token
	Expires time.Time // end of the delegation period
	Sealed  string    // the token sealed for the outbox; "" once read
	Used    bool      // exchanged by GetDelegatedAccessToken
}

// DelegationGrant is what an exchanged token grants: a session of
// PrincipalARN (the identity that accepted the request) in AccountID, limited
// by Policy, until Expires.
type DelegationGrant struct {
	RequestID    string
	AccountID    string
	PrincipalARN string
	Policy       string
	Expires      time.Time
}

func expiredToken(format string, args ...any) error {
	return &fault.Error{Kind: fault.Validation, Reason: CodeExpiredTradeInToken, Message: fmt.Sprintf(format, args...)}
}

var templatePolicyARN = regexp.MustCompile(`^arn:aws:iam::(aws|\d{12}):policy/`)

// resolveDelegationPolicy resolves the request's template (see above); the
// error's message explains why it cannot be.
func (s *Service) resolveDelegationPolicy(ctx context.Context, tx store.Tx, d DelegationRequest) (string, error) {
	arn := d.PolicyTemplateARN
	m := templatePolicyARN.FindStringSubmatch(arn)
	var doc string
	switch {
	case m == nil:
		return "", fmt.Errorf("policy template %s is not a managed policy ARN idcenter can resolve", arn)
	case m[1] == "aws":
		var ok bool
		if doc, ok = AWSManagedDocument(arn); !ok {
			return "", fmt.Errorf("policy template %s is not in idcenter's AWS managed policy catalog", arn)
		}
	case m[1] != d.RequestorID:
		return "", fmt.Errorf("policy template %s does not belong to the requesting account %s", arn, d.RequestorID)
	default:
		p, err := tx.GetIAMPolicy(ctx, arn)
		if errors.Is(err, store.ErrNotFound) || err == nil && p.AccountID != d.RequestorID {
			return "", fmt.Errorf("policy template %s does not exist", arn)
		}
		if err != nil {
			return "", err
		}
		v, err := tx.GetIAMPolicyVersion(ctx, arn, p.DefaultVersionID)
		if err != nil {
			return "", err
		}
		doc = v.Document
	}
	out, err := fillTemplate(doc, d.Parameters)
	if err != nil {
		return "", fmt.Errorf("policy template %s: %w", arn, err)
	}
	if _, err := policy.Compile(out, policy.KindIdentity); err != nil {
		return "", fmt.Errorf("policy template %s does not make a valid policy: %w", arn, err)
	}
	if len(out) > maxDelegationPolicy {
		return "", fmt.Errorf("policy template %s makes a session policy of %d characters (at most %d)", arn, len(out), maxDelegationPolicy)
	}
	return out, nil
}

var placeholder = regexp.MustCompile(`\$\{([^}]*)\}`)

// fillTemplate replaces ${Name} by the parameters' values in every string
// of the JSON document and returns it compacted.
func fillTemplate(doc string, params []DelegationParameter) (string, error) {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", fmt.Errorf("not JSON: %w", err)
	}
	values := map[string][]string{}
	for _, p := range params {
		values[p.Name] = p.Values
	}
	var walk func(any) (any, error)
	walk = func(v any) (any, error) {
		switch t := v.(type) {
		case string:
			out, err := fillString(t, values)
			if err != nil {
				return nil, err
			}
			if len(out) == 1 {
				return out[0], nil
			}
			list := make([]any, len(out))
			for i, s := range out {
				list[i] = s
			}
			return list, nil
		case []any:
			var list []any
			for _, e := range t {
				w, err := walk(e)
				if err != nil {
					return nil, err
				}
				if sub, ok := w.([]any); ok {
					if _, wasString := e.(string); wasString {
						list = append(list, sub...)
						continue
					}
				}
				list = append(list, w)
			}
			return list, nil
		case map[string]any:
			for k, e := range t {
				w, err := walk(e)
				if err != nil {
					return nil, err
				}
				t[k] = w
			}
			return t, nil
		}
		return v, nil
	}
	v, err := walk(v)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSpace(buf.String()), nil
}

// fillString expands the placeholders of s: one string per combination of
// the values of multi-valued parameters.
func fillString(s string, values map[string][]string) ([]string, error) {
	loc := placeholder.FindStringSubmatchIndex(s)
	for loc != nil {
		name := s[loc[2]:loc[3]]
		if strings.Contains(name, ":") || name == "*" || name == "?" || name == "$" {
			// An IAM policy variable: look further.
			next := placeholder.FindStringSubmatchIndex(s[loc[1]:])
			if next == nil {
				break
			}
			for i := range next {
				next[i] += loc[1]
			}
			loc = next
			continue
		}
		vals, ok := values[name]
		if !ok || len(vals) == 0 {
			return nil, fmt.Errorf("placeholder ${%s} has no parameter value", name)
		}
		var out []string
		for _, val := range vals {
			rest, err := fillString(s[loc[1]:], values)
			if err != nil {
				return nil, err
			}
			for _, r := range rest {
				out = append(out, s[:loc[0]]+val+r)
			}
		}
		return out, nil
	}
	return []string{s}, nil
}

// outboxAEAD is the cipher sealing tokens until the operator reads them; its
// key is made on first use, in one transaction so replicas agree.
func (s *Service) outboxAEAD(ctx context.Context) (cipher.AEAD, error) {
	var v string
	err := s.update(ctx, "delegation outbox key", func(tx store.Tx) error {
		var err error
		v, err = tx.GetMeta(ctx, metaDelegationOutbox)
		if err == nil || !errors.Is(err, store.ErrNotFound) {
			return err
		}
		k := make([]byte, 32)
		if _, err := io.ReadFull(s.reader(), k); err != nil {
			return fmt.Errorf("iam: randomness: %w", err)
		}
		v = base64.StdEncoding.EncodeToString(k)
		return tx.PutMeta(ctx, metaDelegationOutbox, v)
	})
	if err != nil {
		return nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, fmt.Errorf("iam: delegation outbox key: %w", err)
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, fmt.Errorf("iam: delegation outbox key: %w", err)
	}
	return cipher.NewGCM(block)
}

func (s *Service) reader() io.Reader {
	if s.Rand != nil {
		return s.Rand
	}
	return rand.Reader
}

// issueDelegationToken gives a request being finalized its token, sealed
// for the outbox.
func (s *Service) issueDelegationToken(d *DelegationRequest, aead cipher.AEAD) error {
	secret := make([]byte, 32)
	if _, err := io.ReadFull(s.reader(), secret); err != nil {
		return fmt.Errorf("iam: randomness: %w", err)
	}
	token := delegationTokenPrefix + d.ID + "." + base64.RawURLEncoding.EncodeToString(secret)
	nonce := make([]byte, aead.NonceSize())
	if _, err := io.ReadFull(s.reader(), nonce); err != nil {
		return fmt.Errorf("iam: randomness: %w", err)
	}
	sealed := aead.Seal(nonce, nonce, []byte(token), []byte(delegationOutboxAAD+d.ID))
	h := sha256.Sum256([]byte(token))
	d.Token = &DelegationToken{Hash: h[:], Expires: s.now().Add(time.Duration(d.SessionDuration) * time.Second),
		Sealed: base64.StdEncoding.EncodeToString(sealed)}
	return nil
}

// ErrNoDelegationToken: the request has no token waiting in the outbox.
var ErrNoDelegationToken = errors.New("no delegation token waiting: the request's token was not sent or was already read")

// ReadDelegationToken returns the token waiting in the outbox for a request
// and erases it: it can be read once (the operator's stand-in for the
// partner's notification channel; no caller check, it is an administrator's
// operation on the data folder).
func (s *Service) ReadDelegationToken(ctx context.Context, requestID string) (string, error) {
	aead, err := s.outboxAEAD(ctx)
	if err != nil {
		return "", err
	}
	var token string
	err = s.update(ctx, "read delegation token", func(tx store.Tx) error {
		r, err := tx.GetIAMDelegationRequest(ctx, requestID)
		if errors.Is(err, store.ErrNotFound) {
			return delegationNotFound(requestID)
		}
		if err != nil {
			return err
		}
		d, err := delegationFrom(r)
		if err != nil {
			return err
		}
		if d.Token == nil || d.Token.Sealed == "" {
			return ErrNoDelegationToken
		}
		raw, err := base64.StdEncoding.DecodeString(d.Token.Sealed)
		if err != nil || len(raw) < aead.NonceSize() {
			return fmt.Errorf("iam: delegation token of %s: bad seal", requestID)
		}
		plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(delegationOutboxAAD+d.ID))
		if err != nil {
			return fmt.Errorf("iam: delegation token of %s: %w", requestID, err)
		}
		token = string(plain)
		d.Token.Sealed = ""
		rec, err := d.record()
		if err != nil {
			return err
		}
		return tx.ReplaceIAMDelegationRequest(ctx, rec)
	})
	return token, err
}

// RedeemDelegationToken exchanges a token once: it must be the token of a
// finalized request made by callerAccount, unused and within its delegation
// period. The token is spent even if the caller then fails to make the
// session (never twice).
func (s *Service) RedeemDelegationToken(ctx context.Context, callerAccount, token string) (DelegationGrant, error) {
	invalid := expiredToken("The provided trade-in token is not valid.")
	rest, ok := strings.CutPrefix(token, delegationTokenPrefix)
	id, _, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 || id == "" {
		return DelegationGrant{}, invalid
	}
	var g DelegationGrant
	err := s.update(ctx, "redeem delegation token", func(tx store.Tx) error {
		r, err := tx.GetIAMDelegationRequest(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return invalid
		}
		if err != nil {
			return err
		}
		d, err := delegationFrom(r)
		if err != nil {
			return err
		}
		h := sha256.Sum256([]byte(token))
		if d.Token == nil || subtle.ConstantTimeCompare(h[:], d.Token.Hash) != 1 || d.State != DelegationFinalized ||
			d.RequestorID != callerAccount {
			return invalid
		}
		if d.Token.Used {
			return expiredToken("The provided trade-in token has already been exchanged.")
		}
		if !s.now().Before(d.Token.Expires) {
			return expiredToken("The provided trade-in token has expired.")
		}
		if d.SessionPolicy == "" {
			return &fault.Error{Kind: fault.AccessDenied, Message: fmt.Sprintf(
				"Delegation request %s cannot be exchanged for credentials: %s.", d.ID, d.SessionPolicyError)}
		}
		d.Token.Used, d.Token.Sealed = true, ""
		d.Updated = s.now()
		rec, err := d.record()
		if err != nil {
			return err
		}
		g = DelegationGrant{RequestID: d.ID, AccountID: d.OwnerAccountID, PrincipalARN: d.ApproverID, Policy: d.SessionPolicy, Expires: d.Token.Expires}
		return tx.ReplaceIAMDelegationRequest(ctx, rec)
	})
	return g, err
}

// freezeDelegationPolicy resolves the template of a request about to be
// accepted, outside the accepting transaction (reads only).
func (s *Service) freezeDelegationPolicy(ctx context.Context, id string) (doc, reason string, err error) {
	err = s.view(ctx, "resolve delegation policy", func(tx store.Tx) error {
		r, err := tx.GetIAMDelegationRequest(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil // the step reports it
		}
		if err != nil {
			return err
		}
		d, err := delegationFrom(r)
		if err != nil {
			return err
		}
		doc, err = s.resolveDelegationPolicy(ctx, tx, d)
		if err != nil && fault.As(err) == nil {
			reason, doc, err = err.Error(), "", nil
		}
		return err
	})
	return doc, reason, err
}
