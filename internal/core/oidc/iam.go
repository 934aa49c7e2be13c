package oidc

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/idcenter/idcenter/internal/store"
)

// Grant types of CreateTokenWithIAM beyond CreateToken's.
const (
	GrantJWTBearer     = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	GrantTokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange"
	// TokenTypeAccess is the token type of token exchange's subject and result.
	TokenTypeAccess = "urn:ietf:params:oauth:token-type:access_token"
	// TokenTypeRefresh may be requested from a token exchange.
	TokenTypeRefresh = "urn:ietf:params:oauth:token-type:refresh_token"
	// jwtLeeway is the clock skew tolerated on an assertion's exp and nbf.
	jwtLeeway = time.Minute
)

// Fetcher reads a document of a trusted token issuer (its OpenID
// configuration and its JWKS) over HTTPS; the composition root provides it.
type Fetcher func(ctx context.Context, url string) ([]byte, error)

// IAMTokenInput is a CreateTokenWithIAM request. ClientID is the
// application's ARN.
type IAMTokenInput struct {
	ClientID, GrantType                                string
	Code, RedirectURI, CodeVerifier                    string
	RefreshToken, Assertion                            string
	SubjectToken, SubjectTokenType, RequestedTokenType string
	Scopes                                             []string
}

// IAMToken is CreateTokenWithIAM's answer.
type IAMToken struct {
	AccessToken, RefreshToken, IDToken string
	IssuedTokenType                    string // token exchange only
	ExpiresIn                          int
	Scopes                             []string
}

// appGrant is an application's grant as sso-admin stores it (core/access.Grant).
type appGrant struct {
	RedirectURIs           []string `json:"redirectUris,omitempty"`
	AuthorizedTokenIssuers []struct {
		TrustedTokenIssuerARN string   `json:"trustedTokenIssuerArn"`
		AuthorizedAudiences   []string `json:"authorizedAudiences,omitempty"`
	} `json:"authorizedTokenIssuers,omitempty"`
}

// isApplication reports whether a client id is an application's ARN.
func isApplication(clientID string) bool {
	return strings.HasPrefix(clientID, "arn:aws:sso::") && strings.Contains(clientID, ":application/")
}

// appClient presents an application as an OAuth client: its grant types,
// the redirect URIs of its authorization_code grant and its access scopes.
func appClient(ctx context.Context, tx store.Tx, arn string) (store.OIDCClient, store.Application, map[string]appGrant, error) {
	app, err := tx.GetApplication(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return store.OIDCClient{}, app, nil, oauthErr(CodeInvalidClient, "Invalid client: no application %s", arn)
	}
	if err != nil {
		return store.OIDCClient{}, app, nil, err
	}
	if app.Status == "DISABLED" {
		return store.OIDCClient{}, app, nil, oauthErr(CodeInvalidClient, "The application %s is disabled", arn)
	}
	c := store.OIDCClient{ClientID: arn, Name: app.Name, Type: "confidential", ExpiresAt: time.Unix(1<<40, 0)}
	grants := map[string]appGrant{}
	settings, err := allSettings(ctx, tx, arn, store.SettingGrant)
	if err != nil {
		return c, app, nil, err
	}
	for _, st := range settings {
		var g appGrant
		if err := json.Unmarshal([]byte(st.Value), &g); err != nil {
			return c, app, nil, fmt.Errorf("oidc: grant %s of %s: %w", st.Key, arn, err)
		}
		grants[st.Key] = g
		c.GrantTypes = append(c.GrantTypes, st.Key)
	}
	c.RedirectURIs = grants[GrantAuthorizationCode].RedirectURIs
	scopes, err := allSettings(ctx, tx, arn, store.SettingAccessScope)
	if err != nil {
		return c, app, nil, err
	}
	for _, st := range scopes {
		c.Scopes = append(c.Scopes, st.Key)
	}
	return c, app, grants, nil
}

func allSettings(ctx context.Context, tx store.Tx, arn, kind string) ([]store.SSOSetting, error) {
	var out []store.SSOSetting
	for p := (store.Page{Limit: 100}); ; {
		ss, err := tx.ListSSOSettings(ctx, arn, kind, p)
		if err != nil {
			return nil, err
		}
		out = append(out, ss...)
		if len(ss) < p.Limit {
			return out, nil
		}
		p.After = ss[len(ss)-1].Key
	}
}

