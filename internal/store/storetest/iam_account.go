package storetest

import (
	"context"
	"testing"

	"github.com/idcenter/idcenter/internal/store"
)

// runIAMAccount checks store.IAMAccountRepo: aliases, password policies,
// login profiles, virtual MFA devices and the account counts.
func runIAMAccount(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("Alias", func(t *testing.T) {
		s := fresh(t, open)
		update(t, s, func(tx store.Tx) error { return tx.SetIAMAccountAlias(ctx, iamAcct, "first") })
		update(t, s, func(tx store.Tx) error { return tx.SetIAMAccountAlias(ctx, iamAcct, "second") }) // replaces
		err := s.Update(ctx, func(tx store.Tx) error { return tx.SetIAMAccountAlias(ctx, iamOther, "second") })
		wantErr(t, "alias of another account", err, store.ErrAlreadyExists)
		view(t, s, func(tx store.Tx) error {
			a, err := tx.GetIAMAccountAlias(ctx, iamAcct)
			if err != nil || a != "second" {
				t.Fatalf("GetIAMAccountAlias = %q, %v", a, err)
			}
			_, err = tx.GetIAMAccountAlias(ctx, iamOther)
			wantErr(t, "no alias", err, store.ErrNotFound)
			return nil
		})
		err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteIAMAccountAlias(ctx, iamAcct, "first") })
		wantErr(t, "delete replaced alias", err, store.ErrNotFound)
		update(t, s, func(tx store.Tx) error { return tx.DeleteIAMAccountAlias(ctx, iamAcct, "second") })
		update(t, s, func(tx store.Tx) error { return tx.SetIAMAccountAlias(ctx, iamOther, "second") })
	})

	t.Run("PasswordPolicy", func(t *testing.T) {
		s := fresh(t, open)
		p := store.IAMPasswordPolicy{AccountID: iamAcct, MinimumPasswordLength: 14, RequireSymbols: true,
			RequireLowercaseCharacters: true, AllowUsersToChangePassword: true, MaxPasswordAge: 90, PasswordReusePrevention: 24}
		update(t, s, func(tx store.Tx) error { return tx.PutIAMPasswordPolicy(ctx, p) })
		p.HardExpiry, p.RequireNumbers, p.RequireSymbols = true, true, false
		update(t, s, func(tx store.Tx) error { return tx.PutIAMPasswordPolicy(ctx, p) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetIAMPasswordPolicy(ctx, iamAcct)
			if err != nil {
				t.Fatalf("GetIAMPasswordPolicy: %v", err)
			}
			same(t, "policy", got, p)
			_, err = tx.GetIAMPasswordPolicy(ctx, iamOther)
			wantErr(t, "no policy", err, store.ErrNotFound)
			return nil
		})
		update(t, s, func(tx store.Tx) error { return tx.DeleteIAMPasswordPolicy(ctx, iamAcct) })
		err := s.Update(ctx, func(tx store.Tx) error { return tx.DeleteIAMPasswordPolicy(ctx, iamAcct) })
		wantErr(t, "delete twice", err, store.ErrNotFound)
	})

	t.Run("LoginProfile", func(t *testing.T) {
		s := fresh(t, open)
		u := iamUser(iamAcct, "AIDALOGIN", "login", "/")
		update(t, s, func(tx store.Tx) error { return tx.CreateIAMUser(ctx, u) })
		p := store.IAMLoginProfile{AccountID: iamAcct, UserID: u.UserID, PasswordHash: "$argon2id$x", PasswordResetRequired: true,
			CreatedAt: ts, PasswordChangedAt: ts}
		update(t, s, func(tx store.Tx) error { return tx.CreateIAMLoginProfile(ctx, p) })
		tests := []struct {
			name string
			p    store.IAMLoginProfile
			want error
		}{
			{"second profile", p, store.ErrAlreadyExists},
			{"unknown user", store.IAMLoginProfile{AccountID: iamAcct, UserID: "AIDANOBODY", PasswordHash: "h"}, store.ErrNotFound},
		}
		for _, tt := range tests {
			err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateIAMLoginProfile(ctx, tt.p) })
			wantErr(t, tt.name, err, tt.want)
		}
		p.PasswordHash, p.PasswordResetRequired = "$argon2id$y", false
		update(t, s, func(tx store.Tx) error { return tx.ReplaceIAMLoginProfile(ctx, p) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetIAMLoginProfile(ctx, u.UserID)
			if err != nil {
				t.Fatalf("GetIAMLoginProfile: %v", err)
			}
			same(t, "login profile", got, p)
			return nil
		})
		// The profile goes with its user.
		update(t, s, func(tx store.Tx) error { return tx.DeleteIAMUser(ctx, iamAcct, u.UserID) })
		view(t, s, func(tx store.Tx) error {
			_, err := tx.GetIAMLoginProfile(ctx, u.UserID)
			wantErr(t, "profile of a deleted user", err, store.ErrNotFound)
			return nil
		})
	})

	t.Run("MFADevices", func(t *testing.T) {
		s := fresh(t, open)
		u := iamUser(iamAcct, "AIDAMFA", "mfauser", "/")
		d1 := store.IAMMFADevice{SerialNumber: "arn:aws:iam::" + iamAcct + ":mfa/one", AccountID: iamAcct, DeviceName: "one",
			Path: "/", Secret: "SECRET1", Tags: []store.Tag{{Key: "k", Value: "v"}}, CreatedAt: ts}
		d2 := store.IAMMFADevice{SerialNumber: "arn:aws:iam::" + iamAcct + ":mfa/two", AccountID: iamAcct, DeviceName: "two",
			Path: "/", Secret: "SECRET2", CreatedAt: ts}
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateIAMUser(ctx, u); err != nil {
				return err
			}
			if err := tx.CreateIAMMFADevice(ctx, d1); err != nil {
				return err
			}
			return tx.CreateIAMMFADevice(ctx, d2)
		})
		dupName := d2
		dupName.SerialNumber, dupName.DeviceName = "arn:aws:iam::"+iamAcct+":mfa/x/TWO", "TWO"
		for _, d := range []store.IAMMFADevice{d1, dupName} {
			err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateIAMMFADevice(ctx, d) })
			wantErr(t, "duplicate device "+d.SerialNumber, err, store.ErrAlreadyExists)
		}
		d1.UserID, d1.EnabledAt, d1.LastUsedStep = u.UserID, ts, 42
		update(t, s, func(tx store.Tx) error { return tx.ReplaceIAMMFADevice(ctx, d1) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetIAMMFADevice(ctx, d1.SerialNumber)
			want := d1
			want.UserName, want.UserARN = u.UserName, u.ARN
			if err != nil {
				t.Fatalf("GetIAMMFADevice: %v", err)
			}
			same(t, "device", got, want)
			all, err := tx.ListIAMMFADevices(ctx, iamAcct)
			if err != nil || len(all) != 2 || all[0].DeviceName != "one" || all[1].UserID != "" {
				t.Fatalf("ListIAMMFADevices = %+v, %v", all, err)
			}
			mine, err := tx.ListIAMMFADevicesForUser(ctx, u.UserID)
			if err != nil || len(mine) != 1 || mine[0].SerialNumber != d1.SerialNumber {
				t.Fatalf("ListIAMMFADevicesForUser = %+v, %v", mine, err)
			}
			c, err := tx.CountIAMAccount(ctx, iamAcct)
			if err != nil || c != (store.IAMAccountCounts{Users: 1, MFADevices: 2, MFADevicesInUse: 1}) {
				t.Fatalf("CountIAMAccount = %+v, %v", c, err)
			}
			return nil
		})
		// Deleting the user unassigns its device.
		update(t, s, func(tx store.Tx) error { return tx.DeleteIAMUser(ctx, iamAcct, u.UserID) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetIAMMFADevice(ctx, d1.SerialNumber)
			if err != nil || got.UserID != "" || got.UserName != "" || got.UserARN != "" {
				t.Fatalf("device of a deleted user = %+v, %v", got, err)
			}
			return nil
		})
		// A device assigned to the root user: Root, no user.
		d2.Root, d2.EnabledAt, d2.LastUsedStep = true, ts, 7
		update(t, s, func(tx store.Tx) error { return tx.ReplaceIAMMFADevice(ctx, d2) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetIAMMFADevice(ctx, d2.SerialNumber)
			if err != nil {
				t.Fatalf("GetIAMMFADevice of the root device: %v", err)
			}
			same(t, "root device", got, d2)
			c, err := tx.CountIAMAccount(ctx, iamAcct)
			if err != nil || c != (store.IAMAccountCounts{MFADevices: 2, MFADevicesInUse: 1, RootMFADevices: 1}) {
				t.Fatalf("CountIAMAccount with a root device = %+v, %v", c, err)
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error { return tx.DeleteIAMMFADevice(ctx, d2.SerialNumber) })
		err := s.Update(ctx, func(tx store.Tx) error { return tx.DeleteIAMMFADevice(ctx, d2.SerialNumber) })
		wantErr(t, "delete twice", err, store.ErrNotFound)
	})
}
