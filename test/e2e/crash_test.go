package e2e

import (
	"path/filepath"
	"testing"
)

// TestAcknowledgedWritesSurviveSIGKILL runs a write load against the real
// binary, kills it with SIGKILL several times in the middle of the load and
// restarts it on the same data folder; every write the server acknowledged
// must be there afterwards. Loopback only, bounded in rounds and time.
func TestAcknowledgedWritesSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	t.Setenv("AWS_CA_BUNDLE", "")
	dataDir := filepath.Join(t.TempDir(), "data")
	crashLoad(t, func() *server { return startServerAt(t, dataDir) })
}
