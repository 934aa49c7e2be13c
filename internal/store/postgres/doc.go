// Package postgres is the PostgreSQL backend of store.Store, for several
// stateless idcenter replicas sharing one database. It uses pgx through its
// database/sql driver and the repositories' SQL shared with SQLite in
// internal/store/sqlstore.
//
//   - Every transaction is SERIALIZABLE; one that fails with a serialization
//     failure (SQLSTATE 40001) or a deadlock (40P01) is run again from the
//     start, a bounded number of times, after a short random pause. fn must
//     therefore be safe to run more than once (it only touches the Tx).
//     Still failing, it reports store.ErrConflict.
//   - View transactions are READ ONLY.
//   - Every write statement runs in a savepoint, so a failing statement (a
//     duplicate, a missing reference) leaves the transaction usable, as on
//     SQLite.
//   - Driver errors become sentinels: 23505 → ErrAlreadyExists, 23503 →
//     ErrNotFound (a referenced record is missing), 40001/40P01 →
//     ErrConflict, no rows → ErrNotFound.
//   - Migrations (migrations/*.sql, the PostgreSQL twins of SQLite's) run on
//     Open under a pg_advisory_lock, so replicas starting together migrate
//     once.
package postgres
