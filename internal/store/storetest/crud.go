package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/idcenter/idcenter/internal/store"
)

func runCRUD(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("Meta", func(t *testing.T) {
		s := fresh(t, open)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.GetMeta(ctx, "k")
			wantErr(t, "GetMeta absent", err, store.ErrNotFound)
			return nil
		})
		for _, v := range []string{"one", "two"} {
			update(t, s, func(tx store.Tx) error { return tx.PutMeta(ctx, "k", v) })
			view(t, s, func(tx store.Tx) error {
				got, err := tx.GetMeta(ctx, "k")
				if err != nil || got != v {
					t.Fatalf("GetMeta = %q, %v; want %q", got, err, v)
				}
				return nil
			})
		}
	})

	t.Run("Organization", func(t *testing.T) {
		s := fresh(t, open)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.GetOrganization(ctx)
			wantErr(t, "GetOrganization absent", err, store.ErrNotFound)
			return nil
		})
		o := store.Organization{ID: "o-abcdefghij", ARN: "arn:aws:organizations::111111111111:organization/o-abcdefghij",
			ManagementAccountID: "111111111111", ManagementEmail: "root@example.com", FeatureSet: "ALL", CreatedAt: ts}
		update(t, s, func(tx store.Tx) error { return tx.CreateOrganization(ctx, o) })
		err := s.Update(ctx, func(tx store.Tx) error {
			o2 := o
			o2.ID = "o-zzzzzzzzzz"
			return tx.CreateOrganization(ctx, o2)
		})
		wantErr(t, "second CreateOrganization", err, store.ErrAlreadyExists)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetOrganization(ctx)
			if err != nil {
				t.Fatalf("GetOrganization: %v", err)
			}
			same(t, "organization", got, o)
			return nil
		})
	})

	t.Run("Accounts", func(t *testing.T) {
		s := fresh(t, open)
		acct := func(i int) store.Account {
			id := fmt.Sprintf("%012d", 100000000000+i)
			return store.Account{ID: id, ARN: "arn:aws:organizations::111111111111:account/o-abcdefghij/" + id,
				Name: fmt.Sprintf("acct%d", i), Email: fmt.Sprintf("Acct%d@example.com", i), Status: "ACTIVE",
				JoinedMethod: "CREATED", JoinedAt: ts}
		}
		update(t, s, func(tx store.Tx) error {
			for i := 0; i < 5; i++ {
				if err := tx.CreateAccount(ctx, acct(i)); err != nil {
					return err
				}
			}
			return nil
		})
		cases := []struct {
			name string
			a    store.Account
		}{
			{"duplicate id", func() store.Account { a := acct(1); a.Email = "new@example.com"; return a }()},
			{"duplicate email, other case", func() store.Account { a := acct(9); a.Email = "ACCT1@EXAMPLE.COM"; return a }()},
		}
		for _, c := range cases {
			err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateAccount(ctx, c.a) })
			wantErr(t, c.name, err, store.ErrAlreadyExists)
		}
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetAccount(ctx, acct(3).ID)
			if err != nil {
				t.Fatalf("GetAccount: %v", err)
			}
			same(t, "account", got, acct(3))
			_, err = tx.GetAccount(ctx, "999999999999")
			wantErr(t, "GetAccount unknown", err, store.ErrNotFound)
			ids := pageAll(t, 2, func(p store.Page) ([]string, error) {
				as, err := tx.ListAccounts(ctx, p)
				return keys(as, func(a store.Account) string { return a.ID }), err
			})
			if len(ids) != 5 || ids[0] != acct(0).ID || ids[4] != acct(4).ID {
				t.Fatalf("ListAccounts paged = %v", ids)
			}
			return nil
		})
	})

	t.Run("Instances", func(t *testing.T) {
		s := fresh(t, open)
		in := func(i int) store.Instance {
			return store.Instance{ARN: fmt.Sprintf("arn:aws:sso:::instance/ssoins-%016d", i),
				IdentityStoreID: fmt.Sprintf("d-%010d", i), OwnerAccountID: "111111111111", Name: "main",
				Status: "ACTIVE", Region: "us-east-1", CreatedAt: ts}
		}
		update(t, s, func(tx store.Tx) error {
			for i := 1; i <= 3; i++ {
				if err := tx.CreateInstance(ctx, in(i)); err != nil {
					return err
				}
			}
			return nil
		})
		dupStore := in(7)
		dupStore.IdentityStoreID = in(1).IdentityStoreID
		for name, x := range map[string]store.Instance{"duplicate ARN": in(2), "duplicate identity store": dupStore} {
			err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateInstance(ctx, x) })
			wantErr(t, name, err, store.ErrAlreadyExists)
		}
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetInstance(ctx, in(2).ARN)
			if err != nil {
				t.Fatalf("GetInstance: %v", err)
			}
			same(t, "instance", got, in(2))
			got, err = tx.GetInstanceByIdentityStore(ctx, in(3).IdentityStoreID)
			if err != nil {
				t.Fatalf("GetInstanceByIdentityStore: %v", err)
			}
			same(t, "instance by store", got, in(3))
			_, err = tx.GetInstance(ctx, "arn:aws:sso:::instance/ssoins-nope")
			wantErr(t, "GetInstance unknown", err, store.ErrNotFound)
			_, err = tx.GetInstanceByIdentityStore(ctx, "d-ffffffffff")
			wantErr(t, "GetInstanceByIdentityStore unknown", err, store.ErrNotFound)
			arns := pageAll(t, 2, func(p store.Page) ([]string, error) {
				is, err := tx.ListInstances(ctx, p)
				return keys(is, func(i store.Instance) string { return i.ARN }), err
			})
			if len(arns) != 3 {
				t.Fatalf("ListInstances = %v", arns)
			}
			return nil
		})
	})

	t.Run("AccessKeys", func(t *testing.T) {
		s := fresh(t, open)
		k := store.AccessKey{AccessKeyID: "AKIAAAAAAAAAAAAAAAAA", SecretAccessKey: "secret", AccountID: "111111111111",
			PrincipalARN: "arn:aws:iam::111111111111:root", Status: "Active", CreatedAt: ts}
		update(t, s, func(tx store.Tx) error { return tx.CreateAccessKey(ctx, k) })
		err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateAccessKey(ctx, k) })
		wantErr(t, "duplicate access key", err, store.ErrAlreadyExists)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetAccessKey(ctx, k.AccessKeyID)
			if err != nil {
				t.Fatalf("GetAccessKey: %v", err)
			}
			same(t, "access key", got, k)
			_, err = tx.GetAccessKey(ctx, "AKIANOPE")
			wantErr(t, "GetAccessKey unknown", err, store.ErrNotFound)
			return nil
		})
		update(t, s, func(tx store.Tx) error { return tx.SetAccessKeyStatus(ctx, k.AccessKeyID, "Inactive") })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetAccessKey(ctx, k.AccessKeyID)
			if err != nil || got.Status != "Inactive" {
				t.Fatalf("after SetAccessKeyStatus: %+v, %v", got, err)
			}
			return nil
		})
		err = s.Update(ctx, func(tx store.Tx) error { return tx.SetAccessKeyStatus(ctx, "AKIANOPE", "Inactive") })
		wantErr(t, "SetAccessKeyStatus unknown", err, store.ErrNotFound)
	})

	t.Run("Users", func(t *testing.T) { crudUsers(t, open) })
	t.Run("Groups", func(t *testing.T) { crudGroups(t, open) })
	t.Run("Memberships", func(t *testing.T) { crudMemberships(t, open) })
}

