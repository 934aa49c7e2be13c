package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// Dialect describes what differs between the SQL databases.
type Dialect struct {
	// Name prefixes the backend's own error messages ("sqlite", "postgres").
	Name string
	// Dollar rewrites `?` placeholders to $1, $2, … (PostgreSQL).
	Dollar bool
	// Translate turns a driver error into a store sentinel wrapped with op
	// when it is one of the conditions the contract names, and wraps other
	// errors as they are. It is never called with a nil error.
	Translate func(op string, err error) error
	// ListTables is a query returning the names of the schema's tables
	// (schema_migrations is skipped by the caller).
	ListTables string
	// Empty returns the statements that delete every row of tables within
	// one transaction, whatever the foreign keys between them.
	Empty func(tables []string) []string
	// Savepoints runs every write statement in a savepoint, so that a
	// statement that fails (a duplicate, a missing reference) leaves the
	// transaction usable as it does on SQLite.
	Savepoints bool
	// DeleteToRestore empties the tables with one batch of DELETE
	// statements before a snapshot is restored, instead of Empty's
	// statements (PostgreSQL: TRUNCATE of every table costs about 100 ms,
	// the deletes of a small store a few; its foreign keys cascade).
	DeleteToRestore bool

	rebound sync.Map // statement text -> rewritten text
}

// Rebind rewrites the `?` placeholders of q for the dialect (once per text).
// Question marks inside quoted strings or identifiers are left alone.
func (d *Dialect) Rebind(q string) string {
	if !d.Dollar {
		return q
	}
	if v, ok := d.rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	out := b.String()
	d.rebound.Store(q, out)
	return out
}

func (d *Dialect) translate(op string, err error) error {
	if err == nil {
		return nil
	}
	return d.Translate(op, err)
}

// QuoteIdent quotes a table name for SQL.
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Pool is one database/sql pool of a backend with, optionally, a cache of
// prepared statements.
type Pool struct {
	DB    *sql.DB
	d     *Dialect
	stmts *stmtCache // nil: statements are not prepared here
}

// NewPool wraps db. With prepare, every distinct statement is prepared once
// per pool (after the transaction that first met it); without, statements
// run as text (the driver may cache them itself, as pgx does).
func NewPool(db *sql.DB, d *Dialect, prepare bool) *Pool {
	p := &Pool{DB: db, d: d}
	if prepare {
		p.stmts = &stmtCache{db: db}
	}
	return p
}

// Close closes the prepared statements and the pool.
func (p *Pool) Close() error {
	if p.stmts != nil {
		p.stmts.close()
	}
	return p.DB.Close()
}

// Run runs fn in one transaction begun with opts. Unless readOnly, it commits
// when fn returns nil; a read-only transaction is always rolled back. fn's
// error is returned as it is.
func (p *Pool) Run(ctx context.Context, opts *sql.TxOptions, readOnly bool, fn func(store.Tx) error) error {
	sqlTx, err := p.DB.BeginTx(ctx, opts)
	if err != nil {
		return p.d.translate(p.d.Name+": begin", err)
	}
	t := &tx{tx: sqlTx, d: p.d, stmts: p.stmts}
	defer func() {
		if len(t.unprepared) > 0 && p.stmts != nil {
			p.stmts.prepare(context.WithoutCancel(ctx), t.unprepared)
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
		return p.d.translate(p.d.Name+": commit", err)
	}
	return nil
}

// stmtCache prepares each distinct statement once per pool. Preparing needs a
// free connection, which a transaction may be holding (SQLite's write pool has
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

// ---- migrations ----

// Migration is one numbered schema step.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// LoadMigrations reads dir of fsys: files named NNNN_name.sql, in order.
func LoadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		if !ok || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("store: migration %q: want NNNN_name.sql", name)
		}
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("store: migration %q: %w", name, err)
		}
		body, err := fs.ReadFile(fsys, dir+"/"+name)
		if err != nil {
			return nil, fmt.Errorf("store: migration %q: %w", name, err)
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i := 1; i < len(ms); i++ {
		if ms[i].Version == ms[i-1].Version {
			return nil, fmt.Errorf("store: two migrations numbered %d", ms[i].Version)
		}
	}
	return ms, nil
}