// CreateTokenWithIAM issues an application's tokens to the IAM principal
// that called (the authorisation point has checked
// sso-oauth:CreateTokenWithIAM on the application): for an authorization
// code of the application's authorization flow, a refresh token, a JWT of a
// trusted token issuer the application's jwt-bearer grant accepts, or (token
// exchange) an access token idcenter issued to another application.
func (s *Service) CreateTokenWithIAM(ctx context.Context, in IAMTokenInput) (IAMToken, error) {
	if !isApplication(in.ClientID) {
		return IAMToken{}, oauthErr(CodeInvalidClient, "Invalid client: clientId must be an application ARN")
	}
	// The assertion's issuer documents are fetched before the transaction.
	var claims *assertionClaims
	if in.GrantType == GrantJWTBearer {
		var err error
		if claims, err = s.verifyAssertion(ctx, in.ClientID, in.Assertion); err != nil {
			return IAMToken{}, mapErr("create token with iam", err)
		}
	}
	var out IAMToken
	var failure error
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		c, app, _, err := appClient(ctx, tx, in.ClientID)
		if err != nil {
			return err
		}
		switch in.GrantType {
		case GrantAuthorizationCode, GrantRefreshToken, GrantJWTBearer, GrantTokenExchange:
		default:
			return oauthErr(CodeUnsupportedGrantType, "Unsupported grant type: %s", in.GrantType)
		}
		if !contains(c.GrantTypes, in.GrantType) {
			return oauthErr(CodeUnauthorizedClient, "The application is not authorized for the grant type %s", in.GrantType)
		}
		var tok store.OIDCToken
		switch in.GrantType {
		case GrantAuthorizationCode:
			tok, failure, err = s.redeemCode(ctx, tx, c, CreateTokenInput{Code: in.Code, RedirectURI: in.RedirectURI, CodeVerifier: in.CodeVerifier})
		case GrantRefreshToken:
			tok, failure, err = s.redeemRefresh(ctx, tx, c, in.RefreshToken)
		case GrantJWTBearer:
			tok.UserID, failure, err = s.userOfClaims(ctx, tx, app, claims)
		case GrantTokenExchange:
			tok, failure, err = s.exchange(ctx, tx, in)
		}
		if err != nil || failure != nil {
			return err
		}
		if failure, err = s.mayUse(ctx, tx, app, tok.UserID); err != nil || failure != nil {
			return err
		}
		scopes, err := grantScopes(c, in.Scopes, tok.Scopes, in.GrantType)
		if err != nil {
			failure = err
			return nil
		}
		tok.Scopes = scopes
		if in.GrantType == GrantTokenExchange && in.RequestedTokenType != TokenTypeRefresh {
			c.GrantTypes = without(c.GrantTypes, GrantRefreshToken) // an exchanged access token comes alone
		}
		if in.GrantType != GrantRefreshToken {
			tok.SessionID, tok.SessionExpiresAt = "", time.Time{} // a new session for the application
		}
		t, err := s.issue(ctx, tx, c, tok)
		if err != nil {
			return err
		}
		if !contains(c.GrantTypes, GrantRefreshToken) {
			t.RefreshToken = ""
		}
		out = IAMToken{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, ExpiresIn: t.ExpiresIn, Scopes: scopes}
		if in.GrantType == GrantTokenExchange {
			out.IssuedTokenType = TokenTypeAccess
		}
		out.IDToken, err = s.idToken(ctx, tx, app, tok.UserID, t.ExpiresIn)
		return err
	})
	if err == nil {
		err = failure
	}
	if err != nil {
		return IAMToken{}, mapErr("create token with iam", err)
	}
	return out, nil
}

