package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/idcenter/idcenter/internal/store"
)

// runReset checks that DeleteEverything empties the store, that it is
// transactional, and that the store is usable afterwards.
func runReset(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := fresh(t, open)
	fill := func(tx store.Tx) error {
		if err := tx.PutMeta(ctx, "k", "v"); err != nil {
			return err
		}
		if err := tx.CreateOrganization(ctx, store.Organization{ID: "o-aaaaaaaaaa", ARN: "arn:aws:organizations::111111111111:organization/o-aaaaaaaaaa",
			ManagementAccountID: "111111111111", FeatureSet: "ALL", CreatedAt: ts}); err != nil {
			return err
		}
		if err := tx.CreateInstance(ctx, store.Instance{ARN: "arn:aws:sso:::instance/ssoins-1111111111111111", IdentityStoreID: storeID,
			OwnerAccountID: "111111111111", Status: "ACTIVE", Region: "us-east-1", CreatedAt: ts}); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, store.User{IdentityStoreID: storeID, UserID: "1234567890-u1", UserName: "alice", Status: "ENABLED", CreatedAt: ts, UpdatedAt: ts}); err != nil {
			return err
		}
		if err := tx.CreateGroup(ctx, store.Group{IdentityStoreID: storeID, GroupID: "1234567890-g1", DisplayName: "devs", CreatedAt: ts, UpdatedAt: ts}); err != nil {
			return err
		}
		return tx.CreateMembership(ctx, store.Membership{IdentityStoreID: storeID, MembershipID: "1234567890-m1", GroupID: "1234567890-g1", UserID: "1234567890-u1", CreatedAt: ts})
	}
	update(t, s, fill)

	// A failed transaction rolls the deletion back.
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.DeleteEverything(ctx); err != nil {
			return err
		}
		return boom
	})
	wantErr(t, "rolled-back reset", err, boom)
	view(t, s, func(tx store.Tx) error {
		if _, err := tx.GetUser(ctx, storeID, "1234567890-u1"); err != nil {
			t.Fatalf("rolled-back reset lost a user: %v", err)
		}
		return nil
	})

	update(t, s, func(tx store.Tx) error { return tx.DeleteEverything(ctx) })
	view(t, s, func(tx store.Tx) error {
		if _, err := tx.GetMeta(ctx, "k"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("meta after reset: %v", err)
		}
		if _, err := tx.GetOrganization(ctx); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("organization after reset: %v", err)
		}
		if users, err := tx.ListUsers(ctx, storeID, store.UserFilter{}, store.Page{}); err != nil || len(users) != 0 {
			t.Fatalf("users after reset: %v, %v", users, err)
		}
		if ins, err := tx.ListInstances(ctx, store.Page{}); err != nil || len(ins) != 0 {
			t.Fatalf("instances after reset: %v, %v", ins, err)
		}
		return nil
	})
	// The same records can be created again.
	update(t, s, fill)
}
