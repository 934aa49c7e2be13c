package app_test

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/idcenter/idcenter/internal/core/oidc"
	"github.com/idcenter/idcenter/internal/proxy"
	"github.com/idcenter/idcenter/internal/tlsca"
)

// TestProxySSOOIDCAndPortal drives sso-oidc and the portal API through the
// proxy with aws-sdk-go-v2 clients that know only a region, the proxy and
// the CA — what tools that ignore endpoint settings do: the device flow,
// then the portal with the token, then Logout.
func TestProxySSOOIDCAndPortal(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	caDir := t.TempDir()
	ca, err := tlsca.LoadOrCreate(caDir, time.Now, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	px := &proxy.Handler{Next: ts.Handler, TLS: ca.TLSConfig("127.0.0.1"), Intercept: tlsca.Allowed,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	hs := httptest.NewServer(px)
	defer hs.Close()
	defer px.Shutdown(ctx)
	cfg := proxiedConfig(t, hs.URL, caPool(t, caDir+"/"+tlsca.CertFile), "eu-west-1")
	cfg.Credentials = nil // sso-oidc and the portal are unsigned

	// A user to sign in as (created with the root key, directly).
	ids := identitystore.NewFromConfig(ts.rootConfig(t))
	u, err := ids.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: aws.String(ts.World.Instance.IdentityStoreID),
		UserName: aws.String("Bojan"), DisplayName: aws.String("Bojan"), Name: &idtypes.Name{GivenName: aws.String("Bojan"), FamilyName: aws.String("K")}})
	if err != nil {
		t.Fatal(err)
	}

	oc := ssooidc.NewFromConfig(cfg)
	reg, err := oc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("third-party-tool"), ClientType: aws.String("public")})
	if err != nil {
		t.Fatalf("RegisterClient through the proxy (oidc.eu-west-1.amazonaws.com): %v", err)
	}
	start, err := oc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: reg.ClientId,
		ClientSecret: reg.ClientSecret, StartUrl: aws.String("https://d-1234567890.awsapps.com/start")})
	if err != nil {
		t.Fatalf("StartDeviceAuthorization through the proxy: %v", err)
	}
	if err := ts.OIDC.ApproveDevice(ctx, aws.ToString(start.UserCode), aws.ToString(u.UserId)); err != nil {
		t.Fatal(err)
	}
	tok, err := oc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String(oidc.GrantDeviceCode), DeviceCode: start.DeviceCode})
	if err != nil || aws.ToString(tok.AccessToken) == "" {
		t.Fatalf("CreateToken through the proxy: %+v, %v", tok, err)
	}

	pc := sso.NewFromConfig(cfg)
	accts, err := pc.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: tok.AccessToken})
	if err != nil || len(accts.AccountList) != 0 {
		t.Fatalf("ListAccounts through the proxy (portal.sso.eu-west-1.amazonaws.com): %+v, %v", accts, err)
	}
	if _, err := pc.Logout(ctx, &sso.LogoutInput{AccessToken: tok.AccessToken}); err != nil {
		t.Fatalf("Logout through the proxy: %v", err)
	}
	_, err = pc.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: tok.AccessToken})
	var ue *ssotypes.UnauthorizedException
	if !errors.As(err, &ue) {
		t.Fatalf("ListAccounts after Logout: %v", err)
	}
}
