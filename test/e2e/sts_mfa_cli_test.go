package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	coreiam "github.com/idcenter/idcenter/internal/core/iam"
)

// TestCLIGetSessionTokenWithMFA: a user's virtual MFA device created and
// enabled with the real CLI (the seed written by --outfile); `aws sts
// get-session-token --serial-number --token-code` with the current code
// gives a session that an MFA-conditioned policy lets through, while the
// user's long-term key is refused; the same code cannot be used twice.
func TestCLIGetSessionTokenWithMFA(t *testing.T) {
	needCLI(t)
	s := startServer(t)
	c := newCLI(t, s)
	c.ok("iam", "create-user", "--user-name", "ops")
	c.ok("iam", "put-user-policy", "--user-name", "ops", "--policy-name", "mfa-only", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`)
	key := c.ok("iam", "create-access-key", "--user-name", "ops")
	seedFile := filepath.Join(t.TempDir(), "seed")
	serial := str(t, c.ok("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "ops",
		"--outfile", seedFile, "--bootstrap-method", "Base32StringSeed"), "VirtualMFADevice", "SerialNumber")
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
	// Two earlier consecutive codes enable the device, leaving the current one unused.
	c.ok("iam", "enable-mfa-device", "--user-name", "ops", "--serial-number", serial,
		"--authentication-code1", code(-60*time.Second), "--authentication-code2", code(-30*time.Second))

	ops := machineCLI(t, s, str(t, key, "AccessKey", "AccessKeyId"), str(t, key, "AccessKey", "SecretAccessKey"))
	ops.fail([]string{"AccessDenied"}, "iam", "list-users")
	now := code(0)
	sess := ops.ok("sts", "get-session-token", "--serial-number", serial, "--token-code", now)
	sessionCLI(t, s, sess).ok("iam", "list-users")
	ops.fail([]string{"AccessDenied"}, "sts", "get-session-token", "--serial-number", serial, "--token-code", now)
}