func without(list []string, v string) []string {
	var out []string
	for _, x := range list {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

// grantScopes decides the scopes of the new token: the requested ones (each
// an access scope of the application), else those of the code or refreshed
// token, else all the application's scopes.
func grantScopes(c store.OIDCClient, requested, previous []string, grant string) ([]string, error) {
	for _, sc := range requested {
		if !contains(c.Scopes, sc) {
			return nil, oauthErr(CodeInvalidScope, "Scope %s is not an access scope of the application", sc)
		}
		if (grant == GrantRefreshToken || grant == GrantAuthorizationCode) && len(previous) > 0 && !contains(previous, sc) {
			return nil, oauthErr(CodeInvalidScope, "Scope %s was not granted", sc)
		}
	}
	switch {
	case len(requested) > 0:
		return requested, nil
	case len(previous) > 0 && (grant == GrantRefreshToken || grant == GrantAuthorizationCode):
		return previous, nil
	}
	return c.Scopes, nil
}

// mayUse refuses (AccessDeniedException) a user who is gone, disabled, or
// not assigned to an application that requires assignment.
func (s *Service) mayUse(ctx context.Context, tx store.Tx, app store.Application, userID string) (error, error) {
	denied := oauthErr(CodeAccessDenied, "The user may not use this application")
	ins, err := tx.GetInstance(ctx, app.InstanceARN)
	if err != nil {
		return nil, err
	}
	u, err := tx.GetUser(ctx, ins.IdentityStoreID, userID)
	if errors.Is(err, store.ErrNotFound) || err == nil && u.Status == "DISABLED" {
		return denied, nil
	}
	if err != nil || !app.AssignmentRequired {
		return nil, err
	}
	principals := []store.ApplicationAssignmentFilter{{ApplicationARN: app.ARN, PrincipalType: "USER", PrincipalID: userID}}
	for p := (store.Page{Limit: 100}); ; {
		ms, err := tx.ListMembershipsByUser(ctx, ins.IdentityStoreID, userID, p)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			principals = append(principals, store.ApplicationAssignmentFilter{ApplicationARN: app.ARN, PrincipalType: "GROUP", PrincipalID: m.GroupID})
		}
		if len(ms) < p.Limit {
			break
		}
		p.After = ms[len(ms)-1].MembershipID
	}
	for _, f := range principals {
		as, err := tx.ListApplicationAssignments(ctx, app.InstanceARN, f, store.Page{Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(as) > 0 {
			return nil, nil
		}
	}
	return denied, nil
}

// exchange redeems (token exchange) an access token idcenter issued.
func (s *Service) exchange(ctx context.Context, tx store.Tx, in IAMTokenInput) (store.OIDCToken, error, error) {
	if in.SubjectTokenType != TokenTypeAccess {
		return store.OIDCToken{}, oauthErr(CodeInvalidRequest, "subjectTokenType must be %s", TokenTypeAccess), nil
	}
	if in.RequestedTokenType != "" && in.RequestedTokenType != TokenTypeAccess && in.RequestedTokenType != TokenTypeRefresh {
		return store.OIDCToken{}, oauthErr(CodeInvalidRequest, "Unsupported requestedTokenType %s", in.RequestedTokenType), nil
	}
	invalid := oauthErr(CodeInvalidGrant, "Invalid subject token provided")
	if in.SubjectToken == "" {
		return store.OIDCToken{}, invalid, nil
	}
	t, err := tx.GetOIDCTokenByAccess(ctx, hash(in.SubjectToken))
	if errors.Is(err, store.ErrNotFound) {
		return store.OIDCToken{}, invalid, nil
	}
	if err != nil {
		return store.OIDCToken{}, nil, err
	}
	if t.Revoked {
		return store.OIDCToken{}, invalid, nil
	}
	if !s.now().Before(t.ExpiresAt) {
		return store.OIDCToken{}, oauthErr(CodeExpiredToken, "The subject token has expired"), nil
	}
	return store.OIDCToken{UserID: t.UserID}, nil, nil
}

// ---- jwt-bearer: assertions of trusted token issuers ----

// assertionClaims is a verified assertion: the issuer that signed it and
// its claims.
type assertionClaims struct {
	IssuerARN string
	Raw       map[string]any
}

// verifyAssertion checks a JWT against the trusted token issuers of the
// application's jwt-bearer grant: signature (the issuer's JWKS, found by
// OpenID discovery), iss, aud (one of the grant's authorised audiences for
// that issuer), exp and nbf.
func (s *Service) verifyAssertion(ctx context.Context, appARN, assertion string) (*assertionClaims, error) {
	invalid := func(why string) error { return oauthErr(CodeInvalidGrant, "Invalid assertion: %s", why) }
	tok, err := jwt.ParseSigned(assertion, []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512,
		jose.PS256, jose.PS384, jose.PS512, jose.ES256, jose.ES384, jose.ES512, jose.EdDSA})
	if err != nil {
		return nil, invalid("not a signed JWT")
	}
	var unverified jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&unverified); err != nil || unverified.Issuer == "" {
		return nil, invalid("no iss claim")
	}
	// Which of the grant's issuers is it?
	var tti store.TrustedTokenIssuer
	var audiences []string
	err = s.Store.View(ctx, func(tx store.Tx) error {
		st, err := tx.GetSSOSetting(ctx, appARN, store.SettingGrant, GrantJWTBearer)
		if errors.Is(err, store.ErrNotFound) {
			return oauthErr(CodeUnauthorizedClient, "The application is not authorized for the grant type %s", GrantJWTBearer)
		}
		if err != nil {
			return err
		}
		var g appGrant
		if err := json.Unmarshal([]byte(st.Value), &g); err != nil {
			return err
		}
		for _, ati := range g.AuthorizedTokenIssuers {
			t, err := tx.GetTrustedTokenIssuer(ctx, ati.TrustedTokenIssuerARN)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if strings.TrimSuffix(t.IssuerURL, "/") == strings.TrimSuffix(unverified.Issuer, "/") {
				tti, audiences = t, ati.AuthorizedAudiences
				return nil
			}
		}
		return invalid("its issuer is not trusted by the application")
	})
	if err != nil {
		return nil, err
	}
	keys, cached, err := s.issuerKeys(ctx, tti.IssuerURL, false)
	if err != nil {
		return nil, err
	}
	var claims jwt.Claims
	raw := map[string]any{}
	if err := tok.Claims(keys, &claims, &raw); err != nil && cached {
		// The issuer may have rotated its keys since they were cached.
		if keys, _, err = s.issuerKeys(ctx, tti.IssuerURL, true); err != nil {
			return nil, err
		}
		err = tok.Claims(keys, &claims, &raw)
	}
	if err != nil {
		return nil, invalid("the signature does not verify with the issuer's keys")
	}
	if err := claims.ValidateWithLeeway(jwt.Expected{Issuer: unverified.Issuer, Time: s.now()}, jwtLeeway); err != nil {
		if errors.Is(err, jwt.ErrExpired) {
			return nil, oauthErr(CodeInvalidGrant, "Invalid assertion: it has expired")
		}
		return nil, invalid(err.Error())
	}
	if claims.Expiry == nil {
		return nil, invalid("no exp claim")
	}
	audOK := false
	for _, a := range claims.Audience {
		if contains(audiences, a) {
			audOK = true
		}
	}
	if !audOK {
		return nil, invalid("its audience is not authorized for the application")
	}
	return &assertionClaims{IssuerARN: tti.ARN, Raw: raw}, nil
}

// jwksTTL is how long an issuer's keys are kept; a signature that does not
// verify with kept keys fetches them again.
const jwksTTL = 5 * time.Minute

// jwksCache keeps issuers' keys.
type jwksCache struct {
	mu   sync.Mutex
	keys map[string]cachedKeys
}

type cachedKeys struct {
	set *jose.JSONWebKeySet
	at  time.Time
}

// issuerKeys returns an issuer's JWKS, fetched by OpenID discovery or kept
// from a fetch within jwksTTL (unless fresh); cached reports the latter.
func (s *Service) issuerKeys(ctx context.Context, issuer string, fresh bool) (*jose.JSONWebKeySet, bool, error) {
	now := s.now()
	s.jwks.mu.Lock()
	k, ok := s.jwks.keys[issuer]
	s.jwks.mu.Unlock()
	if ok && !fresh && now.Sub(k.at) < jwksTTL && !now.Before(k.at) {
		return k.set, true, nil
	}
	set, err := s.fetchKeys(ctx, issuer)
	if err != nil {
		return nil, false, err
	}
	s.jwks.mu.Lock()
	if s.jwks.keys == nil {
		s.jwks.keys = map[string]cachedKeys{}
	}
	s.jwks.keys[issuer] = cachedKeys{set: set, at: now}
	s.jwks.mu.Unlock()
	return set, false, nil
}

// fetchKeys reads an issuer's OpenID configuration and then its JWKS.
func (s *Service) fetchKeys(ctx context.Context, issuer string) (*jose.JSONWebKeySet, error) {
	unreachable := func(what string, err error) error {
		return oauthErr(CodeInvalidGrant, "Invalid assertion: the issuer's %s could not be read (%v)", what, err)
	}
	if s.Fetch == nil {
		return nil, unreachable("keys", errors.New("no fetcher configured"))
	}
	doc, err := s.Fetch(ctx, strings.TrimSuffix(issuer, "/")+"/.well-known/openid-configuration")
	if err != nil {
		return nil, unreachable("OpenID configuration", err)
	}
	var conf struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(doc, &conf); err != nil || conf.JWKSURI == "" {
		return nil, unreachable("OpenID configuration", errors.New("no jwks_uri"))
	}
	raw, err := s.Fetch(ctx, conf.JWKSURI)
	if err != nil {
		return nil, unreachable("JWKS", err)
	}
	var keys jose.JSONWebKeySet
	if err := json.Unmarshal(raw, &keys); err != nil {
		return nil, unreachable("JWKS", err)
	}
	return &keys, nil
}

// userOfClaims maps the issuer's claim (ClaimAttributePath) to the identity
// store attribute (IdentityStoreAttributePath: userName, emails.value or
// externalIds.id) to find the user.
func (s *Service) userOfClaims(ctx context.Context, tx store.Tx, app store.Application, c *assertionClaims) (string, error, error) {
	tti, err := tx.GetTrustedTokenIssuer(ctx, c.IssuerARN)
	if err != nil {
		return "", nil, err
	}
	ins, err := tx.GetInstance(ctx, app.InstanceARN)
	if err != nil {
		return "", nil, err
	}
	noUser := oauthErr(CodeInvalidGrant, "Invalid assertion: no user matches its %s claim", tti.ClaimAttributePath)
	v := claimAt(c.Raw, tti.ClaimAttributePath)
	if v == "" {
		return "", noUser, nil
	}
	var l store.UserLookup
	switch strings.ToLower(tti.IdentityStoreAttributePath) {
	case "username":
		l.UserName = v
	case "emails.value", "email", "emails":
		l.Email = v
	case "externalids.id", "externalid":
		l.ExternalID = &store.ExternalID{Issuer: tti.IssuerURL, ID: v}
	default:
		return "", oauthErr(CodeInvalidRequest, "Unsupported IdentityStoreAttributePath %s", tti.IdentityStoreAttributePath), nil
	}
	id, err := tx.FindUserID(ctx, ins.IdentityStoreID, l)
	if errors.Is(err, store.ErrNotFound) {
		return "", noUser, nil
	}
	return id, nil, err
}

// claimAt reads a string claim by a dotted path.
func claimAt(m map[string]any, path string) string {
	var cur any = m
	for _, part := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = mm[part]
	}
	s, _ := cur.(string)
	return s
}

