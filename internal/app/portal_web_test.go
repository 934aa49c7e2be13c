package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/core/signin"
	"github.com/idcenter/idcenter/internal/store"
)

var (
	csrfRE   = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	secretRE = regexp.MustCompile(`<code id="secret">([A-Z2-7]+)</code>`)
)

// TestWebPortalSignIn signs a user in through the real handler chain:
// /start → sign-in → password → TOTP registration → back to /start.
func TestWebPortalSignIn(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	err := ts.Store.Update(ctx, func(tx store.Tx) error {
		return tx.CreateUser(ctx, store.User{IdentityStoreID: ts.World.Instance.IdentityStoreID, UserID: "u-bojan",
			UserName: "Bojan", Status: "ENABLED", CreatedAt: time.Now(), UpdatedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.SignIn.SetPassword(ctx, "Bojan", "Correct-Horse-9"); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := c.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	post := func(path, body string, form url.Values) (*http.Response, string) {
		t.Helper()
		if m := csrfRE.FindStringSubmatch(body); m != nil && form.Get("csrf_token") == "" {
			form.Set("csrf_token", m[1])
		}
		resp, err := c.PostForm(ts.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	resp, body := get("/start/device?user_code=ABCD-EFGH")
	if resp.Request.URL.Path != "/start/signin" || resp.Request.URL.Query().Get("next") != "/start/device?user_code=ABCD-EFGH" ||
		!strings.Contains(body, `name="username"`) {
		t.Fatalf("unsigned-in visit: %s\n%s", resp.Request.URL, body)
	}
	if resp, _ := post("/start/signin", "", url.Values{"username": {"Bojan"}, "password": {"Correct-Horse-9"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("sign-in without CSRF token: %d", resp.StatusCode)
	}
	resp, body = post("/start/signin", body, url.Values{"username": {"Bojan"}, "password": {"Wrong-horse-9"}, "next": {"/start"}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	resp, body = post("/start/signin", body, url.Values{"username": {"Bojan"}, "password": {"Correct-Horse-9"}, "next": {"/start"}})
	m := secretRE.FindStringSubmatch(body)
	if resp.Request.URL.Path != "/start/mfa/register" || m == nil {
		t.Fatalf("after the password: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	code, err := signin.Code(m[1], time.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp, body = post("/start/mfa/register", body, url.Values{"secret": {m[1]}, "code": {code}, "next": {"/start"}})
	if resp.Request.URL.Path != "/start" || strings.Contains(body, `name="password"`) || !strings.Contains(body, "Signed in as Bojan") {
		t.Fatalf("after the registration: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	resp, body = post("/start/signout", body, url.Values{})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "You have signed out.") {
		t.Fatalf("sign out: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := get("/start"); resp.Request.URL.Path != "/start/signin" {
		t.Fatalf("after sign-out /start shows %s", resp.Request.URL)
	}
}