// Conn is what *sql.DB and *sql.Conn share for migrating.
type Conn interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// Migrate applies, each in its own transaction, the migrations not yet
// recorded in schema_migrations. Callers serialise concurrent migrators
// (SQLite's single writer, PostgreSQL's advisory lock).
func Migrate(ctx context.Context, c Conn, d *Dialect, ms []Migration) error {
	if _, err := c.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at BIGINT NOT NULL
)`); err != nil {
		return d.translate(d.Name+": create schema_migrations", err)
	}
	for _, m := range ms {
		err := func() error {
			sqlTx, err := c.BeginTx(ctx, nil)
			if err != nil {
				return d.translate(d.Name+": begin migration", err)
			}
			defer sqlTx.Rollback()
			var n int
			if err := sqlTx.QueryRowContext(ctx, d.Rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.Version).Scan(&n); err != nil {
				return d.translate(d.Name+": read schema_migrations", err)
			}
			if n > 0 {
				return nil
			}
			if _, err := sqlTx.ExecContext(ctx, m.SQL); err != nil {
				return d.translate(d.Name+": apply migration "+m.Name, err)
			}
			if _, err := sqlTx.ExecContext(ctx, d.Rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
				m.Version, m.Name, time.Now().UTC().UnixNano()); err != nil {
				return d.translate(d.Name+": record migration "+m.Name, err)
			}
			return d.translate(d.Name+": commit migration "+m.Name, sqlTx.Commit())
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion reports the highest applied migration.
func SchemaVersion(ctx context.Context, db *sql.DB, d *Dialect) (int, error) {
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, d.translate(d.Name+": schema version", err)
	}
	return int(v.Int64), nil
}

// ---- helpers shared by the repositories ----

// tx implements store.Tx on one database transaction.
type tx struct {
	tx         *sql.Tx
	d          *Dialect
	stmts      *stmtCache
	unprepared []string // statements to prepare once the transaction has ended
	depth      int      // nesting of Nested savepoints
	noPrepare  bool     // run statements as text (RestoreSnapshot)
}

var _ store.Tx = (*tx)(nil)

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

// stmt returns q (rewritten for the dialect) bound to this transaction:
// prepared when the pool has it, otherwise run as text and queued for
// preparing after the transaction.
func (t *tx) stmt(ctx context.Context, q string) queryer {
	q = t.d.Rebind(q)
	if t.stmts == nil || t.noPrepare {
		return unpreparedStmt{tx: t.tx, q: q}
	}
	if st := t.stmts.lookup(q); st != nil {
		return t.tx.StmtContext(ctx, st)
	}
	t.unprepared = append(t.unprepared, q)
	return unpreparedStmt{tx: t.tx, q: q}
}

func (t *tx) translate(op string, err error) error { return t.d.translate(op, err) }

func (t *tx) exec(ctx context.Context, op, q string, args ...any) (sql.Result, error) {
	if t.tx == nil {
		return nil, fmt.Errorf("%s: transaction already finished", op)
	}
	if !t.d.Savepoints {
		res, err := t.stmt(ctx, q).ExecContext(ctx, args...)
		if err != nil {
			return nil, t.translate(op, err)
		}
		return res, nil
	}
	if _, err := t.tx.ExecContext(ctx, "SAVEPOINT s"); err != nil {
		return nil, t.translate(op, err)
	}
	res, err := t.stmt(ctx, q).ExecContext(ctx, args...)
	if err != nil {
		if _, rerr := t.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT s"); rerr != nil {
			return nil, t.translate(op, errors.Join(err, rerr))
		}
		_, _ = t.tx.ExecContext(ctx, "RELEASE SAVEPOINT s")
		return nil, t.translate(op, err)
	}
	if _, err := t.tx.ExecContext(ctx, "RELEASE SAVEPOINT s"); err != nil {
		return nil, t.translate(op, err)
	}
	return res, nil
}

func (t *tx) query(ctx context.Context, op, q string, args ...any) (*sql.Rows, error) {
	if t.tx == nil {
		return nil, fmt.Errorf("%s: transaction already finished", op)
	}
	rows, err := t.stmt(ctx, q).QueryContext(ctx, args...)
	if err != nil {
		return nil, t.translate(op, err)
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
	return t.translate(op, err)
}

// mustAffect reports ErrNotFound when an UPDATE/DELETE touched no row.
func (t *tx) mustAffect(op string, res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return t.translate(op, err)
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
