package app_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/idcenter/idcenter/internal/core/oidc"
)

// testIssuer is an OIDC provider (a trusted token issuer) on an httptest TLS
// server: discovery document, JWKS, and JWTs signed with its key.
type testIssuer struct {
	srv *httptest.Server
	mu  sync.Mutex // guards key and kid (the issuer rotates its key)
	key *rsa.PrivateKey
	kid string
}

func (iss *testIssuer) current() (*rsa.PrivateKey, string) {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	return iss.key, iss.kid
}

func newTestIssuer(t *testing.T) *testIssuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	iss := &testIssuer{key: key, kid: "k1"}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": iss.srv.URL, "jwks_uri": iss.srv.URL + "/jwks"})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		key, kid := iss.current()
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: kid, Algorithm: "RS256", Use: "sig"}}})
	})
	iss.srv = httptest.NewTLSServer(mux)
	t.Cleanup(iss.srv.Close)
	return iss
}

// fetch reads the issuer's documents trusting its test certificate.
func (iss *testIssuer) fetch(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := iss.srv.Client().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// sign makes a JWT with the given claims, signed by key (the issuer's own
// when nil).
func (iss *testIssuer) sign(t *testing.T, claims map[string]any, key *rsa.PrivateKey) string {
	t.Helper()
	cur, kid := iss.current()
	if key == nil {
		key = cur
	}
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	s, err := jwt.Signed(sig).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// iamApp is an application with a jwt-bearer grant trusting the test
// issuer for audience "api", refresh, token exchange and the
// authorization_code grant, and the access scope "openid".
type iamApp struct {
	w   *ssoWorld
	clk *testClock
	iss *testIssuer
	arn string
	c   *ssooidc.Client
}

func newIAMApp(t *testing.T) *iamApp {
	t.Helper()
	ctx := context.Background()
	ts, clk := startClockServer(t)
	iss := newTestIssuer(t)
	ts.OIDC.Fetch = iss.fetch
	w := newSSOWorld(t, ts)
	c := w.sso
	created, err := c.CreateApplication(ctx, &ssoadmin.CreateApplicationInput{InstanceArn: &w.inst,
		ApplicationProviderArn: aws.String(customProvider), Name: aws.String("api")})
	if err != nil {
		t.Fatalf("CreateApplication: %v", err)
	}
	app := aws.ToString(created.ApplicationArn)
	tti, err := c.CreateTrustedTokenIssuer(ctx, &ssoadmin.CreateTrustedTokenIssuerInput{InstanceArn: &w.inst, Name: aws.String("test-idp"),
		TrustedTokenIssuerType: ssotypes.TrustedTokenIssuerTypeOidcJwt,
		TrustedTokenIssuerConfiguration: &ssotypes.TrustedTokenIssuerConfigurationMemberOidcJwtConfiguration{Value: ssotypes.OidcJwtConfiguration{
			IssuerUrl: aws.String(iss.srv.URL), ClaimAttributePath: aws.String("email"), IdentityStoreAttributePath: aws.String("emails.value"),
			JwksRetrievalOption: ssotypes.JwksRetrievalOptionOpenIdDiscovery}}})
	if err != nil {
		t.Fatalf("CreateTrustedTokenIssuer: %v", err)
	}
	if _, err := c.PutApplicationAccessScope(ctx, &ssoadmin.PutApplicationAccessScopeInput{ApplicationArn: &app, Scope: aws.String("openid")}); err != nil {
		t.Fatalf("PutApplicationAccessScope: %v", err)
	}
	grants := map[ssotypes.GrantType]ssotypes.Grant{
		ssotypes.GrantTypeJwtBearer: &ssotypes.GrantMemberJwtBearer{Value: ssotypes.JwtBearerGrant{AuthorizedTokenIssuers: []ssotypes.AuthorizedTokenIssuer{
			{TrustedTokenIssuerArn: tti.TrustedTokenIssuerArn, AuthorizedAudiences: []string{"api"}}}}},
		ssotypes.GrantTypeRefreshToken:  &ssotypes.GrantMemberRefreshToken{},
		ssotypes.GrantTypeTokenExchange: &ssotypes.GrantMemberTokenExchange{},
		ssotypes.GrantTypeAuthorizationCode: &ssotypes.GrantMemberAuthorizationCode{Value: ssotypes.AuthorizationCodeGrant{
			RedirectUris: []string{"http://127.0.0.1:8400/callback"}}},
	}
	for gt, g := range grants {
		if _, err := c.PutApplicationGrant(ctx, &ssoadmin.PutApplicationGrantInput{ApplicationArn: &app, GrantType: gt, Grant: g}); err != nil {
			t.Fatalf("PutApplicationGrant(%s): %v", gt, err)
		}
	}
	return &iamApp{w: w, clk: clk, iss: iss, arn: app, c: ssooidc.NewFromConfig(ts.rootConfig(t))}
}

// user makes an identity store user with a primary email, assigned to the
// application (which requires assignment) or not.
func (a *iamApp) user(t *testing.T, name, email string, assigned bool) string {
	t.Helper()
	out, err := a.w.ids.CreateUser(context.Background(), &identitystore.CreateUserInput{
		IdentityStoreId: aws.String(a.w.ts.World.Instance.IdentityStoreID), UserName: aws.String(name), DisplayName: aws.String(name),
		Name:   &idtypes.Name{GivenName: aws.String(name), FamilyName: aws.String("Test")},
		Emails: []idtypes.Email{{Value: aws.String(email), Primary: true, Type: aws.String("work")}}})
	if err != nil {
		t.Fatalf("CreateUser %s: %v", name, err)
	}
	if assigned {
		if _, err := a.w.sso.CreateApplicationAssignment(context.Background(), &ssoadmin.CreateApplicationAssignmentInput{
			ApplicationArn: &a.arn, PrincipalId: out.UserId, PrincipalType: ssotypes.PrincipalTypeUser}); err != nil {
			t.Fatalf("CreateApplicationAssignment: %v", err)
		}
	}
	return aws.ToString(out.UserId)
}

func (a *iamApp) assertion(t *testing.T, email string, mutate func(map[string]any)) string {
	t.Helper()
	now := a.clk.Now()
	claims := map[string]any{"iss": a.iss.srv.URL, "sub": "idp-" + email, "aud": "api", "email": email,
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix()}
	if mutate != nil {
		mutate(claims)
	}
	return a.iss.sign(t, claims, nil)
}

func (a *iamApp) jwtBearer(assertion string) (*ssooidc.CreateTokenWithIAMOutput, error) {
	return a.c.CreateTokenWithIAM(context.Background(), &ssooidc.CreateTokenWithIAMInput{ClientId: &a.arn,
		GrantType: aws.String(oidc.GrantJWTBearer), Assertion: &assertion})
}

// idClaims decodes (without verifying) the ID token's claims.
func idClaims(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("id token %q is not a JWT", tok)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestCreateTokenWithIAMJWTBearer: an IAM principal exchanges a trusted
// token issuer's JWT for the application's tokens of the user the JWT's
// email claim names; refresh and token exchange follow; bad assertions get
// the documented errors; a principal without sso-oauth:CreateTokenWithIAM is
// denied.
func TestCreateTokenWithIAMJWTBearer(t *testing.T) {
	a := newIAMApp(t)
	ctx := context.Background()
	bojan := a.user(t, "Bojan", "bojan@example.com", true)
	store := a.w.ts.World.Instance.IdentityStoreID

	out, err := a.jwtBearer(a.assertion(t, "bojan@example.com", nil))
	if err != nil {
		t.Fatalf("CreateTokenWithIAM(jwt-bearer): %v", err)
	}
	if aws.ToString(out.AccessToken) == "" || aws.ToString(out.RefreshToken) == "" || aws.ToString(out.TokenType) != "Bearer" ||
		out.ExpiresIn != 3600 || len(out.Scope) != 1 || out.Scope[0] != "openid" {
		t.Fatalf("jwt-bearer tokens = %+v", out)
	}
	idc := idClaims(t, aws.ToString(out.IdToken))
	if idc["sub"] != bojan || idc["aud"] != a.arn || idc["sts:identity_context"] != "identitystore:"+store+"/"+bojan {
		t.Fatalf("id token claims = %v", idc)
	}
	// The application's token is not a portal token.
	_, err = sso.NewFromConfig(a.w.ts.rootConfig(t)).ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: out.AccessToken})
	wantCode(t, "the application's token at the portal", err, "UnauthorizedException")

	// Refresh: a new pair; the old refresh token is spent.
	ref, err := a.c.CreateTokenWithIAM(ctx, &ssooidc.CreateTokenWithIAMInput{ClientId: &a.arn, GrantType: aws.String("refresh_token"),
		RefreshToken: out.RefreshToken})
	if err != nil || aws.ToString(ref.AccessToken) == "" || aws.ToString(ref.AccessToken) == aws.ToString(out.AccessToken) {
		t.Fatalf("refresh = %+v, %v", ref, err)
	}
	_, err = a.c.CreateTokenWithIAM(ctx, &ssooidc.CreateTokenWithIAMInput{ClientId: &a.arn, GrantType: aws.String("refresh_token"),
		RefreshToken: out.RefreshToken})
	wantCode(t, "a spent refresh token", err, "InvalidGrantException")

	// Token exchange of the refreshed access token.
	ex, err := a.c.CreateTokenWithIAM(ctx, &ssooidc.CreateTokenWithIAMInput{ClientId: &a.arn, GrantType: aws.String(oidc.GrantTokenExchange),
		SubjectToken: ref.AccessToken, SubjectTokenType: aws.String(oidc.TokenTypeAccess), RequestedTokenType: aws.String(oidc.TokenTypeAccess)})
	if err != nil || aws.ToString(ex.AccessToken) == "" || aws.ToString(ex.IssuedTokenType) != oidc.TokenTypeAccess || aws.ToString(ex.RefreshToken) != "" {
		t.Fatalf("token exchange = %+v, %v", ex, err)
	}
	_, err = a.c.CreateTokenWithIAM(ctx, &ssooidc.CreateTokenWithIAMInput{ClientId: &a.arn, GrantType: aws.String(oidc.GrantTokenExchange),
		SubjectToken: aws.String("not-a-token"), SubjectTokenType: aws.String(oidc.TokenTypeAccess)})
	wantCode(t, "exchange of an unknown token", err, "InvalidGrantException")

	a.user(t, "Ana", "ana@example.com", false)
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	for _, tc := range []struct {
		name, assertion, code string
	}{
		{"not a JWT", "abc.def", "InvalidGrantException"},
		{"signed by another key", a.iss.sign(t, map[string]any{"iss": a.iss.srv.URL, "aud": "api", "email": "bojan@example.com",
			"exp": a.clk.Now().Add(time.Minute).Unix()}, other), "InvalidGrantException"},
		{"wrong audience", a.assertion(t, "bojan@example.com", func(m map[string]any) { m["aud"] = "other" }), "InvalidGrantException"},
		{"expired", a.assertion(t, "bojan@example.com", func(m map[string]any) { m["exp"] = a.clk.Now().Add(-time.Hour).Unix() }), "InvalidGrantException"},
		{"untrusted issuer", a.assertion(t, "bojan@example.com", func(m map[string]any) { m["iss"] = "https://evil.example.com" }), "InvalidGrantException"},
		{"no such user", a.assertion(t, "nobody@example.com", nil), "InvalidGrantException"},
		{"a user not assigned to the application", a.assertion(t, "ana@example.com", nil), "AccessDeniedException"},
	} {
		_, err := a.jwtBearer(tc.assertion)
		wantCode(t, tc.name, err, tc.code)
	}

	for _, tc := range []struct {
		name string
		in   ssooidc.CreateTokenWithIAMInput
		code string
	}{
		{"unsupported grant", ssooidc.CreateTokenWithIAMInput{ClientId: &a.arn, GrantType: aws.String("password")}, "UnsupportedGrantTypeException"},
		{"not an application", ssooidc.CreateTokenWithIAMInput{ClientId: aws.String("client-1"), GrantType: aws.String("refresh_token")}, "InvalidClientException"},
		{"unknown scope", ssooidc.CreateTokenWithIAMInput{ClientId: &a.arn, GrantType: aws.String(oidc.GrantJWTBearer),
			Assertion: aws.String(a.assertion(t, "bojan@example.com", nil)), Scope: []string{"sso:account:access"}}, "InvalidScopeException"},
	} {
		_, err := a.c.CreateTokenWithIAM(ctx, &tc.in)
		wantCode(t, tc.name, err, tc.code)
	}

	// The issuer rotates its key: the kept keys fail, the new ones are fetched.
	newKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	a.iss.mu.Lock()
	a.iss.key, a.iss.kid = newKey, "k2"
	a.iss.mu.Unlock()
	if _, err := a.jwtBearer(a.assertion(t, "bojan@example.com", nil)); err != nil {
		t.Fatalf("after the issuer's key rotation: %v", err)
	}

	// An IAM user without sso-oauth:CreateTokenWithIAM is denied by the authorisation point.
	ic := iam.NewFromConfig(a.w.ts.rootConfig(t))
	if _, err := ic.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("app-backend")}); err != nil {
		t.Fatal(err)
	}
	k, err := ic.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("app-backend")})
	if err != nil {
		t.Fatal(err)
	}
	noPerm := ssooidc.NewFromConfig(a.w.ts.awsConfig(t, aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey)))
	_, err = noPerm.CreateTokenWithIAM(ctx, &ssooidc.CreateTokenWithIAMInput{ClientId: &a.arn, GrantType: aws.String(oidc.GrantJWTBearer),
		Assertion: aws.String(a.assertion(t, "bojan@example.com", nil))})
	wantCode(t, "a principal without sso-oauth:CreateTokenWithIAM", err, "AccessDeniedException")
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sso-oauth:CreateTokenWithIAM","Resource":"` + a.arn + `"}]}`
	if _, err := ic.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("app-backend"), PolicyName: aws.String("tokens"),
		PolicyDocument: &policy}); err != nil {
		t.Fatal(err)
	}
	a.clk.Add(2 * time.Second)
	if _, err := noPerm.CreateTokenWithIAM(ctx, &ssooidc.CreateTokenWithIAMInput{ClientId: &a.arn, GrantType: aws.String(oidc.GrantJWTBearer),
		Assertion: aws.String(a.assertion(t, "bojan@example.com", nil))}); err != nil {
		t.Fatalf("with the permission: %v", err)
	}
}

