package storetest

import (
	"context"
	"testing"

	"github.com/idcenter/idcenter/internal/store"
)

// runSnapshot checks that RestoreSnapshot brings back exactly the records
// TakeSnapshot saw (ids, times, byte values, rows with foreign keys between
// them), whatever happened in between, and can do so repeatedly.
func runSnapshot(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := fresh(t, open)
	alice, bob := newUser(1, "alice"), newUser(2, "bob")
	admins := newGroup(1, "admins")
	memb := newMembership(1, groupID(1), userID(1))
	cred := store.UserCredential{IdentityStoreID: storeID, UserID: userID(1), PasswordHash: "$argon2id$x", UpdatedAt: ts}
	tok := store.SCIMToken{TokenID: "tok-1", IdentityStoreID: storeID, Hash: []byte{0, 1, 2, 255}, CreatedAt: ts, ExpiresAt: ts.AddDate(1, 0, 0)}
	update(t, s, func(tx store.Tx) error {
		for _, f := range []func() error{
			func() error { return tx.PutMeta(ctx, "k", "v") },
			func() error { return tx.CreateUser(ctx, alice) },
			func() error { return tx.CreateUser(ctx, bob) },
			func() error { return tx.CreateGroup(ctx, admins) },
			func() error { return tx.CreateMembership(ctx, memb) },
			func() error { return tx.PutUserCredential(ctx, cred) },
			func() error { return tx.CreateSCIMToken(ctx, tok) },
		} {
			if err := f(); err != nil {
				return err
			}
		}
		return nil
	})
	var snap *store.Snapshot
	view(t, s, func(tx store.Tx) error {
		var err error
		snap, err = tx.TakeSnapshot(ctx)
		return err
	})
	check := func(t *testing.T) {
		t.Helper()
		view(t, s, func(tx store.Tx) error {
			if v, err := tx.GetMeta(ctx, "k"); err != nil || v != "v" {
				t.Errorf("meta = %q, %v", v, err)
			}
			for _, want := range []store.User{alice, bob} {
				got, err := tx.GetUser(ctx, storeID, want.UserID)
				if err != nil {
					t.Fatalf("user %s: %v", want.UserName, err)
				}
				same(t, "user", got, want)
			}
			if n, _ := tx.CountUsers(ctx, storeID); n != 2 {
				t.Errorf("users = %d, want 2", n)
			}
			if _, err := tx.FindMembership(ctx, storeID, groupID(1), userID(1)); err != nil {
				t.Errorf("membership: %v", err)
			}
			got, err := tx.GetUserCredential(ctx, storeID, userID(1))
			if err != nil {
				t.Fatalf("credential: %v", err)
			}
			same(t, "credential", got, cred)
			k, err := tx.GetSCIMToken(ctx, "tok-1")
			if err != nil {
				t.Fatalf("token: %v", err)
			}
			same(t, "token", k, tok)
			return nil
		})
	}
	for round := 0; round < 2; round++ {
		update(t, s, func(tx store.Tx) error {
			if err := tx.DeleteUser(ctx, storeID, userID(1)); err != nil { // cascades to membership and credential
				return err
			}
			if err := tx.CreateUser(ctx, newUser(3, "carol")); err != nil {
				return err
			}
			return tx.PutMeta(ctx, "k", "changed")
		})
		update(t, s, func(tx store.Tx) error { return tx.RestoreSnapshot(ctx, snap) })
		check(t)
	}
}
