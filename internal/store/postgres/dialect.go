package postgres

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/sqlstore"
)

// This file holds everything that is specific to PostgreSQL in the shared SQL.

// SQLSTATE codes the backend handles.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
	codeSerialization       = "40001"
	codeDeadlock            = "40P01"
)

// dialect describes PostgreSQL to the shared repositories.
var dialect = &sqlstore.Dialect{
	Name:       "postgres",
	Dollar:     true,
	Translate:  translate,
	Savepoints: true,
	// A snapshot restore deletes rows instead of truncating every table.
	DeleteToRestore: true,
	ListTables:      `SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`,
	// One TRUNCATE of every table at once: foreign keys between them are
	// no obstacle, and it is much faster than DELETE.
	Empty: func(tables []string) []string {
		if len(tables) == 0 {
			return nil
		}
		qs := make([]string, len(tables))
		for i, name := range tables {
			qs[i] = sqlstore.QuoteIdent(name)
		}
		return []string{`TRUNCATE ` + strings.Join(qs, ", ")}
	},
}

// translate turns a driver error into a store sentinel (wrapped with the
// operation's context) when it is one of the conditions the contract names;
// other errors are wrapped as they are. The driver error stays in the chain
// (the retry loop looks for serialization failures in it).
func translate(op string, err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case codeUniqueViolation:
			return fmt.Errorf("%s: %w (%w)", op, store.ErrAlreadyExists, err)
		case codeForeignKeyViolation:
			return fmt.Errorf("%s: referenced record: %w (%w)", op, store.ErrNotFound, err)
		case codeSerialization, codeDeadlock:
			return fmt.Errorf("%s: %w (%w)", op, store.ErrConflict, err)
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}
