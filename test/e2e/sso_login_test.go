package e2e

import (
	"bufio"
	"bytes"
	"context"
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
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// portalBrowser is a scripted user of the web access portal: it fetches pages
// and posts their forms as a browser would (cookies, hidden fields, redirects).
type portalBrowser struct {
	t       *testing.T
	client  *http.Client
	last    string // the last page's HTML
	lastURL *url.URL
}

func newPortalBrowser(t *testing.T) *portalBrowser {
	jar, _ := cookiejar.New(nil)
	return &portalBrowser{t: t, client: &http.Client{Jar: jar, Timeout: 20 * time.Second}}
}

func (b *portalBrowser) do(req *http.Request) {
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

func (b *portalBrowser) get(u string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	b.do(req)
}

var (
	formRe   = regexp.MustCompile(`(?s)<form method="post" action="([^"]+)">(.*?)</form>`)
	hiddenRe = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// submit posts the page's form whose action is action, with its hidden
// fields plus fields.
func (b *portalBrowser) submit(action string, fields map[string]string) {
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

// awsAdmin runs the Debian CLI with the server's root credentials.
func awsAdmin(t *testing.T, s *server, home string, args ...string) map[string]any {
	t.Helper()
	c := &cli{t: t, home: home, endpoint: s.Endpoint, credentialsFile: s.CredentialsFile, configFile: s.ConfigFile, profile: "idcenter"}
	return c.ok(args...)
}

// TestCLISSOLogin is the seed's "aws sso login" for real: the AWS CLI from
// Debian, configured by `idcenter cli-config`, signs Bojan in through the web
// portal (password, then a TOTP device registered at first sign-in), gets
// the DevOps role's two-hour credentials and logs out.
func TestCLISSOLogin(t *testing.T) {
	needCLI(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	s := startServerAt(t, dataDir)
	admin := t.TempDir()

	// The seed's setup, as root.
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
	a := awsAdmin(t, s, admin, "sso-admin", "create-account-assignment", "--instance-arn", s.InstanceARN, "--target-id", "123456789012",
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
	const password = "Correct-Horse-9"
	setpw := exec.Command(binPath, "admin", "set-password", "--data", dataDir, "--user-name", "Bojan", "--password", password)
	setpw.Env = cleanEnv(admin)
	if out, err := setpw.CombinedOutput(); err != nil {
		t.Fatalf("admin set-password: %v\n%s", err, out)
	}

	// Bojan's machine: a fresh HOME, the profile written by cli-config.
	home := t.TempDir()
	listen := strings.TrimPrefix(s.Endpoint, "http://")
	cc := exec.Command(binPath, "cli-config", "--data", dataDir, "--listen", listen, "--profile", "my_profile",
		"--account", "123456789012", "--role", "DevOps", "--sso-session", "my-sso", "--write")
	cc.Env = cleanEnv(home)
	out, err := cc.Output()
	if err != nil {
		t.Fatalf("cli-config: %v\n%s", err, out)
	}
	dataPath := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(out)), "export AWS_DATA_PATH="))
	env := append(cleanEnv(home), "AWS_DATA_PATH="+dataPath, "AWS_PAGER=", "PYTHONUNBUFFERED=1")

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

	// Sign in as Bojan and approve the code, as a person would in the browser.
	b := newPortalBrowser(t)
	b.get(verification)
	b.submit("/start/signin", map[string]string{"username": "Bojan"})
	b.submit("/start/signin", map[string]string{"password": password})
	secret := regexp.MustCompile(`<code id="secret">([A-Z2-7]+)</code>`).FindStringSubmatch(b.last)
	if secret == nil {
		t.Fatalf("no TOTP registration page after the password:\n%s", b.last)
	}
	code, err := totp.GenerateCode(secret[1], time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.submit("/start/mfa/register", map[string]string{"code": code, "device_name": "phone"})
	if !strings.Contains(b.last, "/start/device") {
		t.Fatalf("expected the device confirmation page, got %s:\n%s", b.lastURL, b.last)
	}
	b.submit("/start/device", map[string]string{"action": "approve"})

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
	if _, errOut := run("sso", "logout"); errOut != "" {
		t.Fatalf("aws sso logout: %s", errOut)
	}
}
