package web

import (
	"context"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/core/signin"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/sqlite"
)

const (
	storeID = "d-1234567890"
	goodPW  = "Correct-Horse-9"
)

var start = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

// ---- fakes ----

type fakeOIDC struct {
	codes    map[string]DeviceAuthorization
	approved map[string]string // user code -> user id
	denied   []string
	authReqs []AuthorizeRequest
	authUser string
}

func (f *fakeOIDC) LookupUserCode(_ context.Context, code string) (DeviceAuthorization, error) {
	if d, ok := f.codes[code]; ok {
		return d, nil
	}
	return DeviceAuthorization{}, errors.New("no such code")
}

func (f *fakeOIDC) ApproveDevice(_ context.Context, code, userID string) error {
	if _, ok := f.codes[code]; !ok {
		return errors.New("no such code")
	}
	f.approved[code] = userID
	return nil
}

func (f *fakeOIDC) DenyDevice(_ context.Context, code string) error {
	if _, ok := f.codes[code]; !ok {
		return errors.New("no such code")
	}
	f.denied = append(f.denied, code)
	return nil
}

func (f *fakeOIDC) Authorize(_ context.Context, req AuthorizeRequest, userID string) (string, error) {
	f.authReqs, f.authUser = append(f.authReqs, req), userID
	return req.RedirectURI + "?code=the-code&state=" + url.QueryEscape(req.State), nil
}

type fakePortal struct{}

func (fakePortal) Accounts(_ context.Context, userID string) ([]Account, error) {
	if userID != "u-bojan" {
		return nil, nil
	}
	return []Account{{ID: "111111111111", Name: "prod", Email: "prod@example.com"}, {ID: "222222222222", Name: "dev"}}, nil
}

func (fakePortal) Roles(_ context.Context, userID, accountID string) ([]string, error) {
	return map[string][]string{"111111111111": {"ReadOnly"}, "222222222222": {"AdministratorAccess", "Billing"}}[accountID], nil
}

func (fakePortal) RoleCredentials(_ context.Context, userID, accountID, role string) (Credentials, error) {
	if accountID != "222222222222" || role != "AdministratorAccess" {
		return Credentials{}, errors.New("not assigned")
	}
	return Credentials{AccessKeyID: "ASIAEXAMPLEKEY000001", SecretAccessKey: "secret/+key", SessionToken: "tok+en/==",
		Expiration: start.Add(2 * time.Hour)}, nil
}

// ---- environment ----

type env struct {
	t    *testing.T
	now  time.Time
	svc  *signin.Service
	oidc *fakeOIDC
	srv  *httptest.Server
}

func newEnv(t *testing.T, withServices bool) *env {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "idcenter.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{t: t, now: start, oidc: &fakeOIDC{approved: map[string]string{},
		codes: map[string]DeviceAuthorization{"ABCD-EFGH": {UserCode: "ABCD-EFGH", ClientName: "botocore-client-my-sso",
			Scopes: []string{"sso:account:access"}, ExpiresAt: start.Add(10 * time.Minute)}}}}
	e.svc = &signin.Service{Store: st, IdentityStoreID: storeID, InstanceARN: "arn:aws:sso:::instance/ssoins-1",
		Now: func() time.Time { return e.now }, Hash: signin.HashParams{Memory: 64, Time: 1, Threads: 1}}
	if err := st.Update(ctx, func(tx store.Tx) error {
		return tx.CreateUser(ctx, store.User{IdentityStoreID: storeID, UserID: "u-bojan", UserName: "Bojan", Status: "ENABLED",
			Attributes: store.UserAttributes{DisplayName: "Bojan <Admin>"}})
	}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetPassword(ctx, "Bojan", goodPW); err != nil {
		t.Fatal(err)
	}
	d := Deps{SignIn: e.svc, Region: "eu-central-1"}
	if withServices {
		d.OIDC, d.Portal = e.oidc, fakePortal{}
	}
	h, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	return e
}

