package oidc

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// CreateTokenInput is a CreateToken request.
type CreateTokenInput struct {
	ClientID, ClientSecret, GrantType string
	DeviceCode, Code, RefreshToken    string
	RedirectURI, CodeVerifier         string
}

// Token is an issued access token (with a refresh token when the client may refresh).
type Token struct {
	AccessToken, RefreshToken string
	ExpiresIn                 int // seconds
}

// TokenInfo is what a valid access token stands for.
type TokenInfo struct {
	UserID, SessionID, ClientID string
	Scopes                      []string
	ExpiresAt                   time.Time
}

// CreateToken redeems a device code, an authorization code or a refresh token.
func (s *Service) CreateToken(ctx context.Context, in CreateTokenInput) (Token, error) {
	var out Token
	// failure is a fault decided after changes that must be committed (the
	// last poll, a consumed code), so it is returned after the transaction.
	var failure error
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		c, err := s.client(ctx, tx, in.ClientID, in.ClientSecret)
		if err != nil {
			return err
		}
		if !mayUseGrant(c, in.GrantType) {
			return oauthErr(CodeUnauthorizedClient, "The client is not authorized for the grant type %s", in.GrantType)
		}
		var tok store.OIDCToken
		switch in.GrantType {
		case GrantDeviceCode:
			tok, failure, err = s.redeemDevice(ctx, tx, c, in.DeviceCode)
		case GrantAuthorizationCode:
			tok, failure, err = s.redeemCode(ctx, tx, c, in)
		case GrantRefreshToken:
			tok, failure, err = s.redeemRefresh(ctx, tx, c, in.RefreshToken)
		default:
			return oauthErr(CodeUnsupportedGrantType, "Unsupported grant type: %s", in.GrantType)
		}
		if err != nil || failure != nil {
			return err
		}
		out, err = s.issue(ctx, tx, c, tok)
		return err
	})
	if err == nil {
		err = failure
	}
	if err != nil {
		return Token{}, mapErr("create token", err)
	}
	return out, nil
}

func (s *Service) redeemDevice(ctx context.Context, tx store.Tx, c store.OIDCClient, code string) (store.OIDCToken, error, error) {
	d, err := tx.GetDeviceAuthorization(ctx, hash(code))
	if errors.Is(err, store.ErrNotFound) || err == nil && d.ClientID != c.ClientID {
		return store.OIDCToken{}, oauthErr(CodeInvalidGrant, "Invalid grant provided"), nil
	}
	if err != nil {
		return store.OIDCToken{}, nil, err
	}
	now := s.now()
	switch {
	case !now.Before(d.ExpiresAt):
		return store.OIDCToken{}, oauthErr(CodeExpiredToken, "The device code has expired"), tx.DeleteDeviceAuthorization(ctx, d.DeviceCodeHash)
	case d.Status == store.DeviceDenied:
		return store.OIDCToken{}, oauthErr(CodeAccessDenied, "The authorization request was denied"), tx.DeleteDeviceAuthorization(ctx, d.DeviceCodeHash)
	case d.Status == store.DevicePending:
		tooSoon := !d.LastPolledAt.IsZero() && now.Sub(d.LastPolledAt) < minPollGap(d.Interval)
		d.LastPolledAt = now
		if err := tx.UpdateDeviceAuthorization(ctx, d); err != nil {
			return store.OIDCToken{}, nil, err
		}
		if tooSoon {
			return store.OIDCToken{}, oauthErr(CodeSlowDown, "Client is polling too fast; slow down"), nil
		}
		return store.OIDCToken{}, oauthErr(CodeAuthorizationPending, "Authorization is still pending"), nil
	}
	// Approved: the code is used once.
	if err := tx.DeleteDeviceAuthorization(ctx, d.DeviceCodeHash); err != nil {
		return store.OIDCToken{}, nil, err
	}
	return store.OIDCToken{UserID: d.UserID, Scopes: d.Scopes}, nil, nil
}

// minPollGap is the shortest gap between two polls of a device code that is
// not answered SlowDownException: three quarters of the interval. A client
// that sleeps the interval between polls may still arrive a little early by
// the server's clock (timer and clock granularity, a stored poll time rounded
// up), and aws-vault treats SlowDownException as fatal; only a client that
// really polls faster than the interval is told to slow down.
func minPollGap(interval int) time.Duration {
	return time.Duration(interval) * time.Second * 3 / 4
}

