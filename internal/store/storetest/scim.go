package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// runSCIM checks store.SCIMRepo.
func runSCIM(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	tok := func(id, st string, created time.Time) store.SCIMToken {
		return store.SCIMToken{TokenID: id, IdentityStoreID: st, Hash: bytes.Repeat([]byte{id[0]}, 32),
			CreatedAt: created, ExpiresAt: created.AddDate(1, 0, 0)}
	}
	t.Run("CRUD", func(t *testing.T) {
		s := fresh(t, open)
		a, b, c := tok("a", storeID, ts.Add(time.Second)), tok("b", storeID, ts), tok("c", otherStoreID, ts)
		update(t, s, func(tx store.Tx) error {
			for _, k := range []store.SCIMToken{a, b, c} {
				if err := tx.CreateSCIMToken(ctx, k); err != nil {
					return err
				}
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			wantErr(t, "duplicate", tx.CreateSCIMToken(ctx, a), store.ErrAlreadyExists)
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetSCIMToken(ctx, "a")
			if err != nil {
				t.Fatalf("GetSCIMToken: %v", err)
			}
			same(t, "get", got, a)
			_, err = tx.GetSCIMToken(ctx, "zz")
			wantErr(t, "get missing", err, store.ErrNotFound)
			list, err := tx.ListSCIMTokens(ctx, storeID)
			if err != nil {
				t.Fatalf("ListSCIMTokens: %v", err)
			}
			same(t, "list (oldest first, this store only)", list, []store.SCIMToken{b, a})
			return nil
		})
		at := ts.Add(time.Hour)
		update(t, s, func(tx store.Tx) error {
			if err := tx.TouchSCIMToken(ctx, "a", at); err != nil {
				t.Fatalf("TouchSCIMToken: %v", err)
			}
			wantErr(t, "touch missing", tx.TouchSCIMToken(ctx, "zz", at), store.ErrNotFound)
			wantErr(t, "delete in other store", tx.DeleteSCIMToken(ctx, otherStoreID, "a"), store.ErrNotFound)
			if err := tx.DeleteSCIMToken(ctx, storeID, "b"); err != nil {
				t.Fatalf("DeleteSCIMToken: %v", err)
			}
			wantErr(t, "delete twice", tx.DeleteSCIMToken(ctx, storeID, "b"), store.ErrNotFound)
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			list, err := tx.ListSCIMTokens(ctx, storeID)
			if err != nil {
				t.Fatalf("ListSCIMTokens: %v", err)
			}
			a.LastUsedAt = at
			same(t, "list after touch and delete", list, []store.SCIMToken{a})
			return nil
		})
	})
	t.Run("Rollback", func(t *testing.T) {
		s := fresh(t, open)
		err := s.Update(ctx, func(tx store.Tx) error {
			if err := tx.CreateSCIMToken(ctx, tok("a", storeID, ts)); err != nil {
				return err
			}
			return store.ErrConflict
		})
		wantErr(t, "update", err, store.ErrConflict)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.GetSCIMToken(ctx, "a")
			wantErr(t, "rolled back token", err, store.ErrNotFound)
			return nil
		})
	})
}