// TestCreateTokenWithIAMAuthorizationCode: a user approves the
// application's authorization request (PKCE) in the portal; the
// application's backend redeems the code with CreateTokenWithIAM, once.
func TestCreateTokenWithIAMAuthorizationCode(t *testing.T) {
	a := newIAMApp(t)
	ctx := context.Background()
	bojan := a.user(t, "Bojan", "bojan@example.com", true)
	verifier := "a-very-long-code-verifier-0123456789-abcdefghijklmnop"
	redirect, err := a.w.ts.OIDC.Authorize(ctx, oidc.AuthorizeRequest{ClientID: a.arn,
		RedirectURI: "http://127.0.0.1:8400/callback", State: "s1", CodeChallenge: challengeS256(verifier), CodeChallengeMethod: "S256",
		Scopes: []string{"openid"}}, bojan)
	if err != nil {
		t.Fatalf("Authorize: %v", err)
	}
	u, err := url.Parse(redirect)
	if err != nil || u.Query().Get("state") != "s1" || u.Query().Get("code") == "" {
		t.Fatalf("redirect %q", redirect)
	}
	in := &ssooidc.CreateTokenWithIAMInput{ClientId: &a.arn, GrantType: aws.String("authorization_code"), Code: aws.String(u.Query().Get("code")),
		RedirectUri: aws.String("http://127.0.0.1:8400/callback"), CodeVerifier: &verifier}
	out, err := a.c.CreateTokenWithIAM(ctx, in)
	if err != nil || aws.ToString(out.AccessToken) == "" || idClaims(t, aws.ToString(out.IdToken))["sub"] != bojan {
		t.Fatalf("authorization_code = %+v, %v", out, err)
	}
	_, err = a.c.CreateTokenWithIAM(ctx, in)
	wantCode(t, "the code a second time", err, "InvalidGrantException")
	_, err = a.w.ts.OIDC.Authorize(ctx, oidc.AuthorizeRequest{ClientID: a.arn, RedirectURI: "https://evil.example.com/cb",
		CodeChallenge: challengeS256(verifier), CodeChallengeMethod: "S256"}, bojan)
	if err == nil {
		t.Fatal("Authorize accepted a redirect URI the application's grant does not list")
	}
}

func challengeS256(verifier string) string {
	h := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(h[:])
}