func crudUsers(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := fresh(t, open)
	full := newUser(1, "alice")
	full.ExternalIDs = []store.ExternalID{{Issuer: "okta", ID: "a1"}, {Issuer: "scim", ID: "x"}}
	full.Attributes.NickName = "al"
	full.Attributes.Addresses = []store.Address{{StreetAddress: "1 Main", Country: "US", Primary: ptr(true)}}
	full.Attributes.PhoneNumbers = []store.PhoneNumber{{Value: "+1 555", Type: "work"}}
	full.Attributes.Photos = []store.Photo{{Value: "https://p/1"}, {Value: "https://p/2", Primary: ptr(false)}}
	full.Attributes.Roles = []store.Role{{Value: "dev"}}
	full.Attributes.Extensions = map[string][]byte{"aws:identitystore:enterprise": []byte(`{"department":"x"}`)}
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateUser(ctx, full); err != nil {
			return err
		}
		for i := 2; i <= 5; i++ {
			if err := tx.CreateUser(ctx, newUser(i, fmt.Sprintf("user%d", i))); err != nil {
				return err
			}
		}
		other := newUser(6, "alice") // same name, other identity store: allowed
		other.IdentityStoreID = otherStoreID
		return tx.CreateUser(ctx, other)
	})

	view(t, s, func(tx store.Tx) error {
		got, err := tx.GetUser(ctx, storeID, full.UserID)
		if err != nil {
			t.Fatalf("GetUser: %v", err)
		}
		same(t, "user round trip", got, full)
		for _, c := range []struct{ store, id string }{{storeID, userID(99)}, {otherStoreID, full.UserID}} {
			_, err := tx.GetUser(ctx, c.store, c.id)
			wantErr(t, "GetUser "+c.store+"/"+c.id, err, store.ErrNotFound)
		}
		n, err := tx.CountUsers(ctx, storeID)
		if err != nil || n != 5 {
			t.Fatalf("CountUsers = %d, %v; want 5", n, err)
		}
		ids := pageAll(t, 2, func(p store.Page) ([]string, error) {
			us, err := tx.ListUsers(ctx, storeID, store.UserFilter{}, p)
			return keys(us, func(u store.User) string { return u.UserID }), err
		})
		if len(ids) != 5 || ids[0] != userID(1) || ids[4] != userID(5) {
			t.Fatalf("ListUsers paged = %v", ids)
		}
		us, err := tx.ListUsers(ctx, storeID, store.UserFilter{UserName: "ALICE"}, store.Page{})
		if err != nil || len(us) != 1 || us[0].UserID != full.UserID || len(us[0].ExternalIDs) != 2 {
			t.Fatalf("ListUsers filter = %+v, %v", us, err)
		}
		lookups := []struct {
			name string
			l    store.UserLookup
			want string
		}{
			{"user name, other case", store.UserLookup{UserName: "Alice"}, full.UserID},
			{"email, other case", store.UserLookup{Email: "USER3@example.com"}, userID(3)},
			{"external id", store.UserLookup{ExternalID: &store.ExternalID{Issuer: "scim", ID: "x"}}, full.UserID},
			{"unknown name", store.UserLookup{UserName: "bob"}, ""},
			{"external id, wrong issuer", store.UserLookup{ExternalID: &store.ExternalID{Issuer: "okta", ID: "x"}}, ""},
			{"empty lookup", store.UserLookup{}, ""},
		}
		for _, c := range lookups {
			id, err := tx.FindUserID(ctx, storeID, c.l)
			if c.want == "" {
				wantErr(t, "FindUserID "+c.name, err, store.ErrNotFound)
			} else if err != nil || id != c.want {
				t.Fatalf("FindUserID %s = %q, %v; want %q", c.name, id, err, c.want)
			}
		}
		return nil
	})

	// Replace: change name, attributes and external ids.
	repl := full
	repl.UserName = "alice2"
	repl.ExternalIDs = []store.ExternalID{{Issuer: "okta", ID: "a2"}}
	repl.Attributes = store.UserAttributes{DisplayName: "Alice Two", Emails: []store.Email{{Value: "a2@example.com"}}}
	repl.UpdatedAt = ts.Add(1)
	repl.UpdatedBy = "other"
	update(t, s, func(tx store.Tx) error { return tx.ReplaceUser(ctx, repl) })
	view(t, s, func(tx store.Tx) error {
		got, err := tx.GetUser(ctx, storeID, full.UserID)
		if err != nil {
			t.Fatalf("GetUser: %v", err)
		}
		same(t, "replaced user", got, repl)
		if _, err := tx.FindUserID(ctx, storeID, store.UserLookup{UserName: "alice"}); err == nil {
			t.Fatalf("old user name still found")
		}
		if _, err := tx.FindUserID(ctx, storeID, store.UserLookup{ExternalID: &store.ExternalID{Issuer: "okta", ID: "a1"}}); err == nil {
			t.Fatalf("old external id still found")
		}
		if id, err := tx.FindUserID(ctx, storeID, store.UserLookup{Email: "a2@EXAMPLE.com"}); err != nil || id != full.UserID {
			t.Fatalf("new email: %q, %v", id, err)
		}
		return nil
	})
	missing := newUser(98, "ghost")
	err := s.Update(ctx, func(tx store.Tx) error { return tx.ReplaceUser(ctx, missing) })
	wantErr(t, "ReplaceUser unknown", err, store.ErrNotFound)

	update(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, storeID, userID(2)) })
	err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteUser(ctx, storeID, userID(2)) })
	wantErr(t, "DeleteUser twice", err, store.ErrNotFound)
	view(t, s, func(tx store.Tx) error {
		_, err := tx.GetUser(ctx, storeID, userID(2))
		wantErr(t, "GetUser deleted", err, store.ErrNotFound)
		if n, _ := tx.CountUsers(ctx, storeID); n != 4 {
			t.Fatalf("CountUsers after delete = %d", n)
		}
		return nil
	})
}

