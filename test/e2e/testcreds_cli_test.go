package e2e

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIAcceptTestCredentials: suites written for other emulators sign with
// AWS_ACCESS_KEY_ID=test; with --accept-test-credentials the real CLI gets
// answers as the management account's root, without it the unknown-key error.
func TestCLIAcceptTestCredentials(t *testing.T) {
	needCLI(t)
	run := func(s *server) (string, string, error) {
		cmd := exec.Command(awsCLI, "sts", "get-caller-identity", "--endpoint-url", s.Endpoint, "--region", "us-east-1",
			"--output", "text", "--query", "Arn", "--no-cli-pager")
		cmd.Env = append(cleanEnv(t.TempDir()), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_PAGER=")
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		return strings.TrimSpace(o.String()), e.String(), err
	}
	lax := startServerAt(t, filepath.Join(t.TempDir(), "data"), "--accept-test-credentials")
	if out, errOut, err := run(lax); err != nil || out != "arn:aws:iam::123456789012:root" {
		t.Fatalf("with --accept-test-credentials: %q %v\n%s", out, err, errOut)
	}
	if !strings.Contains(lax.stderr.String(), "INSECURE") {
		t.Fatalf("no warning logged at start:\n%s", lax.stderr)
	}
	strict := startServerAt(t, filepath.Join(t.TempDir(), "data"))
	if _, errOut, err := run(strict); err == nil || !strings.Contains(errOut, "InvalidClientTokenId") {
		t.Fatalf("without the flag: %v\n%s", err, errOut)
	}
}
