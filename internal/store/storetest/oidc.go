package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// runOIDC checks store.OIDCRepo.
func runOIDC(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	h := func(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }
	client := store.OIDCClient{ClientID: "client-1", SecretHash: h(1), Name: "cli", Type: "public",
		Scopes: []string{"sso:account:access"}, GrantTypes: []string{"authorization_code", "refresh_token"},
		RedirectURIs: []string{"http://127.0.0.1/oauth/callback"}, IssuerURL: "http://x/start",
		IssuedAt: ts, ExpiresAt: ts.Add(90 * 24 * time.Hour)}
	device := store.DeviceAuthorization{DeviceCodeHash: h(2), UserCode: "ABCD-EFGH", ClientID: "client-1",
		StartURL: "http://x/start", Scopes: []string{"sso:account:access"}, Status: store.DevicePending, Interval: 1,
		ExpiresAt: ts.Add(10 * time.Minute), CreatedAt: ts}
	code := store.AuthCode{CodeHash: h(3), ClientID: "client-1", RedirectURI: "http://127.0.0.1:4242/oauth/callback",
		CodeChallenge: "abc", UserID: userID(1), Scopes: []string{"openid"}, ExpiresAt: ts.Add(5 * time.Minute), CreatedAt: ts}
	tok := store.OIDCToken{AccessHash: h(4), RefreshHash: h(5), ClientID: "client-1", UserID: userID(1),
		Scopes: []string{"sso:account:access"}, SessionID: "sess-1", ExpiresAt: ts.Add(time.Hour),
		SessionExpiresAt: ts.Add(8 * time.Hour), CreatedAt: ts}
	sibling := store.OIDCToken{AccessHash: h(6), ClientID: "client-1", UserID: userID(1), SessionID: "sess-1",
		ExpiresAt: ts.Add(time.Hour), SessionExpiresAt: ts.Add(8 * time.Hour), CreatedAt: ts}
	other := store.OIDCToken{AccessHash: h(7), RefreshHash: h(8), ClientID: "client-1", UserID: userID(2), SessionID: "sess-2",
		ExpiresAt: ts.Add(time.Hour), SessionExpiresAt: ts.Add(time.Hour), CreatedAt: ts}

	t.Run("CRUD", func(t *testing.T) {
		s := fresh(t, open)
		update(t, s, func(tx store.Tx) error {
			for _, err := range []error{tx.CreateOIDCClient(ctx, client), tx.CreateDeviceAuthorization(ctx, device),
				tx.CreateAuthCode(ctx, code), tx.CreateOIDCToken(ctx, tok), tx.CreateOIDCToken(ctx, sibling),
				tx.CreateOIDCToken(ctx, other)} {
				if err != nil {
					t.Fatalf("create: %v", err)
				}
			}
			return nil
		})
		dupDevice := device
		dupDevice.DeviceCodeHash = h(9)
		dupRefresh := other
		dupRefresh.AccessHash = h(10)
		for _, tc := range []struct {
			name string
			fn   func(tx store.Tx) error
		}{
			{"client", func(tx store.Tx) error { return tx.CreateOIDCClient(ctx, client) }},
			{"device code", func(tx store.Tx) error { return tx.CreateDeviceAuthorization(ctx, device) }},
			{"user code", func(tx store.Tx) error { return tx.CreateDeviceAuthorization(ctx, dupDevice) }},
			{"auth code", func(tx store.Tx) error { return tx.CreateAuthCode(ctx, code) }},
			{"access token", func(tx store.Tx) error { return tx.CreateOIDCToken(ctx, tok) }},
			{"refresh token", func(tx store.Tx) error { return tx.CreateOIDCToken(ctx, dupRefresh) }},
		} {
			err := s.Update(ctx, tc.fn)
			wantErr(t, "duplicate "+tc.name, err, store.ErrAlreadyExists)
		}
		view(t, s, func(tx store.Tx) error {
			c, err := tx.GetOIDCClient(ctx, "client-1")
			if err != nil {
				t.Fatalf("GetOIDCClient: %v", err)
			}
			same(t, "client", c, client)
			d, err := tx.GetDeviceAuthorization(ctx, h(2))
			if err != nil {
				t.Fatalf("GetDeviceAuthorization: %v", err)
			}
			same(t, "device", d, device)
			d, err = tx.GetDeviceAuthorizationByUserCode(ctx, "ABCD-EFGH")
			if err != nil {
				t.Fatalf("GetDeviceAuthorizationByUserCode: %v", err)
			}
			same(t, "device by user code", d, device)
			ac, err := tx.GetAuthCode(ctx, h(3))
			if err != nil {
				t.Fatalf("GetAuthCode: %v", err)
			}
			same(t, "auth code", ac, code)
			for _, want := range []store.OIDCToken{tok, sibling, other} {
				got, err := tx.GetOIDCTokenByAccess(ctx, want.AccessHash)
				if err != nil {
					t.Fatalf("GetOIDCTokenByAccess: %v", err)
				}
				same(t, "token", got, want)
			}
			got, err := tx.GetOIDCTokenByRefresh(ctx, h(5))
			if err != nil {
				t.Fatalf("GetOIDCTokenByRefresh: %v", err)
			}
			same(t, "token by refresh", got, tok)
			for name, err := range map[string]error{
				"client":       func() error { _, err := tx.GetOIDCClient(ctx, "nope"); return err }(),
				"device":       func() error { _, err := tx.GetDeviceAuthorization(ctx, h(99)); return err }(),
				"user code":    func() error { _, err := tx.GetDeviceAuthorizationByUserCode(ctx, "abcd-efgh"); return err }(),
				"auth code":    func() error { _, err := tx.GetAuthCode(ctx, h(99)); return err }(),
				"access":       func() error { _, err := tx.GetOIDCTokenByAccess(ctx, h(99)); return err }(),
				"refresh":      func() error { _, err := tx.GetOIDCTokenByRefresh(ctx, h(99)); return err }(),
				"empty refres": func() error { _, err := tx.GetOIDCTokenByRefresh(ctx, nil); return err }(),
			} {
				wantErr(t, "missing "+name, err, store.ErrNotFound)
			}
			return nil
		})
		// Device updates and deletions, code deletion.
		device2 := device
		device2.Status, device2.UserID, device2.LastPolledAt, device2.FailedAttempts = store.DeviceApproved, userID(1), ts.Add(time.Second), 2
		update(t, s, func(tx store.Tx) error {
			if err := tx.UpdateDeviceAuthorization(ctx, device2); err != nil {
				t.Fatalf("UpdateDeviceAuthorization: %v", err)
			}
			if err := tx.DeleteAuthCode(ctx, h(3)); err != nil {
				t.Fatalf("DeleteAuthCode: %v", err)
			}
			wantErr(t, "delete code twice", tx.DeleteAuthCode(ctx, h(3)), store.ErrNotFound)
			missing := device2
			missing.DeviceCodeHash = h(99)
			wantErr(t, "update missing device", tx.UpdateDeviceAuthorization(ctx, missing), store.ErrNotFound)
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			d, err := tx.GetDeviceAuthorization(ctx, h(2))
			if err != nil {
				t.Fatalf("GetDeviceAuthorization: %v", err)
			}
			same(t, "updated device", d, device2)
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			if err := tx.DeleteDeviceAuthorization(ctx, h(2)); err != nil {
				t.Fatalf("DeleteDeviceAuthorization: %v", err)
			}
			wantErr(t, "delete device twice", tx.DeleteDeviceAuthorization(ctx, h(2)), store.ErrNotFound)
			return nil
		})
		// Revocation: one token, then a whole session.
		update(t, s, func(tx store.Tx) error {
			if err := tx.RevokeOIDCToken(ctx, h(7)); err != nil {
				t.Fatalf("RevokeOIDCToken: %v", err)
			}
			wantErr(t, "revoke missing", tx.RevokeOIDCToken(ctx, h(99)), store.ErrNotFound)
			return tx.RevokeOIDCSession(ctx, "sess-1")
		})
		view(t, s, func(tx store.Tx) error {
			for _, hash := range [][]byte{h(4), h(6), h(7)} {
				got, err := tx.GetOIDCTokenByAccess(ctx, hash)
				if err != nil || !got.Revoked {
					t.Fatalf("token %x: revoked %v, err %v", hash[0], got.Revoked, err)
				}
			}
			return nil
		})
	})
	t.Run("SessionKeysAndExpiry", func(t *testing.T) {
		s := fresh(t, open)
		update(t, s, func(tx store.Tx) error {
			for _, err := range []error{tx.CreateOIDCClient(ctx, client), tx.CreateDeviceAuthorization(ctx, device),
				tx.CreateAuthCode(ctx, code), tx.CreateOIDCToken(ctx, tok), tx.CreateOIDCToken(ctx, other),
				tx.AddOIDCSessionKey(ctx, "sess-1", "ASIAB"), tx.AddOIDCSessionKey(ctx, "sess-1", "ASIAA"),
				tx.AddOIDCSessionKey(ctx, "sess-2", "ASIAC")} {
				if err != nil {
					t.Fatalf("create: %v", err)
				}
			}
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			keys, err := tx.ListOIDCSessionKeys(ctx, "sess-1")
			if err != nil {
				t.Fatalf("ListOIDCSessionKeys: %v", err)
			}
			same(t, "session keys", keys, []string{"ASIAA", "ASIAB"})
			return nil
		})
		// At ts+1h: the device authorization, the code and session 2 are gone.
		update(t, s, func(tx store.Tx) error { return tx.DeleteExpiredOIDC(ctx, ts.Add(time.Hour)) })
		view(t, s, func(tx store.Tx) error {
			for name, tc := range map[string]struct {
				err  error
				gone bool
			}{
				"client":    {func() error { _, err := tx.GetOIDCClient(ctx, "client-1"); return err }(), false},
				"device":    {func() error { _, err := tx.GetDeviceAuthorization(ctx, h(2)); return err }(), true},
				"code":      {func() error { _, err := tx.GetAuthCode(ctx, h(3)); return err }(), true},
				"session 1": {func() error { _, err := tx.GetOIDCTokenByAccess(ctx, h(4)); return err }(), false},
				"session 2": {func() error { _, err := tx.GetOIDCTokenByAccess(ctx, h(7)); return err }(), true},
			} {
				if tc.gone {
					wantErr(t, name+" after expiry", tc.err, store.ErrNotFound)
				} else if tc.err != nil {
					t.Fatalf("%s after expiry: %v", name, tc.err)
				}
			}
			keys, err := tx.ListOIDCSessionKeys(ctx, "sess-2")
			if err != nil || len(keys) != 0 {
				t.Fatalf("keys of an expired session: %v, %v", keys, err)
			}
			return nil
		})
	})
}
