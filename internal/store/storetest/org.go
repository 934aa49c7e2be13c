package storetest

import (
	"context"
	"reflect"
	"testing"

	"github.com/idcenter/idcenter/internal/store"
)

// runOrg checks store.OrgExtRepo (and store.OrgHandshakeRepo, in org_handshakes.go).
func runOrg(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	t.Run("Handshakes", func(t *testing.T) { runOrgHandshakes(t, open) })
	root := store.OrgRoot{ID: "r-ab12", ARN: "arn:aws:organizations::111111111111:root/o-abcdefghij/r-ab12", Name: "Root",
		PolicyTypes: []store.OrgPolicyType{{Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED"}}}
	acct := func(id string) store.Account {
		return store.Account{ID: id, ARN: "arn:" + id, Name: "n" + id, Email: id + "@x", Status: "ACTIVE", JoinedMethod: "CREATED", JoinedAt: ts}
	}
	seed := func(t *testing.T) store.Store {
		s := fresh(t, open)
		update(t, s, func(tx store.Tx) error {
			for _, id := range []string{"111111111111", "222222222222", "333333333333"} {
				if err := tx.CreateAccount(ctx, acct(id)); err != nil {
					t.Fatalf("CreateAccount: %v", err)
				}
			}
			return tx.CreateOrgRoot(ctx, root)
		})
		return s
	}

	t.Run("Root", func(t *testing.T) {
		s := fresh(t, open)
		update(t, s, func(tx store.Tx) error {
			_, err := tx.GetOrgRoot(ctx)
			wantErr(t, "GetOrgRoot empty", err, store.ErrNotFound)
			if err := tx.CreateOrgRoot(ctx, root); err != nil {
				t.Fatalf("CreateOrgRoot: %v", err)
			}
			wantErr(t, "CreateOrgRoot twice", tx.CreateOrgRoot(ctx, store.OrgRoot{ID: "r-zz99"}), store.ErrAlreadyExists)
			got, err := tx.GetOrgRoot(ctx)
			if err != nil || !reflect.DeepEqual(got, root) {
				t.Fatalf("GetOrgRoot = %+v, %v; want %+v", got, err, root)
			}
			r2 := root
			r2.PolicyTypes = nil
			if err := tx.ReplaceOrgRoot(ctx, r2); err != nil {
				t.Fatalf("ReplaceOrgRoot: %v", err)
			}
			got, _ = tx.GetOrgRoot(ctx)
			if !reflect.DeepEqual(got, r2) {
				t.Fatalf("after replace = %+v, want %+v", got, r2)
			}
			return nil
		})
	})

	t.Run("UnitsAndParents", func(t *testing.T) {
		s := seed(t)
		update(t, s, func(tx store.Tx) error {
			ou1 := store.OrgUnit{ID: "ou-ab12-11111111", ARN: "arn:ou1", Name: "Dev", ParentID: root.ID}
			ou2 := store.OrgUnit{ID: "ou-ab12-22222222", ARN: "arn:ou2", Name: "Team", ParentID: ou1.ID}
			for _, u := range []store.OrgUnit{ou1, ou2} {
				if err := tx.CreateOrgUnit(ctx, u); err != nil {
					t.Fatalf("CreateOrgUnit: %v", err)
				}
			}
			wantErr(t, "duplicate name under parent", tx.CreateOrgUnit(ctx, store.OrgUnit{ID: "ou-ab12-33333333", Name: "DEV", ParentID: root.ID}), store.ErrAlreadyExists)
			wantErr(t, "ReplaceOrgUnit missing", tx.ReplaceOrgUnit(ctx, store.OrgUnit{ID: "ou-none"}), store.ErrNotFound)
			got, err := tx.ListOrgUnits(ctx, root.ID, store.Page{})
			if err != nil || !reflect.DeepEqual(got, []store.OrgUnit{ou1}) {
				t.Fatalf("ListOrgUnits(root) = %+v, %v", got, err)
			}
			p, err := tx.GetAccountParent(ctx, "222222222222")
			if err != nil || p != root.ID {
				t.Fatalf("GetAccountParent default = %q, %v", p, err)
			}
			_, err = tx.GetAccountParent(ctx, "999999999999")
			wantErr(t, "GetAccountParent unknown", err, store.ErrNotFound)
			wantErr(t, "SetAccountParent unknown", tx.SetAccountParent(ctx, "999999999999", ou1.ID), store.ErrNotFound)
			if err := tx.SetAccountParent(ctx, "222222222222", ou2.ID); err != nil {
				t.Fatalf("SetAccountParent: %v", err)
			}
			under, err := tx.ListAccountsForParent(ctx, ou2.ID, store.Page{})
			if err != nil || len(under) != 1 || under[0].ID != "222222222222" {
				t.Fatalf("ListAccountsForParent(ou2) = %+v, %v", under, err)
			}
			under, err = tx.ListAccountsForParent(ctx, root.ID, store.Page{After: "111111111111", Limit: 5})
			if err != nil || len(under) != 1 || under[0].ID != "333333333333" {
				t.Fatalf("ListAccountsForParent(root) = %+v, %v", under, err)
			}
			if err := tx.DeleteOrgUnit(ctx, ou2.ID); err != nil {
				t.Fatalf("DeleteOrgUnit: %v", err)
			}
			wantErr(t, "DeleteOrgUnit twice", tx.DeleteOrgUnit(ctx, ou2.ID), store.ErrNotFound)
			_, err = tx.GetOrgUnit(ctx, ou2.ID)
			wantErr(t, "GetOrgUnit deleted", err, store.ErrNotFound)
			return nil
		})
	})

	t.Run("AccountStatuses", func(t *testing.T) {
		s := seed(t)
		update(t, s, func(tx store.Tx) error {
			a := store.CreateAccountStatus{ID: "car-1", AccountName: "a", State: "IN_PROGRESS", RequestedAt: ts}
			b := store.CreateAccountStatus{ID: "car-2", AccountName: "b", State: "FAILED", FailureReason: "EMAIL_ALREADY_EXISTS", RequestedAt: ts, CompletedAt: ts}
			for _, x := range []store.CreateAccountStatus{a, b} {
				if err := tx.CreateAccountStatus(ctx, x); err != nil {
					t.Fatalf("CreateAccountStatus: %v", err)
				}
			}
			wantErr(t, "duplicate", tx.CreateAccountStatus(ctx, a), store.ErrAlreadyExists)
			a.State, a.AccountID, a.CompletedAt = "SUCCEEDED", "222222222222", ts
			if err := tx.ReplaceAccountStatus(ctx, a); err != nil {
				t.Fatalf("ReplaceAccountStatus: %v", err)
			}
			got, err := tx.GetAccountStatus(ctx, "car-1")
			if err != nil || !reflect.DeepEqual(got, a) {
				t.Fatalf("GetAccountStatus = %+v, %v; want %+v", got, err, a)
			}
			list, err := tx.ListAccountStatuses(ctx, []string{"FAILED", "IN_PROGRESS"}, store.Page{})
			if err != nil || !reflect.DeepEqual(list, []store.CreateAccountStatus{b}) {
				t.Fatalf("ListAccountStatuses = %+v, %v", list, err)
			}
			list, _ = tx.ListAccountStatuses(ctx, nil, store.Page{})
			if len(list) != 2 {
				t.Fatalf("ListAccountStatuses(all) = %d", len(list))
			}
			return nil
		})
	})

	t.Run("PoliciesAndTargets", func(t *testing.T) {
		s := seed(t)
		update(t, s, func(tx store.Tx) error {
			full := store.OrgPolicy{ID: "p-FullAWSAccess", ARN: "arn:full", Name: "FullAWSAccess", Description: "d", Type: "SERVICE_CONTROL_POLICY", Content: "{}", AWSManaged: true}
			tag := store.OrgPolicy{ID: "p-tag00001", ARN: "arn:tag", Name: "t", Type: "TAG_POLICY", Content: "{}"}
			for _, p := range []store.OrgPolicy{full, tag} {
				if err := tx.CreateOrgPolicy(ctx, p); err != nil {
					t.Fatalf("CreateOrgPolicy: %v", err)
				}
			}
			got, err := tx.ListOrgPolicies(ctx, "SERVICE_CONTROL_POLICY", store.Page{})
			if err != nil || !reflect.DeepEqual(got, []store.OrgPolicy{full}) {
				t.Fatalf("ListOrgPolicies = %+v, %v", got, err)
			}
			wantErr(t, "attach unknown policy", tx.AttachOrgPolicy(ctx, store.OrgPolicyTarget{PolicyID: "p-none", TargetID: root.ID, TargetType: store.OrgTargetRoot}), store.ErrNotFound)
			atts := []store.OrgPolicyTarget{
				{PolicyID: full.ID, TargetID: root.ID, TargetType: store.OrgTargetRoot},
				{PolicyID: full.ID, TargetID: "111111111111", TargetType: store.OrgTargetAccount},
				{PolicyID: tag.ID, TargetID: "111111111111", TargetType: store.OrgTargetAccount},
			}
			for _, a := range atts {
				if err := tx.AttachOrgPolicy(ctx, a); err != nil {
					t.Fatalf("AttachOrgPolicy: %v", err)
				}
			}
			wantErr(t, "attach twice", tx.AttachOrgPolicy(ctx, atts[0]), store.ErrAlreadyExists)
			targets, err := tx.ListOrgPolicyTargets(ctx, full.ID)
			if err != nil || !reflect.DeepEqual(targets, []store.OrgPolicyTarget{atts[1], atts[0]}) {
				t.Fatalf("ListOrgPolicyTargets = %+v, %v", targets, err)
			}
			pols, err := tx.ListOrgTargetPolicies(ctx, "111111111111")
			if err != nil || !reflect.DeepEqual(pols, []store.OrgPolicyTarget{atts[1], atts[2]}) {
				t.Fatalf("ListOrgTargetPolicies = %+v, %v", pols, err)
			}
			if err := tx.DetachOrgPolicy(ctx, tag.ID, "111111111111"); err != nil {
				t.Fatalf("DetachOrgPolicy: %v", err)
			}
			wantErr(t, "detach twice", tx.DetachOrgPolicy(ctx, tag.ID, "111111111111"), store.ErrNotFound)
			if err := tx.DeleteOrgPolicy(ctx, full.ID); err != nil {
				t.Fatalf("DeleteOrgPolicy: %v", err)
			}
			pols, _ = tx.ListOrgTargetPolicies(ctx, "111111111111")
			if len(pols) != 0 {
				t.Fatalf("attachments survive their policy: %+v", pols)
			}
			wantErr(t, "DeleteOrgPolicy twice", tx.DeleteOrgPolicy(ctx, full.ID), store.ErrNotFound)
			return nil
		})
	})

	t.Run("TagsServicesAdmins", func(t *testing.T) {
		s := seed(t)
		update(t, s, func(tx store.Tx) error {
			tags := []store.Tag{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}}
			if err := tx.PutOrgTags(ctx, "222222222222", []store.Tag{tags[1], tags[0]}); err != nil {
				t.Fatalf("PutOrgTags: %v", err)
			}
			got, err := tx.GetOrgTags(ctx, "222222222222")
			if err != nil || !reflect.DeepEqual(got, tags) {
				t.Fatalf("GetOrgTags = %+v, %v", got, err)
			}
			if err := tx.PutOrgTags(ctx, "222222222222", nil); err != nil {
				t.Fatalf("PutOrgTags(nil): %v", err)
			}
			if got, _ := tx.GetOrgTags(ctx, "222222222222"); len(got) != 0 {
				t.Fatalf("tags not cleared: %+v", got)
			}
			for i := 0; i < 2; i++ {
				if err := tx.PutOrgServiceAccess(ctx, store.OrgServiceAccess{ServicePrincipal: "sso.amazonaws.com", EnabledAt: ts}); err != nil {
					t.Fatalf("PutOrgServiceAccess: %v", err)
				}
			}
			sa, err := tx.ListOrgServiceAccess(ctx)
			if err != nil || !reflect.DeepEqual(sa, []store.OrgServiceAccess{{ServicePrincipal: "sso.amazonaws.com", EnabledAt: ts}}) {
				t.Fatalf("ListOrgServiceAccess = %+v, %v", sa, err)
			}
			if err := tx.DeleteOrgServiceAccess(ctx, "sso.amazonaws.com"); err != nil {
				t.Fatalf("DeleteOrgServiceAccess: %v", err)
			}
			wantErr(t, "DeleteOrgServiceAccess twice", tx.DeleteOrgServiceAccess(ctx, "sso.amazonaws.com"), store.ErrNotFound)
			d := store.OrgDelegatedAdmin{AccountID: "222222222222", ServicePrincipal: "sso.amazonaws.com", DelegatedAt: ts}
			if err := tx.CreateOrgDelegatedAdmin(ctx, d); err != nil {
				t.Fatalf("CreateOrgDelegatedAdmin: %v", err)
			}
			wantErr(t, "register twice", tx.CreateOrgDelegatedAdmin(ctx, d), store.ErrAlreadyExists)
			ds, err := tx.ListOrgDelegatedAdmins(ctx)
			if err != nil || !reflect.DeepEqual(ds, []store.OrgDelegatedAdmin{d}) {
				t.Fatalf("ListOrgDelegatedAdmins = %+v, %v", ds, err)
			}
			if err := tx.DeleteOrgDelegatedAdmin(ctx, d.AccountID, d.ServicePrincipal); err != nil {
				t.Fatalf("DeleteOrgDelegatedAdmin: %v", err)
			}
			wantErr(t, "deregister twice", tx.DeleteOrgDelegatedAdmin(ctx, d.AccountID, d.ServicePrincipal), store.ErrNotFound)
			return nil
		})
	})
}
