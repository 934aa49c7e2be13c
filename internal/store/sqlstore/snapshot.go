package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/idcenter/idcenter/internal/store"
)

// tables lists the schema's tables but the migration record.
func (t *tx) tables(ctx context.Context, op string) ([]string, error) {
	rows, err := t.query(ctx, op, t.d.ListTables)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, t.translate(op, err)
		}
		if name != "schema_migrations" {
			out = append(out, name)
		}
	}
	return out, t.translate(op, rows.Err())
}

// TakeSnapshot reads every row of every table (SELECT *), values as the
// driver returns them (database/sql copies byte slices).
func (t *tx) TakeSnapshot(ctx context.Context) (*store.Snapshot, error) {
	const op = "store: take snapshot"
	names, err := t.tables(ctx, op)
	if err != nil {
		return nil, err
	}
	snap := &store.Snapshot{}
	for _, name := range names {
		tab, err := t.readTable(ctx, op, name)
		if err != nil {
			return nil, err
		}
		snap.Tables = append(snap.Tables, tab)
	}
	return snap, nil
}

func (t *tx) readTable(ctx context.Context, op, name string) (store.SnapshotTable, error) {
	tab := store.SnapshotTable{Name: name}
	rows, err := t.query(ctx, op, `SELECT * FROM `+QuoteIdent(name))
	if err != nil {
		return tab, err
	}
	defer rows.Close()
	if tab.Columns, err = rows.Columns(); err != nil {
		return tab, t.translate(op, err)
	}
	for rows.Next() {
		vals := make([]any, len(tab.Columns))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return tab, t.translate(op, err)
		}
		tab.Rows = append(tab.Rows, vals)
	}
	return tab, t.translate(op, rows.Err())
}

// RestoreSnapshot empties every table (DeleteEverything) and inserts the
// snapshot's rows.
func (t *tx) RestoreSnapshot(ctx context.Context, s *store.Snapshot) error {
	const op = "store: restore snapshot"
	// SQLite applies a flag pragma (defer_foreign_keys) when the statement
	// is compiled, and compiles the foreign key checks of an INSERT for the
	// mode in force then: statements prepared outside this transaction would
	// neither defer nor be deferred, so everything here runs as text.
	t.noPrepare = true
	defer func() { t.noPrepare = false }()
	if t.d.DeleteToRestore {
		names, err := t.tables(ctx, op)
		if err != nil {
			return err
		}
		var b strings.Builder
		for _, n := range names {
			b.WriteString("DELETE FROM " + QuoteIdent(n) + ";\n")
		}
		// One round trip (a statement list without parameters); a failure
		// aborts the transaction, which the caller then rolls back.
		if _, err := t.tx.ExecContext(ctx, b.String()); err != nil {
			return t.translate(op, err)
		}
	} else if err := t.DeleteEverything(ctx); err != nil {
		return err
	}
	// One multi-row INSERT per table (in chunks within the drivers'
	// parameter limits).
	type pending struct {
		table string
		q     string
		args  []any
	}
	var todo []pending
	for _, tab := range s.Tables {
		if len(tab.Rows) == 0 || len(tab.Columns) == 0 {
			continue
		}
		cols := make([]string, len(tab.Columns))
		for i, c := range tab.Columns {
			cols[i] = QuoteIdent(c)
		}
		head := `INSERT INTO ` + QuoteIdent(tab.Name) + ` (` + strings.Join(cols, ", ") + `) VALUES `
		tuple := `(` + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + `)`
		per := max(1, maxParams/len(cols))
		for start := 0; start < len(tab.Rows); start += per {
			rows := tab.Rows[start:min(start+per, len(tab.Rows))]
			tuples := make([]string, len(rows))
			args := make([]any, 0, len(rows)*len(cols))
			for i, r := range rows {
				tuples[i] = tuple
				args = append(args, r...)
			}
			todo = append(todo, pending{tab.Name, head + strings.Join(tuples, ", "), args})
		}
	}
	// SQLite checks foreign keys at commit (DeleteEverything defers them);
	// on PostgreSQL an insert whose referenced rows are not there yet fails
	// in its savepoint and is tried again after the others, until a pass
	// inserts nothing more (the schema has no cycles).
	for len(todo) > 0 {
		var left []pending
		var firstErr error
		for _, p := range todo {
			if _, err := t.exec(ctx, op+" "+p.table, p.q, p.args...); err != nil {
				if !t.d.Savepoints {
					return err // foreign keys are deferred: a real failure
				}
				left = append(left, p)
				if firstErr == nil {
					firstErr = err
				}
			}
		}
		if len(left) == len(todo) {
			return fmt.Errorf("%s: %d insert(s) cannot be done: %w", op, len(left), errors.Join(firstErr))
		}
		todo = left
	}
	return nil
}

// maxParams bounds the parameters of one statement (SQLite allows 32766,
// PostgreSQL 65535).
const maxParams = 30000