// challengeOf is the PKCE S256 challenge of a verifier.
func challengeOf(verifier string) string {
	h := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

func (s *Service) redeemCode(ctx context.Context, tx store.Tx, c store.OIDCClient, in CreateTokenInput) (store.OIDCToken, error, error) {
	invalid := oauthErr(CodeInvalidGrant, "Invalid grant provided")
	ac, err := tx.GetAuthCode(ctx, hash(in.Code))
	if errors.Is(err, store.ErrNotFound) {
		return store.OIDCToken{}, invalid, nil
	}
	if err != nil {
		return store.OIDCToken{}, nil, err
	}
	// A code is tried once, right or wrong.
	if err := tx.DeleteAuthCode(ctx, ac.CodeHash); err != nil {
		return store.OIDCToken{}, nil, err
	}
	switch {
	case ac.ClientID != c.ClientID, ac.RedirectURI != in.RedirectURI:
		return store.OIDCToken{}, invalid, nil
	case !s.now().Before(ac.ExpiresAt):
		return store.OIDCToken{}, oauthErr(CodeExpiredToken, "The authorization code has expired"), nil
	case in.CodeVerifier == "" || !sameHash(challengeOf(in.CodeVerifier), hash(ac.CodeChallenge)):
		return store.OIDCToken{}, oauthErr(CodeInvalidGrant, "Invalid code verifier"), nil
	}
	return store.OIDCToken{UserID: ac.UserID, Scopes: ac.Scopes}, nil, nil
}

func (s *Service) redeemRefresh(ctx context.Context, tx store.Tx, c store.OIDCClient, refresh string) (store.OIDCToken, error, error) {
	invalid := oauthErr(CodeInvalidGrant, "Invalid refresh token provided")
	if refresh == "" {
		return store.OIDCToken{}, invalid, nil
	}
	old, err := tx.GetOIDCTokenByRefresh(ctx, hash(refresh))
	if errors.Is(err, store.ErrNotFound) {
		return store.OIDCToken{}, invalid, nil
	}
	if err != nil {
		return store.OIDCToken{}, nil, err
	}
	if old.Revoked || old.ClientID != c.ClientID {
		return store.OIDCToken{}, invalid, nil
	}
	if !s.now().Before(old.SessionExpiresAt) {
		return store.OIDCToken{}, oauthErr(CodeExpiredToken, "The session has expired"), nil
	}
	// Rotation: the old pair stops working.
	if err := tx.RevokeOIDCToken(ctx, old.AccessHash); err != nil {
		return store.OIDCToken{}, nil, err
	}
	return store.OIDCToken{UserID: old.UserID, Scopes: old.Scopes, SessionID: old.SessionID, SessionExpiresAt: old.SessionExpiresAt}, nil, nil
}

// issue stores a new token for tok's user (a new portal session unless tok names one).
func (s *Service) issue(ctx context.Context, tx store.Tx, c store.OIDCClient, tok store.OIDCToken) (Token, error) {
	now := s.now()
	access, err := s.token("aoa", 96)
	if err != nil {
		return Token{}, err
	}
	tok.AccessHash, tok.ClientID, tok.CreatedAt = hash(access), c.ClientID, now
	if tok.SessionID == "" {
		if tok.SessionID, err = s.token("", 24); err != nil {
			return Token{}, err
		}
		ttl, err := s.portalSessionTTL(ctx, tx)
		if err != nil {
			return Token{}, err
		}
		tok.SessionExpiresAt = now.Add(ttl)
	}
	out := Token{AccessToken: access}
	// Clients registered with scopes (sso-session profiles) or for refresh
	// get refresh tokens and hour-long access tokens; legacy clients get one
	// token for the whole session.
	tok.ExpiresAt = tok.SessionExpiresAt
	if len(c.Scopes) > 0 || contains(c.GrantTypes, GrantRefreshToken) {
		if out.RefreshToken, err = s.token("aor", 96); err != nil {
			return Token{}, err
		}
		tok.RefreshHash = hash(out.RefreshToken)
		if e := now.Add(s.accessTTL()); e.Before(tok.ExpiresAt) {
			tok.ExpiresAt = e
		}
	}
	if err := tx.CreateOIDCToken(ctx, tok); err != nil {
		return Token{}, err
	}
	out.ExpiresIn = int(tok.ExpiresAt.Sub(now) / time.Second)
	return out, nil
}

// AuthorizeRequest is the PKCE authorization request of GET /authorize.
type AuthorizeRequest struct {
	ClientID, RedirectURI, State, CodeChallenge, CodeChallengeMethod string
	Scopes                                                           []string
}

// Authorize issues an authorization code for the PKCE flow to a signed-in
// user and returns the redirect URL with code and state.
func (s *Service) Authorize(ctx context.Context, req AuthorizeRequest, userID string) (string, error) {
	if userID == "" {
		return "", fault.Validationf("a signed-in user is required")
	}
	if req.CodeChallengeMethod != "S256" || req.CodeChallenge == "" {
		return "", oauthErr(CodeInvalidRequest, "code_challenge with code_challenge_method S256 is required")
	}
	code, err := s.token("", 48)
	if err != nil {
		return "", err
	}
	now := s.now()
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		c, err := tx.GetOIDCClient(ctx, req.ClientID)
		if errors.Is(err, store.ErrNotFound) && isApplication(req.ClientID) {
			// An application's authorization flow (its authorization_code
			// grant); the code is redeemed with CreateTokenWithIAM.
			c, _, _, err = appClient(ctx, tx, req.ClientID)
		}
		if errors.Is(err, store.ErrNotFound) || err == nil && !now.Before(c.ExpiresAt) {
			return oauthErr(CodeInvalidClient, "Invalid client")
		}
		if err != nil {
			return err
		}
		if !contains(c.GrantTypes, GrantAuthorizationCode) {
			return oauthErr(CodeUnauthorizedClient, "The client is not authorized for the authorization_code grant")
		}
		if !redirectAllowed(c.RedirectURIs, req.RedirectURI) {
			return oauthErr(CodeInvalidRedirectURI, "The redirect URI is not registered for this client")
		}
		scopes := req.Scopes
		for _, sc := range scopes {
			if len(c.Scopes) > 0 && !contains(c.Scopes, sc) {
				return oauthErr(CodeInvalidScope, "Scope %s was not registered for this client", sc)
			}
		}
		if len(scopes) == 0 {
			scopes = c.Scopes
		}
		return tx.CreateAuthCode(ctx, store.AuthCode{CodeHash: hash(code), ClientID: c.ClientID, RedirectURI: req.RedirectURI,
			CodeChallenge: req.CodeChallenge, UserID: userID, Scopes: scopes, ExpiresAt: now.Add(CodeTTL), CreatedAt: now})
	})
	if err != nil {
		return "", mapErr("authorize", err)
	}
	u, err := url.Parse(req.RedirectURI)
	if err != nil {
		return "", oauthErr(CodeInvalidRedirectURI, "Invalid redirect URI")
	}
	q := u.Query()
	q.Set("code", code)
	if req.State != "" {
		q.Set("state", req.State)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// ResolveToken returns what a valid access token stands for; an unknown,
// revoked or expired token is an Unauthorized fault.
func (s *Service) ResolveToken(ctx context.Context, accessToken string) (TokenInfo, error) {
	var tok store.OIDCToken
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		tok, err = tx.GetOIDCTokenByAccess(ctx, hash(accessToken))
		return err
	})
	// An application's token (CreateTokenWithIAM) is for that application,
	// not for the portal.
	if errors.Is(err, store.ErrNotFound) || err == nil && (tok.Revoked || !s.now().Before(tok.ExpiresAt) || isApplication(tok.ClientID)) {
		return TokenInfo{}, oauthErr(CodeUnauthorized, "Session token not found or invalid")
	}
	if err != nil {
		return TokenInfo{}, mapErr("resolve token", err)
	}
	return TokenInfo{UserID: tok.UserID, SessionID: tok.SessionID, ClientID: tok.ClientID, Scopes: tok.Scopes, ExpiresAt: tok.ExpiresAt}, nil
}

// Logout ends the portal session of an access token: the token, its siblings
// of the same session and the role credentials issued in it stop working.
func (s *Service) Logout(ctx context.Context, accessToken string) error {
	info, err := s.ResolveToken(ctx, accessToken)
	if err != nil {
		return err
	}
	return mapErr("logout", s.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.RevokeOIDCSession(ctx, info.SessionID); err != nil {
			return err
		}
		keys, err := tx.ListOIDCSessionKeys(ctx, info.SessionID)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := tx.SetAccessKeyStatus(ctx, k, "Inactive"); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		return nil
	}))
}

// RecordSessionKey links temporary credentials to the portal session of a
// token so that Logout ends them.
func (s *Service) RecordSessionKey(ctx context.Context, sessionID, accessKeyID string) error {
	return mapErr("record session key", s.Store.Update(ctx, func(tx store.Tx) error {
		return tx.AddOIDCSessionKey(ctx, sessionID, accessKeyID)
	}))
}
