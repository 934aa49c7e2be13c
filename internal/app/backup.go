package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/store/sqlite"
)

// Backup writes a consistent copy of the data folder's database to dst; the
// server may be running.
func Backup(ctx context.Context, cfg config.Config, dst string) error {
	if _, err := os.Stat(cfg.DatabasePath()); err != nil {
		return fmt.Errorf("backup: no idcenter database in %s: %w", cfg.DataDir, err)
	}
	st, err := sqlite.Open(ctx, cfg.DatabasePath())
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer st.Close()
	return st.Backup(ctx, dst)
}

// ErrServerRunning is returned by Restore when the database looks in use.
var ErrServerRunning = errors.New("the database has a write-ahead log: stop the server first (or --force after a crash)")

// Restore replaces the data folder's database with the backup at src. The
// server must be stopped: a live write-ahead log next to the database means it
// is running (or crashed), and Restore refuses unless force. The backup is
// checked (and migrated to this version's schema) on a temporary copy before
// it replaces anything.
func Restore(ctx context.Context, cfg config.Config, src string, force bool) error {
	db := cfg.DatabasePath()
	if fi, err := os.Stat(db + "-wal"); err == nil && fi.Size() > 0 && !force {
		return fmt.Errorf("restore: %w", ErrServerRunning)
	}
	if err := cfg.EnsureDataDir(); err != nil {
		return err
	}
	tmp := filepath.Join(cfg.DataDir, ".restore.db")
	_ = os.Remove(tmp)
	defer os.Remove(tmp)
	if err := copyFile(src, tmp); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	st, err := sqlite.Open(ctx, tmp)
	if err != nil {
		return fmt.Errorf("restore: %s is not an idcenter database: %w", src, err)
	}
	if err := st.Close(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(db + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp, db); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