// ---- the ID token ----

// signer signs ID tokens with a key made when the server starts: AWS's ID
// tokens are read (for sts:identity_context), not verified, by their users.
type signer struct {
	once sync.Once
	sig  jose.Signer
	err  error
}

func (s *Service) idSigner() (jose.Signer, error) {
	s.signer.once.Do(func() {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			s.signer.err = err
			return
		}
		s.signer.sig, s.signer.err = jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: k},
			(&jose.SignerOptions{}).WithType("JWT"))
	})
	return s.signer.sig, s.signer.err
}

// idToken is the OpenID ID token of a user for an application, with the
// identity context STS's ProvidedContexts take (sts:identity_context).
func (s *Service) idToken(ctx context.Context, tx store.Tx, app store.Application, userID string, expiresIn int) (string, error) {
	ins, err := tx.GetInstance(ctx, app.InstanceARN)
	if err != nil {
		return "", err
	}
	sig, err := s.idSigner()
	if err != nil {
		return "", fmt.Errorf("oidc: id token key: %w", err)
	}
	now := s.now()
	claims := map[string]any{
		"iss": s.Issuer, "sub": userID, "aud": app.ARN,
		"iat": now.Unix(), "exp": now.Add(time.Duration(expiresIn) * time.Second).Unix(),
		"sts:identity_context": fmt.Sprintf("identitystore:%s/%s", ins.IdentityStoreID, userID),
		"sts:audit_context":    "",
	}
	if u, err := tx.GetUser(ctx, ins.IdentityStoreID, userID); err == nil {
		claims["identitystore:user_id"] = u.UserID
		claims["identitystore:identitystore_arn"] = "arn:aws:identitystore::" + ins.OwnerAccountID + ":identitystore/" + ins.IdentityStoreID
		claims["username"] = u.UserName
	}
	return jwt.Signed(sig).Claims(claims).Serialize()
}
