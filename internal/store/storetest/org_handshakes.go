package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// runOrgHandshakes checks store.OrgHandshakeRepo.
func runOrgHandshakes(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	org := store.Organization{ID: "o-abcdefghij", ARN: "arn:aws:organizations::111111111111:organization/o-abcdefghij",
		ManagementAccountID: "111111111111", ManagementEmail: "m@x", FeatureSet: "ALL", CreatedAt: ts}
	acct := func(id string) store.Account {
		return store.Account{ID: id, ARN: "arn:" + id, Name: "n" + id, Email: id + "@x", Status: "ACTIVE", JoinedMethod: "CREATED", JoinedAt: ts}
	}
	seed := func(t *testing.T) store.Store {
		s := fresh(t, open)
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateOrganization(ctx, org); err != nil {
				return err
			}
			for _, id := range []string{"111111111111", "222222222222"} {
				if err := tx.CreateAccount(ctx, acct(id)); err != nil {
					return err
				}
			}
			return tx.CreateOrgRoot(ctx, store.OrgRoot{ID: "r-ab12", ARN: "arn:root", Name: "Root"})
		})
		return s
	}

	t.Run("Handshakes", func(t *testing.T) {
		s := seed(t)
		h := store.OrgHandshake{ID: "h-b0000000001", ARN: "arn:h1", Action: "INVITE", State: "OPEN",
			Parties: []store.OrgHandshakeParty{{ID: "abcdefghij", Type: "ORGANIZATION"}, {ID: "222222222222", Type: "ACCOUNT"}},
			Resources: []store.OrgHandshakeResource{{Type: "ORGANIZATION", Value: "o-abcdefghij",
				Resources: []store.OrgHandshakeResource{{Type: "MASTER_EMAIL", Value: "m@x"}}}, {Type: "NOTES", Value: "hi"}},
			RequestedAt: ts, ExpiresAt: ts.Add(15 * 24 * time.Hour)}
		h2 := h
		h2.ID, h2.ParentID, h2.Action, h2.Resources = "h-a0000000002", h.ID, "APPROVE_ALL_FEATURES", nil
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateOrgHandshake(ctx, h); err != nil {
				t.Fatalf("CreateOrgHandshake: %v", err)
			}
			wantErr(t, "duplicate", tx.CreateOrgHandshake(ctx, h), store.ErrAlreadyExists)
			if err := tx.CreateOrgHandshake(ctx, h2); err != nil {
				t.Fatalf("CreateOrgHandshake 2: %v", err)
			}
			got, err := tx.GetOrgHandshake(ctx, h.ID)
			if err != nil || !reflect.DeepEqual(got, h) {
				t.Fatalf("GetOrgHandshake = %+v, %v; want %+v", got, err, h)
			}
			_, err = tx.GetOrgHandshake(ctx, "h-zzz")
			wantErr(t, "get missing", err, store.ErrNotFound)
			h.State, h.StateChangedAt = "ACCEPTED", ts.Add(time.Hour)
			if err := tx.ReplaceOrgHandshake(ctx, h); err != nil {
				t.Fatalf("ReplaceOrgHandshake: %v", err)
			}
			wantErr(t, "replace missing", tx.ReplaceOrgHandshake(ctx, store.OrgHandshake{ID: "h-zzz"}), store.ErrNotFound)
			all, err := tx.ListOrgHandshakes(ctx)
			if err != nil || len(all) != 2 || all[0].ID != h2.ID || !reflect.DeepEqual(all[1], h) || all[0].ParentID != h.ID {
				t.Fatalf("ListOrgHandshakes = %+v, %v", all, err)
			}
			return nil
		})
	})

	t.Run("ResourcePolicy", func(t *testing.T) {
		s := seed(t)
		update(t, s, func(tx store.Tx) error {
			_, err := tx.GetOrgResourcePolicy(ctx)
			wantErr(t, "get none", err, store.ErrNotFound)
			wantErr(t, "delete none", tx.DeleteOrgResourcePolicy(ctx), store.ErrNotFound)
			p := store.OrgResourcePolicy{ID: "rp-abcd1234", ARN: "arn:rp", Content: "{}"}
			for _, c := range []string{"{}", `{"Version":"2012-10-17"}`} {
				p.Content = c
				if err := tx.PutOrgResourcePolicy(ctx, p); err != nil {
					t.Fatalf("PutOrgResourcePolicy: %v", err)
				}
				if got, err := tx.GetOrgResourcePolicy(ctx); err != nil || got != p {
					t.Fatalf("GetOrgResourcePolicy = %+v, %v", got, err)
				}
			}
			if err := tx.DeleteOrgResourcePolicy(ctx); err != nil {
				t.Fatalf("DeleteOrgResourcePolicy: %v", err)
			}
			_, err = tx.GetOrgResourcePolicy(ctx)
			wantErr(t, "get deleted", err, store.ErrNotFound)
			return nil
		})
	})

	t.Run("Transfers", func(t *testing.T) {
		s := seed(t)
		tr := store.OrgTransfer{ID: "rt-abc", ARN: "arn:rt", Name: "billing", Type: "BILLING", Status: "REQUESTED",
			SourceAccountID: "111111111111", SourceEmail: "m@x", TargetAccountID: "999999999999", StartAt: ts, HandshakeID: "h-1"}
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateOrgTransfer(ctx, tr); err != nil {
				t.Fatalf("CreateOrgTransfer: %v", err)
			}
			wantErr(t, "duplicate", tx.CreateOrgTransfer(ctx, tr), store.ErrAlreadyExists)
			if got, err := tx.GetOrgTransfer(ctx, tr.ID); err != nil || got != tr {
				t.Fatalf("GetOrgTransfer = %+v, %v; want %+v", got, err, tr)
			}
			tr.Status, tr.EndAt, tr.Name = "WITHDRAWN", ts.Add(time.Hour), "renamed"
			if err := tx.ReplaceOrgTransfer(ctx, tr); err != nil {
				t.Fatalf("ReplaceOrgTransfer: %v", err)
			}
			wantErr(t, "replace missing", tx.ReplaceOrgTransfer(ctx, store.OrgTransfer{ID: "rt-zzz"}), store.ErrNotFound)
			_, err := tx.GetOrgTransfer(ctx, "rt-zzz")
			wantErr(t, "get missing", err, store.ErrNotFound)
			all, err := tx.ListOrgTransfers(ctx)
			if err != nil || len(all) != 1 || all[0] != tr {
				t.Fatalf("ListOrgTransfers = %+v, %v", all, err)
			}
			return nil
		})
	})

	t.Run("AccountsLeaveAndClose", func(t *testing.T) {
		s := seed(t)
		update(t, s, func(tx store.Tx) error {
			o := org
			o.ID, o.FeatureSet = "o-zzzzzzzzzz", "CONSOLIDATED_BILLING"
			if err := tx.ReplaceOrganization(ctx, o); err != nil {
				t.Fatalf("ReplaceOrganization: %v", err)
			}
			if got, err := tx.GetOrganization(ctx); err != nil || got != o {
				t.Fatalf("GetOrganization = %+v, %v", got, err)
			}
			if err := tx.SetAccountStatus(ctx, "222222222222", "SUSPENDED"); err != nil {
				t.Fatalf("SetAccountStatus: %v", err)
			}
			wantErr(t, "status of missing", tx.SetAccountStatus(ctx, "999999999999", "SUSPENDED"), store.ErrNotFound)
			if a, err := tx.GetAccount(ctx, "222222222222"); err != nil || a.Status != "SUSPENDED" {
				t.Fatalf("GetAccount = %+v, %v", a, err)
			}
			// Attachments, tags, parent and delegations go with the account.
			if err := tx.CreateOrgPolicy(ctx, store.OrgPolicy{ID: "p-1", ARN: "arn:p", Name: "p", Type: "TAG_POLICY", Content: "{}"}); err != nil {
				return err
			}
			if err := tx.AttachOrgPolicy(ctx, store.OrgPolicyTarget{PolicyID: "p-1", TargetID: "222222222222", TargetType: store.OrgTargetAccount}); err != nil {
				return err
			}
			if err := tx.PutOrgTags(ctx, "222222222222", []store.Tag{{Key: "k", Value: "v"}}); err != nil {
				return err
			}
			if err := tx.SetAccountParent(ctx, "222222222222", "ou-ab12-abcdefgh"); err != nil {
				return err
			}
			if err := tx.CreateOrgDelegatedAdmin(ctx, store.OrgDelegatedAdmin{AccountID: "222222222222", ServicePrincipal: "sso.amazonaws.com", DelegatedAt: ts}); err != nil {
				return err
			}
			if err := tx.RemoveOrgAccount(ctx, "222222222222", ts); err != nil {
				t.Fatalf("RemoveOrgAccount: %v", err)
			}
			wantErr(t, "remove twice", tx.RemoveOrgAccount(ctx, "222222222222", ts), store.ErrNotFound)
			_, err := tx.GetAccount(ctx, "222222222222")
			wantErr(t, "removed account", err, store.ErrNotFound)
			if ts2, _ := tx.ListOrgTargetPolicies(ctx, "222222222222"); len(ts2) != 0 {
				t.Fatalf("attachments left: %+v", ts2)
			}
			if tags, _ := tx.GetOrgTags(ctx, "222222222222"); len(tags) != 0 {
				t.Fatalf("tags left: %+v", tags)
			}
			if ds, _ := tx.ListOrgDelegatedAdmins(ctx); len(ds) != 0 {
				t.Fatalf("delegations left: %+v", ds)
			}
			want := store.Account{ID: "222222222222", ARN: "arn:222222222222", Name: "n222222222222", Email: "222222222222@x",
				Status: "ACTIVE", JoinedMethod: "CREATED", JoinedAt: ts}
			if got, err := tx.GetOrgFormerAccount(ctx, "222222222222"); err != nil || got != want {
				t.Fatalf("GetOrgFormerAccount = %+v, %v; want %+v", got, err, want)
			}
			if all, err := tx.ListOrgFormerAccounts(ctx); err != nil || len(all) != 1 || all[0] != want {
				t.Fatalf("ListOrgFormerAccounts = %+v, %v", all, err)
			}
			// The same e-mail can join again.
			if err := tx.CreateAccount(ctx, acct("222222222222")); err != nil {
				t.Fatalf("CreateAccount again: %v", err)
			}
			if err := tx.DeleteOrgFormerAccount(ctx, "222222222222"); err != nil {
				t.Fatalf("DeleteOrgFormerAccount: %v", err)
			}
			wantErr(t, "delete former twice", tx.DeleteOrgFormerAccount(ctx, "222222222222"), store.ErrNotFound)
			_, err = tx.GetOrgFormerAccount(ctx, "222222222222")
			wantErr(t, "former gone", err, store.ErrNotFound)

			for i, at := range []time.Time{ts.Add(-40 * 24 * time.Hour), ts.Add(-time.Hour), ts} {
				if err := tx.PutOrgAccountClosure(ctx, []string{"a", "b", "c"}[i], at); err != nil {
					t.Fatalf("PutOrgAccountClosure: %v", err)
				}
			}
			if n, err := tx.CountOrgAccountClosures(ctx, ts.Add(-30*24*time.Hour)); err != nil || n != 2 {
				t.Fatalf("CountOrgAccountClosures = %d, %v; want 2", n, err)
			}
			return nil
		})
	})

	t.Run("DeleteOrgData", func(t *testing.T) {
		s := seed(t)
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateOrgHandshake(ctx, store.OrgHandshake{ID: "h-1", Action: "INVITE", State: "OPEN"}); err != nil {
				return err
			}
			if err := tx.PutOrgResourcePolicy(ctx, store.OrgResourcePolicy{ID: "rp-1", Content: "{}"}); err != nil {
				return err
			}
			if err := tx.CreateOrgUnit(ctx, store.OrgUnit{ID: "ou-ab12-abcdefgh", Name: "x", ParentID: "r-ab12"}); err != nil {
				return err
			}
			if err := tx.DeleteOrgData(ctx); err != nil {
				t.Fatalf("DeleteOrgData: %v", err)
			}
			_, err := tx.GetOrgRoot(ctx)
			wantErr(t, "root", err, store.ErrNotFound)
			_, err = tx.GetOrgUnit(ctx, "ou-ab12-abcdefgh")
			wantErr(t, "ou", err, store.ErrNotFound)
			_, err = tx.GetOrgHandshake(ctx, "h-1")
			wantErr(t, "handshake", err, store.ErrNotFound)
			_, err = tx.GetOrgResourcePolicy(ctx)
			wantErr(t, "resource policy", err, store.ErrNotFound)
			if _, err := tx.GetOrganization(ctx); err != nil {
				t.Fatalf("organization gone: %v", err)
			}
			if _, err := tx.GetAccount(ctx, "111111111111"); err != nil {
				t.Fatalf("account gone: %v", err)
			}
			return nil
		})
	})
}
