package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The third-party tool built from the Go module proxy into the tool cache.
const (
	awsVaultModule  = "github.com/99designs/aws-vault/v7"
	awsVaultVersion = "v7.2.0"
)

var (
	toolMu    sync.Mutex
	toolBuilt = map[string]string{}
)

// toolCache is where third-party tools are built once, outside the repository.
func toolCache(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("IDCENTER_TOOL_CACHE")
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			t.Fatalf("no cache folder for third-party tools: %v", err)
		}
		dir = filepath.Join(base, "idcenter-tools")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// buildTool builds module@version (its main package) once into the tool cache,
// in a temporary module of its own: the tool never enters idcenter's go.mod.
// It skips the test only when the Go module proxy cannot be reached.
func buildTool(t *testing.T, module, version, name string) string {
	t.Helper()
	toolMu.Lock()
	defer toolMu.Unlock()
	if p, ok := toolBuilt[module+"@"+version]; ok {
		return p
	}
	bin := filepath.Join(toolCache(t), name+"-"+version)
	if _, err := os.Stat(bin); err == nil {
		toolBuilt[module+"@"+version] = bin
		return bin
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	mod := t.TempDir()
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module idcentertools\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	run := func(args ...string) (string, error) {
		cmd := exec.Command(gobin, args...)
		cmd.Dir, cmd.Env = mod, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	// `go install module@version` cannot be used: it also asks the proxy for the
	// module's version list (deprecation check), which it may refuse.
	if out, err := run("get", module+"@"+version); err != nil {
		if unreachable(out) {
			t.Skipf("the Go module proxy is unreachable, cannot build %s@%s: %s", module, version, strings.TrimSpace(out))
		}
		t.Fatalf("go get %s@%s: %v\n%s", module, version, err, out)
	}
	tmp := bin + ".tmp"
	if out, err := run("build", "-o", tmp, module); err != nil {
		if unreachable(out) {
			t.Skipf("the Go module proxy is unreachable, cannot build %s@%s: %s", module, version, strings.TrimSpace(out))
		}
		t.Fatalf("go build %s@%s: %v\n%s", module, version, err, out)
	}
	if err := os.Rename(tmp, bin); err != nil {
		t.Fatal(err)
	}
	toolBuilt[module+"@"+version] = bin
	return bin
}

// unreachable tells a network failure from any other build failure.
func unreachable(out string) bool {
	for _, s := range []string{"dial tcp", "no such host", "i/o timeout", "connection refused", "TLS handshake timeout",
		"network is unreachable", "connection reset"} {
		if strings.Contains(out, s) {
			return true
		}
	}
	return false
}

// newProxiedBrowser is a scripted person at the web portal whose browser
// (like the tool) reaches https AWS host names through idcenter's proxy and
// trusts its CA.
func newProxiedBrowser(t *testing.T, proxy, caFile string) *portalBrowser {
	t.Helper()
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatalf("no certificate in %s", caFile)
	}
	pu, err := url.Parse(proxy)
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots},
		Proxy: func(r *http.Request) (*url.URL, error) {
			if r.URL.Scheme == "https" {
				return pu, nil
			}
			return nil, nil
		}}
	b := newPortalBrowser(t)
	b.client.Transport = tr
	return b
}

// TestAWSVaultThroughProxy is the README's worked example: aws-vault v7, built
// from the Go module proxy and unchanged, logs Bojan in through IAM Identity
// Center with nothing but HTTPS_PROXY and SSL_CERT_FILE pointing at idcenter
// (aws-vault ignores every endpoint setting and AWS_CA_BUNDLE), and runs the
// AWS CLI with the DevOps role's credentials.
func TestAWSVaultThroughProxy(t *testing.T) {
	needCLI(t)
	vault := buildTool(t, awsVaultModule, awsVaultVersion, "aws-vault")
	dataDir := filepath.Join(t.TempDir(), "data")
	s := startServerAt(t, dataDir, "--proxy")
	ca := filepath.Join(dataDir, "ca.pem")
	const password = "Correct-Horse-9"
	seedBojan(t, s, dataDir, password)

	// Bojan's machine: a fresh HOME, a plain SSO profile naming the real start
	// URL, and aws-vault's file keyring (no desktop keyring needed).
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	profile := "[profile bojan]\nsso_start_url = https://portal.sso.us-east-1.amazonaws.com/start\nsso_region = us-east-1\n" +
		"sso_account_id = " + managementAccount + "\nsso_role_name = DevOps\nregion = eu-west-1\n"
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(profile), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(cleanEnv(home),
		"HTTPS_PROXY="+s.Endpoint,
		"SSL_CERT_FILE="+ca,
		"AWS_VAULT_BACKEND=file",
		"AWS_VAULT_FILE_PASSPHRASE=not-a-desktop-keyring",
		// For the AWS CLI that aws-vault runs (botocore reads its own bundle).
		"AWS_CA_BUNDLE="+ca,
		"AWS_PAGER=",
	)

	execCLI := func(t *testing.T, approve bool) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, vault, "exec", "--stdout", "bojan", "--",
			awsCLI, "sts", "get-caller-identity", "--output", "json", "--no-cli-pager")
		cmd.Env = env
		var stdout bytes.Buffer
		cmd.Stdout = &stdout
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var printed []string
		verification := ""
		sc := bufio.NewScanner(stderr)
		for approve && sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			printed = append(printed, line)
			if strings.Contains(line, "user_code=") {
				verification = line
				break
			}
		}
		rest := make(chan string)
		go func() { b, _ := io.ReadAll(stderr); rest <- string(b) }()
		if approve {
			if verification == "" {
				cmd.Wait()
				t.Fatalf("aws-vault printed no verification URL:\n%s\n%s\nserver: %s", strings.Join(printed, "\n"), <-rest, s.stderr)
			}
			// The URL aws-vault shows is idcenter's own portal (it carries the user code).
			t.Logf("aws-vault shows %s", verification)
			newProxiedBrowser(t, s.Endpoint, ca).approveAsBojan(verification, password)
		}
		err := cmd.Wait()
		errText := strings.Join(printed, "\n") + "\n" + <-rest
		if err != nil {
			t.Fatalf("aws-vault exec: %v\nstdout: %s\nstderr: %s\nserver: %s", err, stdout.String(), errText, s.stderr)
		}
		var id struct{ Arn string }
		if err := json.Unmarshal(stdout.Bytes(), &id); err != nil {
			t.Fatalf("aws sts get-caller-identity under aws-vault: %v: %q\nstderr: %s", err, stdout.String(), errText)
		}
		if !regexp.MustCompile(`^arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_DevOps_[0-9a-f]{16}/Bojan$`).MatchString(id.Arn) {
			t.Fatalf("caller under aws-vault = %s", id.Arn)
		}
		return errText
	}
	t.Run("Login", func(t *testing.T) { execCLI(t, true) })
	// The token aws-vault keeps in its file keyring is reused: no new login.
	t.Run("CachedToken", func(t *testing.T) {
		if out := execCLI(t, false); strings.Contains(out, "user_code=") {
			t.Fatalf("aws-vault asked for a new login:\n%s", out)
		}
	})
}
