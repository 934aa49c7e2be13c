// Package sqlite is the embedded SQLite backend of store.Store, built on the
// pure-Go modernc.org/sqlite driver (no cgo).
//
// It owns the schema (numbered migrations embedded from migrations/*.sql and
// recorded in a schema_migrations table), the translation of driver errors
// into the store sentinels, and the connection discipline:
//
//   - WAL journal, foreign_keys=ON, a busy_timeout so a second process
//     waits instead of failing at once.
//   - synchronous=FULL: in WAL mode NORMAL only syncs at checkpoints, so a
//     transaction that Update already acknowledged could vanish if the
//     machine loses power or the process is killed before the next
//     checkpoint. Acknowledged writes (a created user, an issued key) must
//     survive a crash, so every commit is fsynced.
//   - One writer: Update runs on a pool of exactly one connection and opens
//     its transaction with BEGIN IMMEDIATE, so writers queue in Go instead of
//     hitting SQLITE_BUSY on lock upgrades. View runs on a separate read pool
//     (query_only) so reads proceed concurrently with a write.
//
// Uniqueness (user name and group display name per identity store,
// case-insensitively; external ids; memberships; account id and e-mail;
// instance ARN and identity store id; access key id) is enforced by unique
// indexes. The repositories' SQL is shared with the PostgreSQL backend in
// internal/store/sqlstore; this package keeps the connections, the
// migrations/ folder and, in dialect.go, everything specific to SQLite (DSN,
// pragmas, error codes, how DeleteEverything empties the tables).
package sqlite
