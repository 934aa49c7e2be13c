package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is a store.Store on one PostgreSQL database (the schema named by the
// connection's search_path).
type Store struct {
	db   *sql.DB
	pool *sqlstore.Pool
}

var _ store.Store = (*Store)(nil)

const (
	// maxConns bounds the pool of one replica.
	maxConns = 16
	// maxAttempts bounds how often a transaction is run when it keeps
	// failing with a serialization failure or a deadlock.
	maxAttempts = 12
)

// migrationLockKey is the pg_advisory_lock key (with the schema's name
// hashed in) under which migrations run.
const migrationLockKey = `hashtext('idcenter.migrate:' || current_schema())`

// Open connects to the database at url (postgres://user:pw@host:port/db?…;
// search_path=… selects a schema) and applies pending migrations.
func Open(ctx context.Context, url string) (*Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, translate("postgres: connect", err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db, pool: sqlstore.NewPool(db, dialect, false)}, nil
}

func loadMigrations() ([]sqlstore.Migration, error) {
	return sqlstore.LoadMigrations(migrationFS, "migrations")
}

// migrate applies pending migrations on one connection holding the
// migration lock: replicas that start together wait for the first one and
// then find nothing left to do.
func migrate(ctx context.Context, db *sql.DB) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return translate("postgres: migrate", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(`+migrationLockKey+`)`); err != nil {
		return translate("postgres: take the migration lock", err)
	}
	defer func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(`+migrationLockKey+`)`)
	}()
	return sqlstore.Migrate(ctx, conn, dialect, ms)
}

// Close closes the pool.
func (s *Store) Close() error { return s.pool.Close() }

// Update runs fn in one SERIALIZABLE transaction, retried on serialization
// failures, and commits when fn returns nil.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	return s.run(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable}, false, fn)
}

// View runs fn in one SERIALIZABLE READ ONLY transaction.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	return s.run(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable, ReadOnly: true}, true, fn)
}

func (s *Store) run(ctx context.Context, opts *sql.TxOptions, readOnly bool, fn func(store.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.pool.Run(ctx, opts, readOnly, fn)
		if err == nil || attempt >= maxAttempts || !retryable(err) {
			return err
		}
		// Back off a random, growing while (1 ms … 64 ms) so that the
		// transactions that collided do not collide again.
		pause := time.Duration(rand.Int64N(int64(time.Millisecond)<<min(attempt, 6))) + time.Millisecond
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
}

// SchemaVersion reports the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	return sqlstore.SchemaVersion(ctx, s.db, dialect)
}

// retryable reports whether err comes from a serialization failure or a
// deadlock, after which the whole transaction may simply run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == codeSerialization || pe.Code == codeDeadlock
	}
	return false
}
