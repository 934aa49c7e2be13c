package app_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/idcenter/idcenter/internal/app"
)

func TestHealthAndReady(t *testing.T) {
	ts := startServer(t)
	for _, tt := range []struct{ path, want string }{
		{app.HealthPath, `{"status":"ok"}` + "\n"},
		{app.ReadyPath, `{"status":"ready"}` + "\n"},
	} {
		resp, err := http.Get(ts.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(b) != tt.want {
			t.Fatalf("%s: %d %q", tt.path, resp.StatusCode, b)
		}
	}
	// With the store closed, the process is alive but not ready.
	if err := ts.Store.Close(); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(ts.URL + app.ReadyPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("ready with a closed store: %d", resp.StatusCode)
	}
	resp, err = http.Get(ts.URL + app.HealthPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("health with a closed store: %d", resp.StatusCode)
	}
}
