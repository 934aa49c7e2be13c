package store

import "context"

// Nester is implemented by transactions that can run part of their work as
// a nested unit (an SQL savepoint): when fn fails, what it wrote is undone
// and the enclosing transaction stays usable.
type Nester interface {
	Nested(ctx context.Context, fn func() error) error
}

// Bind returns a Store whose Update and View run on tx, the transaction of
// an enclosing Update: core services built on it do all their work in that
// one transaction, which commits or rolls back as a whole (the world file's
// apply). Update runs fn in a nested unit when tx is a Nester, so that a
// failed Update leaves nothing behind while the caller goes on; View runs fn
// on tx and sees the enclosing transaction's uncommitted writes. Close does
// nothing. The bound Store must not be used after the enclosing fn returns,
// nor from more than one goroutine.
func Bind(tx Tx) Store { return bound{tx: tx} }

type bound struct{ tx Tx }

func (b bound) Update(ctx context.Context, fn func(Tx) error) error {
	if n, ok := b.tx.(Nester); ok {
		return n.Nested(ctx, func() error { return fn(b.tx) })
	}
	return fn(b.tx)
}

func (b bound) View(ctx context.Context, fn func(Tx) error) error { return fn(b.tx) }

func (b bound) Close() error { return nil }
