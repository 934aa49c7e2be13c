package e2e

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
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

// approveAsBojan signs Bojan in at the verification URL (password, then a
// TOTP device registered at first sign-in) and approves the device code.
func (b *portalBrowser) approveAsBojan(verification, password string) {
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
