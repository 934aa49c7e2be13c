package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/browsertest"
	"github.com/idcenter/idcenter/internal/samltest"
)

// approveThroughSAML is a person at the verification URL in headless
// Chromium: sent to the IdP, they sign in there (its form posts the SAML
// response back to idcenter's ACS by itself), land on the device
// confirmation page signed in, check the code and approve it.
func approveThroughSAML(t *testing.T, verification string, idp *samltest.IdP, user, password string) {
	t.Helper()
	p := browsertest.NewPage(t)
	p.Open(verification)
	p.WaitLocation(idp.URL + "/sso")
	p.Fill(`input[type="submit"]`, [2]string{`input[name="user"]`, user}, [2]string{`input[name="password"]`, password})
	p.WaitLocation("/start/device")
	if body := p.Text("body"); !strings.Contains(body, "Signed in as") {
		t.Fatalf("the device page after the IdP does not show a signed-in user:\n%s", body)
	}
	u, _ := url.Parse(verification)
	if got := p.Text("#user-code"); got != u.Query().Get("user_code") {
		t.Fatalf("the confirmation page shows the code %q, the terminal %q", got, u.Query().Get("user_code"))
	}
	p.Submit("/start/device", "Confirm and continue")
	if body := p.Text("body"); !strings.Contains(body, "Request approved.") {
		t.Fatalf("after approving:\n%s", body)
	}
}

// TestCLISSOLoginSAML is `aws sso login` with an external identity source:
// idcenter's identity source is set to a real SAML 2.0 IdP (crewjam/saml's
// samlidp, running in this test) with `idcenter admin identity-source`
// while the server runs; the IdP gets idcenter's SP metadata; the Debian CLI
// starts the device flow; the user signs in at the IdP (no idcenter
// password, no idcenter MFA), comes back through the ACS to the device page
// and approves; the CLI's role credentials are a session of the DevOps role.
func TestCLISSOLoginSAML(t *testing.T) {
	needCLI(t)
	dataDir := t.TempDir() + "/data"
	s := startServerAt(t, dataDir)
	seedBojan(t, s, dataDir, "Correct-Horse-9")

	// The IdP knows Bojan; samlidp sends the user's email field as NameID,
	// which must be the identity store user name.
	idp := samltest.Start(t)
	idp.AddUser(t, "Bojan", "Idp-Secret-77")
	listen := strings.TrimPrefix(s.Endpoint, "http://")
	// Bad metadata is refused with a reason, and changes nothing.
	spLike := t.TempDir() + "/sp.xml"
	if err := os.WriteFile(spLike, []byte(`<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"></SPSSODescriptor></EntityDescriptor>`), 0o600); err != nil {
		t.Fatal(err)
	}
	for arg, want := range map[string]string{t.TempDir() + "/missing.xml": "no such file", spLike: "no IDPSSODescriptor"} {
		bad := exec.Command(binPath, "admin", "identity-source", "--data", dataDir, "--saml-metadata", arg)
		bad.Env = cleanEnv(t.TempDir())
		if out, err := bad.CombinedOutput(); err == nil || !strings.Contains(string(out), want) {
			t.Fatalf("admin identity-source --saml-metadata %s: %v, want an error with %q\n%s", arg, err, want, out)
		}
	}
	cmd := exec.Command(binPath, "admin", "identity-source", "--data", dataDir, "--listen", listen, "--saml-metadata", idp.MetadataURL())
	cmd.Env = cleanEnv(t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("admin identity-source: %v\n%s", err, out)
	}
	for _, want := range []string{"identity source: EXTERNAL_SAML\n", "acs url: " + s.Endpoint + "/saml/acs\n",
		"sp entity id (audience): " + s.Endpoint + "/saml/metadata\n", "idp sign-in url: " + idp.URL + "/sso\n",
		"sp single logout url: " + s.Endpoint + "/saml/slo\n"} {
		if !strings.Contains(string(out), want) {
			t.Fatalf("admin identity-source output lacks %q:\n%s", want, out)
		}
	}
	show := exec.Command(binPath, "admin", "identity-source", "--data", dataDir, "--listen", listen)
	show.Env = cmd.Env
	if out2, err := show.CombinedOutput(); err != nil || !strings.Contains(string(out2), "identity source: EXTERNAL_SAML") {
		t.Fatalf("admin identity-source (show): %v\n%s", err, out2)
	}
	resp, err := http.Get(s.Endpoint + "/saml/metadata")
	if err != nil {
		t.Fatal(err)
	}
	md, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/saml/metadata: %s\n%s", resp.Status, md)
	}
	idp.RegisterSP(t, md)

	home := t.TempDir()
	cc := exec.Command(binPath, "cli-config", "--data", dataDir, "--listen", listen, "--profile", "my_profile",
		"--account", managementAccount, "--role", "DevOps", "--sso-session", "my-sso", "--write")
	cc.Env = cleanEnv(home)
	ccOut, err := cc.Output()
	if err != nil {
		t.Fatalf("cli-config: %v\n%s", err, ccOut)
	}
	env := append(cleanEnv(home), "AWS_PAGER=", "PYTHONUNBUFFERED=1")
	for _, line := range strings.Split(strings.TrimSpace(string(ccOut)), "\n") {
		if kv, ok := strings.CutPrefix(line, "export "); ok {
			env = append(env, kv)
		}
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
	var printed []string
	sc := bufio.NewScanner(stdout)
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
	approveThroughSAML(t, verification, idp, "Bojan", "Idp-Secret-77")
	if err := login.Wait(); err != nil {
		t.Fatalf("aws sso login: %v\nstdout: %s\nstderr: %s\nserver: %s", err, strings.Join(printed, "\n"), stderr.String(), s.stderr)
	}

	gci := exec.Command(awsCLI, "sts", "get-caller-identity", "--profile", "my_profile", "--output", "json", "--no-cli-pager")
	gci.Env = env
	var o, e bytes.Buffer
	gci.Stdout, gci.Stderr = &o, &e
	if err := gci.Run(); err != nil {
		t.Fatalf("get-caller-identity: %v\n%s\nserver: %s", err, e.String(), s.stderr)
	}
	var id map[string]any
	if err := json.Unmarshal(o.Bytes(), &id); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_DevOps_[0-9a-f]{16}/Bojan$`).MatchString(str(t, id, "Arn")) {
		t.Fatalf("caller = %v", id)
	}

	// Back to the identity store: the command says so, and the portal's
	// sign-in asks for the password again.
	back := exec.Command(binPath, "admin", "identity-source", "--data", dataDir, "--identity-store")
	back.Env = cmd.Env
	if out3, err := back.CombinedOutput(); err != nil || !strings.Contains(string(out3), "identity source: IDENTITY_STORE") {
		t.Fatalf("admin identity-source --identity-store: %v\n%s", err, out3)
	}
	b := newPortalBrowser(t)
	b.get(s.Endpoint + "/start")
	if b.lastURL.Path != "/start/signin" || !strings.Contains(b.last, `name="username"`) {
		t.Fatalf("with the identity store again /start shows %s:\n%s", b.lastURL, b.last)
	}
}
