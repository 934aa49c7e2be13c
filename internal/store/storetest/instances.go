package storetest

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/idcenter/idcenter/internal/store"
)

// runInstances checks SetInstanceStatus and DeleteInstance: deleting an
// instance removes its permission sets and its identity store's users,
// groups, memberships and SCIM tokens, and leaves another instance's alone.
func runInstances(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := fresh(t, open)
	const (
		gone = "arn:aws:sso:::instance/ssoins-1111111111111111"
		kept = "arn:aws:sso:::instance/ssoins-2222222222222222"
		psA  = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111"
		psB  = "arn:aws:sso:::permissionSet/ssoins-2222222222222222/ps-2222222222222222"
	)
	inOther := func(u store.User) store.User { u.IdentityStoreID = otherStoreID; return u }
	update(t, s, func(tx store.Tx) error {
		for _, in := range []store.Instance{
			{ARN: gone, IdentityStoreID: storeID, OwnerAccountID: "111111111111", Name: "a", Status: store.InstanceCreateInProgress, Region: "us-east-1", CreatedAt: ts},
			{ARN: kept, IdentityStoreID: otherStoreID, OwnerAccountID: "222222222222", Name: "b", Status: store.InstanceActive, Region: "us-east-1", CreatedAt: ts},
		} {
			if err := tx.CreateInstance(ctx, in); err != nil {
				return err
			}
		}
		for _, ps := range []store.PermissionSet{{InstanceARN: gone, ARN: psA, Name: "A", CreatedAt: ts}, {InstanceARN: kept, ARN: psB, Name: "B", CreatedAt: ts}} {
			if err := tx.CreatePermissionSet(ctx, ps); err != nil {
				return err
			}
		}
		for _, u := range []store.User{newUser(1, "alice"), inOther(newUser(2, "bob"))} {
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
		}
		if err := tx.CreateGroup(ctx, newGroup(1, "devs")); err != nil {
			return err
		}
		if err := tx.CreateMembership(ctx, newMembership(1, groupID(1), userID(1))); err != nil {
			return err
		}
		for _, k := range []store.SCIMToken{
			{TokenID: "a", IdentityStoreID: storeID, Hash: bytes.Repeat([]byte{1}, 32), CreatedAt: ts, ExpiresAt: ts.AddDate(1, 0, 0)},
			{TokenID: "b", IdentityStoreID: otherStoreID, Hash: bytes.Repeat([]byte{2}, 32), CreatedAt: ts, ExpiresAt: ts.AddDate(1, 0, 0)},
		} {
			if err := tx.CreateSCIMToken(ctx, k); err != nil {
				return err
			}
		}
		return nil
	})

	update(t, s, func(tx store.Tx) error { return tx.SetInstanceStatus(ctx, gone, store.InstanceActive) })
	view(t, s, func(tx store.Tx) error {
		in, err := tx.GetInstance(ctx, gone)
		if err != nil || in.Status != store.InstanceActive {
			t.Fatalf("after SetInstanceStatus: %+v, %v", in, err)
		}
		return nil
	})
	wantErr(t, "status of unknown instance", s.Update(ctx, func(tx store.Tx) error {
		return tx.SetInstanceStatus(ctx, "arn:aws:sso:::instance/ssoins-9999999999999999", store.InstanceActive)
	}), store.ErrNotFound)

	// A failed transaction keeps everything.
	boom := errors.New("boom")
	wantErr(t, "rolled-back delete", s.Update(ctx, func(tx store.Tx) error {
		if err := tx.DeleteInstance(ctx, gone); err != nil {
			return err
		}
		return boom
	}), boom)
	view(t, s, func(tx store.Tx) error {
		if _, err := tx.GetUser(ctx, storeID, userID(1)); err != nil {
			t.Fatalf("rolled-back delete lost a user: %v", err)
		}
		return nil
	})

	update(t, s, func(tx store.Tx) error { return tx.DeleteInstance(ctx, gone) })
	wantErr(t, "delete twice", s.Update(ctx, func(tx store.Tx) error { return tx.DeleteInstance(ctx, gone) }), store.ErrNotFound)
	view(t, s, func(tx store.Tx) error {
		for what, err := range map[string]error{
			"instance":       func() error { _, err := tx.GetInstance(ctx, gone); return err }(),
			"permission set": func() error { _, err := tx.GetPermissionSet(ctx, gone, psA); return err }(),
			"user":           func() error { _, err := tx.GetUser(ctx, storeID, userID(1)); return err }(),
			"group":          func() error { _, err := tx.GetGroup(ctx, storeID, groupID(1)); return err }(),
			"membership":     func() error { _, err := tx.GetMembership(ctx, storeID, membID(1)); return err }(),
		} {
			wantErr(t, what+" of the deleted instance", err, store.ErrNotFound)
		}
		if toks, err := tx.ListSCIMTokens(ctx, storeID); err != nil || len(toks) != 0 {
			t.Fatalf("SCIM tokens of the deleted store: %v, %v", toks, err)
		}
		// The other instance is untouched.
		if _, err := tx.GetInstance(ctx, kept); err != nil {
			t.Fatalf("other instance: %v", err)
		}
		if _, err := tx.GetPermissionSet(ctx, kept, psB); err != nil {
			t.Fatalf("other permission set: %v", err)
		}
		if _, err := tx.GetUser(ctx, otherStoreID, userID(2)); err != nil {
			t.Fatalf("other store's user: %v", err)
		}
		if toks, err := tx.ListSCIMTokens(ctx, otherStoreID); err != nil || len(toks) != 1 {
			t.Fatalf("other store's SCIM tokens: %v, %v", toks, err)
		}
		return nil
	})
}
