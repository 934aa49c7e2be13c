package browser_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestManageOwnMFADevices: a signed-in user opens "MFA devices" from the
// header, registers a second authenticator app (QR code and the secret as
// text, confirmed with a code), deletes the first device, signs out, and
// signs in again with the second device's code; the deleted device's code
// no longer works.
func TestManageOwnMFADevices(t *testing.T) {
	srv := startServer(t)
	u := srv.createUser(t, "Bojan")
	srv.registerTOTP(t, u) // the first device, "test device"
	p := newPage(t, srv)

	p.open("/start")
	p.signInPassword(u.Name, u.Password)
	p.signInMFA(u.code(t))
	p.wantPath("signed in", "/start")

	p.submit("the MFA devices link", chromedp.Click(chromedp.ID("nav-mfa-devices"), chromedp.NodeVisible))
	p.wantPath("the header link", "/start/mfa-devices")
	p.wantText("the MFA devices page", "MFA devices", "test device", "Authenticator app", "Register an authenticator app")

	// Register a second authenticator app.
	p.submit("register an authenticator app", chromedp.Click(chromedp.ID("register-totp"), chromedp.NodeVisible))
	p.wantPath("the registration page", "/start/mfa-devices/totp")
	if !p.has(`img[src^="data:image/png;base64,"][alt]`) {
		t.Fatal("the registration page has no QR code image with alt text")
	}
	second := &user{Name: u.Name, Password: u.Password, Secret: strings.TrimSpace(p.text("#secret"))}
	if !base32Secret.MatchString(second.Secret) {
		t.Fatalf("the secret on the page is %q, want base32", second.Secret)
	}
	resp := p.submit("a wrong code", fill("device_name", "tablet"), fill("code", second.wrongCode(t)),
		click("/start/mfa-devices/totp", "Assign MFA device"))
	if resp.Status != 401 || !strings.Contains(p.text("#error"), "The code is incorrect") {
		t.Fatalf("wrong code: status %d, error %q", resp.Status, p.text("#error"))
	}
	if got := strings.TrimSpace(p.text("#secret")); got != second.Secret {
		t.Fatalf("the secret changed after a wrong code: %q, was %q", got, second.Secret)
	}
	p.submit("the code", fill("device_name", "tablet"), fill("code", second.code(t)),
		click("/start/mfa-devices/totp", "Assign MFA device"))
	p.wantPath("after registering", "/start/mfa-devices")
	p.wantText("after registering", "The MFA device was registered", "tablet", "test device")

	// Delete the first device (the button names the device for screen readers).
	p.submit("delete the first device", chromedp.Click(chromedp.Search(`//button[@aria-label="Delete MFA device test device"]`), chromedp.NodeVisible))
	p.wantPath("after deleting", "/start/mfa-devices")
	p.wantText("after deleting", "The MFA device was deleted", "tablet")
	if strings.Contains(p.text("#devices"), "test device") {
		t.Fatalf("the deleted device is still listed:\n%s", p.text("#devices"))
	}

	p.signOut()
	p.open("/start")
	p.signInPassword(u.Name, u.Password)
	p.wantPath("sign-in after the change", "/start/mfa")
	if resp := p.signInMFA(u.code(t)); resp.Status != 401 {
		t.Fatalf("the deleted device's code: status %d, want 401", resp.Status)
	}
	p.signInMFA(second.code(t))
	p.wantPath("signed in with the second device", "/start")
	p.wantText("signed in with the second device", "Signed in as Bojan")
}

// TestManageOwnSecurityKey: a user who signed in with an authenticator app
// registers a security key (a virtual authenticator) on the MFA devices
// page, deletes the app, signs in again with the key alone, and then
// deletes the key too (allowed by default: the next sign-in registers a
// new device).
func TestManageOwnSecurityKey(t *testing.T) {
	srv := startServer(t)
	atLocalhost(srv)
	u := srv.createUser(t, "Wren")
	srv.registerTOTP(t, u)
	p := newPage(t, srv)
	p.addVirtualAuthenticator()

	p.open("/start")
	p.signInPassword(u.Name, u.Password)
	p.signInMFA(u.code(t))
	p.open("/start/mfa-devices")
	p.wantText("the MFA devices page", "Register a security key or passkey", "test device")
	p.submit("register a security key", fill("key_name", "laptop key"),
		click("/start/mfa-devices/webauthn", "Register security key"))
	p.wantPath("after registering the key", "/start/mfa-devices")
	p.wantText("after registering the key", "The MFA device was registered", "laptop key", "Security key or passkey", "Never")
	if keys := srv.keysOf(t, u); len(keys) != 1 || keys[0].Name != "laptop key" {
		t.Fatalf("stored keys = %+v; want one named laptop key", keys)
	}
	p.submit("delete the app", chromedp.Click(chromedp.Search(`//button[@aria-label="Delete MFA device test device"]`), chromedp.NodeVisible))
	p.wantText("after deleting the app", "The MFA device was deleted")

	p.signOut()
	p.open("/start/mfa-devices")
	p.signInPassword(u.Name, u.Password)
	p.wantPath("sign-in with the key", "/start/mfa")
	if p.has("#code") {
		t.Fatal("the MFA page asks for an authenticator code; the app was deleted")
	}
	p.submit("use the security key", click("/start/mfa/webauthn", "Use security key"))
	p.wantPath("after the key", "/start/mfa-devices")
	p.wantText("after the key", "Signed in as Wren", "laptop key", "If you delete all your MFA devices, you register a new one")

	p.submit("delete the key", chromedp.Click(chromedp.Search(`//button[@aria-label="Delete MFA device laptop key"]`), chromedp.NodeVisible))
	p.wantText("after deleting the key", "The MFA device was deleted", "You have no MFA devices.")
	if keys := srv.keysOf(t, u); len(keys) != 0 {
		t.Fatalf("stored keys after deleting = %+v", keys)
	}
}
