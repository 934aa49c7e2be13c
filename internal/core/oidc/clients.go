package oidc

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// RegisterClientInput is a RegisterClient request.
type RegisterClientInput struct {
	Name, Type   string
	Scopes       []string
	GrantTypes   []string
	RedirectURIs []string
	IssuerURL    string
}

// RegisteredClient is a new client with its secret (shown once).
type RegisteredClient struct {
	ClientID, ClientSecret string
	IssuedAt, ExpiresAt    time.Time
	AuthorizationEndpoint  string
	TokenEndpoint          string
}

// RegisterClient registers a public OAuth client.
func (s *Service) RegisterClient(ctx context.Context, in RegisterClientInput) (RegisteredClient, error) {
	if in.Type != "public" {
		return RegisteredClient{}, oauthErr(CodeInvalidClientMetadata, "Invalid client type: %s", in.Type)
	}
	for _, g := range in.GrantTypes {
		if g != GrantDeviceCode && g != GrantAuthorizationCode && g != GrantRefreshToken {
			return RegisteredClient{}, oauthErr(CodeUnsupportedGrantType, "Unsupported grant type: %s", g)
		}
	}
	for _, sc := range in.Scopes {
		if sc == "" || strings.ContainsAny(sc, " \t\n") {
			return RegisteredClient{}, oauthErr(CodeInvalidScope, "Invalid scope: %q", sc)
		}
	}
	for _, u := range in.RedirectURIs {
		if _, ok := loopback(u); !ok {
			return RegisteredClient{}, oauthErr(CodeInvalidRedirectURI, "Invalid redirect URI: %s (only http loopback addresses are allowed)", u)
		}
	}
	if contains(in.GrantTypes, GrantAuthorizationCode) && len(in.RedirectURIs) == 0 {
		return RegisteredClient{}, oauthErr(CodeInvalidRedirectURI, "The authorization_code grant needs at least one redirect URI")
	}
	id, err := s.token("", 16)
	if err != nil {
		return RegisteredClient{}, err
	}
	secret, err := s.token("", 48)
	if err != nil {
		return RegisteredClient{}, err
	}
	now := s.now().Truncate(time.Second)
	c := store.OIDCClient{ClientID: id, SecretHash: hash(secret), Name: in.Name, Type: in.Type, Scopes: in.Scopes,
		GrantTypes: in.GrantTypes, RedirectURIs: in.RedirectURIs, IssuerURL: in.IssuerURL, IssuedAt: now, ExpiresAt: now.Add(ClientTTL)}
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.DeleteExpiredOIDC(ctx, now.Add(-time.Hour)); err != nil {
			return err
		}
		return tx.CreateOIDCClient(ctx, c)
	})
	if err != nil {
		return RegisteredClient{}, mapErr("register client", err)
	}
	return RegisteredClient{ClientID: id, ClientSecret: secret, IssuedAt: now, ExpiresAt: c.ExpiresAt,
		AuthorizationEndpoint: s.Issuer + "/authorize", TokenEndpoint: s.Issuer + "/token"}, nil
}

// client finds a client and checks its secret and expiry (InvalidClient otherwise).
func (s *Service) client(ctx context.Context, tx store.Tx, id, secret string) (store.OIDCClient, error) {
	c, err := tx.GetOIDCClient(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return c, oauthErr(CodeInvalidClient, "Invalid client")
	}
	if err != nil {
		return c, err
	}
	if !sameHash(secret, c.SecretHash) {
		return c, oauthErr(CodeInvalidClient, "Invalid client")
	}
	if !s.now().Before(c.ExpiresAt) {
		return c, oauthErr(CodeInvalidClient, "The client registration has expired")
	}
	return c, nil
}

// loopback parses an http redirect URI on a loopback host.
func loopback(raw string) (*url.URL, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.User != nil || u.Fragment != "" {
		return nil, false
	}
	h := u.Hostname()
	if h == "localhost" {
		return u, true
	}
	ip := net.ParseIP(h)
	return u, ip != nil && ip.IsLoopback()
}

// redirectAllowed reports whether got matches a registered redirect URI,
// the port aside (RFC 8252 §7.3: loopback redirects may use any port).
func redirectAllowed(registered []string, got string) bool {
	g, ok := loopback(got)
	if !ok {
		return false
	}
	for _, r := range registered {
		u, ok := loopback(r)
		if ok && u.Hostname() == g.Hostname() && u.Path == g.Path && u.RawQuery == g.RawQuery {
			return true
		}
	}
	return false
}
