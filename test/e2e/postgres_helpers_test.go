package e2e

import (
	"bufio"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, to create test schemas
)

// postgresSchema returns a postgres:// URL selecting a fresh, empty schema
// (dropped at cleanup) of the server IDCENTER_TEST_POSTGRES names. Without it
// the test is skipped, except in CI, where scripts/test.sh always starts one.
func postgresSchema(t *testing.T) string {
	t.Helper()
	base := os.Getenv("IDCENTER_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("IDCENTER_TEST_POSTGRES is not set, but CI is: scripts/test.sh starts a PostgreSQL server for this test")
		}
		t.Skip("PostgreSQL test skipped: set IDCENTER_TEST_POSTGRES=postgres://… (scripts/test.sh starts a throw-away server)")
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "e2e_" + hex.EncodeToString(b)
	if _, err := db.ExecContext(context.Background(), `CREATE SCHEMA `+schema); err != nil {
		db.Close()
		t.Fatalf("create schema: %v", err)
	}
	// Registered before the servers' cleanups, so it runs after them.
	t.Cleanup(func() {
		_, _ = db.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
		db.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("IDCENTER_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// startReplicas starts n idcenter processes at once (each on its own data
// folder and loopback port, all on the database storeURL, no root key pinned)
// and waits for every "ready" line: the processes bootstrap concurrently.
func startReplicas(t *testing.T, n int, storeURL string) []*server {
	t.Helper()
	type started struct {
		s     *server
		lines chan string
	}
	all := make([]started, n)
	for i := range all {
		s := &server{t: t, dataDir: filepath.Join(t.TempDir(), "data"), stderr: &lockedBuffer{}, done: make(chan error, 1)}
		cmd := exec.Command(binPath, "serve", "--listen", "127.0.0.1:0", "--data", s.dataDir, "--store", storeURL)
		cmd.Env = cleanEnv(t.TempDir())
		cmd.Stderr = s.stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatalf("start idcenter: %v", err)
		}
		s.cmd = cmd
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
			io.Copy(io.Discard, stdout)
			s.done <- cmd.Wait()
		}()
		t.Cleanup(func() { s.kill() })
		all[i] = started{s, lines}
	}
	out := make([]*server, n)
	timeout := time.After(readyBound)
	for i, st := range all {
		s := st.s
		var seen []string
		for ready := false; !ready; {
			select {
			case line, ok := <-st.lines:
				if !ok {
					t.Fatalf("replica %d exited before ready; stdout:\n%s\nstderr:\n%s", i, strings.Join(seen, "\n"), s.stderr)
				}
				seen = append(seen, line)
				key, val, _ := strings.Cut(line, ": ")
				switch key {
				case "endpoint":
					s.Endpoint = val
				case "instance":
					s.InstanceARN = val
				case "identity store":
					s.IdentityStoreID = val
				case "credentials":
					s.CredentialsFile, _, _ = strings.Cut(val, " (profile")
				}
				ready = line == "ready"
			case <-timeout:
				t.Fatalf("replica %d not ready after %v; stdout:\n%s\nstderr:\n%s", i, readyBound, strings.Join(seen, "\n"), s.stderr)
			}
		}
		go func() {
			for range st.lines {
			}
		}()
		if !strings.HasPrefix(s.Endpoint, "http://127.0.0.1:") || s.CredentialsFile == "" {
			t.Fatalf("replica %d: endpoint %q, credentials %q (stdout %q)", i, s.Endpoint, s.CredentialsFile, seen)
		}
		s.ConfigFile = filepath.Join(filepath.Dir(s.CredentialsFile), "config")
		out[i] = s
	}
	return out
}

// rootKeyOf reads the root access key a server wrote to its credentials file.
func rootKeyOf(t *testing.T, s *server) (id, secret string) {
	t.Helper()
	raw, err := os.ReadFile(s.CredentialsFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "aws_access_key_id":
			id = strings.TrimSpace(v)
		case "aws_secret_access_key":
			secret = strings.TrimSpace(v)
		}
	}
	if id == "" || secret == "" {
		t.Fatalf("no root key in %s:\n%s", s.CredentialsFile, raw)
	}
	return id, secret
}
