package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is a store.Store on one SQLite database file.
type Store struct {
	write *sql.DB // exactly one connection: the single writer
	read  *sql.DB // readers, concurrent with the writer thanks to WAL

	// Prepared statements by SQL text, one cache per pool: SQLite otherwise
	// parses and plans every statement again on every call, which dominated
	// the cost of a key lookup. database/sql keeps one prepared copy per
	// connection and reuses it inside transactions on that connection.
	writeStmts, readStmts stmtCache
}

// stmtCache prepares each distinct statement once per pool. Preparing needs a
// free connection, which a transaction may be holding (the write pool has
// exactly one), so statements are never prepared inside a transaction: a
// transaction that meets an unprepared statement runs it unprepared and lists
// it, and the cache prepares the list after the transaction has ended.
type stmtCache struct {
	db *sql.DB
	m  sync.Map // SQL text -> *sql.Stmt
}

func (c *stmtCache) lookup(q string) *sql.Stmt {
	if v, ok := c.m.Load(q); ok {
		return v.(*sql.Stmt)
	}
	return nil
}

// prepare prepares statements not yet cached; failures are ignored (the
// statement keeps running unprepared and its own error surfaces there).
func (c *stmtCache) prepare(ctx context.Context, qs []string) {
	for _, q := range qs {
		if c.lookup(q) != nil {
			continue
		}
		st, err := c.db.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		if _, loaded := c.m.LoadOrStore(q, st); loaded {
			st.Close()
		}
	}
}

func (c *stmtCache) close() {
	c.m.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
}

var (
	_ store.Store = (*Store)(nil)
	_ store.Tx    = (*tx)(nil)
)

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
	s := &Store{write: w}
	s.writeStmts.db = w
	if err := s.migrate(ctx); err != nil {
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
	s.read = r
	s.readStmts.db = r
	return s, nil
}

// Close closes both pools.
func (s *Store) Close() error {
	s.readStmts.close()
	s.writeStmts.close()
	return errors.Join(s.read.Close(), s.write.Close())
}

// Update runs fn in one write transaction (BEGIN IMMEDIATE on the single
// write connection) and commits when fn returns nil.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	return s.run(ctx, s.write, &s.writeStmts, false, fn)
}

// View runs fn in a read transaction on the read pool.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	return s.run(ctx, s.read, &s.readStmts, true, fn)
}

func (s *Store) run(ctx context.Context, db *sql.DB, stmts *stmtCache, readOnly bool, fn func(store.Tx) error) error {
	sqlTx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return translate("sqlite: begin", err)
	}
	t := &tx{tx: sqlTx, stmts: stmts}
	defer func() {
		if len(t.unprepared) > 0 {
			stmts.prepare(context.WithoutCancel(ctx), t.unprepared)
		}
	}()
	defer func() {
		if t.tx != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	if readOnly {
		err = sqlTx.Rollback()
	} else {
		err = sqlTx.Commit()
	}
	t.tx = nil
	if err != nil {
		return translate("sqlite: commit", err)
	}
	return nil
}

// migration is one numbered schema step.
type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, fmt.Errorf("sqlite: read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		if !ok || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("sqlite: migration %q: want NNNN_name.sql", name)
		}
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("sqlite: migration %q: %w", name, err)
		}
		body, err := migrationFS.ReadFile("migrations/" + name)
		if err != nil {
			return nil, fmt.Errorf("sqlite: migration %q: %w", name, err)
		}
		ms = append(ms, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("sqlite: two migrations numbered %d", ms[i].version)
		}
	}
	return ms, nil
}

