package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

const (
	instARN  = "arn:aws:sso:::instance/ssoins-1111111111111111"
	instARN2 = "arn:aws:sso:::instance/ssoins-2222222222222222"
)

func psARN(inst string, i int) string {
	return fmt.Sprintf("arn:aws:sso:::permissionSet/%s/ps-%016x", inst[len("arn:aws:sso:::instance/"):], i)
}

func newPermissionSet(inst string, i int, name string) store.PermissionSet {
	return store.PermissionSet{
		InstanceARN: inst, ARN: psARN(inst, i), Name: name, Description: "set " + name,
		SessionDuration: "PT2H", RelayState: "https://example.com/", CreatedAt: ts, ChangedAt: ts,
	}
}

// accessFixture creates two instances (with their identity stores).
func accessFixture(t *testing.T, s store.Store) {
	t.Helper()
	update(t, s, func(tx store.Tx) error {
		for i, arn := range []string{instARN, instARN2} {
			in := store.Instance{ARN: arn, IdentityStoreID: fmt.Sprintf("d-%010d", i+1), OwnerAccountID: "111111111111",
				Status: "ACTIVE", Region: "us-east-1", CreatedAt: ts}
			if err := tx.CreateInstance(context.Background(), in); err != nil {
				return err
			}
		}
		return nil
	})
}