func crudGroups(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := fresh(t, open)
	g1 := newGroup(1, "Admins")
	g1.ExternalIDs = []store.ExternalID{{Issuer: "okta", ID: "g1"}}
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateGroup(ctx, g1); err != nil {
			return err
		}
		for i := 2; i <= 4; i++ {
			if err := tx.CreateGroup(ctx, newGroup(i, fmt.Sprintf("group%d", i))); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.GetGroup(ctx, storeID, g1.GroupID)
		if err != nil {
			t.Fatalf("GetGroup: %v", err)
		}
		same(t, "group round trip", got, g1)
		_, err = tx.GetGroup(ctx, storeID, groupID(99))
		wantErr(t, "GetGroup unknown", err, store.ErrNotFound)
		if n, err := tx.CountGroups(ctx, storeID); err != nil || n != 4 {
			t.Fatalf("CountGroups = %d, %v", n, err)
		}
		ids := pageAll(t, 3, func(p store.Page) ([]string, error) {
			gs, err := tx.ListGroups(ctx, storeID, store.GroupFilter{}, p)
			return keys(gs, func(g store.Group) string { return g.GroupID }), err
		})
		if len(ids) != 4 || ids[0] != groupID(1) {
			t.Fatalf("ListGroups paged = %v", ids)
		}
		gs, err := tx.ListGroups(ctx, storeID, store.GroupFilter{DisplayName: "admins"}, store.Page{})
		if err != nil || len(gs) != 1 || gs[0].GroupID != g1.GroupID {
			t.Fatalf("ListGroups filter = %+v, %v", gs, err)
		}
		for _, c := range []struct {
			name string
			l    store.GroupLookup
			want string
		}{
			{"display name", store.GroupLookup{DisplayName: "ADMINS"}, g1.GroupID},
			{"external id", store.GroupLookup{ExternalID: &store.ExternalID{Issuer: "okta", ID: "g1"}}, g1.GroupID},
			{"unknown", store.GroupLookup{DisplayName: "nope"}, ""},
		} {
			id, err := tx.FindGroupID(ctx, storeID, c.l)
			if c.want == "" {
				wantErr(t, "FindGroupID "+c.name, err, store.ErrNotFound)
			} else if err != nil || id != c.want {
				t.Fatalf("FindGroupID %s = %q, %v", c.name, id, err)
			}
		}
		return nil
	})
	repl := g1
	repl.DisplayName, repl.Description, repl.ExternalIDs = "Operators", "ops", nil
	update(t, s, func(tx store.Tx) error { return tx.ReplaceGroup(ctx, repl) })
	view(t, s, func(tx store.Tx) error {
		got, err := tx.GetGroup(ctx, storeID, g1.GroupID)
		if err != nil {
			t.Fatalf("GetGroup: %v", err)
		}
		same(t, "replaced group", got, repl)
		return nil
	})
	err := s.Update(ctx, func(tx store.Tx) error { return tx.ReplaceGroup(ctx, newGroup(97, "x")) })
	wantErr(t, "ReplaceGroup unknown", err, store.ErrNotFound)
	update(t, s, func(tx store.Tx) error { return tx.DeleteGroup(ctx, storeID, g1.GroupID) })
	err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteGroup(ctx, storeID, g1.GroupID) })
	wantErr(t, "DeleteGroup twice", err, store.ErrNotFound)
}

