package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/idcenter/idcenter/internal/store"
)

func runTx(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("RollbackOnError", func(t *testing.T) {
		s := fresh(t, open)
		boom := errors.New("boom")
		err := s.Update(ctx, func(tx store.Tx) error {
			if err := tx.CreateUser(ctx, newUser(1, "alice")); err != nil {
				return err
			}
			if err := tx.CreateGroup(ctx, newGroup(1, "g")); err != nil {
				return err
			}
			if err := tx.PutMeta(ctx, "k", "v"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Update err = %v, want the callback's error", err)
		}
		view(t, s, func(tx store.Tx) error {
			if n, _ := tx.CountUsers(ctx, storeID); n != 0 {
				t.Errorf("users after rollback = %d", n)
			}
			if n, _ := tx.CountGroups(ctx, storeID); n != 0 {
				t.Errorf("groups after rollback = %d", n)
			}
			_, err := tx.GetMeta(ctx, "k")
			wantErr(t, "meta after rollback", err, store.ErrNotFound)
			return nil
		})
	})

	t.Run("Uniqueness", func(t *testing.T) {
		s := fresh(t, open)
		alice := newUser(1, "alice")
		alice.ExternalIDs = []store.ExternalID{{Issuer: "okta", ID: "1"}}
		admins := newGroup(1, "Admins")
		admins.ExternalIDs = []store.ExternalID{{Issuer: "okta", ID: "g"}}
		update(t, s, func(tx store.Tx) error {
			for _, f := range []func() error{
				func() error { return tx.CreateUser(ctx, alice) },
				func() error { return tx.CreateUser(ctx, newUser(2, "bob")) },
				func() error { return tx.CreateGroup(ctx, admins) },
				func() error { return tx.CreateGroup(ctx, newGroup(2, "Ops")) },
				func() error { return tx.CreateMembership(ctx, newMembership(1, groupID(1), userID(1))) },
			} {
				if err := f(); err != nil {
					return err
				}
			}
			return nil
		})
		cases := []struct {
			name string
			fn   func(store.Tx) error
		}{
			{"user name, other case", func(tx store.Tx) error { return tx.CreateUser(ctx, newUser(3, "ALICE")) }},
			{"user id", func(tx store.Tx) error { return tx.CreateUser(ctx, newUser(1, "carol")) }},
			{"user external id", func(tx store.Tx) error {
				u := newUser(3, "carol")
				u.ExternalIDs = []store.ExternalID{{Issuer: "okta", ID: "1"}}
				return tx.CreateUser(ctx, u)
			}},
			{"rename user onto taken name", func(tx store.Tx) error {
				u := newUser(2, "Alice")
				return tx.ReplaceUser(ctx, u)
			}},
			{"group display name, other case", func(tx store.Tx) error { return tx.CreateGroup(ctx, newGroup(3, "admins")) }},
			{"group external id", func(tx store.Tx) error {
				g := newGroup(3, "Other")
				g.ExternalIDs = []store.ExternalID{{Issuer: "okta", ID: "g"}}
				return tx.CreateGroup(ctx, g)
			}},
			{"rename group onto taken name", func(tx store.Tx) error { return tx.ReplaceGroup(ctx, newGroup(2, "ADMINS")) }},
			{"membership tuple", func(tx store.Tx) error {
				return tx.CreateMembership(ctx, newMembership(2, groupID(1), userID(1)))
			}},
			{"membership id", func(tx store.Tx) error {
				return tx.CreateMembership(ctx, newMembership(1, groupID(2), userID(2)))
			}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				err := s.Update(ctx, c.fn)
				wantErr(t, c.name, err, store.ErrAlreadyExists)
				view(t, s, func(tx store.Tx) error {
					got, err := tx.GetUser(ctx, storeID, userID(1))
					if err != nil {
						t.Fatalf("GetUser: %v", err)
					}
					same(t, "alice unchanged", got, alice)
					got, err = tx.GetUser(ctx, storeID, userID(2))
					if err != nil {
						t.Fatalf("GetUser: %v", err)
					}
					same(t, "bob unchanged", got, newUser(2, "bob"))
					g, err := tx.GetGroup(ctx, storeID, groupID(2))
					if err != nil {
						t.Fatalf("GetGroup: %v", err)
					}
					same(t, "ops unchanged", g, newGroup(2, "Ops"))
					if n, _ := tx.CountUsers(ctx, storeID); n != 2 {
						t.Fatalf("users = %d", n)
					}
					if n, _ := tx.CountGroups(ctx, storeID); n != 2 {
						t.Fatalf("groups = %d", n)
					}
					ms, err := tx.ListMembershipsByUser(ctx, storeID, userID(1), store.Page{})
					if err != nil || len(ms) != 1 {
						t.Fatalf("memberships = %v, %v", ms, err)
					}
					return nil
				})
			})
		}
	})

	t.Run("MembershipNeedsUserAndGroup", func(t *testing.T) {
		s := fresh(t, open)
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateUser(ctx, newUser(1, "alice")); err != nil {
				return err
			}
			return tx.CreateGroup(ctx, newGroup(1, "g"))
		})
		for name, m := range map[string]store.Membership{
			"missing group": newMembership(1, groupID(9), userID(1)),
			"missing user":  newMembership(1, groupID(1), userID(9)),
		} {
			err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateMembership(ctx, m) })
			wantErr(t, name, err, store.ErrNotFound)
		}
	})

	t.Run("Cascade", func(t *testing.T) {
		s := fresh(t, open)
		update(t, s, func(tx store.Tx) error {
			for i := 1; i <= 2; i++ {
				if err := tx.CreateUser(ctx, newUser(i, string(rune('a'+i)))); err != nil {
					return err
				}
				g := newGroup(i, string(rune('A'+i)))
				g.ExternalIDs = []store.ExternalID{{Issuer: "x", ID: string(rune('0' + i))}}
				if err := tx.CreateGroup(ctx, g); err != nil {
					return err
				}
			}
			for i, p := range [][2]int{{1, 1}, {1, 2}, {2, 1}, {2, 2}} {
				if err := tx.CreateMembership(ctx, newMembership(i+1, groupID(p[0]), userID(p[1]))); err != nil {
					return err
				}
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, storeID, userID(1)) })
		update(t, s, func(tx store.Tx) error { return tx.DeleteGroup(ctx, storeID, groupID(1)) })
		view(t, s, func(tx store.Tx) error {
			ms, err := tx.ListMembershipsByUser(ctx, storeID, userID(2), store.Page{})
			if err != nil || len(ms) != 1 || ms[0].GroupID != groupID(2) {
				t.Fatalf("memberships of user 2 = %+v, %v", ms, err)
			}
			ms, _ = tx.ListMembershipsByGroup(ctx, storeID, groupID(2), store.Page{})
			if len(ms) != 1 || ms[0].UserID != userID(2) {
				t.Fatalf("memberships of group 2 = %+v", ms)
			}
			for _, id := range []string{membID(1), membID(2), membID(3)} {
				_, err := tx.GetMembership(ctx, storeID, id)
				wantErr(t, "cascaded membership "+id, err, store.ErrNotFound)
			}
			_, err = tx.FindGroupID(ctx, storeID, store.GroupLookup{ExternalID: &store.ExternalID{Issuer: "x", ID: "1"}})
			wantErr(t, "external id of deleted group", err, store.ErrNotFound)
			return nil
		})
		// The external id of the deleted group is free again.
		update(t, s, func(tx store.Tx) error {
			g := newGroup(5, "new")
			g.ExternalIDs = []store.ExternalID{{Issuer: "x", ID: "1"}}
			return tx.CreateGroup(ctx, g)
		})
	})
}
