package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	coreiam "github.com/idcenter/idcenter/internal/core/iam"
)

// TestCLIRootMFADevice: with the real CLI the root user creates a virtual
// MFA device, enables it for itself (`--user-name` = the account id: the API
// model requires a user name, and AWS enables root MFA in its console only),
// lists it, and gets a session token with its code; that session satisfies a
// trust policy requiring MFA, the root's long-term key does not.
func TestCLIRootMFADevice(t *testing.T) {
	needCLI(t)
	s := startServer(t)
	c := newCLI(t, s)
	acct := str(t, c.ok("sts", "get-caller-identity"), "Account")
	seedFile := filepath.Join(t.TempDir(), "seed")
	serial := str(t, c.ok("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "root-account-mfa-device",
		"--outfile", seedFile, "--bootstrap-method", "Base32StringSeed"), "VirtualMFADevice", "SerialNumber")
	if serial != "arn:aws:iam::"+acct+":mfa/root-account-mfa-device" {
		t.Fatalf("serial = %s", serial)
	}
	seed, err := os.ReadFile(seedFile)
	if err != nil {
		t.Fatal(err)
	}
	code := func(at time.Duration) string {
		v, err := coreiam.MFACode(strings.TrimSpace(string(seed)), time.Now().Add(at))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	c.ok("iam", "enable-mfa-device", "--user-name", acct, "--serial-number", serial,
		"--authentication-code1", code(-60*time.Second), "--authentication-code2", code(-30*time.Second))
	devices, _ := c.ok("iam", "list-mfa-devices")["MFADevices"].([]any)
	if len(devices) != 1 || devices[0].(map[string]any)["SerialNumber"] != serial {
		t.Fatalf("root's list-mfa-devices = %v", devices)
	}

	c.ok("iam", "create-role", "--role-name", "RootBreakglass", "--assume-role-policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+acct+`:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`)
	roleARN := "arn:aws:iam::" + acct + ":role/RootBreakglass"
	c.fail([]string{"AccessDenied"}, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "root")
	sess := c.ok("sts", "get-session-token", "--serial-number", serial, "--token-code", code(0))
	sessionCLI(t, s, sess).ok("sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "root")
}