// browser is a cookie-keeping client that stops at redirects leaving the server.
type browser struct {
	e *env
	c *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if req.URL.Host != strings.TrimPrefix(e.srv.URL, "http://") {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return &browser{e: e, c: c}
}

type page struct {
	status int
	url    *url.URL
	body   string
	header http.Header
}

func (b *browser) do(req *http.Request) *page {
	b.e.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return &page{status: resp.StatusCode, url: resp.Request.URL, body: string(body), header: resp.Header}
}

func (b *browser) get(path string) *page {
	req, _ := http.NewRequest(http.MethodGet, b.e.srv.URL+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) *page {
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var (
	formRE  = regexp.MustCompile(`(?s)<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>`)
	inputRE = regexp.MustCompile(`<input[^>]*>`)
	attrRE  = regexp.MustCompile(`(\w+)="([^"]*)"`)
)

// submit fills the page's form posting to action like a script would: the
// form's own inputs, overridden by fields.
func (p *page) submit(b *browser, action string, fields map[string]string) *page {
	b.e.t.Helper()
	for _, m := range formRE.FindAllStringSubmatch(p.body, -1) {
		if html.UnescapeString(m[1]) != action {
			continue
		}
		form := url.Values{}
		for _, in := range inputRE.FindAllString(m[2], -1) {
			attrs := map[string]string{}
			for _, a := range attrRE.FindAllStringSubmatch(in, -1) {
				attrs[a[1]] = html.UnescapeString(a[2])
			}
			if attrs["name"] != "" {
				form.Set(attrs["name"], attrs["value"])
			}
		}
		for k, v := range fields {
			form.Set(k, v)
		}
		return b.post(action, form)
	}
	b.e.t.Fatalf("no form posting to %s on %s (status %d):\n%s", action, p.url, p.status, p.body)
	return nil
}

func (p *page) must(t *testing.T, status int, path string, texts ...string) {
	t.Helper()
	if p.status != status || (path != "" && p.url.Path != path) {
		t.Fatalf("got %d at %s, want %d at %s:\n%s", p.status, p.url, status, path, p.body)
	}
	for _, s := range texts {
		if !strings.Contains(p.body, s) {
			t.Fatalf("page %s lacks %q:\n%s", p.url, s, p.body)
		}
	}
}

var secretRE = regexp.MustCompile(`<code id="secret">([A-Z2-7]+)</code>`)

// signIn goes from a page needing sign-in through user name, password and
// (registering or presenting) a TOTP code; it returns the last page and the secret.
func (b *browser) signIn(p *page, secret string) (*page, string) {
	t := b.e.t
	t.Helper()
	p.must(t, http.StatusOK, "/start/signin", `name="username"`)
	p = p.submit(b, "/start/signin", map[string]string{"username": "bojan"})
	p.must(t, http.StatusOK, "/start/signin", `name="password"`)
	p = p.submit(b, "/start/signin", map[string]string{"password": goodPW})
	if secret == "" {
		p.must(t, http.StatusOK, "/start/mfa/register", "data:image/png;base64,", "otpauth://totp/idcenter:Bojan")
		m := secretRE.FindStringSubmatch(p.body)
		if m == nil {
			t.Fatalf("no secret on the registration page:\n%s", p.body)
		}
		secret = m[1]
		code, _ := signin.Code(secret, b.e.now)
		return p.submit(b, "/start/mfa/register", map[string]string{"code": code}), secret
	}
	p.must(t, http.StatusOK, "/start/mfa", `name="code"`)
	b.e.now = b.e.now.Add(30 * time.Second) // a fresh code
	code, _ := signin.Code(secret, b.e.now)
	return p.submit(b, "/start/mfa", map[string]string{"code": code}), secret
}

// ---- tests ----

func TestSignInRegisterThenTOTP(t *testing.T) {
	e := newEnv(t, true)
	b := e.browser()
	p, secret := b.signIn(b.get("/start"), "")
	p.must(t, http.StatusOK, "/start", "Signed in as Bojan &lt;Admin&gt;", "prod", "111111111111", "ReadOnly",
		"AdministratorAccess", "Billing")
	if cc := p.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q", cc)
	}
	// Sign out, then sign in again with a code from the registered app.
	p = p.submit(b, "/start/signout", nil)
	p.must(t, http.StatusOK, "/start/signout", "You have signed out.")
	p = b.get("/start")
	p, _ = b.signIn(p, secret)
	p.must(t, http.StatusOK, "/start", "AdministratorAccess")
}

func TestCookies(t *testing.T) {
	e := newEnv(t, true)
	b := e.browser()
	p := b.get("/start/signin")
	p = p.submit(b, "/start/signin", map[string]string{"username": "bojan"})
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/start/signin", nil)
	for _, c := range b.c.Jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	form := url.Values{"username": {"bojan"}, "password": {goodPW}}
	for _, c := range b.c.Jar.Cookies(req.URL) {
		if c.Name == cookieCSRF {
			form.Set("csrf_token", c.Value)
		}
	}
	req.Body = io.NopCloser(strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var found bool
	for _, line := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(line, cookieSession+"=") {
			found = true
			for _, attr := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
				if !strings.Contains(line, attr) {
					t.Errorf("session cookie %q lacks %s", line, attr)
				}
			}
		}
	}
	if !found {
		t.Fatalf("no session cookie: %v", resp.Header.Values("Set-Cookie"))
	}
	_ = p
}

func TestWrongPasswordAndLockout(t *testing.T) {
	e := newEnv(t, true)
	b := e.browser()
	p := b.get("/start/signin")
	for i := 1; i < signin.MaxFailedAttempts; i++ {
		p = p.submit(b, "/start/signin", map[string]string{"username": "bojan", "password": "Wrong-pass1"})
		p.must(t, http.StatusUnauthorized, "/start/signin", "The user name or password is incorrect.")
	}
	p = p.submit(b, "/start/signin", map[string]string{"username": "bojan", "password": "Wrong-pass1"})
	p.must(t, http.StatusTooManyRequests, "/start/signin", "locked")
	p = p.submit(b, "/start/signin", map[string]string{"username": "bojan", "password": goodPW})
	p.must(t, http.StatusTooManyRequests, "/start/signin", "locked")
	e.now = e.now.Add(signin.LockoutDuration)
	p = p.submit(b, "/start/signin", map[string]string{"username": "bojan", "password": goodPW})
	p.must(t, http.StatusOK, "/start/mfa/register")
}

func TestWrongCode(t *testing.T) {
	e := newEnv(t, true)
	b := e.browser()
	_, secret := b.signIn(b.get("/start"), "")
	b2 := e.browser()
	p := b2.get("/start/signin").submit(b2, "/start/signin", map[string]string{"username": "Bojan", "password": goodPW})
	p.must(t, http.StatusOK, "/start/mfa")
	p = p.submit(b2, "/start/mfa", map[string]string{"code": "000000"})
	p.must(t, http.StatusUnauthorized, "/start/mfa", "The code is incorrect")
	// The code used at registration cannot be replayed.
	code, _ := signin.Code(secret, e.now)
	p = p.submit(b2, "/start/mfa", map[string]string{"code": code})
	p.must(t, http.StatusUnauthorized, "/start/mfa", "The code is incorrect")
	if p := b2.get("/start"); p.url.Path != "/start/mfa" {
		t.Fatalf("accounts reachable before MFA: %s", p.url)
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t, true)
	b := e.browser()
	p := b.get("/start/signin")
	for name, override := range map[string]map[string]string{
		"missing": {"csrf_token": ""},
		"wrong":   {"csrf_token": strings.Repeat("A", 43)},
	} {
		f := map[string]string{"username": "bojan", "password": goodPW}
		for k, v := range override {
			f[k] = v
		}
		got := p.submit(b, "/start/signin", f)
		if got.status != http.StatusForbidden {
			t.Errorf("%s CSRF token: status %d", name, got.status)
		}
	}
	// A fresh client without the cookie is refused even with a token.
	other := e.browser()
	got := other.post("/start/signin", url.Values{"username": {"bojan"}, "password": {goodPW}, "csrf_token": {"x"}})
	if got.status != http.StatusForbidden {
		t.Errorf("no cookie: status %d", got.status)
	}
}

func TestDeviceApproveAndDeny(t *testing.T) {
	e := newEnv(t, true)
	b := e.browser()
	p, _ := b.signIn(b.get("/start/device?user_code=ABCD-EFGH"), "")
	p.must(t, http.StatusOK, "/start/device", "Is this the code your terminal shows?", "ABCD-EFGH", "botocore-client-my-sso")
	p2 := p.submit(b, "/start/device", map[string]string{"action": "approve"})
	p2.must(t, http.StatusOK, "/start/device", "Request approved")
	if got := e.oidc.approved["ABCD-EFGH"]; got != "u-bojan" {
		t.Fatalf("approved by %q, want u-bojan", got)
	}
	p3 := p.submit(b, "/start/device", map[string]string{"action": "deny"})
	p3.must(t, http.StatusOK, "/start/device", "Request denied")
	if len(e.oidc.denied) != 1 || e.oidc.denied[0] != "ABCD-EFGH" {
		t.Fatalf("denied = %v", e.oidc.denied)
	}
	// Typed code (lower case) and an unknown code.
	p = b.get("/start/device")
	p.must(t, http.StatusOK, "/start/device", `name="user_code"`)
	b.get("/start/device?user_code=abcd-efgh").must(t, http.StatusOK, "/start/device", "ABCD-EFGH")
	b.get("/start/device?user_code=ZZZZ-ZZZZ").must(t, http.StatusNotFound, "/start/device", "not valid")
}

func TestCredentialsPanel(t *testing.T) {
	e := newEnv(t, true)
	b := e.browser()
	p, _ := b.signIn(b.get("/start"), "")
	var acct *page
	for _, m := range formRE.FindAllStringSubmatch(p.body, -1) {
		if strings.Contains(m[2], `value="AdministratorAccess"`) {
			acct = &page{body: m[0], url: p.url}
		}
	}
	if acct == nil {
		t.Fatalf("no credentials form for AdministratorAccess:\n%s", p.body)
	}
	p = acct.submit(b, "/start/credentials", nil)
	p.must(t, http.StatusOK, "/start/credentials", `export AWS_ACCESS_KEY_ID="ASIAEXAMPLEKEY000001"`,
		`export AWS_SECRET_ACCESS_KEY="secret/&#43;key"`, `export AWS_SESSION_TOKEN="tok&#43;en/=="`,
		`export AWS_DEFAULT_REGION="eu-central-1"`, "2025-03-04 07:06:07 UTC")
	p = p.submit(b, "/start/credentials", map[string]string{"account_id": "111111111111", "role_name": "Nope"})
	p.must(t, http.StatusForbidden, "/start/credentials")
}

func TestAuthorize(t *testing.T) {
	e := newEnv(t, true)
	b := e.browser()
	q := url.Values{"response_type": {"code"}, "client_id": {"client-1"}, "redirect_uri": {"http://127.0.0.1:54321/oauth/callback"},
		"state": {"st-1"}, "code_challenge": {"abc"}, "code_challenge_method": {"S256"}, "scopes": {"sso:account:access"}}
	p, _ := b.signIn(b.get("/authorize?"+q.Encode()), "")
	p.must(t, http.StatusOK, "/authorize", "client-1", "http://127.0.0.1:54321/oauth/callback", "sso:account:access")
	p2 := p.submit(b, "/authorize", map[string]string{"action": "approve"})
	if p2.status != http.StatusSeeOther || p2.header.Get("Location") != "http://127.0.0.1:54321/oauth/callback?code=the-code&state=st-1" {
		t.Fatalf("approve: %d %q", p2.status, p2.header.Get("Location"))
	}
	want := AuthorizeRequest{ClientID: "client-1", RedirectURI: "http://127.0.0.1:54321/oauth/callback", State: "st-1",
		CodeChallenge: "abc", CodeChallengeMethod: "S256", Scopes: []string{"sso:account:access"}}
	if len(e.oidc.authReqs) != 1 || e.oidc.authUser != "u-bojan" || strings.Join(e.oidc.authReqs[0].Scopes, ",") != "sso:account:access" ||
		e.oidc.authReqs[0].State != want.State || e.oidc.authReqs[0].CodeChallenge != want.CodeChallenge {
		t.Fatalf("Authorize calls %+v by %q", e.oidc.authReqs, e.oidc.authUser)
	}
	p.submit(b, "/authorize", map[string]string{"action": "deny"}).must(t, http.StatusOK, "/authorize", "Access denied")
	if len(e.oidc.authReqs) != 1 {
		t.Fatal("deny called Authorize")
	}
	q.Set("code_challenge_method", "plain")
	b.get("/authorize?"+q.Encode()).must(t, http.StatusBadRequest, "/authorize")
}

func TestServicesMissing(t *testing.T) {
	e := newEnv(t, false)
	b := e.browser()
	p, _ := b.signIn(b.get("/start"), "")
	p.must(t, http.StatusServiceUnavailable, "/start", "not available")
	b.get("/start/device?user_code=ABCD-EFGH").must(t, http.StatusServiceUnavailable, "/start/device")
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "/start",
		"/start/device?x=1":    "/start/device?x=1",
		"//evil.example/":      "/start",
		"/\\evil.example":      "/start",
		"https://evil.example": "/start",
		"/authorize?a=b":       "/authorize?a=b",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
	for p, want := range map[string]bool{"/start": true, "/start/mfa": true, "/authorize": true, "/starter": false, "/token": false} {
		if IsPath(p) != want {
			t.Errorf("IsPath(%q) = %v", p, !want)
		}
	}
}
