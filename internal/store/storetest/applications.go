package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/idcenter/idcenter/internal/store"
)

func appARN(inst string, i int) string {
	return fmt.Sprintf("arn:aws:sso::111111111111:application/%s/apl-%016x", inst[len("arn:aws:sso:::instance/"):], i)
}

func ttiARN(inst string, i int) string {
	return fmt.Sprintf("arn:aws:sso::111111111111:trustedTokenIssuer/%s/tti-00000000-0000-0000-0000-%012x",
		inst[len("arn:aws:sso:::instance/"):], i)
}

func newApplication(inst string, i int, provider string) store.Application {
	return store.Application{
		InstanceARN: inst, ARN: appARN(inst, i), ProviderARN: provider, Name: fmt.Sprintf("app-%d", i),
		Description: "an app", Account: "111111111111", Status: "ENABLED", Visibility: "ENABLED",
		SignInOrigin: "APPLICATION", ApplicationURL: "https://app.example.com/", AssignmentRequired: true, CreatedAt: ts,
	}
}

// runApplications checks store.ApplicationRepo.
func runApplications(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	const custom = "arn:aws:sso::aws:applicationProvider/custom"
	const other = "arn:aws:sso::aws:applicationProvider/catalog/Other"

	t.Run("InstanceName", func(t *testing.T) {
		s := fresh(t, open)
		accessFixture(t, s)
		update(t, s, func(tx store.Tx) error { return tx.SetInstanceName(ctx, instARN, "corp") })
		view(t, s, func(tx store.Tx) error {
			in, err := tx.GetInstance(ctx, instARN)
			if err != nil || in.Name != "corp" {
				t.Fatalf("GetInstance = %+v, %v", in, err)
			}
			return nil
		})
		err := s.Update(ctx, func(tx store.Tx) error {
			return tx.SetInstanceName(ctx, "arn:aws:sso:::instance/ssoins-9999999999999999", "x")
		})
		wantErr(t, "SetInstanceName absent", err, store.ErrNotFound)
	})

	t.Run("ApplicationCRUD", func(t *testing.T) {
		s := fresh(t, open)
		accessFixture(t, s)
		app := newApplication(instARN, 1, custom)
		update(t, s, func(tx store.Tx) error { return tx.CreateApplication(ctx, app) })
		cases := []struct {
			name string
			app  store.Application
			want error
		}{
			{"duplicate ARN", app, store.ErrAlreadyExists},
			{"unknown instance", newApplication("arn:aws:sso:::instance/ssoins-9999999999999999", 2, custom), store.ErrNotFound},
		}
		for _, c := range cases {
			err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateApplication(ctx, c.app) })
			wantErr(t, c.name, err, c.want)
		}
		changed := app
		changed.Name, changed.Description, changed.Status, changed.Visibility = "renamed", "", "DISABLED", "DISABLED"
		changed.SignInOrigin, changed.ApplicationURL, changed.AssignmentRequired = "IDENTITY_CENTER", "", false
		changed.ProviderARN, changed.Account = other, "222222222222" // immutable
		update(t, s, func(tx store.Tx) error { return tx.ReplaceApplication(ctx, changed) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetApplication(ctx, app.ARN)
			if err != nil {
				t.Fatalf("GetApplication: %v", err)
			}
			want := changed
			want.ProviderARN, want.Account = custom, "111111111111"
			same(t, "replaced application", got, want)
			_, err = tx.GetApplication(ctx, appARN(instARN, 9))
			wantErr(t, "GetApplication absent", err, store.ErrNotFound)
			return nil
		})
		err := s.Update(ctx, func(tx store.Tx) error { return tx.ReplaceApplication(ctx, newApplication(instARN, 9, custom)) })
		wantErr(t, "ReplaceApplication absent", err, store.ErrNotFound)

		// Deleting removes assignments, settings and tags.
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateApplicationAssignment(ctx, store.ApplicationAssignment{InstanceARN: instARN, ApplicationARN: app.ARN,
				PrincipalType: "USER", PrincipalID: "u1", CreatedAt: ts}); err != nil {
				return err
			}
			if err := tx.PutSSOSetting(ctx, store.SSOSetting{InstanceARN: instARN, ResourceARN: app.ARN,
				Kind: store.SettingGrant, Key: "refresh_token", Value: "{}", UpdatedAt: ts}); err != nil {
				return err
			}
			return tx.PutTags(ctx, instARN, app.ARN, []store.Tag{{Key: "k", Value: "v"}})
		})
		update(t, s, func(tx store.Tx) error { return tx.DeleteApplication(ctx, app.ARN) })
		view(t, s, func(tx store.Tx) error {
			as, err := tx.ListApplicationAssignments(ctx, instARN, store.ApplicationAssignmentFilter{}, store.Page{})
			if err != nil || len(as) != 0 {
				t.Fatalf("assignments after delete = %v, %v", as, err)
			}
			ss, err := tx.ListSSOSettings(ctx, app.ARN, store.SettingGrant, store.Page{})
			if err != nil || len(ss) != 0 {
				t.Fatalf("settings after delete = %v, %v", ss, err)
			}
			tags, err := tx.ListTags(ctx, app.ARN, store.Page{})
			if err != nil || len(tags) != 0 {
				t.Fatalf("tags after delete = %v, %v", tags, err)
			}
			return nil
		})
		err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteApplication(ctx, app.ARN) })
		wantErr(t, "second DeleteApplication", err, store.ErrNotFound)
	})

	t.Run("ApplicationLists", func(t *testing.T) {
		s := fresh(t, open)
		accessFixture(t, s)
		update(t, s, func(tx store.Tx) error {
			for i, a := range []store.Application{newApplication(instARN, 3, custom), newApplication(instARN, 1, other),
				newApplication(instARN, 2, custom), newApplication(instARN2, 4, custom)} {
				if err := tx.CreateApplication(ctx, a); err != nil {
					return err
				}
				for _, p := range []string{"g2", "g1"} {
					if i == 1 && p == "g2" {
						continue
					}
					if err := tx.CreateApplicationAssignment(ctx, store.ApplicationAssignment{InstanceARN: a.InstanceARN,
						ApplicationARN: a.ARN, PrincipalType: "GROUP", PrincipalID: p, CreatedAt: ts}); err != nil {
						return err
					}
				}
			}
			return nil
		})
		dup := store.ApplicationAssignment{InstanceARN: instARN, ApplicationARN: appARN(instARN, 1), PrincipalType: "GROUP", PrincipalID: "g1"}
		err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateApplicationAssignment(ctx, dup) })
		wantErr(t, "duplicate assignment", err, store.ErrAlreadyExists)
		orphan := dup
		orphan.ApplicationARN = appARN(instARN, 99)
		err = s.Update(ctx, func(tx store.Tx) error { return tx.CreateApplicationAssignment(ctx, orphan) })
		wantErr(t, "assignment to unknown application", err, store.ErrNotFound)

		view(t, s, func(tx store.Tx) error {
			apps, err := tx.ListApplications(ctx, instARN, store.ApplicationFilter{}, store.Page{})
			if err != nil || len(apps) != 3 || apps[0].ARN != appARN(instARN, 1) || apps[2].ARN != appARN(instARN, 3) {
				t.Fatalf("ListApplications = %v, %v", apps, err)
			}
			apps, err = tx.ListApplications(ctx, instARN, store.ApplicationFilter{ProviderARN: custom}, store.Page{After: appARN(instARN, 2), Limit: 5})
			if err != nil || len(apps) != 1 || apps[0].ARN != appARN(instARN, 3) {
				t.Fatalf("ListApplications filtered = %v, %v", apps, err)
			}
			as, err := tx.ListApplicationAssignments(ctx, instARN, store.ApplicationAssignmentFilter{ApplicationARN: appARN(instARN, 3)}, store.Page{})
			if err != nil || len(as) != 2 || as[0].PrincipalID != "g1" || as[1].PrincipalID != "g2" {
				t.Fatalf("ListApplicationAssignments by app = %v, %v", as, err)
			}
			as, err = tx.ListApplicationAssignments(ctx, instARN, store.ApplicationAssignmentFilter{PrincipalType: "GROUP", PrincipalID: "g2"}, store.Page{Limit: 1})
			if err != nil || len(as) != 1 || as[0].ApplicationARN != appARN(instARN, 2) {
				t.Fatalf("ListApplicationAssignments by principal = %v, %v", as, err)
			}
			as, err = tx.ListApplicationAssignments(ctx, instARN, store.ApplicationAssignmentFilter{PrincipalID: "g2"}, store.Page{After: as[0].Key()})
			if err != nil || len(as) != 1 || as[0].ApplicationARN != appARN(instARN, 3) {
				t.Fatalf("ListApplicationAssignments page 2 = %v, %v", as, err)
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error { return tx.DeleteApplicationAssignment(ctx, dup) })
		err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteApplicationAssignment(ctx, dup) })
		wantErr(t, "second DeleteApplicationAssignment", err, store.ErrNotFound)
	})

	t.Run("Settings", func(t *testing.T) {
		s := fresh(t, open)
		accessFixture(t, s)
		set := func(kind, key, value string) store.SSOSetting {
			return store.SSOSetting{InstanceARN: instARN, ResourceARN: instARN, Kind: kind, Key: key, Value: value, UpdatedAt: ts}
		}
		update(t, s, func(tx store.Tx) error {
			for _, st := range []store.SSOSetting{set(store.SettingAccessScope, "b", "1"), set(store.SettingAccessScope, "a", "2"),
				set(store.SettingAccessScope, "b", "3"), set(store.SettingGrant, "a", "4")} {
				if err := tx.PutSSOSetting(ctx, st); err != nil {
					return err
				}
			}
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetSSOSetting(ctx, instARN, store.SettingAccessScope, "b")
			if err != nil {
				t.Fatalf("GetSSOSetting: %v", err)
			}
			same(t, "setting", got, set(store.SettingAccessScope, "b", "3"))
			_, err = tx.GetSSOSetting(ctx, instARN, store.SettingAccessScope, "c")
			wantErr(t, "GetSSOSetting absent", err, store.ErrNotFound)
			all, err := tx.ListSSOSettings(ctx, instARN, store.SettingAccessScope, store.Page{})
			if err != nil || len(all) != 2 || all[0].Key != "a" || all[1].Value != "3" {
				t.Fatalf("ListSSOSettings = %v, %v", all, err)
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error { return tx.DeleteSSOSetting(ctx, instARN, store.SettingAccessScope, "a") })
		err := s.Update(ctx, func(tx store.Tx) error { return tx.DeleteSSOSetting(ctx, instARN, store.SettingAccessScope, "a") })
		wantErr(t, "second DeleteSSOSetting", err, store.ErrNotFound)
		bad := set(store.SettingSession, "", "{}")
		bad.InstanceARN = "arn:aws:sso:::instance/ssoins-9999999999999999"
		err = s.Update(ctx, func(tx store.Tx) error { return tx.PutSSOSetting(ctx, bad) })
		wantErr(t, "PutSSOSetting unknown instance", err, store.ErrNotFound)
	})

	t.Run("TrustedTokenIssuers", func(t *testing.T) {
		s := fresh(t, open)
		accessFixture(t, s)
		tti := func(inst string, i int, name string) store.TrustedTokenIssuer {
			return store.TrustedTokenIssuer{InstanceARN: inst, ARN: ttiARN(inst, i), Name: name, Type: "OIDC_JWT",
				IssuerURL: "https://idp.example.com", ClaimAttributePath: "email", IdentityStoreAttributePath: "emails.value",
				JWKSRetrievalOption: "OPEN_ID_DISCOVERY", CreatedAt: ts}
		}
		update(t, s, func(tx store.Tx) error {
			for _, i := range []store.TrustedTokenIssuer{tti(instARN, 2, "okta"), tti(instARN, 1, "entra"), tti(instARN2, 3, "okta")} {
				if err := tx.CreateTrustedTokenIssuer(ctx, i); err != nil {
					return err
				}
			}
			return tx.PutTags(ctx, instARN, ttiARN(instARN, 2), []store.Tag{{Key: "k", Value: "v"}})
		})
		cases := []struct {
			name string
			tti  store.TrustedTokenIssuer
			want error
		}{
			{"duplicate ARN", tti(instARN, 1, "other"), store.ErrAlreadyExists},
			{"duplicate name", tti(instARN, 5, "OKTA"), store.ErrAlreadyExists},
			{"unknown instance", tti("arn:aws:sso:::instance/ssoins-9999999999999999", 6, "x"), store.ErrNotFound},
		}
		for _, c := range cases {
			err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateTrustedTokenIssuer(ctx, c.tti) })
			wantErr(t, c.name, err, c.want)
		}
		err := s.Update(ctx, func(tx store.Tx) error { return tx.ReplaceTrustedTokenIssuer(ctx, tti(instARN, 1, "Okta")) })
		wantErr(t, "rename to a used name", err, store.ErrAlreadyExists)
		changed := tti(instARN, 1, "entra-id")
		changed.IssuerURL, changed.ClaimAttributePath, changed.JWKSRetrievalOption = "https://ignored", "sub", "OPEN_ID_DISCOVERY"
		update(t, s, func(tx store.Tx) error { return tx.ReplaceTrustedTokenIssuer(ctx, changed) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetTrustedTokenIssuer(ctx, changed.ARN)
			if err != nil {
				t.Fatalf("GetTrustedTokenIssuer: %v", err)
			}
			want := changed
			want.IssuerURL = "https://idp.example.com" // immutable
			same(t, "replaced issuer", got, want)
			list, err := tx.ListTrustedTokenIssuers(ctx, instARN, store.Page{})
			if err != nil || len(list) != 2 || list[0].ARN != ttiARN(instARN, 1) {
				t.Fatalf("ListTrustedTokenIssuers = %v, %v", list, err)
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error { return tx.DeleteTrustedTokenIssuer(ctx, ttiARN(instARN, 2)) })
		err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteTrustedTokenIssuer(ctx, ttiARN(instARN, 2)) })
		wantErr(t, "second DeleteTrustedTokenIssuer", err, store.ErrNotFound)
		view(t, s, func(tx store.Tx) error {
			tags, err := tx.ListTags(ctx, ttiARN(instARN, 2), store.Page{})
			if err != nil || len(tags) != 0 {
				t.Fatalf("tags after delete = %v, %v", tags, err)
			}
			return nil
		})
		// The name is free again.
		update(t, s, func(tx store.Tx) error { return tx.CreateTrustedTokenIssuer(ctx, tti(instARN, 7, "okta")) })
	})
}
