package app_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	oidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/core/oidc"
)

// testClock is a settable clock starting at the real time (SigV4 checks skew).
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func startClockServer(t *testing.T) (*testServer, *testClock) {
	t.Helper()
	clk := &testClock{t: time.Now().UTC().Truncate(time.Second)}
	cfg := config.FromEnv(func(string) string { return "" })
	cfg.DataDir = t.TempDir()
	cfg.RootAccessKeyID = testKeyID
	cfg.RootSecretAccessKey = testSecret
	s, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{Now: clk.Now})
	if err != nil {
		t.Fatalf("open server: %v", err)
	}
	hs := httptest.NewServer(s.Handler)
	ts := &testServer{Server: s, URL: hs.URL, httpSrv: hs}
	t.Cleanup(ts.stop)
	return ts, clk
}

// createUser makes an identity store user and returns its id.
func createSSOUser(t *testing.T, w *ssoWorld, name string) string {
	t.Helper()
	out, err := w.ids.CreateUser(context.Background(), &identitystore.CreateUserInput{
		IdentityStoreId: aws.String(w.ts.World.Instance.IdentityStoreID), UserName: aws.String(name), DisplayName: aws.String(name),
		Name: &idtypes.Name{GivenName: aws.String(name), FamilyName: aws.String("Test")}})
	if err != nil {
		t.Fatalf("CreateUser %s: %v", name, err)
	}
	return aws.ToString(out.UserId)
}

// deviceLogin runs the device flow to a token approved for userID.
func deviceLogin(t *testing.T, ts *testServer, clk *testClock, c *ssooidc.Client, reg *ssooidc.RegisterClientOutput, userID string) *ssooidc.CreateTokenOutput {
	t.Helper()
	ctx := context.Background()
	start, err := c.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: reg.ClientId,
		ClientSecret: reg.ClientSecret, StartUrl: aws.String(ts.URL + "/start")})
	if err != nil {
		t.Fatalf("StartDeviceAuthorization: %v", err)
	}
	if err := ts.OIDC.ApproveDevice(ctx, aws.ToString(start.UserCode), userID); err != nil {
		t.Fatalf("ApproveDevice: %v", err)
	}
	tok, err := c.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String(oidc.GrantDeviceCode), DeviceCode: start.DeviceCode})
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	return tok
}

