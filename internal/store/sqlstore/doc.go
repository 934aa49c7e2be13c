// Package sqlstore holds the SQL of every store.Tx repository once, for all
// database/sql backends. A backend (internal/store/sqlite,
// internal/store/postgres) owns its connections, pragmas or isolation level,
// retries and migrations folder, and describes what differs in its SQL with a
// Dialect: the placeholder style (statements are written with `?` and
// rewritten once per statement text to `$n` for PostgreSQL), the translation
// of driver errors into the store sentinels, how to list and empty the tables
// (DeleteEverything), and whether a failed statement must be isolated in a
// savepoint so that the transaction stays usable (PostgreSQL aborts the whole
// transaction on any error; SQLite does not).
//
// The SQL kept here is portable between SQLite and PostgreSQL: times are
// BIGINT unix nanoseconds (NULL for the zero time), booleans are INTEGER 0/1,
// hashes are BLOB/BYTEA, JSON documents are TEXT, upserts use
// INSERT … ON CONFLICT … DO UPDATE SET x = excluded.x, and prefix filters use
// substr instead of LIKE.
package sqlstore
