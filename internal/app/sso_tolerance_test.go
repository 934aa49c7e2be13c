package app_test

import (
	"context"
	"errors"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/idcenter/idcenter/internal/core/oidc"
)

// TestSSOThirdPartyTolerances checks, with the SDK clients, what aws-sso-cli
// and aws-vault send and rely on (../shared/notes/third-party-clients.md).
func TestSSOThirdPartyTolerances(t *testing.T) {
	ts, clk := startClockServer(t)
	w := newSSOWorld(t, ts)
	ctx := context.Background()
	c := ssooidc.NewFromConfig(ts.rootConfig(t))
	portal := sso.NewFromConfig(ts.rootConfig(t))
	bojan := createSSOUser(t, w, "Bojan")
	group := w.devOpsGroup(t)
	if _, err := w.ids.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{
		IdentityStoreId: aws.String(ts.World.Instance.IdentityStoreID), GroupId: &group,
		MemberId: &idtypes.MemberIdMemberUserId{Value: bojan}}); err != nil {
		t.Fatalf("CreateGroupMembership: %v", err)
	}
	w.waitCreation(t, aws.ToString(w.assign(t, w.devOpsSet(t), group).RequestId))

	// login runs the device flow as the tool does: poll, wait the interval, poll.
	login := func(t *testing.T, reg *ssooidc.RegisterClientOutput) *ssooidc.CreateTokenOutput {
		t.Helper()
		dev, err := c.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: reg.ClientId,
			ClientSecret: reg.ClientSecret, StartUrl: aws.String("https://portal.sso.us-east-1.amazonaws.com/start")})
		if err != nil {
			t.Fatalf("StartDeviceAuthorization: %v", err)
		}
		// aws-vault shows only the complete URL: it must carry the user code.
		u, err := url.Parse(aws.ToString(dev.VerificationUriComplete))
		if err != nil || u.Query().Get("user_code") != aws.ToString(dev.UserCode) || aws.ToString(dev.UserCode) == "" {
			t.Fatalf("verificationUriComplete %q does not carry user code %q", aws.ToString(dev.VerificationUriComplete), aws.ToString(dev.UserCode))
		}
		poll := func() (*ssooidc.CreateTokenOutput, error) {
			return c.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
				GrantType: aws.String(oidc.GrantDeviceCode), DeviceCode: dev.DeviceCode})
		}
		interval := time.Duration(dev.Interval) * time.Second
		_, err = poll()
		wantCode(t, "first poll", err, "AuthorizationPendingException")
		// Polling at the interval, or a little early by the server's clock, is no reason to slow down.
		for _, gap := range []time.Duration{interval, interval * 9 / 10, interval} {
			clk.Add(gap)
			_, err = poll()
			wantCode(t, "poll after "+gap.String(), err, "AuthorizationPendingException")
		}
		// Really polling too fast is.
		_, err = poll()
		wantCode(t, "poll at once", err, "SlowDownException")
		if err := ts.OIDC.ApproveDevice(ctx, aws.ToString(dev.UserCode), bojan); err != nil {
			t.Fatalf("ApproveDevice: %v", err)
		}
		clk.Add(interval)
		tok, err := poll()
		if err != nil {
			t.Fatalf("CreateToken after approval: %v", err)
		}
		// aws-sso-cli logs in again on every run when the token lives 60 s or less.
		if tok.ExpiresIn < 15*60 {
			t.Fatalf("access token expiresIn = %d s, want well above 60", tok.ExpiresIn)
		}
		return tok
	}
	registered := func(t *testing.T, in *ssooidc.RegisterClientInput) *ssooidc.RegisterClientOutput {
		t.Helper()
		reg, err := c.RegisterClient(ctx, in)
		if err != nil {
			t.Fatalf("RegisterClient: %v", err)
		}
		// aws-sso-cli re-registers when the secret expires within the hour.
		if ahead := time.Unix(reg.ClientSecretExpiresAt, 0).Sub(clk.Now()); ahead <= 2*time.Hour {
			t.Fatalf("clientSecretExpiresAt only %v ahead", ahead)
		}
		return reg
	}

	t.Run("AwsSsoCli", func(t *testing.T) {
		// grantTypes ["refresh_token"] only, no scopes; then the device-code grant.
		reg := registered(t, &ssooidc.RegisterClientInput{ClientName: aws.String("aws-sso-cli"), ClientType: aws.String("public"),
			GrantTypes: []string{"refresh_token"}})
		tok := login(t, reg)

		// max_result=1000 is clamped, not refused.
		accts, err := portal.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: tok.AccessToken, MaxResults: aws.Int32(1000)})
		if err != nil || len(accts.AccountList) != 1 || aws.ToString(accts.AccountList[0].AccountId) != seedAccount || accts.NextToken != nil {
			t.Fatalf("ListAccounts(max_result=1000) = %+v, %v", accts, err)
		}
		// Five ListAccountRoles at once, as aws-sso-cli does: none is answered 401.
		var wg sync.WaitGroup
		errs := make([]error, 5)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				roles, err := portal.ListAccountRoles(ctx, &sso.ListAccountRolesInput{AccessToken: tok.AccessToken,
					AccountId: aws.String(seedAccount), MaxResults: aws.Int32(1000)})
				if err == nil && (len(roles.RoleList) != 1 || aws.ToString(roles.RoleList[0].RoleName) != "DevOps") {
					err = errors.New("unexpected roles")
				}
				errs[i] = err
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("ListAccountRoles(max_result=1000) #%d: %v", i, err)
			}
		}
		// Near the end of its life the token still works; past it, it is 401.
		clk.Add(time.Duration(tok.ExpiresIn-30) * time.Second)
		rc, err := portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken,
			AccountId: aws.String(seedAccount), RoleName: aws.String("DevOps")})
		if err != nil {
			t.Fatalf("GetRoleCredentials 30 s before the token expires: %v", err)
		}
		if exp := rc.RoleCredentials.Expiration; exp < clk.Now().UnixMilli() || exp > clk.Now().Add(24*time.Hour).UnixMilli() {
			t.Fatalf("expiration %d is not in epoch milliseconds near %d", exp, clk.Now().UnixMilli())
		}
		clk.Add(time.Minute)
		_, err = portal.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: tok.AccessToken, MaxResults: aws.Int32(1000)})
		wantUnauthorized(t, "expired token", err)
		_, err = portal.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: aws.String("aoa-not-a-token")})
		wantUnauthorized(t, "invalid token", err)
	})
	t.Run("AwsVault", func(t *testing.T) {
		reg := registered(t, &ssooidc.RegisterClientInput{ClientName: aws.String("aws-vault"), ClientType: aws.String("public")})
		tok := login(t, reg)
		if _, err := portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken,
			AccountId: aws.String(seedAccount), RoleName: aws.String("DevOps")}); err != nil {
			t.Fatalf("GetRoleCredentials: %v", err)
		}
	})
	t.Run("PKCEClientStaysPKCE", func(t *testing.T) {
		// A client registered for authorization_code is held to what it registered.
		reg := registered(t, &ssooidc.RegisterClientInput{ClientName: aws.String("aws-cli"), ClientType: aws.String("public"),
			GrantTypes: []string{"authorization_code", "refresh_token"}, RedirectUris: []string{"http://127.0.0.1/oauth/callback"},
			Scopes: []string{"sso:account:access"}})
		_, err := c.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: reg.ClientId,
			ClientSecret: reg.ClientSecret, StartUrl: aws.String("https://portal.sso.us-east-1.amazonaws.com/start")})
		wantCode(t, "device code for a PKCE client", err, "UnauthorizedClientException")
	})
}

// wantUnauthorized expects the portal's UnauthorizedException with HTTP 401.
func wantUnauthorized(t *testing.T, what string, err error) {
	t.Helper()
	var ue *ssotypes.UnauthorizedException
	var re *smithyhttp.ResponseError
	if !errors.As(err, &ue) || !errors.As(err, &re) || re.HTTPStatusCode() != 401 {
		t.Fatalf("%s: %v, want UnauthorizedException (401)", what, err)
	}
}
