package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// runWebAuthn checks store.WebAuthnRepo and the sign-in settings and known
// context fields added with it.
func runWebAuthn(t *testing.T, open func(t *testing.T) store.Store) {
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
		a := store.WebAuthnCredential{CredentialID: []byte{1, 2, 3}, IdentityStoreID: storeID, UserID: userID(1), Name: "key",
			Data: []byte(`{"id":"AQID"}`), SignCount: 5, CreatedAt: ts}
		b := store.WebAuthnCredential{CredentialID: []byte{4}, IdentityStoreID: storeID, UserID: userID(1), Name: "passkey",
			Data: []byte(`{}`), CreatedAt: ts.Add(time.Second)}
		c := store.WebAuthnCredential{CredentialID: []byte{5}, IdentityStoreID: storeID, UserID: userID(2), Name: "bob's",
			Data: []byte(`{}`), CreatedAt: ts}
		update(t, s, func(tx store.Tx) error {
			for _, x := range []store.WebAuthnCredential{b, a, c} {
				if err := tx.CreateWebAuthnCredential(ctx, x); err != nil {
					t.Fatalf("CreateWebAuthnCredential: %v", err)
				}
			}
			wantErr(t, "duplicate id", tx.CreateWebAuthnCredential(ctx, a), store.ErrAlreadyExists)
			missing := a
			missing.CredentialID, missing.UserID = []byte{9}, userID(9)
			wantErr(t, "missing user", tx.CreateWebAuthnCredential(ctx, missing), store.ErrNotFound)
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.ListWebAuthnCredentials(ctx, storeID, userID(1))
			if err != nil {
				t.Fatalf("ListWebAuthnCredentials: %v", err)
			}
			same(t, "alice's credentials", got, []store.WebAuthnCredential{a, b})
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			wantErr(t, "same counter", tx.UseWebAuthnCredential(ctx, a.CredentialID, 5, a.Data, ts), store.ErrConflict)
			wantErr(t, "lower counter", tx.UseWebAuthnCredential(ctx, a.CredentialID, 4, a.Data, ts), store.ErrConflict)
			wantErr(t, "zero after non-zero", tx.UseWebAuthnCredential(ctx, a.CredentialID, 0, a.Data, ts), store.ErrConflict)
			wantErr(t, "unknown", tx.UseWebAuthnCredential(ctx, []byte{7}, 9, a.Data, ts), store.ErrNotFound)
			if err := tx.UseWebAuthnCredential(ctx, a.CredentialID, 6, []byte(`{"n":6}`), ts.Add(time.Minute)); err != nil {
				t.Fatalf("UseWebAuthnCredential 6: %v", err)
			}
			// An authenticator without a counter always sends 0.
			if err := tx.UseWebAuthnCredential(ctx, b.CredentialID, 0, b.Data, ts.Add(time.Minute)); err != nil {
				t.Fatalf("UseWebAuthnCredential 0/0: %v", err)
			}
			return tx.UseWebAuthnCredential(ctx, b.CredentialID, 0, b.Data, ts.Add(2*time.Minute))
		})
		view(t, s, func(tx store.Tx) error {
			got, _ := tx.ListWebAuthnCredentials(ctx, storeID, userID(1))
			a.SignCount, a.Data, a.LastUsedAt = 6, []byte(`{"n":6}`), ts.Add(time.Minute)
			b.LastUsedAt = ts.Add(2 * time.Minute)
			same(t, "after use", got, []store.WebAuthnCredential{a, b})
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			n, err := tx.DeleteWebAuthnCredentials(ctx, storeID, userID(1))
			if err != nil || n != 2 {
				t.Fatalf("DeleteWebAuthnCredentials = %d, %v; want 2", n, err)
			}
			return tx.DeleteUser(ctx, storeID, userID(2))
		})
		view(t, s, func(tx store.Tx) error {
			for _, u := range []int{1, 2} {
				got, err := tx.ListWebAuthnCredentials(ctx, storeID, userID(u))
				if err != nil || len(got) != 0 {
					t.Fatalf("credentials of user %d after delete = %+v, %v", u, got, err)
				}
			}
			return nil
		})
	})
	t.Run("Ceremony", func(t *testing.T) {
		s := withUsers(t)
		ws := store.WebSession{IDHash: []byte("h1"), IdentityStoreID: storeID, UserID: userID(1), CreatedAt: ts, ExpiresAt: ts.Add(time.Hour)}
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateWebSession(ctx, ws); err != nil {
				return err
			}
			got, err := tx.GetWebSessionCeremony(ctx, ws.IDHash)
			if err != nil || got != nil {
				t.Fatalf("ceremony of a new session = %q, %v; want none", got, err)
			}
			_, err = tx.GetWebSessionCeremony(ctx, []byte("nope"))
			wantErr(t, "get of missing session", err, store.ErrNotFound)
			wantErr(t, "set on missing session", tx.SetWebSessionCeremony(ctx, []byte("nope"), []byte("x")), store.ErrNotFound)
			return tx.SetWebSessionCeremony(ctx, ws.IDHash, []byte(`{"challenge":"c"}`))
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetWebSessionCeremony(ctx, ws.IDHash)
			if err != nil || string(got) != `{"challenge":"c"}` {
				t.Fatalf("ceremony = %q, %v", got, err)
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error { return tx.SetWebSessionCeremony(ctx, ws.IDHash, nil) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetWebSessionCeremony(ctx, ws.IDHash)
			if err != nil || got != nil {
				t.Fatalf("cleared ceremony = %q, %v", got, err)
			}
			return nil
		})
	})
	t.Run("KnownContextClient", func(t *testing.T) {
		s := withUsers(t)
		k := store.KnownContext{Hash: []byte("k1"), IdentityStoreID: storeID, UserID: userID(1), CreatedAt: ts,
			ExpiresAt: ts.Add(time.Hour), ClientHash: []byte("client")}
		bare := store.KnownContext{Hash: []byte("k2"), IdentityStoreID: storeID, UserID: userID(1), CreatedAt: ts, ExpiresAt: ts.Add(time.Hour)}
		update(t, s, func(tx store.Tx) error {
			if err := tx.PutKnownContext(ctx, k); err != nil {
				return err
			}
			return tx.PutKnownContext(ctx, bare)
		})
		view(t, s, func(tx store.Tx) error {
			for _, want := range []store.KnownContext{k, bare} {
				got, err := tx.GetKnownContext(ctx, want.Hash)
				if err != nil {
					t.Fatalf("GetKnownContext: %v", err)
				}
				same(t, "known context", got, want)
			}
			return nil
		})
	})
	t.Run("SettingsTypesAndSession", func(t *testing.T) {
		s := fresh(t, open)
		const arn = "arn:aws:sso:::instance/ssoins-1111111111111111"
		set := store.MFASettings{InstanceARN: arn, Mode: store.MFAAlways, NoDevice: store.MFANoDeviceAllow,
			Types: []string{store.MFATypeWebAuthn}, SessionDuration: 90 * time.Minute}
		update(t, s, func(tx store.Tx) error { return tx.PutMFASettings(ctx, set) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetMFASettings(ctx, arn)
			if err != nil {
				t.Fatalf("GetMFASettings: %v", err)
			}
			same(t, "settings", got, set)
			return nil
		})
	})
	t.Run("RoleSessions", func(t *testing.T) {
		s := withUsers(t)
		mk := func(id, user, acct string) store.SSORoleSession {
			return store.SSORoleSession{AccessKeyID: id, IdentityStoreID: storeID, UserID: user, AccountID: acct,
				PermissionSetARN: "arn:aws:sso:::permissionSet/ssoins-1/ps-1", ExpiresAt: ts.Add(time.Hour)}
		}
		a, b, c := mk("ASIAB000000000000002", userID(1), "111111111111"), mk("ASIAA000000000000001", userID(1), "222222222222"),
			mk("ASIAC000000000000003", userID(2), "111111111111")
		update(t, s, func(tx store.Tx) error {
			for _, x := range []store.SSORoleSession{a, b, c} {
				if err := tx.CreateAccessKey(ctx, store.AccessKey{AccessKeyID: x.AccessKeyID, SecretAccessKey: "s",
					AccountID: x.AccountID, PrincipalARN: "arn:aws:sts::" + x.AccountID + ":assumed-role/r/u", Status: "Active", CreatedAt: ts}); err != nil {
					return err
				}
				if err := tx.RecordSSORoleSession(ctx, x); err != nil {
					t.Fatalf("RecordSSORoleSession: %v", err)
				}
			}
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.ListSSORoleSessions(ctx, storeID, userID(1))
			if err != nil {
				t.Fatalf("ListSSORoleSessions: %v", err)
			}
			same(t, "alice's role sessions", got, []store.SSORoleSession{b, a})
			one, err := tx.GetSSORoleSession(ctx, c.AccessKeyID)
			if err != nil {
				t.Fatalf("GetSSORoleSession: %v", err)
			}
			same(t, "bob's role session by key", one, c)
			if _, err := tx.GetSSORoleSession(ctx, "ASIAZ000000000000009"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("GetSSORoleSession of another key: %v, want ErrNotFound", err)
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error { return tx.DeleteAccessKey(ctx, a.AccessKeyID) })
		view(t, s, func(tx store.Tx) error {
			got, _ := tx.ListSSORoleSessions(ctx, storeID, userID(1))
			same(t, "role sessions after the key's deletion", got, []store.SSORoleSession{b})
			if _, err := tx.GetSSORoleSession(ctx, a.AccessKeyID); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("GetSSORoleSession after the key's deletion: %v, want ErrNotFound", err)
			}
			return nil
		})
	})
	t.Run("RevokeUserTokens", func(t *testing.T) {
		s := fresh(t, open)
		tok := func(h byte, user, sess string) store.OIDCToken {
			return store.OIDCToken{AccessHash: []byte{h}, ClientID: "c", UserID: user, SessionID: sess,
				ExpiresAt: ts.Add(time.Hour), SessionExpiresAt: ts.Add(time.Hour), CreatedAt: ts}
		}
		update(t, s, func(tx store.Tx) error {
			for _, x := range []store.OIDCToken{tok(1, userID(1), "s1"), tok(2, userID(1), "s2"), tok(3, userID(2), "s3")} {
				if err := tx.CreateOIDCToken(ctx, x); err != nil {
					return err
				}
			}
			return tx.RevokeOIDCToken(ctx, []byte{2})
		})
		update(t, s, func(tx store.Tx) error {
			n, err := tx.RevokeOIDCUserTokens(ctx, userID(1))
			if err != nil || n != 1 {
				t.Fatalf("RevokeOIDCUserTokens = %d, %v; want 1 (one was already revoked)", n, err)
			}
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			for h, want := range map[byte]bool{1: true, 2: true, 3: false} {
				got, err := tx.GetOIDCTokenByAccess(ctx, []byte{h})
				if err != nil || got.Revoked != want {
					t.Fatalf("token %d revoked = %v, %v; want %v", h, got.Revoked, err, want)
				}
			}
			return nil
		})
	})
}