// migrate applies, each in its own write transaction, the migrations not yet
// recorded in schema_migrations.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at BIGINT NOT NULL
)`); err != nil {
		return translate("sqlite: create schema_migrations", err)
	}
	for _, m := range ms {
		err := func() error {
			sqlTx, err := s.write.BeginTx(ctx, nil)
			if err != nil {
				return translate("sqlite: begin migration", err)
			}
			defer sqlTx.Rollback()
			var n int
			if err := sqlTx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
				return translate("sqlite: read schema_migrations", err)
			}
			if n > 0 {
				return nil
			}
			if _, err := sqlTx.ExecContext(ctx, m.sql); err != nil {
				return translate("sqlite: apply migration "+m.name, err)
			}
			if _, err := sqlTx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, time.Now().UTC().UnixNano()); err != nil {
				return translate("sqlite: record migration "+m.name, err)
			}
			return translate("sqlite: commit migration "+m.name, sqlTx.Commit())
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion reports the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	if err := s.read.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, translate("sqlite: schema version", err)
	}
	return int(v.Int64), nil
}

// ---- helpers shared by the repositories ----

// tx implements store.Tx on one database transaction.
type tx struct {
	tx         *sql.Tx
	stmts      *stmtCache
	unprepared []string // statements to prepare once the transaction has ended
}

// queryer is what *sql.Tx and a transaction-bound *sql.Stmt share.
type queryer interface {
	ExecContext(ctx context.Context, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, args ...any) *sql.Row
}

// unpreparedStmt runs a statement text directly on the transaction.
type unpreparedStmt struct {
	tx *sql.Tx
	q  string
}

func (u unpreparedStmt) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	return u.tx.ExecContext(ctx, u.q, args...)
}

func (u unpreparedStmt) QueryContext(ctx context.Context, args ...any) (*sql.Rows, error) {
	return u.tx.QueryContext(ctx, u.q, args...)
}

func (u unpreparedStmt) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	return u.tx.QueryRowContext(ctx, u.q, args...)
}

// stmt returns q bound to this transaction: prepared when the pool has it,
// otherwise run as text and queued for preparing after the transaction.
func (t *tx) stmt(ctx context.Context, q string) queryer {
	if st := t.stmts.lookup(q); st != nil {
		return t.tx.StmtContext(ctx, st)
	}
	t.unprepared = append(t.unprepared, q)
	return unpreparedStmt{tx: t.tx, q: q}
}

func (t *tx) exec(ctx context.Context, op, q string, args ...any) (sql.Result, error) {
	if t.tx == nil {
		return nil, fmt.Errorf("%s: transaction already finished", op)
	}
	res, err := t.stmt(ctx, q).ExecContext(ctx, args...)
	if err != nil {
		return nil, translate(op, err)
	}
	return res, nil
}

func (t *tx) query(ctx context.Context, op, q string, args ...any) (*sql.Rows, error) {
	if t.tx == nil {
		return nil, fmt.Errorf("%s: transaction already finished", op)
	}
	rows, err := t.stmt(ctx, q).QueryContext(ctx, args...)
	if err != nil {
		return nil, translate(op, err)
	}
	return rows, nil
}

// one runs a single-row query; no row becomes store.ErrNotFound.
func (t *tx) one(ctx context.Context, op, q string, args []any, dest ...any) error {
	if t.tx == nil {
		return fmt.Errorf("%s: transaction already finished", op)
	}
	err := t.stmt(ctx, q).QueryRowContext(ctx, args...).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", op, store.ErrNotFound)
	}
	return translate(op, err)
}

// mustAffect reports ErrNotFound when an UPDATE/DELETE touched no row.
func mustAffect(op string, res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return translate(op, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", op, store.ErrNotFound)
	}
	return nil
}

// pageClause appends the keyset condition and the limit for p.
func pageClause(q string, args []any, keyCol string, p store.Page) (string, []any) {
	if p.After != "" {
		q += " AND " + keyCol + " > ?"
		args = append(args, p.After)
	}
	q += " ORDER BY " + keyCol
	if p.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, p.Limit)
	}
	return q, args
}

// Times are stored as unix nanoseconds; the zero time as NULL.
func toDB(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().UnixNano()
}

func fromDB(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.Unix(0, v.Int64).UTC()
}

// key is the case-insensitive form of a unique name; empty is NULL so that
// records without the name do not collide.
func key(s string) any {
	if s == "" {
		return nil
	}
	return strings.ToLower(s)
}

func lower(s string) string { return strings.ToLower(s) }

func notFound(op string) error { return fmt.Errorf("%s: %w", op, store.ErrNotFound) }

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
