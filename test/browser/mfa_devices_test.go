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
