package e2e

import (
	"path/filepath"
	"testing"
)

// TestAcknowledgedWritesSurviveSIGKILLOnPostgres is the SIGKILL write-load
// test on PostgreSQL (--store, a fresh schema): a write the server
// acknowledged was committed by PostgreSQL, so killing the server loses none.
func TestAcknowledgedWritesSurviveSIGKILLOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	t.Setenv("AWS_CA_BUNDLE", "")
	pg := postgresSchema(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	crashLoad(t, func() *server { return startServerAt(t, dataDir, "--store", pg) })
}
