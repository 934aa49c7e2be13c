package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// runSignIn checks store.SignInRepo.
func runSignIn(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	withUsers := func(t *testing.T) store.Store {
		s := fresh(t, open)
		update(t, s, func(tx store.Tx) error {
			for i, n := range []string{"alice", "bob"} {
				if err := tx.CreateUser(ctx, newUser(i+1, n)); err != nil {
					return err
				}
			}
			return nil
		})
		return s
	}
	t.Run("Credentials", func(t *testing.T) {
		s := withUsers(t)
		c := store.UserCredential{IdentityStoreID: storeID, UserID: userID(1), PasswordHash: "$argon2id$x", MustChange: true,
			FailedAttempts: 2, LockedUntil: ts.Add(time.Minute), UpdatedAt: ts}
		update(t, s, func(tx store.Tx) error {
			_, err := tx.GetUserCredential(ctx, storeID, userID(1))
			wantErr(t, "get before put", err, store.ErrNotFound)
			wantErr(t, "put for a missing user", tx.PutUserCredential(ctx, store.UserCredential{IdentityStoreID: storeID,
				UserID: userID(9), PasswordHash: "h"}), store.ErrNotFound)
			return tx.PutUserCredential(ctx, c)
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetUserCredential(ctx, storeID, userID(1))
			if err != nil {
				t.Fatalf("GetUserCredential: %v", err)
			}
			same(t, "credential", got, c)
			_, err = tx.GetUserCredential(ctx, otherStoreID, userID(1))
			wantErr(t, "other store", err, store.ErrNotFound)
			return nil
		})
		c2 := store.UserCredential{IdentityStoreID: storeID, UserID: userID(1), PasswordHash: "$argon2id$y", UpdatedAt: ts.Add(time.Hour)}
		update(t, s, func(tx store.Tx) error { return tx.PutUserCredential(ctx, c2) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetUserCredential(ctx, storeID, userID(1))
			if err != nil {
				t.Fatalf("GetUserCredential: %v", err)
			}
			same(t, "replaced credential (lock cleared)", got, c2)
			return nil
		})
	})
	t.Run("TOTP", func(t *testing.T) {
		s := withUsers(t)
		a := store.TOTPDevice{DeviceID: "a", IdentityStoreID: storeID, UserID: userID(1), Name: "phone", Secret: "JBSWY3DPEHPK3PXP",
			LastUsedStep: 0, CreatedAt: ts.Add(time.Second)}
		b := a
		b.DeviceID, b.CreatedAt, b.Secret = "b", ts, "KRSXG5CTMVRXEZLU"
		c := a
		c.DeviceID, c.UserID = "c", userID(2)
		update(t, s, func(tx store.Tx) error {
			for _, d := range []store.TOTPDevice{a, b, c} {
				if err := tx.CreateTOTPDevice(ctx, d); err != nil {
					return err
				}
			}
			wantErr(t, "duplicate", tx.CreateTOTPDevice(ctx, a), store.ErrAlreadyExists)
			missing := a
			missing.DeviceID, missing.UserID = "m", userID(9)
			wantErr(t, "missing user", tx.CreateTOTPDevice(ctx, missing), store.ErrNotFound)
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			if err := tx.UseTOTPStep(ctx, "a", 100); err != nil {
				t.Fatalf("UseTOTPStep: %v", err)
			}
			wantErr(t, "same step again", tx.UseTOTPStep(ctx, "a", 100), store.ErrConflict)
			wantErr(t, "older step", tx.UseTOTPStep(ctx, "a", 99), store.ErrConflict)
			wantErr(t, "missing device", tx.UseTOTPStep(ctx, "zz", 100), store.ErrNotFound)
			return tx.UseTOTPStep(ctx, "a", 101)
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.ListTOTPDevices(ctx, storeID, userID(1))
			if err != nil {
				t.Fatalf("ListTOTPDevices: %v", err)
			}
			a.LastUsedStep = 101
			same(t, "devices (oldest first, this user only)", got, []store.TOTPDevice{b, a})
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			n, err := tx.DeleteTOTPDevices(ctx, storeID, userID(1))
			if err != nil || n != 2 {
				t.Fatalf("DeleteTOTPDevices = %d, %v; want 2", n, err)
			}
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.ListTOTPDevices(ctx, storeID, userID(1))
			if err != nil || len(got) != 0 {
				t.Fatalf("after delete: %v, %v", got, err)
			}
			got, err = tx.ListTOTPDevices(ctx, storeID, userID(2))
			if err != nil || len(got) != 1 {
				t.Fatalf("other user's devices: %v, %v", got, err)
			}
			return nil
		})
	})
	t.Run("WebSessions", func(t *testing.T) {
		s := withUsers(t)
		ws := func(h byte, u int, exp time.Duration) store.WebSession {
			return store.WebSession{IDHash: []byte{h, h, h}, IdentityStoreID: storeID, UserID: userID(u), CreatedAt: ts, ExpiresAt: ts.Add(exp)}
		}
		a, b, c := ws(1, 1, time.Hour), ws(2, 1, time.Minute), ws(3, 2, 8*time.Hour)
		update(t, s, func(tx store.Tx) error {
			for _, w := range []store.WebSession{a, b, c} {
				if err := tx.CreateWebSession(ctx, w); err != nil {
					return err
				}
			}
			wantErr(t, "duplicate", tx.CreateWebSession(ctx, a), store.ErrAlreadyExists)
			wantErr(t, "missing user", tx.CreateWebSession(ctx, ws(4, 9, time.Hour)), store.ErrNotFound)
			a.MFADone, a.ExpiresAt = true, ts.Add(8*time.Hour)
			if err := tx.UpdateWebSession(ctx, a); err != nil {
				t.Fatalf("UpdateWebSession: %v", err)
			}
			wantErr(t, "update missing", tx.UpdateWebSession(ctx, ws(9, 1, 0)), store.ErrNotFound)
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetWebSession(ctx, a.IDHash)
			if err != nil {
				t.Fatalf("GetWebSession: %v", err)
			}
			same(t, "session", got, a)
			_, err = tx.GetWebSession(ctx, []byte{9})
			wantErr(t, "get missing", err, store.ErrNotFound)
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			n, err := tx.DeleteExpiredWebSessions(ctx, ts.Add(time.Minute))
			if err != nil || n != 1 {
				t.Fatalf("DeleteExpiredWebSessions = %d, %v; want 1", n, err)
			}
			_, err = tx.GetWebSession(ctx, b.IDHash)
			wantErr(t, "expired session", err, store.ErrNotFound)
			n, err = tx.DeleteUserWebSessions(ctx, storeID, userID(1))
			if err != nil || n != 1 {
				t.Fatalf("DeleteUserWebSessions = %d, %v; want 1", n, err)
			}
			if err := tx.DeleteWebSession(ctx, c.IDHash); err != nil {
				t.Fatalf("DeleteWebSession: %v", err)
			}
			wantErr(t, "delete twice", tx.DeleteWebSession(ctx, c.IDHash), store.ErrNotFound)
			return nil
		})
	})
	t.Run("KnownContextsAndCascade", func(t *testing.T) {
		s := withUsers(t)
		k := store.KnownContext{Hash: []byte{7}, IdentityStoreID: storeID, UserID: userID(1), CreatedAt: ts, ExpiresAt: ts.Add(time.Hour)}
		update(t, s, func(tx store.Tx) error {
			if err := tx.PutKnownContext(ctx, k); err != nil {
				return err
			}
			if err := tx.PutUserCredential(ctx, store.UserCredential{IdentityStoreID: storeID, UserID: userID(1), PasswordHash: "h"}); err != nil {
				return err
			}
			return tx.CreateWebSession(ctx, store.WebSession{IDHash: []byte{1}, IdentityStoreID: storeID, UserID: userID(1), ExpiresAt: ts})
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetKnownContext(ctx, k.Hash)
			if err != nil {
				t.Fatalf("GetKnownContext: %v", err)
			}
			same(t, "known context", got, k)
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			if err := tx.DeleteUserKnownContexts(ctx, storeID, userID(1)); err != nil {
				return err
			}
			_, err := tx.GetKnownContext(ctx, k.Hash)
			wantErr(t, "forgotten context", err, store.ErrNotFound)
			return tx.DeleteUser(ctx, storeID, userID(1))
		})
		view(t, s, func(tx store.Tx) error {
			_, err := tx.GetUserCredential(ctx, storeID, userID(1))
			wantErr(t, "credential of a deleted user", err, store.ErrNotFound)
			_, err = tx.GetWebSession(ctx, []byte{1})
			wantErr(t, "session of a deleted user", err, store.ErrNotFound)
			return nil
		})
	})
	t.Run("MFASettings", func(t *testing.T) {
		s := fresh(t, open)
		const arn = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
		update(t, s, func(tx store.Tx) error {
			_, err := tx.GetMFASettings(ctx, arn)
			wantErr(t, "unset", err, store.ErrNotFound)
			if err := tx.PutMFASettings(ctx, store.MFASettings{InstanceARN: arn, Mode: store.MFANever, NoDevice: store.MFANoDeviceBlock}); err != nil {
				return err
			}
			return tx.PutMFASettings(ctx, store.MFASettings{InstanceARN: arn, Mode: store.MFAContextChange, NoDevice: store.MFANoDeviceRegister})
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetMFASettings(ctx, arn)
			if err != nil {
				t.Fatalf("GetMFASettings: %v", err)
			}
			same(t, "settings", got, store.MFASettings{InstanceARN: arn, Mode: store.MFAContextChange, NoDevice: store.MFANoDeviceRegister})
			return nil
		})
	})
}
