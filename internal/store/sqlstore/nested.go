package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/idcenter/idcenter/internal/store"
)

var _ store.Nester = (*tx)(nil)

// Nested runs fn in a savepoint of the transaction (store.Bind's Update):
// released when fn returns nil, rolled back to when it fails, so that fn's
// writes are undone and the transaction stays usable on both SQLite and
// PostgreSQL. fn's error is returned as it is.
func (t *tx) Nested(ctx context.Context, fn func() error) error {
	const op = "store: nested"
	if t.tx == nil {
		return fmt.Errorf("%s: transaction already finished", op)
	}
	t.depth++
	defer func() { t.depth-- }()
	name := "nest" + strconv.Itoa(t.depth)
	if _, err := t.tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return t.translate(op, err)
	}
	if err := fn(); err != nil {
		if _, rerr := t.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+name); rerr != nil {
			return errors.Join(err, t.translate(op, rerr))
		}
		_, _ = t.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name)
		return err
	}
	if _, err := t.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name); err != nil {
		return t.translate(op, err)
	}
	return nil
}
