package e2e

import (
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWorldFileExportAndResetCLI: the README's quickstart — the binary
// started with examples/world.yaml — answers the real AWS CLI with the
// world's identities (the pinned access key of an IAM user signs), `idcenter
// export` writes it back while the server runs, and POST /_idcenter/reset
// returns to it.
func TestWorldFileExportAndResetCLI(t *testing.T) {
	example, err := filepath.Abs("../../examples/world.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(t.TempDir(), "data")
	s := startServerAt(t, dataDir, "--world", example, "--allow-reset")
	root := newCLI(t, s)

	ci := machineCLI(t, s, "AKIAEXAMPLECI0000001", "example/ci/secret/example/ci/secret/0000")
	r := ci.run("sts", "get-caller-identity")
	if r.code != 0 || !strings.Contains(r.stdout, `"arn:aws:iam::123456789012:user/bots/ci"`) {
		t.Fatalf("ci's pinned key: %+v", r)
	}
	r = root.run("organizations", "describe-organization")
	if r.code != 0 || !strings.Contains(r.stdout, `"o-example0001"`) {
		t.Fatalf("describe-organization: %+v", r)
	}
	listUsers := func() []string {
		t.Helper()
		r := root.run("identitystore", "list-users", "--identity-store-id", s.IdentityStoreID)
		var out struct{ Users []struct{ UserName string } }
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &out) != nil {
			t.Fatalf("list-users: %+v", r)
		}
		var names []string
		for _, u := range out.Users {
			names = append(names, u.UserName)
		}
		return names
	}
	if got := strings.Join(listUsers(), ","); got != "alice,bob" && got != "bob,alice" {
		t.Fatalf("users = %s", got)
	}

	// Export while the server runs.
	cmd := exec.Command(binPath, "export", "--data", dataDir)
	cmd.Env = cleanEnv(t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	for _, want := range []string{"# idcenter world file", "id: o-example0001", "userName: alice", "name: Deployer",
		"${IDCENTER_SECRET_AKIAEXAMPLECI0000001}", "${IDCENTER_TOTP_ALICE}"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "example/ci/secret") {
		t.Errorf("export contains the access key's secret")
	}

	// A user created by a test is gone after a reset; the world's are back.
	if r := root.run("identitystore", "create-user", "--identity-store-id", s.IdentityStoreID, "--user-name", "temp",
		"--display-name", "Temp", "--name", "GivenName=T,FamilyName=U"); r.code != 0 {
		t.Fatalf("create-user: %+v", r)
	}
	resp, err := http.Post(s.Endpoint+"/_idcenter/reset", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	if got := strings.Join(listUsers(), ","); got != "alice,bob" && got != "bob,alice" {
		t.Fatalf("users after reset = %s", got)
	}
}
