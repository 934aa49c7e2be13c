package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

// TestAdminMFAAndSessionSettingsWhileServing: `idcenter admin mfa-settings`
// and `session-settings` change a running server's sign-in: with MFA mode
// never a user signs in to the portal with the password alone; invalid values
// are refused without changing anything.
func TestAdminMFAAndSessionSettingsWhileServing(t *testing.T) {
	s := startServer(t)
	admin := t.TempDir()
	run := func(args ...string) (string, error) {
		t.Helper()
		cmd := exec.Command(binPath, append([]string{"admin"}, append(args, "--data", s.dataDir)...)...)
		cmd.Env = cleanEnv(admin)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("mfa-settings")
	if err != nil || out != "mode: always\ntypes: totp,webauthn\nno-device: register\nusers-manage-devices: true\nportal-session: 8h0m0s\n" {
		t.Fatalf("mfa-settings (defaults): %v\n%s", err, out)
	}
	for _, bad := range [][]string{
		{"mfa-settings", "--mode", "sometimes"},
		{"mfa-settings", "--types", "sms"},
		{"mfa-settings", "--no-device", "email"},
		{"mfa-settings", "--users-manage-devices=maybe"},
		{"session-settings", "--portal-session", "5m"},
		{"session-settings", "--portal-session", "2161h"},
	} {
		if out, err := run(bad...); err == nil {
			t.Errorf("%v accepted:\n%s", bad, out)
		}
	}
	if out, err := run("mfa-settings", "--mode", "never", "--types", "webauthn"); err != nil || !strings.Contains(out, "mode: never\ntypes: webauthn\n") {
		t.Fatalf("mfa-settings --mode never: %v\n%s", err, out)
	}
	if out, err := run("mfa-settings", "--users-manage-devices=false"); err != nil || !strings.Contains(out, "users-manage-devices: false\n") {
		t.Fatalf("mfa-settings --users-manage-devices=false: %v\n%s", err, out)
	}
	if out, err := run("session-settings", "--portal-session", "12h"); err != nil || out != "portal-session: 12h0m0s\n" {
		t.Fatalf("session-settings: %v\n%s", err, out)
	}
	if out, err := run("mfa-settings"); err != nil || out != "mode: never\ntypes: webauthn\nno-device: register\nusers-manage-devices: false\nportal-session: 12h0m0s\n" {
		t.Fatalf("mfa-settings after the changes: %v\n%s", err, out)
	}

	awsAdmin(t, s, admin, "identitystore", "create-user", "--identity-store-id", s.IdentityStoreID, "--user-name", "Bojan",
		"--display-name", "Bojan", "--name", "GivenName=Bojan,FamilyName=Test")
	const password = "Correct-Horse-9-e2e"
	if out, err := run("set-password", "--user-name", "Bojan", "--password", password); err != nil {
		t.Fatalf("set-password: %v\n%s", err, out)
	}
	b := newPortalBrowser(t)
	b.get(s.Endpoint + "/start")
	b.submit("/start/signin", map[string]string{"username": "Bojan"})
	b.submit("/start/signin", map[string]string{"password": password})
	if b.lastURL.Path != "/start" || !strings.Contains(b.last, "Signed in as Bojan") {
		t.Fatalf("with MFA off the sign-in lands at %s:\n%s", b.lastURL, b.last)
	}
}
