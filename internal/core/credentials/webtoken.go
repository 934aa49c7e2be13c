package credentials

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/idcenter/idcenter/internal/core/authz"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/store"
)

// Outbound web identity federation (GetWebIdentityToken): STS signs a JWT
// that names the calling AWS identity, for external services that trust the
// account's issuer URL.

// OutboundFederation reports an account's outbound web identity federation
// (iam.Service.GetOutboundWebIdentityFederationInfo).
type OutboundFederation interface {
	GetOutboundWebIdentityFederationInfo(ctx context.Context, c iam.Caller) (iam.OutboundFederation, error)
}

// Wire codes of GetWebIdentityToken's errors.
const (
	CodeOutboundDisabled           = "OutboundWebIdentityFederationDisabledException"
	CodeSessionDurationEscalation  = "SessionDurationEscalationException"
	CodeJWTPayloadSizeExceeded     = "JWTPayloadSizeExceededException"
	DefaultWebIdentityTokenSeconds = 300
	// MaxWebIdentityTokenPayload bounds the JWT's claims (tags included).
	MaxWebIdentityTokenPayload = 8192
	stsClaims                  = "https://sts.amazonaws.com/"
)

// WebIdentityToken is an issued outbound token.
type WebIdentityToken struct {
	Token      string
	Expiration time.Time
}

// signingKey returns the server key for alg (RS256 or ES384) and its key id.
func (s *Service) signingKey(ctx context.Context, alg string) (crypto.Signer, string, error) {
	name, gen := metaTokenKeyRS256, genRSAKey
	if alg == "ES384" {
		name, gen = metaTokenKeyES384, genES384Key
	}
	pemKey, err := s.serverKey(ctx, name, gen)
	if err != nil {
		return nil, "", err
	}
	k, err := parsePKCS8PEM(pemKey)
	if err != nil {
		return nil, "", err
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, "", errors.New("credentials: stored signing key is not a signer")
	}
	jwk := jose.JSONWebKey{Key: signer.Public()}
	thumb, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, "", err
	}
	return signer, base64.RawURLEncoding.EncodeToString(thumb), nil
}

// WebIdentityKeys is the JSON Web Key Set that verifies the outbound tokens.
func (s *Service) WebIdentityKeys(ctx context.Context) (jose.JSONWebKeySet, error) {
	var set jose.JSONWebKeySet
	for _, alg := range []string{"RS256", "ES384"} {
		k, kid, err := s.signingKey(ctx, alg)
		if err != nil {
			return set, err
		}
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.Public(), KeyID: kid, Algorithm: alg, Use: "sig"})
	}
	return set, nil
}

