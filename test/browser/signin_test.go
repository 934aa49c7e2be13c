package browser_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// base32Secret is a TOTP secret as the registration page writes it.
var base32Secret = regexp.MustCompile(`^[A-Z2-7]{26,}$`)

// TestFirstSignInRegistersTOTP: a user with only a password is sent to the
// TOTP registration at first sign-in; the secret is read from the page's
// text; a wrong code is refused there; the right one signs the user in.
// Signing in again asks for a code of the registered device.
func TestFirstSignInRegistersTOTP(t *testing.T) {
	srv := startServer(t)
	u := srv.createUser(t, "Bojan")
	p := newPage(t, srv)

	p.open("/start")
	p.wantPath("an anonymous visit to /start", "/start/signin")
	p.signInPassword(u.Name, u.Password)
	p.wantPath("after the password", "/start/mfa/register")
	p.wantText("the registration page", "Register an authenticator app", "Secret key:")
	if !p.has(`img[src^="data:image/png;base64,"][alt]`) {
		t.Fatal("the registration page has no QR code image with alt text")
	}
	u.Secret = strings.TrimSpace(p.text("#secret"))
	if !base32Secret.MatchString(u.Secret) {
		t.Fatalf("the secret on the page is %q, want base32", u.Secret)
	}
	if href := p.attr(`a[href^="otpauth://totp/"]`, "href"); !strings.Contains(href, "secret="+u.Secret) {
		t.Fatalf("the otpauth link %q does not carry the secret shown as text", href)
	}

	// A wrong code: an error, still on the registration page, same secret.
	resp := p.submit("wrong registration code", fill("device_name", "phone"), fill("code", u.wrongCode(t)),
		click("/start/mfa/register", "Assign MFA"))
	if resp.Status != 401 {
		t.Fatalf("wrong registration code: status %d, want 401", resp.Status)
	}
	p.wantPath("after a wrong registration code", "/start/mfa/register")
	if got := p.text("#error"); !strings.Contains(got, "The code is incorrect") {
		t.Fatalf("wrong registration code: error %q", got)
	}
	if got := strings.TrimSpace(p.text("#secret")); got != u.Secret {
		t.Fatalf("the secret changed after a wrong code: %q, was %q", got, u.Secret)
	}
	p.open("/start")
	p.wantPath("/start before the device is registered", "/start/mfa/register")
	u.Secret = strings.TrimSpace(p.text("#secret")) // a new visit may show a new secret

	p.submit("registration code", fill("code", u.code(t)), click("/start/mfa/register", "Assign MFA"))
	p.wantPath("after the registration", "/start")
	p.wantText("after the registration", "Signed in as Bojan", "AWS accounts")

	p.signOut()
	p.open("/start")
	p.wantPath("/start after sign-out", "/start/signin")

	// Password and TOTP: the registered device's codes now sign the user in.
	p.signInPassword(u.Name, u.Password)
	p.wantPath("second sign-in, after the password", "/start/mfa")
	p.wantText("the MFA page", "Enter the 6-digit code")
	p.signInMFA(u.code(t))
	p.wantPath("second sign-in, after the code", "/start")
	p.wantText("second sign-in", "Signed in as Bojan")
}

// TestSignInWithPasswordAndTOTP: a user with a device signs in with the
// password and a code, and lands on the page asked for.
func TestSignInWithPasswordAndTOTP(t *testing.T) {
	srv := startServer(t)
	u := srv.createUser(t, "Ana")
	srv.registerTOTP(t, u)
	p := newPage(t, srv)

	p.open("/start")
	p.wantPath("an anonymous visit", "/start/signin")
	p.signInPassword(u.Name, u.Password)
	p.wantPath("after the password", "/start/mfa")
	if p.has("#password") {
		t.Fatal("the MFA page asks for the password again")
	}
	p.signInMFA(u.code(t))
	p.wantPath("after the code", "/start")
	p.wantText("signed in", "Signed in as Ana", "You have no AWS accounts assigned.")
}

