package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
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

// proxiedBrowser is a scripted person at the web portal, whose browser (like
// the tool) reaches https AWS host names through idcenter's proxy and trusts its CA.
type proxiedBrowser struct {
	t       *testing.T
	client  *http.Client
	last    string
	lastURL *url.URL
}

func newProxiedBrowser(t *testing.T, proxy, caFile string) *proxiedBrowser {
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
	jar, _ := cookiejar.New(nil)
	return &proxiedBrowser{t: t, client: &http.Client{Jar: jar, Transport: tr, Timeout: 20 * time.Second}}
}

func (b *proxiedBrowser) do(req *http.Request) {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("%s %s: status %d\n%s", req.Method, req.URL, resp.StatusCode, body)
	}
	b.last, b.lastURL = string(body), resp.Request.URL
}

func (b *proxiedBrowser) get(u string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	b.do(req)
}

// submit posts the page's form whose action is action, with its hidden fields plus fields.
func (b *proxiedBrowser) submit(action string, fields map[string]string) {
	b.t.Helper()
	for _, m := range formRe.FindAllStringSubmatch(b.last, -1) {
		if m[1] != action {
			continue
		}
		v := url.Values{}
		for _, h := range hiddenRe.FindAllStringSubmatch(m[2], -1) {
			v.Set(h[1], html.UnescapeString(h[2]))
		}
		for k, x := range fields {
			v.Set(k, x)
		}
		target := b.lastURL.ResolveReference(&url.URL{Path: action})
		req, _ := http.NewRequest(http.MethodPost, target.String(), strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		b.do(req)
		return
	}
	b.t.Fatalf("no form posting to %s on %s:\n%s", action, b.lastURL, b.last)
}

// approveAsBojan signs Bojan in at the verification URL (password, then a
// TOTP device registered at first sign-in) and approves the device code.
func (b *proxiedBrowser) approveAsBojan(verification, password string) {
	b.t.Helper()
	b.get(verification)
	b.submit("/start/signin", map[string]string{"username": "Bojan"})
	b.submit("/start/signin", map[string]string{"password": password})
	secret := regexp.MustCompile(`<code id="secret">([A-Z2-7]+)</code>`).FindStringSubmatch(b.last)
	if secret == nil {
		b.t.Fatalf("no TOTP registration page after the password:\n%s", b.last)
	}
	code, err := totp.GenerateCode(secret[1], time.Now())
	if err != nil {
		b.t.Fatal(err)
	}
	b.submit("/start/mfa/register", map[string]string{"code": code, "device_name": "phone"})
	if !strings.Contains(b.last, "/start/device") {
		b.t.Fatalf("expected the device confirmation page, got %s:\n%s", b.lastURL, b.last)
	}
	b.submit("/start/device", map[string]string{"action": "approve"})
}

// seedBojan is the seed's setup as root: Bojan in the devops group, the DevOps
// permission set (PT2H) assigned to the group in the management account, and
// Bojan's password.
func seedBojan(t *testing.T, s *server, dataDir, password string) {
	t.Helper()
	admin := t.TempDir()
	u := awsAdmin(t, s, admin, "identitystore", "create-user", "--identity-store-id", s.IdentityStoreID, "--user-name", "Bojan",
		"--display-name", "Bojan", "--name", "GivenName=Bojan,FamilyName=Komazec", "--emails", "Value=bojan@example.com,Type=work,Primary=true")
	g := awsAdmin(t, s, admin, "identitystore", "create-group", "--identity-store-id", s.IdentityStoreID, "--display-name", "devops")
	awsAdmin(t, s, admin, "identitystore", "create-group-membership", "--identity-store-id", s.IdentityStoreID,
		"--group-id", str(t, g, "GroupId"), "--member-id", "UserId="+str(t, u, "UserId"))
	ps := awsAdmin(t, s, admin, "sso-admin", "create-permission-set", "--instance-arn", s.InstanceARN, "--name", "DevOps",
		"--description", "DevOps", "--session-duration", "PT2H")
	psARN := str(t, ps, "PermissionSet", "PermissionSetArn")
	awsAdmin(t, s, admin, "sso-admin", "put-inline-policy-to-permission-set", "--instance-arn", s.InstanceARN,
		"--permission-set-arn", psARN, "--inline-policy", seedPolicy)
	a := awsAdmin(t, s, admin, "sso-admin", "create-account-assignment", "--instance-arn", s.InstanceARN, "--target-id", managementAccount,
		"--target-type", "AWS_ACCOUNT", "--permission-set-arn", psARN, "--principal-type", "GROUP", "--principal-id", str(t, g, "GroupId"))
	reqID := str(t, a, "AccountAssignmentCreationStatus", "RequestId")
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		st := awsAdmin(t, s, admin, "sso-admin", "describe-account-assignment-creation-status", "--instance-arn", s.InstanceARN,
			"--account-assignment-creation-request-id", reqID)
		if status := str(t, st, "AccountAssignmentCreationStatus", "Status"); status == "SUCCEEDED" {
			break
		} else if status == "FAILED" || time.Now().After(deadline) {
			t.Fatalf("assignment %s", status)
		}
	}
	setpw := exec.Command(binPath, "admin", "set-password", "--data", dataDir, "--user-name", "Bojan", "--password", password)
	setpw.Env = cleanEnv(admin)
	if out, err := setpw.CombinedOutput(); err != nil {
		t.Fatalf("admin set-password: %v\n%s", err, out)
	}
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