// GetWebIdentityToken signs a JWT for the caller: iss is the account's
// outbound issuer, sub the caller's ARN, aud the audiences; tags become
// request_tags claims. The caller's policies must allow
// sts:GetWebIdentityToken with sts:IdentityTokenAudience, sts:SigningAlgorithm
// and sts:DurationSeconds in the context.
func (s *Service) GetWebIdentityToken(ctx context.Context, c authz.Caller, audiences []string, durationSeconds int, alg string, tags []store.Tag) (WebIdentityToken, error) {
	const action = "sts:GetWebIdentityToken"
	if alg != "RS256" && alg != "ES384" {
		return WebIdentityToken{}, validation("SigningAlgorithm must be RS256 or ES384.")
	}
	if durationSeconds == 0 {
		durationSeconds = DefaultWebIdentityTokenSeconds
	}
	if durationSeconds < 60 || durationSeconds > 3600 {
		return WebIdentityToken{}, validation("DurationSeconds must be between 60 and 3600.")
	}
	seen := map[string]bool{}
	for _, t := range tags {
		k := strings.ToLower(t.Key)
		if seen[k] {
			return WebIdentityToken{}, validation("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[k] = true
	}
	extra := map[string][]string{"sts:identitytokenaudience": audiences, "sts:signingalgorithm": {alg},
		"sts:durationseconds": {fmt.Sprint(durationSeconds)}}
	if len(tags) > 0 {
		keys := make([]string, 0, len(tags))
		for _, t := range tags {
			extra["aws:requesttag/"+strings.ToLower(t.Key)] = []string{t.Value}
			keys = append(keys, t.Key)
		}
		extra["aws:tagkeys"] = keys
	}
	if err := s.Authz.AuthorizeWithResourcePolicy(ctx, c, action, "*", nil, extra); err != nil {
		if fe := fault.As(err); fe != nil && fe.Kind == fault.AccessDenied {
			return WebIdentityToken{}, denied("%s", fe.Message)
		}
		return WebIdentityToken{}, mapErr("get web identity token: authorise", err)
	}
	disabled := &fault.Error{Kind: fault.AccessDenied, Reason: CodeOutboundDisabled,
		Message: "Outbound web identity federation is disabled for this account. Enable it with iam:EnableOutboundWebIdentityFederation."}
	if s.Outbound == nil {
		return WebIdentityToken{}, disabled
	}
	f, err := s.Outbound.GetOutboundWebIdentityFederationInfo(ctx, iam.Caller{AccountID: c.AccountID, ARN: c.ARN})
	if fe := fault.As(err); fe != nil || err == nil && !f.Enabled {
		return WebIdentityToken{}, disabled
	}
	if err != nil {
		return WebIdentityToken{}, mapErr("get web identity token: outbound federation", err)
	}
	now := s.now()
	exp := now.Add(time.Duration(durationSeconds) * time.Second)
	if isSession(c) {
		var sess store.Session
		err := s.Store.View(ctx, func(tx store.Tx) error {
			var err error
			sess, err = tx.GetSession(ctx, c.AccessKeyID)
			return err
		})
		if err == nil && exp.After(sess.Expiration) {
			return WebIdentityToken{}, &fault.Error{Kind: fault.AccessDenied, Reason: CodeSessionDurationEscalation,
				Message: "The requested token duration exceeds the remaining duration of the calling session."}
		}
	}
	signer, kid, err := s.signingKey(ctx, alg)
	if err != nil {
		return WebIdentityToken{}, err
	}
	sigAlg := jose.RS256
	if alg == "ES384" {
		sigAlg = jose.ES384
	}
	var key any = signer
	switch k := signer.(type) {
	case *rsa.PrivateKey:
		key = k
	case *ecdsa.PrivateKey:
		key = k
	}
	js, err := jose.NewSigner(jose.SigningKey{Algorithm: sigAlg, Key: jose.JSONWebKey{Key: key, KeyID: kid}}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return WebIdentityToken{}, fmt.Errorf("credentials: web identity token signer: %w", err)
	}
	jti, err := s.random("", secretAlphabet[:62], 32)
	if err != nil {
		return WebIdentityToken{}, err
	}
	awsClaims := map[string]any{"aws_account": c.AccountID, "principal_id": c.ARN}
	if c.Region != "" {
		awsClaims["source_region"] = c.Region
	}
	if len(tags) > 0 {
		rt := map[string]string{}
		for _, t := range tags {
			rt[t.Key] = t.Value
		}
		awsClaims["request_tags"] = rt
	}
	std := jwt.Claims{Issuer: f.IssuerIdentifier, Subject: c.ARN, Audience: jwt.Audience(audiences), ID: jti,
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(exp)}
	tok, err := jwt.Signed(js).Claims(std).Claims(map[string]any{stsClaims: awsClaims}).Serialize()
	if err != nil {
		return WebIdentityToken{}, fmt.Errorf("credentials: sign web identity token: %w", err)
	}
	if parts := strings.Split(tok, "."); len(parts) == 3 && len(parts[1])*3/4 > MaxWebIdentityTokenPayload {
		return WebIdentityToken{}, &fault.Error{Kind: fault.Validation, Reason: CodeJWTPayloadSizeExceeded,
			Message: fmt.Sprintf("The JWT payload exceeds %d bytes; pass fewer or shorter tags.", MaxWebIdentityTokenPayload)}
	}
	return WebIdentityToken{Token: tok, Expiration: exp}, nil
}
