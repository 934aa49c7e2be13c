package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestCLISSOLogin is the seed's "aws sso login" for real: the AWS CLI from
// Debian, configured by `idcenter cli-config`, prints a code; headless
// Chromium signs Bojan in through the web portal (password, then a TOTP device
// registered at first sign-in) and approves it; the CLI gets
// the DevOps role's two-hour credentials and logs out.
func TestCLISSOLogin(t *testing.T) { ssoLogin(t, false) }

// TestCLISSOLoginThroughProxy is the same with `serve --proxy`: the CLI talks
// to AWS's own host names (oidc.…, portal.sso.…, sts.…) with nothing but
// HTTPS_PROXY and AWS_CA_BUNDLE — no endpoint overlay, no --endpoint-url.
func TestCLISSOLoginThroughProxy(t *testing.T) { ssoLogin(t, true) }

func ssoLogin(t *testing.T, throughProxy bool) {
	needCLI(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	var extra []string
	if throughProxy {
		extra = []string{"--proxy"}
	}
	s := startServerAt(t, dataDir, extra...)
	const password = "Correct-Horse-9"
	seedBojan(t, s, dataDir, password)

	// Bojan's machine: a fresh HOME, the profile written by cli-config.
	home := t.TempDir()
	listen := strings.TrimPrefix(s.Endpoint, "http://")
	args := []string{"cli-config", "--data", dataDir, "--listen", listen, "--profile", "my_profile",
		"--account", "123456789012", "--role", "DevOps", "--sso-session", "my-sso", "--write"}
	if throughProxy {
		args = append(args, "--proxy")
	}
	cc := exec.Command(binPath, args...)
	cc.Env = cleanEnv(home)
	out, err := cc.Output()
	if err != nil {
		t.Fatalf("cli-config: %v\n%s", err, out)
	}
	// The environment is exactly what cli-config printed: AWS_DATA_PATH (overlay),
	// or HTTPS_PROXY + AWS_CA_BUNDLE + SSL_CERT_FILE (proxy).
	env := append(cleanEnv(home), "AWS_PAGER=", "PYTHONUNBUFFERED=1")
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if kv, ok := strings.CutPrefix(line, "export "); ok {
			env = append(env, kv)
		}
	}
	if throughProxy && strings.Contains(string(out), "AWS_DATA_PATH") {
		t.Fatalf("cli-config --proxy printed an overlay:\n%s", out)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	login := exec.CommandContext(ctx, awsCLI, "sso", "login", "--profile", "my_profile", "--no-browser")
	login.Env = env
	stdout, _ := login.StdoutPipe()
	var stderr bytes.Buffer
	login.Stderr = &stderr
	if err := login.Start(); err != nil {
		t.Fatal(err)
	}
	verification := ""
	sc := bufio.NewScanner(stdout)
	var printed []string
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		printed = append(printed, line)
		if strings.Contains(line, "user_code=") {
			verification = line
			break
		}
	}
	go io.Copy(io.Discard, stdout)
	if verification == "" {
		login.Wait()
		t.Fatalf("aws sso login printed no verification URL:\n%s\nstderr: %s\nserver: %s", strings.Join(printed, "\n"), stderr.String(), s.stderr)
	}

	// Sign in as Bojan and approve the code, as a person would: in a browser
	// (headless Chromium) for the plain run; with a scripted form client
	// through the proxy (the forms are the same).
	if throughProxy {
		newPortalBrowser(t).approveAsBojan(verification, password)
	} else {
		approveInChromium(t, verification, "Bojan", password)
	}

	if err := login.Wait(); err != nil {
		t.Fatalf("aws sso login: %v\nstdout: %s\nstderr: %s\nserver: %s", err, strings.Join(printed, "\n"), stderr.String(), s.stderr)
	}

	run := func(args ...string) (map[string]any, string) {
		t.Helper()
		cmd := exec.Command(awsCLI, append(args, "--profile", "my_profile", "--output", "json", "--no-cli-pager")...)
		cmd.Env = env
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		var v map[string]any
		if err == nil && o.Len() > 0 {
			if jerr := json.Unmarshal(o.Bytes(), &v); jerr != nil {
				t.Fatalf("aws %s: %v: %s", strings.Join(args, " "), jerr, o.String())
			}
		}
		if err != nil {
			return nil, e.String()
		}
		return v, ""
	}
	id, errOut := run("sts", "get-caller-identity")
	if id == nil {
		t.Fatalf("get-caller-identity with the SSO profile: %s\nserver: %s", errOut, s.stderr)
	}
	if !regexp.MustCompile(`^arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_DevOps_[0-9a-f]{16}/Bojan$`).MatchString(str(t, id, "Arn")) {
		t.Fatalf("caller = %v", id)
	}
	// The cached role credentials expire with the permission set's PT2H.
	cache, _ := filepath.Glob(filepath.Join(home, ".aws", "cli", "cache", "*.json"))
	if len(cache) != 1 {
		t.Fatalf("CLI credential cache: %v", cache)
	}
	raw, _ := os.ReadFile(cache[0])
	var cached struct{ Credentials struct{ Expiration string } }
	if err := json.Unmarshal(raw, &cached); err != nil {
		t.Fatal(err)
	}
	exp, err := time.Parse(time.RFC3339, cached.Credentials.Expiration)
	if err != nil || exp.Sub(time.Now()) < 115*time.Minute || exp.Sub(time.Now()) > 121*time.Minute {
		t.Fatalf("role credentials expire at %v (%v from now), want about 2 h", exp, time.Until(exp))
	}
	// The seed's DevOps policy allows none of idcenter's own APIs.
	if _, errOut := run("identitystore", "list-users", "--identity-store-id", s.IdentityStoreID); !strings.Contains(errOut, "AccessDeniedException") {
		t.Fatalf("DevOps session listing users: %q", errOut)
	}
	// The SSO access token the CLI cached, to check that logout revokes it
	// on the server and not only in the cache.
	tokens, _ := filepath.Glob(filepath.Join(home, ".aws", "sso", "cache", "*.json"))
	accessToken := ""
	for _, f := range tokens {
		raw, _ := os.ReadFile(f)
		var c struct{ AccessToken string }
		if json.Unmarshal(raw, &c) == nil && c.AccessToken != "" {
			accessToken = c.AccessToken
		}
	}
	if accessToken == "" {
		t.Fatalf("no SSO access token in the CLI cache %v", tokens)
	}
	if v, errOut := run("sso", "list-accounts", "--access-token", accessToken); v == nil {
		t.Fatalf("list-accounts with the cached token before logout: %s", errOut)
	}
	if _, errOut := run("sso", "logout"); errOut != "" {
		t.Fatalf("aws sso logout: %s", errOut)
	}
	if _, errOut := run("sso", "list-accounts", "--access-token", accessToken); !strings.Contains(errOut, "UnauthorizedException") {
		t.Fatalf("list-accounts with the token after logout: %q, want UnauthorizedException", errOut)
	}
	if v, _ := run("sts", "get-caller-identity"); v != nil {
		t.Fatalf("the profile still works after logout: %v", v)
	}
}
