package e2e

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/idcenter/idcenter/internal/browsertest"
)

// approveInChromium is a person at the verification URL the CLI printed, in
// headless Chromium: sign in as user (password), register a TOTP device at
// this first sign-in (reading the secret off the page, as from a phone's
// scanner), check the code the terminal shows and approve it.
func approveInChromium(t *testing.T, verification, user, password string) {
	t.Helper()
	u, err := url.Parse(verification)
	if err != nil {
		t.Fatalf("verification URL %q: %v", verification, err)
	}
	wantCode := u.Query().Get("user_code")
	p := browsertest.NewPage(t)
	p.Open(verification)
	p.Submit("/start/signin", "Next", [2]string{"username", user})
	if got := p.Text("main strong"); got != user {
		t.Fatalf("the password step shows the user name %q, want %q", got, user)
	}
	p.Submit("/start/signin", "Sign in", [2]string{"password", password})
	if loc := p.Location(); !strings.Contains(loc, "/start/mfa/register") {
		t.Fatalf("after the password the browser is at %s, want the MFA registration page:\n%s", loc, p.Text("body"))
	}
	secret := strings.TrimSpace(p.Text("#secret"))
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatalf("TOTP secret %q from the page: %v", secret, err)
	}
	p.Submit("/start/mfa/register", "Assign MFA", [2]string{"device_name", "phone"}, [2]string{"code", code})
	if loc := p.Location(); !strings.Contains(loc, "/start/device") {
		t.Fatalf("after the MFA registration the browser is at %s, want the device confirmation:\n%s", loc, p.Text("body"))
	}
	if got := p.Text("#user-code"); got != wantCode {
		t.Fatalf("the confirmation page shows the code %q, the terminal %q", got, wantCode)
	}
	p.Submit("/start/device", "Confirm and continue")
	if body := p.Text("body"); !strings.Contains(body, "Request approved.") {
		t.Fatalf("after approving:\n%s", body)
	}
}
