package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is a store.Store on one SQLite database file.
type Store struct {
	write *sql.DB // exactly one connection: the single writer
	read  *sql.DB // readers, concurrent with the writer thanks to WAL

	// The pools keep every statement prepared by SQL text: SQLite otherwise
	// parses and plans every statement again on every call, which dominated
	// the cost of a key lookup. database/sql keeps one prepared copy per
	// connection and reuses it inside transactions on that connection.
	writePool, readPool *sqlstore.Pool
}

var _ store.Store = (*Store)(nil)

// readConns bounds the read pool.
const readConns = 4

// Open opens (creating if needed) the database at path, including its parent
// directory, and applies pending migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, busyTimeoutMS)
}

// open is Open with the lock wait as a parameter (tests shorten it).
func open(ctx context.Context, path string, busyMS int) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("sqlite: create data directory: %w", err)
		}
	}
	// The database holds secrets (access keys): create it private. SQLite gives
	// the -wal and -shm files the database file's permissions.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite: create %s: %w", path, err)
	}
	f.Close()
	w, err := sql.Open(driverName, dsn(path, true, busyMS))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// Touch the write connection first so the file exists and is in WAL mode
	// before any read connection opens it.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, translate("sqlite: open "+path, err)
	}
	ms, err := loadMigrations()
	if err != nil {
		w.Close()
		return nil, err
	}
	if err := sqlstore.Migrate(ctx, w, dialect, ms); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open(driverName, dsn(path, false, busyMS))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(readConns)
	r.SetMaxIdleConns(readConns)
	if err := r.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, translate("sqlite: open "+path+" for reading", err)
	}
	return &Store{
		write:     w,
		read:      r,
		writePool: sqlstore.NewPool(w, dialect, true),
		readPool:  sqlstore.NewPool(r, dialect, true),
	}, nil
}

// Close closes both pools.
func (s *Store) Close() error {
	return errors.Join(s.readPool.Close(), s.writePool.Close())
}

// Update runs fn in one write transaction (BEGIN IMMEDIATE on the single
// write connection) and commits when fn returns nil.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	return s.writePool.Run(ctx, nil, false, fn)
}

// View runs fn in a read transaction on the read pool.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	return s.readPool.Run(ctx, nil, true, fn)
}

func loadMigrations() ([]sqlstore.Migration, error) {
	return sqlstore.LoadMigrations(migrationFS, "migrations")
}

// SchemaVersion reports the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	return sqlstore.SchemaVersion(ctx, s.read, dialect)
}

// Backup writes a consistent copy of the database to dst (which must not
// exist) while the store stays in use: SQLite's VACUUM INTO reads in one
// transaction, so no write appears half-done in the copy. It runs on the write
// connection (read connections are opened read-only, and VACUUM INTO must
// create dst), so writes wait for it; readers do not.
func (s *Store) Backup(ctx context.Context, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("sqlite: backup: %s already exists", dst)
	}
	if _, err := s.write.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return translate("sqlite: backup to "+dst, err)
	}
	return nil
}