// TestWrongPassword: a wrong password, and an unknown user, show the same
// error and leave the browser signed out.
func TestWrongPassword(t *testing.T) {
	srv := startServer(t)
	u := srv.createUser(t, "Bojan")
	srv.registerTOTP(t, u)
	p := newPage(t, srv)

	for _, c := range []struct{ user, password string }{{u.Name, "Wrong-Horse-9"}, {"Nobody", u.Password}} {
		p.open("/start/signin")
		resp := p.signInPassword(c.user, c.password)
		if resp.Status != 401 {
			t.Fatalf("%s / wrong password: status %d, want 401", c.user, resp.Status)
		}
		p.wantPath("after a wrong password", "/start/signin")
		if got := p.text("#error"); got != "The user name or password is incorrect." {
			t.Fatalf("%s / wrong password: error %q", c.user, got)
		}
		if !p.has("#password") {
			t.Fatal("after a wrong password the page does not ask for the password again")
		}
		if got := p.attr("#password", "aria-describedby"); got != "error" {
			t.Fatalf("the password field is not described by the error (aria-describedby=%q)", got)
		}
		p.open("/start")
		p.wantPath("/start after a wrong password", "/start/signin")
		p.open("/start/mfa")
		p.wantPath("/start/mfa after a wrong password", "/start/signin")
	}
}

// TestWrongMFACode: after the right password, a wrong code shows an error,
// keeps the user on the MFA page and out of the portal.
func TestWrongMFACode(t *testing.T) {
	srv := startServer(t)
	u := srv.createUser(t, "Bojan")
	srv.registerTOTP(t, u)
	p := newPage(t, srv)

	p.open("/start/signin")
	p.signInPassword(u.Name, u.Password)
	p.wantPath("after the password", "/start/mfa")
	for _, code := range []string{u.wrongCode(t), u.wrongCode(t)} {
		resp := p.submit("wrong code", fill("code", code), click("/start/mfa", "Sign in"))
		if resp.Status != 401 {
			t.Fatalf("code %s: status %d, want 401", code, resp.Status)
		}
		p.wantPath("after a wrong code", "/start/mfa")
		if got := p.text("#error"); !strings.Contains(got, "The code is incorrect") {
			t.Fatalf("code %s: error %q", code, got)
		}
	}
	p.open("/start")
	p.wantPath("/start after wrong codes", "/start/mfa")
	if strings.Contains(p.body(), "AWS accounts") {
		t.Fatal("the portal opened after wrong codes")
	}
	p.open("/start/device")
	p.wantPath("/start/device after wrong codes", "/start/mfa")

	// The right code still works (the wrong ones were refused on their
	// merits) and leads to the page last asked for.
	p.signInMFA(u.code(t))
	p.wantPath("after the right code", "/start/device")
	p.wantText("after the right code", "Signed in as Bojan", "Code shown by your terminal")
}

// TestKeyboardOnlySignIn: the sign-in pages are used with the keyboard only:
// each field has the focus when its page loads, and Enter sends the form.
func TestKeyboardOnlySignIn(t *testing.T) {
	srv := startServer(t)
	u := srv.createUser(t, "Bojan")
	srv.registerTOTP(t, u)
	p := newPage(t, srv)

	p.open("/start")
	p.wantPath("an anonymous visit", "/start/signin")
	if got := p.focused("username"); got != "username" {
		t.Errorf("the sign-in page puts the focus on %q, want the user name field", got)
	}
	p.submit("user name + Enter", fill("username", u.Name), enter())
	if got := p.focused("password"); got != "password" {
		t.Errorf("the password page puts the focus on %q, want the password field", got)
	}
	p.submit("password + Enter", fill("password", u.Password), enter())
	p.wantPath("after the password", "/start/mfa")
	if got := p.focused("code"); got != "code" {
		t.Errorf("the MFA page puts the focus on %q, want the code field", got)
	}
	p.submit("code + Enter", fill("code", u.code(t)), enter())
	p.wantPath("after the code", "/start")
	p.wantText("signed in with the keyboard", "Signed in as Bojan")

	// Tab from the top of the page reaches the Sign out button, and Enter
	// on it signs out.
	p.do("start from the top of the page", js("document.activeElement && document.activeElement.blur()"))
	for i := 0; i < 5 && p.focusedText() != "Sign out"; i++ {
		p.do("Tab", chromedp.KeyEvent("\t"))
	}
	if got := p.focusedText(); got != "Sign out" {
		t.Fatalf("Tab does not reach the Sign out button (focus on %q)", got)
	}
	p.submit("Enter on Sign out", enter())
	p.wantText("after sign-out with the keyboard", "You have signed out.")
}
