package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idcenter/idcenter/internal/samltest"
)

// TestCLIPublicURL: idcenter behind a TLS-terminating reverse proxy.
// `serve --public-url` makes sso-oidc hand out the public URL (checked with
// the real CLI's sso-oidc commands against the plain-HTTP listener);
// `admin scim-token create --public-url` prints the public SCIM endpoint and
// `cli-config --public-url` (or IDCENTER_PUBLIC_URL) the public
// sso_start_url and endpoint, `admin identity-source --public-url` the
// public SP URLs; a bad public URL is refused.
func TestCLIPublicURL(t *testing.T) {
	needCLI(t)
	const public = "https://id.example.test"
	dataDir := filepath.Join(t.TempDir(), "data")
	s := startServerAt(t, dataDir, "--public-url", public)

	c := newCLI(t, s)
	reg := c.ok("sso-oidc", "register-client", "--client-name", "proxy-test", "--client-type", "public")
	start := c.ok("sso-oidc", "start-device-authorization", "--client-id", reg["clientId"].(string),
		"--client-secret", reg["clientSecret"].(string), "--start-url", public+"/start")
	if u, _ := start["verificationUriComplete"].(string); !strings.HasPrefix(u, public+"/start/device?user_code=") {
		t.Errorf("verificationUriComplete = %q, want it under %s", u, public)
	}

	run := func(env []string, args ...string) (string, error) {
		t.Helper()
		cmd := exec.Command(binPath, args...)
		cmd.Env = append(cleanEnv(t.TempDir()), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run(nil, "admin", "scim-token", "create", "--data", dataDir, "--public-url", public+"/")
	if want := "endpoint: " + public + "/" + s.IdentityStoreID + "/scim/v2/\n"; err != nil || !strings.HasPrefix(out, want) {
		t.Errorf("admin scim-token create --public-url: %v\n%s\nwant %q", err, out, want)
	}
	out, err = run(nil, "cli-config", "--data", dataDir, "--public-url", public, "--profile", "p", "--account", "123456789012", "--role", "DevOps")
	if err != nil || !strings.Contains(out, "sso_start_url = "+public+"/start\n") {
		t.Errorf("cli-config --public-url: %v\n%s", err, out)
	}
	out, err = run([]string{"IDCENTER_PUBLIC_URL=" + public}, "cli-config", "--data", dataDir)
	if err != nil || !strings.Contains(out, "export AWS_ENDPOINT_URL="+public+"\n") {
		t.Errorf("IDCENTER_PUBLIC_URL cli-config: %v\n%s", err, out)
	}
	mdFile := filepath.Join(t.TempDir(), "idp.xml")
	if err := os.WriteFile(mdFile, samltest.Start(t).Metadata(t), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = run(nil, "admin", "identity-source", "--data", dataDir, "--saml-metadata", mdFile, "--public-url", public)
	if err != nil || !strings.Contains(out, "sp entity id (audience): "+public+"/saml/metadata\nacs url: "+public+"/saml/acs\n") {
		t.Errorf("admin identity-source --public-url: %v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"admin", "scim-token", "create", "--data", dataDir, "--public-url", "id.example.test"},
		{"cli-config", "--data", dataDir, "--public-url", "https://id.example.test/?x=1", "--profile", "p", "--account", "123456789012", "--role", "DevOps"},
		{"cli-config", "--data", dataDir, "--public-url", "https://user@id.example.test"},
		{"serve", "--data", dataDir, "--listen", "127.0.0.1:0", "--public-url", "ftp://id.example.test"},
	} {
		if out, err := run(nil, args...); err == nil || !strings.Contains(out, "--public-url") {
			t.Errorf("%v: %v\n%s\nwant a refusal naming --public-url", args, err, out)
		}
	}
}
