package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/idcenter/idcenter/internal/core/signin"
	"github.com/idcenter/idcenter/internal/store"
)

// webClient is a browser of the web portal: cookies, a user agent, the
// last page (for its CSRF token).
type webClient struct {
	t    *testing.T
	base string
	c    *http.Client
	ua   string
	last string
}

func newWebClient(t *testing.T, ts *testServer, ua string) *webClient {
	jar, _ := cookiejar.New(nil)
	return &webClient{t: t, base: ts.URL, c: &http.Client{Jar: jar}, ua: ua}
}

func (w *webClient) do(req *http.Request) (*http.Response, string) {
	w.t.Helper()
	req.Header.Set("User-Agent", w.ua)
	resp, err := w.c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	w.last = string(b)
	return resp, w.last
}

func (w *webClient) get(path string) (*http.Response, string) {
	w.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, w.base+path, nil)
	return w.do(req)
}

func (w *webClient) post(path string, form url.Values) (*http.Response, string) {
	w.t.Helper()
	if m := csrfRE.FindStringSubmatch(w.last); m != nil {
		form.Set("csrf_token", m[1])
	}
	req, _ := http.NewRequest(http.MethodPost, w.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return w.do(req)
}

// signIn enters the user name and password and returns where the browser lands.
func (w *webClient) signIn(user, pw string) (*http.Response, string) {
	w.t.Helper()
	w.get("/start/signin")
	return w.post("/start/signin", url.Values{"username": {user}, "password": {pw}, "next": {"/start"}})
}

const settingsPW = "Correct-Horse-9-settings"

func settingsUser(t *testing.T, ts *testServer, name string) {
	t.Helper()
	ctx := context.Background()
	err := ts.Store.Update(ctx, func(tx store.Tx) error {
		return tx.CreateUser(ctx, store.User{IdentityStoreID: ts.World.Instance.IdentityStoreID, UserID: "u-" + name,
			UserName: name, Status: "ENABLED", CreatedAt: time.Now(), UpdatedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.SignIn.SetPassword(ctx, name, settingsPW); err != nil {
		t.Fatal(err)
	}
}

// registerTOTPWeb registers an authenticator app on the registration page
// the client is on and returns its secret.
func registerTOTPWeb(t *testing.T, w *webClient, now time.Time) string {
	t.Helper()
	m := secretRE.FindStringSubmatch(w.last)
	if m == nil {
		t.Fatalf("no TOTP secret on the page:\n%s", w.last)
	}
	code, err := signin.Code(m[1], now)
	if err != nil {
		t.Fatal(err)
	}
	resp, body := w.post("/start/mfa/register", url.Values{"secret": {m[1]}, "code": {code}, "next": {"/start"}})
	if resp.Request.URL.Path != "/start" || !strings.Contains(body, "Signed in as") {
		t.Fatalf("after the registration: %s\n%s", resp.Request.URL, body)
	}
	return m[1]
}

// TestMFASettingsOverHTTP: each MFA setting of the instance (as `idcenter
// admin mfa-settings` sets them, through the same core call) as a browser
// meets it at the portal.
func TestMFASettingsOverHTTP(t *testing.T) {
	ctx := context.Background()
	set := func(t *testing.T, ts *testServer, s signin.Settings) {
		t.Helper()
		if err := ts.SignIn.SetMFASettings(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("always asks at every sign-in", func(t *testing.T) {
		ts, clk := startClockServer(t)
		settingsUser(t, ts, "Bojan")
		w := newWebClient(t, ts, "browser-1")
		if resp, _ := w.signIn("Bojan", settingsPW); resp.Request.URL.Path != "/start/mfa/register" {
			t.Fatalf("first sign-in lands at %s", resp.Request.URL)
		}
		registerTOTPWeb(t, w, clk.Now())
		w.post("/start/signout", url.Values{})
		if resp, body := w.signIn("Bojan", settingsPW); resp.Request.URL.Path != "/start/mfa" || !strings.Contains(body, `name="code"`) {
			t.Fatalf("second sign-in, same browser, lands at %s", resp.Request.URL)
		}
	})
	t.Run("context change asks in a new browser only", func(t *testing.T) {
		ts, clk := startClockServer(t)
		settingsUser(t, ts, "Bojan")
		set(t, ts, signin.Settings{Mode: store.MFAContextChange})
		w := newWebClient(t, ts, "browser-1")
		w.signIn("Bojan", settingsPW)
		registerTOTPWeb(t, w, clk.Now())
		w.post("/start/signout", url.Values{})
		if resp, body := w.signIn("Bojan", settingsPW); resp.Request.URL.Path != "/start" || !strings.Contains(body, "Signed in as Bojan") {
			t.Fatalf("same browser: lands at %s", resp.Request.URL)
		}
		if resp, _ := newWebClient(t, ts, "browser-1").signIn("Bojan", settingsPW); resp.Request.URL.Path != "/start/mfa" {
			t.Fatalf("a browser without the cookie lands at %s", resp.Request.URL)
		}
		w.post("/start/signout", url.Values{})
		w.ua = "another-browser/2.0" // the cookie, but another user agent
		if resp, _ := w.signIn("Bojan", settingsPW); resp.Request.URL.Path != "/start/mfa" {
			t.Fatalf("another user agent with the cookie lands at %s", resp.Request.URL)
		}
	})
	t.Run("never", func(t *testing.T) {
		ts, _ := startClockServer(t)
		settingsUser(t, ts, "Bojan")
		set(t, ts, signin.Settings{Mode: store.MFANever})
		if resp, _ := newWebClient(t, ts, "b").signIn("Bojan", settingsPW); resp.Request.URL.Path != "/start" {
			t.Fatalf("lands at %s", resp.Request.URL)
		}
	})
	t.Run("no device: block", func(t *testing.T) {
		ts, _ := startClockServer(t)
		settingsUser(t, ts, "Bojan")
		set(t, ts, signin.Settings{NoDevice: store.MFANoDeviceBlock})
		resp, body := newWebClient(t, ts, "b").signIn("Bojan", settingsPW)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "no registered device") {
			t.Fatalf("blocked user: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
		}
	})
	t.Run("no device: allow", func(t *testing.T) {
		ts, _ := startClockServer(t)
		settingsUser(t, ts, "Bojan")
		set(t, ts, signin.Settings{NoDevice: store.MFANoDeviceAllow})
		if resp, _ := newWebClient(t, ts, "b").signIn("Bojan", settingsPW); resp.Request.URL.Path != "/start" {
			t.Fatalf("lands at %s", resp.Request.URL)
		}
	})
	for _, tc := range []struct {
		types          []string
		totp, webauthn bool
	}{
		{[]string{store.MFATypeTOTP}, true, false},
		{[]string{store.MFATypeWebAuthn}, false, true},
		{[]string{store.MFATypeTOTP, store.MFATypeWebAuthn}, true, true},
	} {
		t.Run("types "+strings.Join(tc.types, ","), func(t *testing.T) {
			ts, _ := startClockServer(t)
			ts.SetBaseURL(ts.URL)
			settingsUser(t, ts, "Bojan")
			set(t, ts, signin.Settings{Types: tc.types})
			resp, body := newWebClient(t, ts, "b").signIn("Bojan", settingsPW)
			if resp.Request.URL.Path != "/start/mfa/register" {
				t.Fatalf("lands at %s", resp.Request.URL)
			}
			if got := secretRE.MatchString(body); got != tc.totp {
				t.Errorf("authenticator app offered: %v, want %v", got, tc.totp)
			}
			if got := strings.Contains(body, `action="/start/mfa/webauthn/register"`); got != tc.webauthn {
				t.Errorf("security key offered: %v, want %v", got, tc.webauthn)
			}
		})
	}
}

// TestPortalSessionLifetime: with a 15-minute portal session (`idcenter
// admin session-settings --portal-session 15m`) the web session ends after
// 15 minutes and the AWS CLI's sso-oidc token lasts 15 minutes and cannot be
// refreshed past them; by default an access token lasts an hour, is
// refreshed, and the refresh stops after 8 hours.
func TestPortalSessionLifetime(t *testing.T) {
	ctx := context.Background()
	t.Run("15 minutes", func(t *testing.T) {
		ts, clk := startClockServer(t)
		settingsUser(t, ts, "Bojan")
		if err := ts.SignIn.SetMFASettings(ctx, signin.Settings{Mode: store.MFANever, SessionDuration: 15 * time.Minute}); err != nil {
			t.Fatal(err)
		}
		w := newWebClient(t, ts, "b")
		if resp, _ := w.signIn("Bojan", settingsPW); resp.Request.URL.Path != "/start" {
			t.Fatalf("sign-in lands at %s", resp.Request.URL)
		}
		clk.Add(14 * time.Minute)
		if resp, _ := w.get("/start"); resp.Request.URL.Path != "/start" {
			t.Fatalf("after 14 minutes /start shows %s", resp.Request.URL)
		}
		clk.Add(2 * time.Minute)
		if resp, _ := w.get("/start"); resp.Request.URL.Path != "/start/signin" {
			t.Fatalf("after 16 minutes /start shows %s; want the sign-in", resp.Request.URL)
		}

		reg, c := cliClient(t, ts)
		tok := deviceLogin(t, ts, clk, c, reg, "u-Bojan")
		if tok.ExpiresIn != 900 {
			t.Fatalf("access token lasts %d s; want 900 (the session)", tok.ExpiresIn)
		}
		clk.Add(16 * time.Minute)
		_, err := c.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
			GrantType: aws.String("refresh_token"), RefreshToken: tok.RefreshToken})
		wantCode(t, "refresh after the session", err, "ExpiredTokenException")
	})
	t.Run("default 8 hours", func(t *testing.T) {
		ts, clk := startClockServer(t)
		settingsUser(t, ts, "Bojan")
		reg, c := cliClient(t, ts)
		tok := deviceLogin(t, ts, clk, c, reg, "u-Bojan")
		if tok.ExpiresIn != 3600 {
			t.Fatalf("access token lasts %d s; want 3600", tok.ExpiresIn)
		}
		portal := sso.NewFromConfig(ts.rootConfig(t))
		clk.Add(61 * time.Minute)
		_, err := portal.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: tok.AccessToken})
		wantCode(t, "an access token after an hour", err, "UnauthorizedException")
		ref, err := c.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
			GrantType: aws.String("refresh_token"), RefreshToken: tok.RefreshToken})
		if err != nil {
			t.Fatalf("refresh within the session: %v", err)
		}
		if _, err := portal.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: ref.AccessToken}); err != nil {
			t.Fatalf("the refreshed token: %v", err)
		}
		clk.Add(7 * time.Hour)
		_, err = c.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
			GrantType: aws.String("refresh_token"), RefreshToken: ref.RefreshToken})
		wantCode(t, "refresh after 8 hours", err, "ExpiredTokenException")
	})
}

// cliClient registers an sso-oidc client as the AWS CLI does for an sso-session profile.
func cliClient(t *testing.T, ts *testServer) (*ssooidc.RegisterClientOutput, *ssooidc.Client) {
	t.Helper()
	c := ssooidc.NewFromConfig(ts.rootConfig(t))
	reg, err := c.RegisterClient(context.Background(), &ssooidc.RegisterClientInput{ClientName: aws.String("botocore-client-dev"),
		ClientType: aws.String("public"), Scopes: []string{"sso:account:access"}})
	if err != nil {
		t.Fatalf("RegisterClient: %v", err)
	}
	return reg, c
}