func TestSSOOIDCDeviceFlow(t *testing.T) {
	ts, clk := startClockServer(t)
	w := newSSOWorld(t, ts)
	ctx := context.Background()
	c := ssooidc.NewFromConfig(ts.rootConfig(t))
	bojan := createSSOUser(t, w, "Bojan")
	reg, err := c.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("botocore-client-my-sso"),
		ClientType: aws.String("public"), Scopes: []string{"sso:account:access"}})
	if err != nil {
		t.Fatalf("RegisterClient: %v", err)
	}
	if aws.ToString(reg.ClientId) == "" || aws.ToString(reg.ClientSecret) == "" ||
		reg.ClientSecretExpiresAt-reg.ClientIdIssuedAt != int64(90*24*3600) {
		t.Fatalf("RegisterClient = %+v", reg)
	}
	_, err = c.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("x"), ClientType: aws.String("confidential")})
	wantCode(t, "confidential client", err, "InvalidClientMetadataException")

	start := func(t *testing.T) *ssooidc.StartDeviceAuthorizationOutput {
		t.Helper()
		out, err := c.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: reg.ClientId,
			ClientSecret: reg.ClientSecret, StartUrl: aws.String(ts.URL + "/start")})
		if err != nil {
			t.Fatalf("StartDeviceAuthorization: %v", err)
		}
		return out
	}
	poll := func(dev *ssooidc.StartDeviceAuthorizationOutput) (*ssooidc.CreateTokenOutput, error) {
		return c.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
			GrantType: aws.String(oidc.GrantDeviceCode), DeviceCode: dev.DeviceCode})
	}

	t.Run("PendingSlowDownApprovedReused", func(t *testing.T) {
		dev := start(t)
		if !regexp.MustCompile(`^[A-Z]{4}-[A-Z]{4}$`).MatchString(aws.ToString(dev.UserCode)) || dev.ExpiresIn != 600 || dev.Interval != 1 ||
			!strings.HasSuffix(aws.ToString(dev.VerificationUri), "/start/device") ||
			aws.ToString(dev.VerificationUriComplete) != aws.ToString(dev.VerificationUri)+"?user_code="+aws.ToString(dev.UserCode) {
			t.Fatalf("StartDeviceAuthorization = %+v", dev)
		}
		_, err := poll(dev)
		var pending *oidctypes.AuthorizationPendingException
		if !errors.As(err, &pending) || aws.ToString(pending.Error_) != "authorization_pending" {
			t.Fatalf("first poll: %v, want AuthorizationPendingException with error authorization_pending", err)
		}
		_, err = poll(dev)
		wantCode(t, "poll without waiting", err, "SlowDownException")
		clk.Add(2 * time.Second)
		_, err = poll(dev)
		wantCode(t, "poll after the interval", err, "AuthorizationPendingException")
		d, err := ts.OIDC.LookupUserCode(ctx, strings.ToLower(aws.ToString(dev.UserCode)))
		if err != nil || d.ClientName != "botocore-client-my-sso" || len(d.Scopes) != 1 {
			t.Fatalf("LookupUserCode = %+v, %v", d, err)
		}
		if err := ts.OIDC.ApproveDevice(ctx, aws.ToString(dev.UserCode), bojan); err != nil {
			t.Fatalf("ApproveDevice: %v", err)
		}
		clk.Add(2 * time.Second)
		tok, err := poll(dev)
		if err != nil || aws.ToString(tok.AccessToken) == "" || aws.ToString(tok.TokenType) != "Bearer" || tok.ExpiresIn != 3600 ||
			aws.ToString(tok.RefreshToken) == "" {
			t.Fatalf("approved poll = %+v, %v", tok, err)
		}
		_, err = poll(dev)
		wantCode(t, "reused device code", err, "InvalidGrantException")
		_, err = ts.OIDC.LookupUserCode(ctx, aws.ToString(dev.UserCode))
		if err == nil {
			t.Fatalf("LookupUserCode of a used code succeeded")
		}
	})
	t.Run("Denied", func(t *testing.T) {
		dev := start(t)
		if err := ts.OIDC.DenyDevice(ctx, aws.ToString(dev.UserCode)); err != nil {
			t.Fatalf("DenyDevice: %v", err)
		}
		_, err := poll(dev)
		wantCode(t, "denied", err, "AccessDeniedException")
	})
	t.Run("BadClient", func(t *testing.T) {
		dev := start(t)
		_, err := c.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: aws.String("wrong"),
			GrantType: aws.String(oidc.GrantDeviceCode), DeviceCode: dev.DeviceCode})
		wantCode(t, "wrong secret", err, "InvalidClientException")
		_, err = c.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: aws.String("nope"),
			ClientSecret: reg.ClientSecret, StartUrl: aws.String(ts.URL + "/start")})
		wantCode(t, "unknown client", err, "InvalidClientException")
		_, err = c.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
			GrantType: aws.String(oidc.GrantDeviceCode), DeviceCode: aws.String("no-such-code")})
		wantCode(t, "unknown device code", err, "InvalidGrantException")
		_, err = c.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
			GrantType: aws.String("password")})
		wantCode(t, "unsupported grant", err, "UnsupportedGrantTypeException")
	})
	t.Run("Expired", func(t *testing.T) {
		dev := start(t)
		clk.Add(601 * time.Second)
		_, err := poll(dev)
		wantCode(t, "expired", err, "ExpiredTokenException")
		if err := ts.OIDC.ApproveDevice(ctx, aws.ToString(dev.UserCode), bojan); err == nil {
			t.Fatalf("ApproveDevice of an expired code succeeded")
		}
	})
}

func pkceVerifier(n byte) string { return strings.Repeat(string('a'+n%26), 64) }

