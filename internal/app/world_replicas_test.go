package app_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
)

// Replicas started together on one PostgreSQL database with the same world
// file all start, and the world is there once.
func TestWorldFileReplicasStartTogetherOnPostgres(t *testing.T) {
	url := postgresStore(t)
	path := setFullWorldEnv(t)
	const n = 3
	servers := make([]*app.Server, n)
	errs := make([]error, n)
	dirs := make([]string, n)
	for i := range dirs {
		dirs[i] = t.TempDir()
	}
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			cfg := config.FromEnv(func(string) string { return "" })
			cfg.DataDir, cfg.Store, cfg.World = dirs[i], url, path
			cfg.RootAccessKeyID, cfg.RootSecretAccessKey = testKeyID, testSecret
			servers[i], errs[i] = app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
		}(i)
	}
	wg.Wait()
	for i := 0; i < n; i++ {
		if errs[i] != nil {
			t.Errorf("replica %d: %v", i, errs[i])
		} else {
			servers[i].Close()
		}
	}
	if t.Failed() {
		return
	}
	ts := startServerWith(t, func(c *config.Config) { c.DataDir, c.Store, c.World = dirs[0], url, path })
	checkFullWorld(t, ts, true)
	if got := provisionedRoles(t, ts); len(got) != 4 {
		t.Fatalf("provisioned roles = %v", got)
	}
}
