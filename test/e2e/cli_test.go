package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// awsCLI is the Debian AWS CLI v2. The aws first on PATH may be a pyenv awscli v1.
const awsCLI = "/usr/bin/aws"

// needCLI skips the test when the CLI is missing, except under CI where it must be installed
// (scripts/install-test-deps.sh).
func needCLI(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(awsCLI); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s missing under CI (scripts/install-test-deps.sh installs it): %v", awsCLI, err)
		}
		t.Skipf("%s missing; run scripts/install-test-deps.sh", awsCLI)
	}
}

// cli runs the AWS CLI against one server with its credentials and config files.
type cli struct {
	t               *testing.T
	home            string
	endpoint        string
	credentialsFile string
	configFile      string
	profile         string
}

func newCLI(t *testing.T, s *server) *cli {
	return &cli{t: t, home: t.TempDir(), endpoint: s.Endpoint,
		credentialsFile: s.CredentialsFile, configFile: s.ConfigFile, profile: "idcenter"}
}

type cliResult struct {
	args   []string
	code   int
	stdout string
	stderr string
}

// run runs one CLI command and returns its exit code and output, whatever they are.
func (c *cli) run(args ...string) cliResult {
	c.t.Helper()
	full := append(append([]string{}, args...),
		"--endpoint-url", c.endpoint, "--profile", c.profile, "--output", "json", "--no-cli-pager")
	cmd := exec.Command(awsCLI, full...)
	cmd.Env = append(cleanEnv(c.home),
		"AWS_SHARED_CREDENTIALS_FILE="+c.credentialsFile,
		"AWS_CONFIG_FILE="+c.configFile,
		"AWS_PAGER=",
	)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := cliResult{args: args, stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.code = ee.ExitCode()
	default:
		c.t.Fatalf("aws %s: %v", strings.Join(args, " "), err)
	}
	return res
}

// ok runs a command that must succeed and decodes its JSON output into a generic map.
func (c *cli) ok(args ...string) map[string]any {
	c.t.Helper()
	r := c.run(args...)
	if r.code != 0 {
		c.t.Fatalf("aws %s: exit %d\nstderr: %s\nstdout: %s", strings.Join(args, " "), r.code, r.stderr, r.stdout)
	}
	out := map[string]any{}
	if strings.TrimSpace(r.stdout) == "" {
		return out
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		c.t.Fatalf("aws %s: output is not a JSON object: %v\n%s", strings.Join(args, " "), err, r.stdout)
	}
	return out
}

// fail runs a command that must fail with exit code 254 (an error answered by the service) and
// whose stderr names one of the given error codes.
func (c *cli) fail(codes []string, args ...string) cliResult {
	c.t.Helper()
	r := c.run(args...)
	if r.code == 0 {
		c.t.Fatalf("aws %s: succeeded, want one of %v\nstdout: %s", strings.Join(args, " "), codes, r.stdout)
	}
	if r.code != 254 {
		c.t.Errorf("aws %s: exit %d, want 254 (service error)\nstderr: %s", strings.Join(args, " "), r.code, r.stderr)
	}
	for _, code := range codes {
		if strings.Contains(r.stderr, "("+code+")") {
			return r
		}
	}
	c.t.Fatalf("aws %s: stderr does not name any of %v:\n%s", strings.Join(args, " "), codes, r.stderr)
	return r
}

// str walks a decoded JSON value along keys (string keys and int indexes) and returns the
// string found there, failing the test if the path does not lead to a string.
func str(t *testing.T, v any, path ...any) string {
	t.Helper()
	got := walk(t, v, path...)
	s, ok := got.(string)
	if !ok {
		t.Fatalf("%v: not a string: %#v", path, got)
	}
	return s
}

func walk(t *testing.T, v any, path ...any) any {
	t.Helper()
	cur := v
	for i, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				t.Fatalf("%v: element %d is not an object: %#v", path, i, cur)
			}
			if cur, ok = m[k]; !ok {
				t.Fatalf("%v: no key %q in %#v", path, k, m)
			}
		case int:
			l, ok := cur.([]any)
			if !ok || k >= len(l) {
				t.Fatalf("%v: element %d is not a list of > %d items: %#v", path, i, k, cur)
			}
			cur = l[k]
		}
	}
	return cur
}

// list returns the list at path. The list members read here are required in the service
// models, and AWS sends an empty list as [] rather than leaving it out: a missing last key is an
// error, reported without stopping the test.
func list(t *testing.T, v any, path ...any) []any {
	t.Helper()
	if k, ok := path[len(path)-1].(string); ok {
		if m, ok := walk(t, v, path[:len(path)-1]...).(map[string]any); ok {
			if _, ok := m[k]; !ok {
				t.Errorf("%v: required list %q missing from the output (AWS sends []): %v", path, k, m)
				return nil
			}
		}
	}
	got := walk(t, v, path...)
	l, ok := got.([]any)
	if !ok {
		t.Fatalf("%v: not a list: %#v", path, got)
	}
	return l
}

func eq(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

// writeWrongSecretProfile writes a credentials file holding the server's own file plus a
// profile "wrong" with the right access key id and a wrong secret, and a config file with the
// server's config plus that profile's region.
func writeWrongSecretProfile(t *testing.T, s *server) (credentials, config string) {
	t.Helper()
	dir := t.TempDir()
	creds, err := os.ReadFile(s.CredentialsFile)
	if err != nil {
		t.Fatal(err)
	}
	conf, err := os.ReadFile(s.ConfigFile)
	if err != nil {
		t.Fatal(err)
	}
	credentials = filepath.Join(dir, "credentials")
	config = filepath.Join(dir, "config")
	creds = append(creds, []byte("\n[wrong]\naws_access_key_id = "+rootKeyID+
		"\naws_secret_access_key = "+strings.Repeat("x", len(rootSecret))+"\n")...)
	conf = append(conf, []byte("\n[profile wrong]\nregion = us-east-1\n")...)
	if err := os.WriteFile(credentials, creds, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(config, conf, 0o600); err != nil {
		t.Fatal(err)
	}
	return credentials, config
}