func TestSSOOIDCPKCEAndRefresh(t *testing.T) {
	ts, _ := startClockServer(t)
	w := newSSOWorld(t, ts)
	ctx := context.Background()
	c := ssooidc.NewFromConfig(ts.rootConfig(t))
	portal := sso.NewFromConfig(ts.rootConfig(t))
	bojan := createSSOUser(t, w, "Bojan")
	reg, err := c.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("aws-cli"), ClientType: aws.String("public"),
		GrantTypes: []string{"authorization_code", "refresh_token"}, RedirectUris: []string{"http://127.0.0.1/oauth/callback"},
		IssuerUrl: aws.String(ts.URL + "/start"), Scopes: []string{"sso:account:access"}})
	if err != nil {
		t.Fatalf("RegisterClient: %v", err)
	}
	redirect := "http://127.0.0.1:53123/oauth/callback"
	authorize := func(t *testing.T, verifier string) string {
		t.Helper()
		h := sha256.Sum256([]byte(verifier))
		loc, err := ts.OIDC.Authorize(ctx, oidc.AuthorizeRequest{ClientID: aws.ToString(reg.ClientId), RedirectURI: redirect,
			State: "st-1", CodeChallenge: base64.RawURLEncoding.EncodeToString(h[:]), CodeChallengeMethod: "S256",
			Scopes: []string{"sso:account:access"}}, bojan)
		if err != nil {
			t.Fatalf("Authorize: %v", err)
		}
		u, err := url.Parse(loc)
		if err != nil || !strings.HasPrefix(loc, redirect+"?") || u.Query().Get("state") != "st-1" || u.Query().Get("code") == "" {
			t.Fatalf("redirect = %q, %v", loc, err)
		}
		return u.Query().Get("code")
	}
	redeem := func(code, verifier string) (*ssooidc.CreateTokenOutput, error) {
		return c.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
			GrantType: aws.String("authorization_code"), Code: aws.String(code), RedirectUri: aws.String(redirect), CodeVerifier: aws.String(verifier)})
	}
	// A redirect that is not registered (another path) is refused.
	if _, err := ts.OIDC.Authorize(ctx, oidc.AuthorizeRequest{ClientID: aws.ToString(reg.ClientId), RedirectURI: "http://127.0.0.1:1/evil",
		CodeChallenge: "x", CodeChallengeMethod: "S256"}, bojan); err == nil {
		t.Fatalf("Authorize with an unregistered redirect succeeded")
	}

	code := authorize(t, pkceVerifier(1))
	_, err = redeem(code, pkceVerifier(2))
	wantCode(t, "bad verifier", err, "InvalidGrantException")
	_, err = redeem(code, pkceVerifier(1))
	wantCode(t, "code already tried", err, "InvalidGrantException")

	tok, err := redeem(authorize(t, pkceVerifier(3)), pkceVerifier(3))
	if err != nil || aws.ToString(tok.RefreshToken) == "" {
		t.Fatalf("CreateToken with the right verifier = %+v, %v", tok, err)
	}
	refresh := func(rt string) (*ssooidc.CreateTokenOutput, error) {
		return c.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
			GrantType: aws.String("refresh_token"), RefreshToken: aws.String(rt)})
	}
	tok2, err := refresh(aws.ToString(tok.RefreshToken))
	if err != nil || aws.ToString(tok2.AccessToken) == aws.ToString(tok.AccessToken) || aws.ToString(tok2.RefreshToken) == aws.ToString(tok.RefreshToken) {
		t.Fatalf("refresh = %+v, %v", tok2, err)
	}
	_, err = refresh(aws.ToString(tok.RefreshToken))
	wantCode(t, "rotated refresh token", err, "InvalidGrantException")
	if _, err := portal.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: tok2.AccessToken}); err != nil {
		t.Fatalf("ListAccounts with the refreshed token: %v", err)
	}
	_, err = portal.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: tok.AccessToken})
	wantCode(t, "ListAccounts with the rotated token", err, "UnauthorizedException")

	// Logout ends the session: the token and every later refresh.
	if _, err := portal.Logout(ctx, &sso.LogoutInput{AccessToken: tok2.AccessToken}); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	_, err = portal.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: tok2.AccessToken})
	wantCode(t, "ListAccounts after Logout", err, "UnauthorizedException")
	_, err = refresh(aws.ToString(tok2.RefreshToken))
	wantCode(t, "refresh after Logout", err, "InvalidGrantException")
}