// runAccess checks store.AccessRepo.
func runAccess(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("PermissionSetCRUD", func(t *testing.T) {
		s := fresh(t, open)
		accessFixture(t, s)
		ps := newPermissionSet(instARN, 1, "DevOps")
		ps.InlinePolicy = `{"Version":"2012-10-17"}`
		ps.Boundary = &store.PermissionsBoundary{ManagedPolicyARN: "arn:aws:iam::aws:policy/PowerUserAccess"}
		update(t, s, func(tx store.Tx) error { return tx.CreatePermissionSet(ctx, ps) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetPermissionSet(ctx, instARN, ps.ARN)
			if err != nil {
				t.Fatalf("GetPermissionSet: %v", err)
			}
			same(t, "permission set", got, ps)
			_, err = tx.GetPermissionSet(ctx, instARN2, ps.ARN)
			wantErr(t, "GetPermissionSet in another instance", err, store.ErrNotFound)
			_, err = tx.GetPermissionSet(ctx, instARN, psARN(instARN, 99))
			wantErr(t, "GetPermissionSet absent", err, store.ErrNotFound)
			return nil
		})

		changed := ps
		changed.Name = "ignored"
		changed.Description, changed.SessionDuration, changed.RelayState, changed.InlinePolicy = "new", "PT12H", "", ""
		changed.Boundary = &store.PermissionsBoundary{CustomerManaged: &store.PolicyReference{Name: "Bound", Path: "/x/"}}
		changed.ChangedAt = ts.Add(1)
		update(t, s, func(tx store.Tx) error { return tx.ReplacePermissionSet(ctx, changed) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetPermissionSet(ctx, instARN, ps.ARN)
			if err != nil {
				t.Fatalf("GetPermissionSet: %v", err)
			}
			want := changed
			want.Name = "DevOps" // immutable
			same(t, "replaced permission set", got, want)
			return nil
		})
		err := s.Update(ctx, func(tx store.Tx) error {
			return tx.ReplacePermissionSet(ctx, newPermissionSet(instARN, 42, "Nope"))
		})
		wantErr(t, "ReplacePermissionSet absent", err, store.ErrNotFound)

		update(t, s, func(tx store.Tx) error { return tx.DeletePermissionSet(ctx, instARN, ps.ARN) })
		err = s.Update(ctx, func(tx store.Tx) error { return tx.DeletePermissionSet(ctx, instARN, ps.ARN) })
		wantErr(t, "second DeletePermissionSet", err, store.ErrNotFound)
	})

	t.Run("PermissionSetUniqueness", func(t *testing.T) {
		s := fresh(t, open)
		accessFixture(t, s)
		update(t, s, func(tx store.Tx) error { return tx.CreatePermissionSet(ctx, newPermissionSet(instARN, 1, "Admin")) })
		cases := []struct {
			name string
			ps   store.PermissionSet
			want error
		}{
			{"same name", newPermissionSet(instARN, 2, "Admin"), store.ErrAlreadyExists},
			{"same name, other case", newPermissionSet(instARN, 3, "ADMIN"), store.ErrAlreadyExists},
			{"same ARN", newPermissionSet(instARN, 1, "Other"), store.ErrAlreadyExists},
			{"unknown instance", newPermissionSet("arn:aws:sso:::instance/ssoins-9999999999999999", 1, "X"), store.ErrNotFound},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				err := s.Update(ctx, func(tx store.Tx) error { return tx.CreatePermissionSet(ctx, c.ps) })
				wantErr(t, "CreatePermissionSet", err, c.want)
			})
		}
		// The same name in another instance is fine.
		update(t, s, func(tx store.Tx) error { return tx.CreatePermissionSet(ctx, newPermissionSet(instARN2, 1, "Admin")) })
	})

	t.Run("ListAndCount", func(t *testing.T) {
		s := fresh(t, open)
		accessFixture(t, s)
		update(t, s, func(tx store.Tx) error {
			for i := 5; i >= 1; i-- {
				if err := tx.CreatePermissionSet(ctx, newPermissionSet(instARN, i, fmt.Sprintf("ps%d", i))); err != nil {
					return err
				}
			}
			return tx.CreatePermissionSet(ctx, newPermissionSet(instARN2, 9, "elsewhere"))
		})
		view(t, s, func(tx store.Tx) error {
			n, err := tx.CountPermissionSets(ctx, instARN)
			if err != nil || n != 5 {
				t.Fatalf("CountPermissionSets = %d, %v; want 5", n, err)
			}
			cases := []struct {
				p    store.Page
				want []int
			}{
				{store.Page{}, []int{1, 2, 3, 4, 5}},
				{store.Page{Limit: 2}, []int{1, 2}},
				{store.Page{After: psARN(instARN, 2), Limit: 2}, []int{3, 4}},
				{store.Page{After: psARN(instARN, 5)}, nil},
			}
			for _, c := range cases {
				got, err := tx.ListPermissionSets(ctx, instARN, c.p)
				if err != nil {
					t.Fatalf("ListPermissionSets(%+v): %v", c.p, err)
				}
				var ids []int
				for _, ps := range got {
					var i int
					fmt.Sscanf(ps.ARN[len(ps.ARN)-16:], "%x", &i)
					ids = append(ids, i)
				}
				same(t, fmt.Sprintf("ListPermissionSets(%+v)", c.p), ids, c.want)
			}
			return nil
		})
	})

	t.Run("Policies", func(t *testing.T) {
		s := fresh(t, open)
		accessFixture(t, s)
		ps := newPermissionSet(instARN, 1, "P")
		update(t, s, func(tx store.Tx) error { return tx.CreatePermissionSet(ctx, ps) })
		m1, m2 := "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AdministratorAccess"
		r1, r2 := store.PolicyReference{Name: "A", Path: "/"}, store.PolicyReference{Name: "A", Path: "/team/"}
		update(t, s, func(tx store.Tx) error {
			for _, m := range []string{m1, m2} {
				if err := tx.AttachManagedPolicy(ctx, ps.ARN, m); err != nil {
					return err
				}
			}
			for _, r := range []store.PolicyReference{r1, r2} {
				if err := tx.AttachCustomerManagedPolicy(ctx, ps.ARN, r); err != nil {
					return err
				}
			}
			return nil
		})
		cases := []struct {
			name string
			fn   func(tx store.Tx) error
			want error
		}{
			{"managed twice", func(tx store.Tx) error { return tx.AttachManagedPolicy(ctx, ps.ARN, m1) }, store.ErrAlreadyExists},
			{"managed to absent set", func(tx store.Tx) error { return tx.AttachManagedPolicy(ctx, psARN(instARN, 7), m1) }, store.ErrNotFound},
			{"detach unattached managed", func(tx store.Tx) error {
				return tx.DetachManagedPolicy(ctx, ps.ARN, "arn:aws:iam::aws:policy/Nope")
			}, store.ErrNotFound},
			{"reference twice", func(tx store.Tx) error { return tx.AttachCustomerManagedPolicy(ctx, ps.ARN, r2) }, store.ErrAlreadyExists},
			{"reference to absent set", func(tx store.Tx) error {
				return tx.AttachCustomerManagedPolicy(ctx, psARN(instARN, 7), r1)
			}, store.ErrNotFound},
			{"detach unattached reference", func(tx store.Tx) error {
				return tx.DetachCustomerManagedPolicy(ctx, ps.ARN, store.PolicyReference{Name: "A", Path: "/other/"})
			}, store.ErrNotFound},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				wantErr(t, c.name, s.Update(ctx, c.fn), c.want)
			})
		}
		view(t, s, func(tx store.Tx) error {
			ms, err := tx.ListManagedPolicies(ctx, ps.ARN, store.Page{})
			if err != nil {
				t.Fatalf("ListManagedPolicies: %v", err)
			}
			same(t, "managed policies", ms, []string{m2, m1})
			ms, err = tx.ListManagedPolicies(ctx, ps.ARN, store.Page{After: m2, Limit: 5})
			if err != nil {
				t.Fatalf("ListManagedPolicies: %v", err)
			}
			same(t, "managed policies after", ms, []string{m1})
			rs, err := tx.ListCustomerManagedPolicies(ctx, ps.ARN, store.Page{})
			if err != nil {
				t.Fatalf("ListCustomerManagedPolicies: %v", err)
			}
			same(t, "references", rs, []store.PolicyReference{r1, r2})
			rs, err = tx.ListCustomerManagedPolicies(ctx, ps.ARN, store.Page{Limit: 1})
			if err != nil {
				t.Fatalf("ListCustomerManagedPolicies: %v", err)
			}
			same(t, "first reference", rs, []store.PolicyReference{r1})
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			if err := tx.DetachManagedPolicy(ctx, ps.ARN, m1); err != nil {
				return err
			}
			return tx.DetachCustomerManagedPolicy(ctx, ps.ARN, r1)
		})
		view(t, s, func(tx store.Tx) error {
			ms, _ := tx.ListManagedPolicies(ctx, ps.ARN, store.Page{})
			same(t, "managed after detach", ms, []string{m2})
			rs, _ := tx.ListCustomerManagedPolicies(ctx, ps.ARN, store.Page{})
			same(t, "references after detach", rs, []store.PolicyReference{r2})
			return nil
		})
	})

	t.Run("Tags", func(t *testing.T) {
		s := fresh(t, open)
		accessFixture(t, s)
		ps := newPermissionSet(instARN, 1, "T")
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreatePermissionSet(ctx, ps); err != nil {
				return err
			}
			if err := tx.PutTags(ctx, instARN, ps.ARN, []store.Tag{{Key: "b", Value: "1"}, {Key: "a", Value: ""}}); err != nil {
				return err
			}
			return tx.PutTags(ctx, instARN, instARN, []store.Tag{{Key: "inst", Value: "yes"}})
		})
		update(t, s, func(tx store.Tx) error {
			return tx.PutTags(ctx, instARN, ps.ARN, []store.Tag{{Key: "b", Value: "2"}, {Key: "c", Value: "3"}})
		})
		err := s.Update(ctx, func(tx store.Tx) error {
			return tx.PutTags(ctx, "arn:aws:sso:::instance/ssoins-9999999999999999", ps.ARN, []store.Tag{{Key: "x", Value: "y"}})
		})
		wantErr(t, "PutTags on an absent instance", err, store.ErrNotFound)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.ListTags(ctx, ps.ARN, store.Page{})
			if err != nil {
				t.Fatalf("ListTags: %v", err)
			}
			same(t, "tags", got, []store.Tag{{Key: "a"}, {Key: "b", Value: "2"}, {Key: "c", Value: "3"}})
			got, _ = tx.ListTags(ctx, ps.ARN, store.Page{After: "a", Limit: 1})
			same(t, "tags page", got, []store.Tag{{Key: "b", Value: "2"}})
			return nil
		})
		update(t, s, func(tx store.Tx) error { return tx.DeleteTags(ctx, ps.ARN, []string{"a", "absent"}) })
		view(t, s, func(tx store.Tx) error {
			got, _ := tx.ListTags(ctx, ps.ARN, store.Page{})
			same(t, "tags after delete", got, []store.Tag{{Key: "b", Value: "2"}, {Key: "c", Value: "3"}})
			return nil
		})
	})

	t.Run("DeleteCascades", func(t *testing.T) {
		s := fresh(t, open)
		accessFixture(t, s)
		ps, other := newPermissionSet(instARN, 1, "Gone"), newPermissionSet(instARN, 2, "Kept")
		update(t, s, func(tx store.Tx) error {
			for _, p := range []store.PermissionSet{ps, other} {
				if err := tx.CreatePermissionSet(ctx, p); err != nil {
					return err
				}
				if err := tx.AttachManagedPolicy(ctx, p.ARN, "arn:aws:iam::aws:policy/ReadOnlyAccess"); err != nil {
					return err
				}
				if err := tx.AttachCustomerManagedPolicy(ctx, p.ARN, store.PolicyReference{Name: "N", Path: "/"}); err != nil {
					return err
				}
				if err := tx.PutTags(ctx, instARN, p.ARN, []store.Tag{{Key: "k", Value: "v"}}); err != nil {
					return err
				}
			}
			return tx.PutTags(ctx, instARN, instARN, []store.Tag{{Key: "k", Value: "v"}})
		})
		update(t, s, func(tx store.Tx) error { return tx.DeletePermissionSet(ctx, instARN, ps.ARN) })
		// Re-creating the same ARN and name starts empty.
		update(t, s, func(tx store.Tx) error { return tx.CreatePermissionSet(ctx, ps) })
		view(t, s, func(tx store.Tx) error {
			for _, c := range []struct {
				arn  string
				want int
			}{{ps.ARN, 0}, {other.ARN, 1}, {instARN, 1}} {
				ms, err := tx.ListManagedPolicies(ctx, c.arn, store.Page{})
				if err != nil {
					t.Fatalf("ListManagedPolicies: %v", err)
				}
				rs, err := tx.ListCustomerManagedPolicies(ctx, c.arn, store.Page{})
				if err != nil {
					t.Fatalf("ListCustomerManagedPolicies: %v", err)
				}
				tags, err := tx.ListTags(ctx, c.arn, store.Page{})
				if err != nil {
					t.Fatalf("ListTags: %v", err)
				}
				if c.arn != instARN && (len(ms) != c.want || len(rs) != c.want) {
					t.Errorf("%s: %d managed, %d references; want %d", c.arn, len(ms), len(rs), c.want)
				}
				if len(tags) != c.want {
					t.Errorf("%s: %d tags; want %d", c.arn, len(tags), c.want)
				}
			}
			return nil
		})
	})

	t.Run("AccountAssignments", func(t *testing.T) {
		s := fresh(t, open)
		accessFixture(t, s)
		ps1, ps2 := newPermissionSet(instARN, 1, "DevOps"), newPermissionSet(instARN, 2, "Admin")
		a := func(ps store.PermissionSet, acct, typ, id string) store.AccountAssignment {
			return store.AccountAssignment{InstanceARN: instARN, PermissionSetARN: ps.ARN, AccountID: acct, PrincipalType: typ, PrincipalID: id, CreatedAt: ts}
		}
		all := []store.AccountAssignment{
			a(ps1, "111111111111", "GROUP", "g1"), a(ps1, "111111111111", "USER", "u1"),
			a(ps2, "111111111111", "GROUP", "g1"), a(ps1, "222222222222", "GROUP", "g1"),
		}
		update(t, s, func(tx store.Tx) error {
			for _, ps := range []store.PermissionSet{ps1, ps2} {
				if err := tx.CreatePermissionSet(ctx, ps); err != nil {
					return err
				}
			}
			for _, x := range all {
				if err := tx.CreateAccountAssignment(ctx, x); err != nil {
					return err
				}
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			wantErr(t, "duplicate assignment", tx.CreateAccountAssignment(ctx, all[0]), store.ErrAlreadyExists)
			return nil
		})
		tests := []struct {
			name string
			f    store.AssignmentFilter
			want []store.AccountAssignment
		}{
			{"set in account", store.AssignmentFilter{PermissionSetARN: ps1.ARN, AccountID: "111111111111"}, []store.AccountAssignment{all[0], all[1]}},
			{"principal", store.AssignmentFilter{PrincipalType: "GROUP", PrincipalID: "g1"}, []store.AccountAssignment{all[0], all[2], all[3]}},
			{"principal in account", store.AssignmentFilter{PrincipalType: "GROUP", PrincipalID: "g1", AccountID: "222222222222"}, []store.AccountAssignment{all[3]}},
			{"none", store.AssignmentFilter{PrincipalID: "nobody"}, nil},
		}
		for _, tc := range tests {
			view(t, s, func(tx store.Tx) error {
				got, err := tx.ListAccountAssignments(ctx, instARN, tc.f, store.Page{})
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				same(t, tc.name, got, tc.want)
				// Paging resumes after the key.
				if len(tc.want) > 1 {
					got, err = tx.ListAccountAssignments(ctx, instARN, tc.f, store.Page{After: tc.want[0].Key(), Limit: 1})
					if err != nil || len(got) != 1 || got[0].Key() != tc.want[1].Key() {
						t.Fatalf("%s page 2 = %+v, %v", tc.name, got, err)
					}
				}
				return nil
			})
		}
		update(t, s, func(tx store.Tx) error {
			if err := tx.DeleteAccountAssignment(ctx, all[1]); err != nil {
				return err
			}
			wantErr(t, "delete twice", tx.DeleteAccountAssignment(ctx, all[1]), store.ErrNotFound)
			return nil
		})
	})

	t.Run("Requests", func(t *testing.T) {
		s := fresh(t, open)
		accessFixture(t, s)
		r := func(id, kind, inst string) store.SSORequest {
			return store.SSORequest{RequestID: id, Kind: kind, InstanceARN: inst, Status: "IN_PROGRESS", TargetID: "111111111111",
				TargetType: "AWS_ACCOUNT", PermissionSetARN: psARN(inst, 1), PrincipalType: "GROUP", PrincipalID: "g1", CreatedAt: ts}
		}
		// Ids out of order: pending requests come in creation order.
		reqs := []store.SSORequest{r("cccc", store.SSORequestCreateAssignment, instARN), r("aaaa", store.SSORequestProvision, instARN2),
			r("bbbb", store.SSORequestCreateAssignment, instARN)}
		update(t, s, func(tx store.Tx) error {
			for _, x := range reqs {
				if err := tx.CreateSSORequest(ctx, x); err != nil {
					return err
				}
			}
			wantErr(t, "duplicate request", tx.CreateSSORequest(ctx, reqs[0]), store.ErrAlreadyExists)
			return tx.SetSSORequestStatus(ctx, "bbbb", "FAILED", "no such group")
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetSSORequest(ctx, instARN, store.SSORequestCreateAssignment, "bbbb")
			if err != nil || got.Status != "FAILED" || got.FailureReason != "no such group" || !got.CreatedAt.Equal(ts) {
				t.Fatalf("GetSSORequest = %+v, %v", got, err)
			}
			_, err = tx.GetSSORequest(ctx, instARN, store.SSORequestDeleteAssignment, "bbbb")
			wantErr(t, "request of another kind", err, store.ErrNotFound)
			pending, err := tx.ListPendingSSORequests(ctx, 10)
			if err != nil || len(pending) != 2 || pending[0].RequestID != "cccc" || pending[1].RequestID != "aaaa" || pending[0].Seq >= pending[1].Seq {
				t.Fatalf("pending = %+v, %v", pending, err)
			}
			list, err := tx.ListSSORequests(ctx, instARN, store.SSORequestCreateAssignment, "", store.Page{})
			if err != nil || len(list) != 2 || list[0].RequestID != "bbbb" {
				t.Fatalf("ListSSORequests = %+v, %v", list, err)
			}
			list, err = tx.ListSSORequests(ctx, instARN, store.SSORequestCreateAssignment, "IN_PROGRESS", store.Page{})
			if err != nil || len(list) != 1 || list[0].RequestID != "cccc" {
				t.Fatalf("ListSSORequests IN_PROGRESS = %+v, %v", list, err)
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			wantErr(t, "status of an unknown request", tx.SetSSORequestStatus(ctx, "zzzz", "FAILED", ""), store.ErrNotFound)
			return nil
		})
	})

	t.Run("Provisioned", func(t *testing.T) {
		s := fresh(t, open)
		accessFixture(t, s)
		ps1, ps2 := newPermissionSet(instARN, 1, "DevOps"), newPermissionSet(instARN, 2, "Admin")
		p := func(ps store.PermissionSet, acct string) store.Provisioned {
			return store.Provisioned{InstanceARN: instARN, PermissionSetARN: ps.ARN, AccountID: acct, RoleName: "AWSReservedSSO_" + ps.Name + "_0123456789abcdef",
				SetChangedAt: ts, ProvisionedAt: ts}
		}
		update(t, s, func(tx store.Tx) error {
			for _, ps := range []store.PermissionSet{ps1, ps2} {
				if err := tx.CreatePermissionSet(ctx, ps); err != nil {
					return err
				}
			}
			for _, x := range []store.Provisioned{p(ps1, "222222222222"), p(ps1, "111111111111"), p(ps2, "111111111111")} {
				if err := tx.PutProvisioned(ctx, x); err != nil {
					return err
				}
			}
			again := p(ps1, "111111111111")
			again.SetChangedAt = ts.Add(time.Hour)
			return tx.PutProvisioned(ctx, again)
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.ListProvisioned(ctx, instARN, store.ProvisionedFilter{PermissionSetARN: ps1.ARN}, store.Page{})
			if err != nil || len(got) != 2 || got[0].AccountID != "111111111111" || !got[0].SetChangedAt.Equal(ts.Add(time.Hour)) {
				t.Fatalf("ListProvisioned by set = %+v, %v", got, err)
			}
			got, err = tx.ListProvisioned(ctx, instARN, store.ProvisionedFilter{AccountID: "111111111111"}, store.Page{})
			if err != nil || len(got) != 2 {
				t.Fatalf("ListProvisioned by account = %+v, %v", got, err)
			}
			same(t, "provisioned", got[1], p(ps2, "111111111111"))
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			if err := tx.DeleteProvisioned(ctx, ps1.ARN, "222222222222"); err != nil {
				return err
			}
			wantErr(t, "delete twice", tx.DeleteProvisioned(ctx, ps1.ARN, "222222222222"), store.ErrNotFound)
			return nil
		})
	})
}
