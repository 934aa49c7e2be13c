package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// runMFADevices checks the removal of one MFA device of a user (the
// portal's MFA devices page) and the users-manage-devices setting.
func runMFADevices(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := fresh(t, open)
	totp := []store.TOTPDevice{
		{DeviceID: "dev-a1", IdentityStoreID: storeID, UserID: userID(1), Name: "phone", Secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", CreatedAt: ts},
		{DeviceID: "dev-a2", IdentityStoreID: storeID, UserID: userID(1), Name: "tablet", Secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", CreatedAt: ts.Add(time.Second)},
		{DeviceID: "dev-b1", IdentityStoreID: storeID, UserID: userID(2), Name: "bob", Secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", CreatedAt: ts},
	}
	keys := []store.WebAuthnCredential{
		{CredentialID: []byte{1, 1}, IdentityStoreID: storeID, UserID: userID(1), Name: "key", Data: []byte(`{}`), CreatedAt: ts},
		{CredentialID: []byte{1, 2}, IdentityStoreID: storeID, UserID: userID(1), Name: "passkey", Data: []byte(`{}`), CreatedAt: ts.Add(time.Second)},
		{CredentialID: []byte{2, 1}, IdentityStoreID: storeID, UserID: userID(2), Name: "bob's", Data: []byte(`{}`), CreatedAt: ts},
	}
	update(t, s, func(tx store.Tx) error {
		for i, n := range []string{"alice", "bob"} {
			if err := tx.CreateUser(ctx, newUser(i+1, n)); err != nil {
				return err
			}
		}
		for _, d := range totp {
			if err := tx.CreateTOTPDevice(ctx, d); err != nil {
				return err
			}
		}
		for _, c := range keys {
			if err := tx.CreateWebAuthnCredential(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	t.Run("DeleteOne", func(t *testing.T) {
		update(t, s, func(tx store.Tx) error {
			// Another user's device, an unknown one: not found, nothing removed.
			wantErr(t, "other user's totp", tx.DeleteTOTPDevice(ctx, storeID, userID(1), "dev-b1"), store.ErrNotFound)
			wantErr(t, "unknown totp", tx.DeleteTOTPDevice(ctx, storeID, userID(1), "dev-zz"), store.ErrNotFound)
			wantErr(t, "other store", tx.DeleteTOTPDevice(ctx, "d-0000000000", userID(1), "dev-a1"), store.ErrNotFound)
			wantErr(t, "other user's key", tx.DeleteWebAuthnCredential(ctx, storeID, userID(1), []byte{2, 1}), store.ErrNotFound)
			wantErr(t, "unknown key", tx.DeleteWebAuthnCredential(ctx, storeID, userID(1), []byte{9}), store.ErrNotFound)
			if err := tx.DeleteTOTPDevice(ctx, storeID, userID(1), "dev-a1"); err != nil {
				t.Fatalf("DeleteTOTPDevice: %v", err)
			}
			if err := tx.DeleteWebAuthnCredential(ctx, storeID, userID(1), []byte{1, 2}); err != nil {
				t.Fatalf("DeleteWebAuthnCredential: %v", err)
			}
			wantErr(t, "deleted twice", tx.DeleteTOTPDevice(ctx, storeID, userID(1), "dev-a1"), store.ErrNotFound)
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			for _, c := range []struct {
				user  int
				totp  []string
				names []string
			}{{1, []string{"dev-a2"}, []string{"key"}}, {2, []string{"dev-b1"}, []string{"bob's"}}} {
				devs, err := tx.ListTOTPDevices(ctx, storeID, userID(c.user))
				if err != nil {
					t.Fatalf("ListTOTPDevices: %v", err)
				}
				var ids []string
				for _, d := range devs {
					ids = append(ids, d.DeviceID)
				}
				same(t, "totp devices", ids, c.totp)
				creds, err := tx.ListWebAuthnCredentials(ctx, storeID, userID(c.user))
				if err != nil {
					t.Fatalf("ListWebAuthnCredentials: %v", err)
				}
				var names []string
				for _, k := range creds {
					names = append(names, k.Name)
				}
				same(t, "security keys", names, c.names)
			}
			return nil
		})
	})
	t.Run("Rename", func(t *testing.T) {
		update(t, s, func(tx store.Tx) error {
			wantErr(t, "other user's totp", tx.RenameTOTPDevice(ctx, storeID, userID(1), "dev-b1", "mine"), store.ErrNotFound)
			wantErr(t, "unknown totp", tx.RenameTOTPDevice(ctx, storeID, userID(1), "dev-zz", "mine"), store.ErrNotFound)
			wantErr(t, "other user's key", tx.RenameWebAuthnCredential(ctx, storeID, userID(1), []byte{2, 1}, "mine"), store.ErrNotFound)
			wantErr(t, "unknown key", tx.RenameWebAuthnCredential(ctx, storeID, userID(1), []byte{9}, "mine"), store.ErrNotFound)
			if err := tx.RenameTOTPDevice(ctx, storeID, userID(1), "dev-a2", "old phone"); err != nil {
				t.Fatalf("RenameTOTPDevice: %v", err)
			}
			if err := tx.RenameTOTPDevice(ctx, storeID, userID(1), "dev-a2", "old phone"); err != nil {
				t.Fatalf("RenameTOTPDevice to the same name: %v", err)
			}
			if err := tx.RenameWebAuthnCredential(ctx, storeID, userID(1), []byte{1, 1}, "yubikey"); err != nil {
				t.Fatalf("RenameWebAuthnCredential: %v", err)
			}
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			devs, _ := tx.ListTOTPDevices(ctx, storeID, userID(1))
			keys, _ := tx.ListWebAuthnCredentials(ctx, storeID, userID(1))
			bobs, _ := tx.ListTOTPDevices(ctx, storeID, userID(2))
			if len(devs) != 1 || devs[0].Name != "old phone" || devs[0].Secret != totp[1].Secret ||
				len(keys) != 1 || keys[0].Name != "yubikey" || len(bobs) != 1 || bobs[0].Name != "bob" {
				t.Fatalf("after renaming: %+v %+v %+v", devs, keys, bobs)
			}
			return nil
		})
	})
	t.Run("UsersManageDevicesSetting", func(t *testing.T) {
		const arn = "arn:aws:sso:::instance/ssoins-00000000devices0"
		for _, adminOnly := range []bool{true, false, true} {
			want := store.MFASettings{InstanceARN: arn, Mode: store.MFAAlways, NoDevice: store.MFANoDeviceRegister,
				Types: []string{store.MFATypeTOTP}, SessionDuration: time.Hour, DevicesAdminOnly: adminOnly}
			update(t, s, func(tx store.Tx) error { return tx.PutMFASettings(ctx, want) })
			view(t, s, func(tx store.Tx) error {
				got, err := tx.GetMFASettings(ctx, arn)
				if err != nil {
					t.Fatalf("GetMFASettings: %v", err)
				}
				same(t, "settings", got, want)
				return nil
			})
		}
	})
}
