package app_test

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/store"
)

func probe(t *testing.T, ts *testServer) (int, string) {
	t.Helper()
	resp, err := http.Get(ts.URL + app.ReadyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Readiness includes the world file: ready once its apply (provisioning
// included) has committed, not ready while the store holds another world.
func TestReadyReportsTheWorldApplied(t *testing.T) {
	ctx := context.Background()
	t.Setenv("WORLD_TEST_EMAIL", "alice@example.com")
	ts := startServerWith(t, func(c *config.Config) { c.World, c.AllowReset = writeFile(t, "world.yaml", testWorld), true })
	if code, body := probe(t, ts); code != http.StatusOK || body != `{"status":"ready"}`+"\n" {
		t.Fatalf("ready after start = %d %q", code, body)
	}
	// The store no longer holds this file's world (another file's, say).
	if err := ts.Store.Update(ctx, func(tx store.Tx) error { return tx.PutMeta(ctx, "world.digest", "another") }); err != nil {
		t.Fatal(err)
	}
	if code, body := probe(t, ts); code != http.StatusServiceUnavailable || body != `{"status":"not ready"}`+"\n" {
		t.Fatalf("ready with another world = %d %q", code, body)
	}
	if err := ts.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if code, _ := probe(t, ts); code != http.StatusOK {
		t.Fatalf("ready after reset = %d", code)
	}

	// Without a world file, the world record does not matter.
	plain := startServer(t)
	if err := plain.Store.Update(ctx, func(tx store.Tx) error { return tx.PutMeta(ctx, "world.digest", "another") }); err != nil {
		t.Fatal(err)
	}
	if code, _ := probe(t, plain); code != http.StatusOK {
		t.Fatalf("ready without a world = %d", code)
	}
}
