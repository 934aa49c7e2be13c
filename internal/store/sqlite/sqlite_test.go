package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/storetest"
)

func openTemp(t *testing.T) store.Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "idcenter.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, openTemp)
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "dir", "idcenter.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	u := store.User{IdentityStoreID: "d-1234567890", UserID: "u1", UserName: "alice", Status: "ENABLED"}
	if err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.PutMeta(ctx, "bootstrap", "done"); err != nil {
			return err
		}
		return tx.CreateUser(ctx, u)
	}); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s, err = Open(ctx, path) // migrations must be a no-op the second time
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != ms[len(ms)-1].Version {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, ms[len(ms)-1].Version)
	}
	err = s.View(ctx, func(tx store.Tx) error {
		v, err := tx.GetMeta(ctx, "bootstrap")
		if err != nil || v != "done" {
			t.Errorf("meta after reopen = %q, %v", v, err)
		}
		got, err := tx.GetUser(ctx, u.IdentityStoreID, u.UserID)
		if err != nil || got.UserName != "alice" {
			t.Errorf("user after reopen = %+v, %v", got, err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
}

func TestViewIsReadOnly(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	defer s.Close()
	err := s.View(ctx, func(tx store.Tx) error { return tx.PutMeta(ctx, "k", "v") })
	if err == nil {
		t.Fatalf("a write inside View succeeded")
	}
}

func TestPragmas(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer st.Close()
	for _, c := range []struct{ pragma, want string }{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "2"}, // FULL
		{"busy_timeout", "5000"},
	} {
		var got string
		if err := st.write.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
			t.Fatalf("PRAGMA %s: %v", c.pragma, err)
		}
		if got != c.want {
			t.Errorf("PRAGMA %s = %q, want %q", c.pragma, got, c.want)
		}
	}
}

// TestBusyIsConflict: a second process (here: a second Store on the same
// file) that cannot get the write lock reports store.ErrConflict.
func TestBusyIsConflict(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db")
	a, err := open(ctx, path, 20)
	if err != nil {
		t.Fatalf("open a: %v", err)
	}
	defer a.Close()
	b, err := open(ctx, path, 20)
	if err != nil {
		t.Fatalf("open b: %v", err)
	}
	defer b.Close()
	holding := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- a.Update(ctx, func(tx store.Tx) error {
			if err := tx.PutMeta(ctx, "a", "1"); err != nil {
				return err
			}
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	err = b.Update(ctx, func(tx store.Tx) error { return tx.PutMeta(ctx, "b", "1") })
	close(release)
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("Update while another process writes: err = %v, want ErrConflict", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("holder: %v", err)
	}
}

func TestDatabaseFilesArePrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "idcenter.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Update(context.Background(), func(tx store.Tx) error { return tx.PutMeta(context.Background(), "k", "v") }); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, want no group/other access", p, fi.Mode().Perm())
		}
	}
}

func TestBackupIsAConsistentCopy(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, filepath.Join(dir, "idcenter.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutMeta(ctx, "k", "before") }); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "backup.db")
	if err := s.Backup(ctx, dst); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, dst); err == nil {
		t.Fatal("backup over an existing file was accepted")
	}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutMeta(ctx, "k", "after") }); err != nil {
		t.Fatal(err)
	}
	b, err := Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	err = b.View(ctx, func(tx store.Tx) error {
		v, err := tx.GetMeta(ctx, "k")
		if err != nil || v != "before" {
			t.Fatalf("backup holds %q, %v; want the value at backup time", v, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