func crudMemberships(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := fresh(t, open)
	update(t, s, func(tx store.Tx) error {
		for i := 1; i <= 3; i++ {
			if err := tx.CreateUser(ctx, newUser(i, fmt.Sprintf("u%d", i))); err != nil {
				return err
			}
			if err := tx.CreateGroup(ctx, newGroup(i, fmt.Sprintf("g%d", i))); err != nil {
				return err
			}
		}
		n := 0
		for g := 1; g <= 3; g++ {
			for u := 1; u <= 3; u++ {
				if g == 3 && u == 3 {
					continue
				}
				n++
				if err := tx.CreateMembership(ctx, newMembership(n, groupID(g), userID(u))); err != nil {
					return err
				}
			}
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		m, err := tx.GetMembership(ctx, storeID, membID(1))
		if err != nil {
			t.Fatalf("GetMembership: %v", err)
		}
		same(t, "membership", m, newMembership(1, groupID(1), userID(1)))
		_, err = tx.GetMembership(ctx, storeID, membID(99))
		wantErr(t, "GetMembership unknown", err, store.ErrNotFound)
		m, err = tx.FindMembership(ctx, storeID, groupID(2), userID(3))
		if err != nil || m.MembershipID != membID(6) {
			t.Fatalf("FindMembership = %+v, %v", m, err)
		}
		_, err = tx.FindMembership(ctx, storeID, groupID(3), userID(3))
		wantErr(t, "FindMembership absent", err, store.ErrNotFound)
		byGroup := pageAll(t, 2, func(p store.Page) ([]string, error) {
			ms, err := tx.ListMembershipsByGroup(ctx, storeID, groupID(1), p)
			return keys(ms, func(m store.Membership) string { return m.MembershipID }), err
		})
		if fmt.Sprint(byGroup) != fmt.Sprint([]string{membID(1), membID(2), membID(3)}) {
			t.Fatalf("ListMembershipsByGroup = %v", byGroup)
		}
		byUser := pageAll(t, 1, func(p store.Page) ([]string, error) {
			ms, err := tx.ListMembershipsByUser(ctx, storeID, userID(3), p)
			return keys(ms, func(m store.Membership) string { return m.MembershipID }), err
		})
		if fmt.Sprint(byUser) != fmt.Sprint([]string{membID(3), membID(6)}) {
			t.Fatalf("ListMembershipsByUser = %v", byUser)
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error { return tx.DeleteMembership(ctx, storeID, membID(1)) })
	err := s.Update(ctx, func(tx store.Tx) error { return tx.DeleteMembership(ctx, storeID, membID(1)) })
	wantErr(t, "DeleteMembership twice", err, store.ErrNotFound)
}

// pageAll walks a list with pages of size n, checking that no page is larger
// than asked and that keys strictly increase.
func pageAll(t *testing.T, n int, list func(store.Page) ([]string, error)) []string {
	t.Helper()
	var all []string
	p := store.Page{Limit: n}
	for i := 0; i < 1000; i++ {
		ks, err := list(p)
		if err != nil {
			t.Fatalf("list page %+v: %v", p, err)
		}
		if len(ks) > n {
			t.Fatalf("page %+v returned %d items", p, len(ks))
		}
		for _, k := range ks {
			if len(all) > 0 && k <= all[len(all)-1] {
				t.Fatalf("keys not increasing: %q after %q", k, all[len(all)-1])
			}
			all = append(all, k)
		}
		if len(ks) < n {
			return all
		}
		p.After = ks[len(ks)-1]
	}
	t.Fatalf("paging did not end")
	return nil
}

func keys[T any](items []T, key func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = key(it)
	}
	return out
}
