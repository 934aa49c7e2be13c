package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestAdminMigrateThenServe: `idcenter admin migrate` prepares an empty data
// folder (as an upgrade step would an old one), and the server then starts on it.
func TestAdminMigrateThenServe(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data")
	cmd := exec.Command(binPath, "admin", "migrate", "--data", dataDir)
	cmd.Env = cleanEnv(t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "migrated" {
		t.Fatalf("admin migrate: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "idcenter.db")); err != nil {
		t.Fatalf("no database after migrate: %v", err)
	}
	again := exec.Command(binPath, "admin", "migrate", "--data", dataDir)
	again.Env = cleanEnv(t.TempDir())
	if out, err := again.CombinedOutput(); err != nil {
		t.Fatalf("second migrate: %v\n%s", err, out)
	}
	s := startServerAt(t, dataDir)
	if s.IdentityStoreID == "" {
		t.Fatal("server did not bootstrap on the migrated folder")
	}
	// Admin commands refuse a folder without an instance rather than creating one.
	empty := filepath.Join(t.TempDir(), "empty")
	set := exec.Command(binPath, "admin", "set-password", "--data", empty, "--user-name", "x", "--password", "Correct-Horse-9")
	set.Env = cleanEnv(t.TempDir())
	if out, err := set.CombinedOutput(); err == nil || !strings.Contains(string(out), "no idcenter data") {
		t.Fatalf("set-password on an empty folder: %v\n%s", err, out)
	}
}