func TestSSOPortalSeed(t *testing.T) {
	ts, clk := startClockServer(t)
	w := newSSOWorld(t, ts)
	ctx := context.Background()
	c := ssooidc.NewFromConfig(ts.rootConfig(t))
	portal := sso.NewFromConfig(ts.rootConfig(t))
	bojan := createSSOUser(t, w, "Bojan")
	ana := createSSOUser(t, w, "Ana")
	group := w.devOpsGroup(t)
	if _, err := w.ids.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{
		IdentityStoreId: aws.String(ts.World.Instance.IdentityStoreID), GroupId: &group,
		MemberId: &idtypes.MemberIdMemberUserId{Value: bojan}}); err != nil {
		t.Fatalf("CreateGroupMembership: %v", err)
	}
	ps := w.devOpsSet(t)
	w.waitCreation(t, aws.ToString(w.assign(t, ps, group).RequestId))

	reg, err := c.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("cli"), ClientType: aws.String("public"),
		Scopes: []string{"sso:account:access"}})
	if err != nil {
		t.Fatalf("RegisterClient: %v", err)
	}
	tok := deviceLogin(t, ts, clk, c, reg, bojan)

	accts, err := portal.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: tok.AccessToken})
	if err != nil || len(accts.AccountList) != 1 || aws.ToString(accts.AccountList[0].AccountId) != seedAccount {
		t.Fatalf("ListAccounts = %+v, %v", accts, err)
	}
	roles, err := portal.ListAccountRoles(ctx, &sso.ListAccountRolesInput{AccessToken: tok.AccessToken, AccountId: aws.String(seedAccount)})
	if err != nil || len(roles.RoleList) != 1 || aws.ToString(roles.RoleList[0].RoleName) != "DevOps" {
		t.Fatalf("ListAccountRoles = %+v, %v", roles, err)
	}
	rc, err := portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken,
		AccountId: aws.String(seedAccount), RoleName: aws.String("DevOps")})
	if err != nil {
		t.Fatalf("GetRoleCredentials: %v", err)
	}
	cr := rc.RoleCredentials
	if !strings.HasPrefix(aws.ToString(cr.AccessKeyId), "ASIA") || cr.Expiration != clk.Now().Add(2*time.Hour).UnixMilli() {
		t.Fatalf("role credentials = %+v (want ASIA…, expiring at %d)", cr, clk.Now().Add(2*time.Hour).UnixMilli())
	}
	cfg := ts.rootConfig(t)
	cfg.Credentials = aws.NewCredentialsCache(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: aws.ToString(cr.AccessKeyId), SecretAccessKey: aws.ToString(cr.SecretAccessKey),
			SessionToken: aws.ToString(cr.SessionToken)}, nil
	}))
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || !regexp.MustCompile(`^arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_DevOps_[0-9a-f]{16}/Bojan$`).MatchString(aws.ToString(id.Arn)) {
		t.Fatalf("GetCallerIdentity = %+v, %v", id, err)
	}
	// The seed policy allows none of idcenter's own services.
	_, err = identitystore.NewFromConfig(cfg).ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(ts.World.Instance.IdentityStoreID)})
	wantCode(t, "ListUsers with the DevOps session", err, "AccessDeniedException")

	// Ana has no assignment: no accounts, and no DevOps credentials.
	anaTok := deviceLogin(t, ts, clk, c, reg, ana)
	accts, err = portal.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: anaTok.AccessToken})
	if err != nil || len(accts.AccountList) != 0 {
		t.Fatalf("Ana's ListAccounts = %+v, %v", accts, err)
	}
	_, err = portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: anaTok.AccessToken,
		AccountId: aws.String(seedAccount), RoleName: aws.String("DevOps")})
	wantCode(t, "Ana's GetRoleCredentials", err, "ForbiddenException")

	// A bad token, then Logout.
	_, err = portal.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: aws.String("not-a-token")})
	wantCode(t, "bad token", err, "UnauthorizedException")
	if _, err := portal.Logout(ctx, &sso.LogoutInput{AccessToken: tok.AccessToken}); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	_, err = portal.ListAccountRoles(ctx, &sso.ListAccountRolesInput{AccessToken: tok.AccessToken, AccountId: aws.String(seedAccount)})
	wantCode(t, "after Logout", err, "UnauthorizedException")
	_, err = portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken,
		AccountId: aws.String(seedAccount), RoleName: aws.String("DevOps")})
	wantCode(t, "GetRoleCredentials after Logout", err, "UnauthorizedException")
	// The session's role credentials end too (keys are cached up to a second: wait for the change on the clock).
	clk.Add(2 * time.Second)
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err = sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err == nil {
		t.Fatalf("role credentials still work after Logout")
	}
}
