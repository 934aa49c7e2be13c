package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/idcenter/idcenter/internal/store"
)

// runBind checks store.Bind: a Store bound to one transaction whose failed
// Updates are undone on their own while the transaction goes on, whose Views
// see its uncommitted writes, and whose work commits or rolls back with the
// enclosing transaction as a whole.
func runBind(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	boom := errors.New("boom")
	users := func(t *testing.T, s store.Store) int {
		t.Helper()
		var n int
		view(t, s, func(tx store.Tx) error {
			var err error
			n, err = tx.CountUsers(ctx, storeID)
			return err
		})
		return n
	}

	t.Run("NestedRollbackThenCommit", func(t *testing.T) {
		s := fresh(t, open)
		update(t, s, func(tx store.Tx) error {
			b := store.Bind(tx)
			if err := b.Update(ctx, func(tx store.Tx) error { return tx.CreateUser(ctx, newUser(1, "alice")) }); err != nil {
				return err
			}
			// A failed nested update leaves nothing, even a write that succeeded in it.
			err := b.Update(ctx, func(tx store.Tx) error {
				if err := tx.CreateUser(ctx, newUser(2, "bob")); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Errorf("nested Update err = %v, want boom", err)
			}
			// A failing statement (duplicate) leaves the transaction usable (PostgreSQL).
			err = b.Update(ctx, func(tx store.Tx) error { return tx.CreateUser(ctx, newUser(3, "ALICE")) })
			wantErr(t, "duplicate in nested update", err, store.ErrAlreadyExists)
			// Nesting inside nesting.
			err = b.Update(ctx, func(tx store.Tx) error {
				if err := tx.CreateGroup(ctx, newGroup(1, "g")); err != nil {
					return err
				}
				if err := b.Update(ctx, func(tx store.Tx) error {
					if err := tx.CreateGroup(ctx, newGroup(2, "h")); err != nil {
						return err
					}
					return boom
				}); !errors.Is(err, boom) {
					t.Errorf("inner nested err = %v", err)
				}
				return nil
			})
			if err != nil {
				return err
			}
			// The bound View sees the uncommitted writes.
			return b.View(ctx, func(tx store.Tx) error {
				if _, err := tx.GetUser(ctx, storeID, userID(1)); err != nil {
					t.Errorf("bound View misses alice: %v", err)
				}
				_, err := tx.GetUser(ctx, storeID, userID(2))
				wantErr(t, "bob after his nested rollback", err, store.ErrNotFound)
				if n, _ := tx.CountGroups(ctx, storeID); n != 1 {
					t.Errorf("groups in the transaction = %d, want 1", n)
				}
				return nil
			})
		})
		if n := users(t, s); n != 1 {
			t.Errorf("users after commit = %d, want 1", n)
		}
		view(t, s, func(tx store.Tx) error {
			if n, _ := tx.CountGroups(ctx, storeID); n != 1 {
				t.Errorf("groups after commit = %d, want 1", n)
			}
			return nil
		})
	})

	t.Run("EnclosingRollback", func(t *testing.T) {
		s := fresh(t, open)
		update(t, s, func(tx store.Tx) error { return tx.CreateUser(ctx, newUser(1, "alice")) })
		err := s.Update(ctx, func(tx store.Tx) error {
			b := store.Bind(tx)
			for i, name := range []string{"bob", "carol"} {
				if err := b.Update(ctx, func(tx store.Tx) error { return tx.CreateUser(ctx, newUser(i+2, name)) }); err != nil {
					return err
				}
			}
			if err := b.Update(ctx, func(tx store.Tx) error { return tx.DeleteUser(ctx, storeID, userID(1)) }); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Update err = %v, want boom", err)
		}
		if n := users(t, s); n != 1 {
			t.Errorf("users after the enclosing rollback = %d, want 1 (alice)", n)
		}
		view(t, s, func(tx store.Tx) error {
			_, err := tx.GetUser(ctx, storeID, userID(1))
			return err
		})
	})
}
