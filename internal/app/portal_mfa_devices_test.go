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

	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/core/signin"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/world"
)

// portalBrowser is a cookie-keeping client of the portal pages.
type portalBrowser struct {
	t    *testing.T
	base string
	c    *http.Client
	last string // the last page's body (its csrf_token is reused)
}

func newPortalBrowser(t *testing.T, base string) *portalBrowser {
	jar, _ := cookiejar.New(nil)
	return &portalBrowser{t: t, base: base, c: &http.Client{Jar: jar}}
}

func (b *portalBrowser) get(path string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.last = string(body)
	return resp, b.last
}

// post sends a form with the last page's csrf_token unless noCSRF.
func (b *portalBrowser) post(path string, form url.Values, noCSRF bool) (*http.Response, string) {
	b.t.Helper()
	if m := csrfRE.FindStringSubmatch(b.last); m != nil && !noCSRF {
		form.Set("csrf_token", m[1])
	}
	resp, err := b.c.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if !noCSRF {
		b.last = string(body)
	}
	return resp, string(body)
}

// deleteID finds the device_id of the delete button of a device name.
func deleteID(body, name string) string {
	re := regexp.MustCompile(`name="device_id" value="([^"]+)"><button type="submit" class="secondary" aria-label="Delete MFA device ` +
		regexp.QuoteMeta(name) + `"`)
	if m := re.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// TestPortalMFADevices: a signed-in user lists, registers (authenticator
// app) and deletes their own MFA devices on /start/mfa-devices; forms
// without the CSRF token, deleting the last device when sign-in without one
// is blocked, and every change while the instance keeps device management
// to administrators are refused without changing anything; the new device
// signs the user in.
func TestPortalMFADevices(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	storeID := ts.World.Instance.IdentityStoreID
	err := ts.Store.Update(ctx, func(tx store.Tx) error {
		return tx.CreateUser(ctx, store.User{IdentityStoreID: storeID, UserID: "u-bojan",
			UserName: "Bojan", Status: "ENABLED", CreatedAt: time.Now(), UpdatedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.SignIn.SetPassword(ctx, "Bojan", "Correct-Horse-9"); err != nil {
		t.Fatal(err)
	}
	devices := func() []string {
		t.Helper()
		var out []string
		err := ts.Store.View(ctx, func(tx store.Tx) error {
			ds, err := tx.ListTOTPDevices(ctx, storeID, "u-bojan")
			for _, d := range ds {
				out = append(out, d.Name)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := func(what string, names ...string) {
		t.Helper()
		if got := devices(); strings.Join(got, ",") != strings.Join(names, ",") {
			t.Fatalf("%s: devices %v, want %v", what, got, names)
		}
	}

	// First sign-in: the password, then the first device ("phone").
	b := newPortalBrowser(t, ts.URL)
	b.get("/start/signin")
	resp, body := b.post("/start/signin", url.Values{"username": {"Bojan"}, "password": {"Correct-Horse-9"}, "next": {"/start"}}, false)
	m := secretRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no registration page: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	phone := m[1]
	code, _ := signin.Code(phone, time.Now())
	resp, body = b.post("/start/mfa/register", url.Values{"secret": {phone}, "code": {code}, "device_name": {"phone"}, "next": {"/start"}}, false)
	if resp.Request.URL.Path != "/start" || !strings.Contains(body, `href="/start/mfa-devices"`) {
		t.Fatalf("signed in: %s, header without the MFA devices link:\n%s", resp.Request.URL, body)
	}

	// The list.
	resp, body = b.get("/start/mfa-devices")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<th scope=\"row\">phone</th><td>Authenticator app</td>") ||
		deleteID(body, "phone") == "" || !strings.Contains(body, `href="/start/mfa-devices/totp"`) {
		t.Fatalf("MFA devices page: %d\n%s", resp.StatusCode, body)
	}

	// Register a second authenticator app: a wrong code, no CSRF token, then right.
	resp, body = b.get("/start/mfa-devices/totp")
	m = secretRE.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil || !strings.Contains(body, `action="/start/mfa-devices/totp"`) {
		t.Fatalf("registration page: %d\n%s", resp.StatusCode, body)
	}
	tablet := m[1]
	good, _ := signin.Code(tablet, time.Now())
	bad := "000000"
	if bad == good {
		bad = "111111"
	}
	resp, body = b.post("/start/mfa-devices/totp", url.Values{"secret": {tablet}, "code": {bad}, "device_name": {"tablet"}}, false)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `<code id="secret">`+tablet+`</code>`) || !strings.Contains(body, `role="alert"`) {
		t.Fatalf("wrong code: %d\n%s", resp.StatusCode, body)
	}
	want("after a wrong code", "phone")
	if resp, _ := b.post("/start/mfa-devices/totp", url.Values{"secret": {tablet}, "code": {good}, "device_name": {"tablet"}}, true); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("registration without CSRF token: %d", resp.StatusCode)
	}
	want("after a form without CSRF token", "phone")
	resp, body = b.post("/start/mfa-devices/totp", url.Values{"secret": {tablet}, "code": {good}, "device_name": {"tablet"}}, false)
	if resp.Request.URL.Path != "/start/mfa-devices" || !strings.Contains(body, `id="notice"`) ||
		deleteID(body, "phone") == "" || deleteID(body, "tablet") == "" {
		t.Fatalf("after registering: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	want("after registering", "phone", "tablet")

	// Two authenticator apps are AWS's limit: no third.
	if strings.Contains(body, `href="/start/mfa-devices/totp"`) {
		t.Fatalf("a third authenticator app is offered:\n%s", body)
	}
	if resp, _ := b.get("/start/mfa-devices/totp"); resp.StatusCode != http.StatusConflict {
		t.Fatalf("registration page with two apps: %d", resp.StatusCode)
	}
	b.get("/start/mfa-devices")
	third, _ := signin.Code(phone, time.Now())
	if resp, _ := b.post("/start/mfa-devices/totp", url.Values{"secret": {phone}, "code": {third}, "device_name": {"third"}}, false); resp.StatusCode != http.StatusConflict {
		t.Fatalf("a third authenticator app: %d", resp.StatusCode)
	}
	want("after refusing a third app", "phone", "tablet")
	_, body = b.get("/start/mfa-devices")

	// Delete the first: without CSRF token, an unknown device, then for real.
	phoneID := deleteID(body, "phone")
	if resp, _ := b.post("/start/mfa-devices/delete", url.Values{"device_id": {phoneID}}, true); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("delete without CSRF token: %d", resp.StatusCode)
	}
	if resp, _ := b.post("/start/mfa-devices/delete", url.Values{"device_id": {"no-such-device"}}, false); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("delete an unknown device: %d", resp.StatusCode)
	}
	want("after refused deletions", "phone", "tablet")
	resp, body = b.post("/start/mfa-devices/delete", url.Values{"device_id": {phoneID}}, false)
	if resp.Request.URL.Path != "/start/mfa-devices" || deleteID(body, "phone") != "" || deleteID(body, "tablet") == "" {
		t.Fatalf("after deleting: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	want("after deleting", "tablet")

	// Rename: refused without CSRF token, without a name, for an unknown device.
	renameRE := regexp.MustCompile(`action="/start/mfa-devices/rename"><input type="hidden" name="csrf_token" value="[^"]+"><input type="hidden" name="device_id" value="([^"]+)"><label for="[^"]+" class="visually-hidden">New name for MFA device tablet</label>`)
	rm := renameRE.FindStringSubmatch(body)
	if rm == nil {
		t.Fatalf("no labelled rename form for tablet:\n%s", body)
	}
	for _, c := range []struct {
		form   url.Values
		noCSRF bool
		status int
	}{
		{url.Values{"device_id": {rm[1]}, "device_name": {"my tablet"}}, true, http.StatusForbidden},
		{url.Values{"device_id": {rm[1]}, "device_name": {"  "}}, false, http.StatusBadRequest},
		{url.Values{"device_id": {"no-such-device"}, "device_name": {"x"}}, false, http.StatusNotFound},
	} {
		if resp, body := b.post("/start/mfa-devices/rename", c.form, c.noCSRF); resp.StatusCode != c.status {
			t.Fatalf("rename %v (no CSRF %v): %d, want %d\n%s", c.form, c.noCSRF, resp.StatusCode, c.status, body)
		}
	}
	want("after refused renames", "tablet")
	resp, body = b.post("/start/mfa-devices/rename", url.Values{"device_id": {rm[1]}, "device_name": {"  my tablet "}}, false)
	if resp.Request.URL.Path != "/start/mfa-devices" || deleteID(body, "my tablet") == "" || !strings.Contains(body, "was renamed") {
		t.Fatalf("after renaming: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	want("after renaming", "my tablet")
	b.post("/start/mfa-devices/rename", url.Values{"device_id": {rm[1]}, "device_name": {"tablet"}}, false)
	want("after renaming back", "tablet")

	// The last device stays when sign-in without one is blocked.
	if err := ts.SignIn.SetMFASettings(ctx, signin.Settings{NoDevice: store.MFANoDeviceBlock}); err != nil {
		t.Fatal(err)
	}
	_, body = b.get("/start/mfa-devices")
	if deleteID(body, "tablet") != "" || !strings.Contains(body, "Your last device") {
		t.Fatalf("last device offered for deletion:\n%s", body)
	}
	resp, body = b.post("/start/mfa-devices/delete", url.Values{"device_id": {phoneID}}, false) // gone already
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("delete a deleted device: %d", resp.StatusCode)
	}
	var ids []string
	err = ts.Store.View(ctx, func(tx store.Tx) error {
		ds, err := tx.ListTOTPDevices(ctx, storeID, "u-bojan")
		for _, d := range ds {
			ids = append(ids, d.DeviceID)
		}
		return err
	})
	if err != nil || len(ids) != 1 {
		t.Fatalf("devices: %v %v", ids, err)
	}
	resp, body = b.post("/start/mfa-devices/delete", url.Values{"device_id": {ids[0]}}, false)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "last MFA device") {
		t.Fatalf("delete the last device with BLOCK: %d\n%s", resp.StatusCode, body)
	}
	want("after refusing the last device", "tablet")

	// Self-service off: the page lists, every change is 403 and changes nothing.
	if err := ts.SignIn.SetMFASettings(ctx, signin.Settings{DevicesAdminOnly: true}); err != nil {
		t.Fatal(err)
	}
	resp, body = b.get("/start/mfa-devices")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="admin-managed"`) || !strings.Contains(body, "tablet") ||
		strings.Contains(body, `action="/start/mfa-devices/delete"`) || strings.Contains(body, `action="/start/mfa-devices/rename"`) ||
		strings.Contains(body, `href="/start/mfa-devices/totp"`) {
		t.Fatalf("page with self-service off: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := b.get("/start/mfa-devices/totp"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("registration page with self-service off: %d", resp.StatusCode)
	}
	b.get("/start/mfa-devices")
	for _, c := range []struct {
		path string
		form url.Values
	}{
		{"/start/mfa-devices/totp", url.Values{"secret": {phone}, "code": {third}, "device_name": {"again"}}},
		{"/start/mfa-devices/delete", url.Values{"device_id": {ids[0]}}},
		{"/start/mfa-devices/rename", url.Values{"device_id": {ids[0]}, "device_name": {"renamed"}}},
		{"/start/mfa-devices/webauthn", url.Values{"credential": {`{"id":"x"}`}}},
	} {
		if resp, _ := b.post(c.path, c.form, false); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s with self-service off: %d", c.path, resp.StatusCode)
		}
	}
	want("after refused changes", "tablet")

	// The remaining (second) device signs the user in.
	if err := ts.SignIn.SetMFASettings(ctx, signin.Settings{}); err != nil {
		t.Fatal(err)
	}
	b.get("/start")
	if resp, body := b.post("/start/signout", url.Values{}, false); resp.StatusCode != http.StatusOK {
		t.Fatalf("sign out: %d\n%s", resp.StatusCode, body)
	}
	b.get("/start/signin")
	resp, body = b.post("/start/signin", url.Values{"username": {"Bojan"}, "password": {"Correct-Horse-9"}, "next": {"/start/mfa-devices"}}, false)
	if resp.Request.URL.Path != "/start/mfa" {
		t.Fatalf("second sign-in: %s\n%s", resp.Request.URL, body)
	}
	// The phone's code is refused now; the tablet's (a later step than the
	// one used to register it) is accepted.
	if old, _ := signin.Code(phone, time.Now().Add(30*time.Second)); old != "" {
		if resp, _ := b.post("/start/mfa", url.Values{"code": {old}, "next": {"/start/mfa-devices"}}, false); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("deleted device's code: %d", resp.StatusCode)
		}
	}
	code, _ = signin.Code(tablet, time.Now().Add(30*time.Second))
	resp, body = b.post("/start/mfa", url.Values{"code": {code}, "next": {"/start/mfa-devices"}}, false)
	if resp.Request.URL.Path != "/start/mfa-devices" || !strings.Contains(body, "tablet") {
		t.Fatalf("sign-in with the second device: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
}

// TestPortalMFADevicesSignedOut: the MFA devices pages need a signed-in
// session (a visit goes through the sign-in and comes back).
func TestPortalMFADevicesSignedOut(t *testing.T) {
	ts := startServer(t)
	b := newPortalBrowser(t, ts.URL)
	for _, p := range []string{"/start/mfa-devices", "/start/mfa-devices/totp"} {
		resp, body := b.get(p)
		if resp.Request.URL.Path != "/start/signin" || resp.Request.URL.Query().Get("next") != p || !strings.Contains(body, `name="username"`) {
			t.Errorf("signed-out visit of %s: %s", p, resp.Request.URL)
		}
	}
	resp, _ := b.post("/start/mfa-devices/delete", url.Values{"device_id": {"x"}}, false)
	if resp.Request.URL.Path != "/start/signin" {
		t.Errorf("signed-out delete: %d %s", resp.StatusCode, resp.Request.URL)
	}
}

// TestPortalMFADevicesSettings: how the instance's MFA settings shape the
// page. A user without a device allowed in with the password alone
// (no-device ALLOW) registers one on the page and stays signed in; only
// the allowed types can be registered; in the context-change mode,
// deleting a device forgets the remembered browser, so the next sign-in asks
// for MFA again.
func TestPortalMFADevicesSettings(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	storeID := ts.World.Instance.IdentityStoreID
	err := ts.Store.Update(ctx, func(tx store.Tx) error {
		return tx.CreateUser(ctx, store.User{IdentityStoreID: storeID, UserID: "u-ana",
			UserName: "Ana", Status: "ENABLED", CreatedAt: time.Now(), UpdatedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.SignIn.SetPassword(ctx, "Ana", "Correct-Horse-9"); err != nil {
		t.Fatal(err)
	}
	signIn := func(b *portalBrowser, next string) (*http.Response, string) {
		t.Helper()
		b.get("/start/signin")
		return b.post("/start/signin", url.Values{"username": {"Ana"}, "password": {"Correct-Horse-9"}, "next": {next}}, false)
	}

	// ALLOW: signed in with the password alone, no device yet.
	if err := ts.SignIn.SetMFASettings(ctx, signin.Settings{NoDevice: store.MFANoDeviceAllow, Types: []string{store.MFATypeTOTP}}); err != nil {
		t.Fatal(err)
	}
	b := newPortalBrowser(t, ts.URL)
	resp, body := signIn(b, "/start/mfa-devices")
	if resp.Request.URL.Path != "/start/mfa-devices" || !strings.Contains(body, "You have no MFA devices.") ||
		!strings.Contains(body, "you sign in with your password alone") || strings.Contains(body, `data-webauthn="create"`) {
		t.Fatalf("ALLOW, no device: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	if resp, _ := b.post("/start/mfa-devices/webauthn", url.Values{"credential": {`{"id":"x"}`}}, false); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a security key when only TOTP is allowed: %d", resp.StatusCode)
	}
	_, body = b.get("/start/mfa-devices/totp")
	m := secretRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("registration page:\n%s", body)
	}
	code, _ := signin.Code(m[1], time.Now())
	resp, body = b.post("/start/mfa-devices/totp", url.Values{"secret": {m[1]}, "code": {code}, "device_name": {"phone"}}, false)
	if resp.Request.URL.Path != "/start/mfa-devices" || deleteID(body, "phone") == "" || !strings.Contains(body, "Signed in as Ana") {
		t.Fatalf("after registering in a password-only session: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	// Only TOTP allowed: the registration page is refused once WebAuthn alone is.
	if err := ts.SignIn.SetMFASettings(ctx, signin.Settings{Types: []string{store.MFATypeWebAuthn}, NoDevice: store.MFANoDeviceAllow}); err != nil {
		t.Fatal(err)
	}
	if resp, _ := b.get("/start/mfa-devices/totp"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("authenticator app registration when only security keys are allowed: %d", resp.StatusCode)
	}

	// CONTEXT_CHANGE: a browser remembered after MFA skips it, until a device is deleted.
	if err := ts.SignIn.SetMFASettings(ctx, signin.Settings{Mode: store.MFAContextChange}); err != nil {
		t.Fatal(err)
	}
	secret := m[1]
	b2 := newPortalBrowser(t, ts.URL)
	resp, _ = signIn(b2, "/start")
	if resp.Request.URL.Path != "/start/mfa" {
		t.Fatalf("context-change, new browser: %s", resp.Request.URL)
	}
	code, _ = signin.Code(secret, time.Now().Add(30*time.Second))
	if resp, _ := b2.post("/start/mfa", url.Values{"code": {code}, "next": {"/start"}}, false); resp.Request.URL.Path != "/start" {
		t.Fatalf("context-change, MFA: %s", resp.Request.URL)
	}
	b2.post("/start/signout", url.Values{}, false)
	if resp, _ := signIn(b2, "/start"); resp.Request.URL.Path != "/start" {
		t.Fatalf("context-change, remembered browser: %s (want no MFA)", resp.Request.URL)
	}
	// Register a second device, delete the first: the browser is forgotten.
	_, body = b2.get("/start/mfa-devices/totp")
	m = secretRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("registration page:\n%s", body)
	}
	code, _ = signin.Code(m[1], time.Now())
	_, body = b2.post("/start/mfa-devices/totp", url.Values{"secret": {m[1]}, "code": {code}, "device_name": {"tablet"}}, false)
	resp, body = b2.post("/start/mfa-devices/delete", url.Values{"device_id": {deleteID(body, "phone")}}, false)
	if resp.Request.URL.Path != "/start/mfa-devices" || deleteID(body, "phone") != "" {
		t.Fatalf("delete: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	b2.post("/start/signout", url.Values{}, false)
	if resp, _ := signIn(b2, "/start"); resp.Request.URL.Path != "/start/mfa" {
		t.Fatalf("context-change after deleting a device: %s (want the MFA page)", resp.Request.URL)
	}
}

// TestWorldFileUsersManageDevices: settings.mfa.usersManageDevices of a
// world file sets the instance's setting (true when left out); the other
// MFA settings keep their values.
func TestWorldFileUsersManageDevices(t *testing.T) {
	for _, tt := range []struct {
		name, world   string
		wantAdminOnly bool
	}{
		{"false", "settings:\n  mfa:\n    usersManageDevices: false\n", true},
		{"true", "settings:\n  mfa:\n    usersManageDevices: true\n", false},
		{"left out", "settings:\n  mfa:\n    noDevice: BLOCK\n", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := startServerWith(t, func(c *config.Config) { c.World = writeFile(t, "world.yaml", tt.world) })
			st, err := ts.SignIn.MFASettings(context.Background())
			if err != nil || st.DevicesAdminOnly != tt.wantAdminOnly || st.Mode != store.MFAAlways {
				t.Fatalf("settings = %+v, %v; want DevicesAdminOnly %v", st, err, tt.wantAdminOnly)
			}
			// The export writes the setting only when it is not the default.
			w, err := world.Export(context.Background(), ts.Store, ts.World.Instance.ARN, world.ExportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			out, err := world.Marshal(w)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(string(out), "usersManageDevices: false"); got != tt.wantAdminOnly {
				t.Fatalf("export has usersManageDevices: false = %v, want %v:\n%s", got, tt.wantAdminOnly, out)
			}
		})
	}
}
