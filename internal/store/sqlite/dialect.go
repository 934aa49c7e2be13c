package sqlite

import (
	"errors"
	"fmt"
	"net/url"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/sqlstore"
)

// This file holds everything that is specific to SQLite; the SQL itself is
// shared with the other backends in internal/store/sqlstore.

// dialect describes SQLite to the shared repositories.
var dialect = &sqlstore.Dialect{
	Name:      "sqlite",
	Translate: translate,
	ListTables: `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' ORDER BY name`,
	// Foreign keys are checked at commit, when every table is empty.
	Empty: func(tables []string) []string {
		qs := []string{`PRAGMA defer_foreign_keys = ON`}
		for _, name := range tables {
			qs = append(qs, `DELETE FROM `+sqlstore.QuoteIdent(name))
		}
		return qs
	},
}

const driverName = "sqlite"

// busyTimeoutMS is how long a connection waits for a lock held by another
// process before reporting SQLITE_BUSY.
const busyTimeoutMS = 5000

// dsn builds the connection string for path. The write pool begins
// transactions with BEGIN IMMEDIATE; the read pool is query_only.
func dsn(path string, write bool, busyMS int) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyMS))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	if write {
		q.Add("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	return path + "?" + q.Encode()
}

// translate turns a driver error into a store sentinel (wrapped with the
// operation's context) when it is one of the conditions the contract names;
// other errors are wrapped as they are.
func translate(op string, err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		code := se.Code()
		switch {
		case code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%s: %w (%v)", op, store.ErrAlreadyExists, err)
		case code == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%s: referenced record: %w (%v)", op, store.ErrNotFound, err)
		case code&0xff == sqlite3.SQLITE_BUSY || code&0xff == sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("%s: %w (%v)", op, store.ErrConflict, err)
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}
