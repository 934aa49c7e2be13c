package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// runIdentitySource checks store.IdentitySourceRepo.
func runIdentitySource(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	const arn = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
	t.Run("Setting", func(t *testing.T) {
		s := fresh(t, open)
		in := store.IdentitySource{InstanceARN: arn, Type: store.IdentitySourceExternalSAML, IdPMetadata: "<EntityDescriptor/>",
			MetadataSource: "https://idp.example.com/metadata", SPBaseURL: "https://idcenter.example.com", AllowIdPInitiated: true,
			SPKey: "-----BEGIN PRIVATE KEY-----", SPCertificate: "-----BEGIN CERTIFICATE-----", UpdatedAt: ts,
			UserNameAttribute: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"}
		update(t, s, func(tx store.Tx) error {
			_, err := tx.GetIdentitySource(ctx, arn)
			wantErr(t, "get before put", err, store.ErrNotFound)
			return tx.PutIdentitySource(ctx, in)
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetIdentitySource(ctx, arn)
			if err != nil || got != in {
				t.Fatalf("GetIdentitySource = %+v, %v; want %+v", got, err, in)
			}
			_, err = tx.GetIdentitySource(ctx, arn+"x")
			wantErr(t, "get of another instance", err, store.ErrNotFound)
			return nil
		})
		back := store.IdentitySource{InstanceARN: arn, Type: store.IdentitySourceIdentityStore, UpdatedAt: ts.Add(time.Hour)}
		update(t, s, func(tx store.Tx) error { return tx.PutIdentitySource(ctx, back) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetIdentitySource(ctx, arn)
			if err != nil || got != back {
				t.Fatalf("after replace = %+v, %v; want %+v", got, err, back)
			}
			return nil
		})
	})
	t.Run("Requests", func(t *testing.T) {
		s := fresh(t, open)
		r := store.SAMLRequest{RelayStateHash: []byte("relay-hash-1"), RequestID: "id-abc", Next: "/start/device?user_code=ABCD-EFGH", ExpiresAt: ts}
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateSAMLRequest(ctx, r); err != nil {
				return err
			}
			wantErr(t, "duplicate", tx.CreateSAMLRequest(ctx, r), store.ErrAlreadyExists)
			return tx.CreateSAMLRequest(ctx, store.SAMLRequest{RelayStateHash: []byte("relay-hash-2"), RequestID: "id-2", Next: "/start", ExpiresAt: ts.Add(time.Hour)})
		})
		update(t, s, func(tx store.Tx) error {
			got, err := tx.TakeSAMLRequest(ctx, r.RelayStateHash)
			if err != nil || !bytes.Equal(got.RelayStateHash, r.RelayStateHash) || got.RequestID != r.RequestID || got.Next != r.Next || !got.ExpiresAt.Equal(r.ExpiresAt) {
				t.Fatalf("TakeSAMLRequest = %+v, %v; want %+v", got, err, r)
			}
			_, err = tx.TakeSAMLRequest(ctx, r.RelayStateHash)
			wantErr(t, "second take", err, store.ErrNotFound)
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			n, err := tx.DeleteExpiredSAML(ctx, ts.Add(time.Hour))
			if err != nil || n != 1 {
				t.Fatalf("DeleteExpiredSAML = %d, %v; want 1", n, err)
			}
			_, err = tx.TakeSAMLRequest(ctx, []byte("relay-hash-2"))
			wantErr(t, "take of an expired, removed request", err, store.ErrNotFound)
			return nil
		})
	})
	t.Run("Assertions", func(t *testing.T) {
		s := fresh(t, open)
		update(t, s, func(tx store.Tx) error {
			if err := tx.ConsumeSAMLAssertion(ctx, "_a1", ts); err != nil {
				return err
			}
			wantErr(t, "replay", tx.ConsumeSAMLAssertion(ctx, "_a1", ts.Add(time.Hour)), store.ErrAlreadyExists)
			return tx.ConsumeSAMLAssertion(ctx, "_a2", ts.Add(2*time.Hour))
		})
		update(t, s, func(tx store.Tx) error {
			n, err := tx.DeleteExpiredSAML(ctx, ts)
			if err != nil || n != 1 {
				t.Fatalf("DeleteExpiredSAML = %d, %v; want 1", n, err)
			}
			if err := tx.ConsumeSAMLAssertion(ctx, "_a1", ts.Add(time.Hour)); err != nil {
				t.Fatalf("consume after expiry cleanup: %v", err)
			}
			wantErr(t, "replay of a live one", tx.ConsumeSAMLAssertion(ctx, "_a2", ts.Add(time.Hour)), store.ErrAlreadyExists)
			return nil
		})
	})
	t.Run("Subjects", func(t *testing.T) {
		s := fresh(t, open)
		a := store.SAMLSubject{IdentityStoreID: storeID, UserID: "u-a", NameID: "00u1Opaque",
			NameIDFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", SessionIndex: "_idx1", ExpiresAt: ts}
		b := store.SAMLSubject{IdentityStoreID: storeID, UserID: "u-b", NameID: "00u1Opaque", ExpiresAt: ts.Add(2 * time.Hour)}
		other := store.SAMLSubject{IdentityStoreID: otherStoreID, UserID: "u-a", NameID: "00u1Opaque", ExpiresAt: ts.Add(2 * time.Hour)}
		update(t, s, func(tx store.Tx) error {
			_, err := tx.GetSAMLSubject(ctx, storeID, "u-a")
			wantErr(t, "get before put", err, store.ErrNotFound)
			for _, sub := range []store.SAMLSubject{{IdentityStoreID: storeID, UserID: "u-a", NameID: "old", ExpiresAt: ts}, a, b, other} {
				if err := tx.PutSAMLSubject(ctx, sub); err != nil {
					return err
				}
			}
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetSAMLSubject(ctx, storeID, "u-a")
			if err != nil || got.NameID != a.NameID || got.NameIDFormat != a.NameIDFormat || got.SessionIndex != a.SessionIndex || !got.ExpiresAt.Equal(a.ExpiresAt) {
				t.Fatalf("GetSAMLSubject = %+v, %v; want %+v (replaced)", got, err, a)
			}
			list, err := tx.FindSAMLSubjects(ctx, storeID, "00u1Opaque")
			if err != nil || len(list) != 2 || list[0].UserID != "u-a" || list[1].UserID != "u-b" {
				t.Fatalf("FindSAMLSubjects = %+v, %v", list, err)
			}
			list, err = tx.FindSAMLSubjects(ctx, storeID, "00u1opaque")
			if err != nil || len(list) != 0 {
				t.Fatalf("FindSAMLSubjects in another case = %+v, %v; want none (exact match)", list, err)
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			n, err := tx.DeleteExpiredSAML(ctx, ts.Add(time.Hour))
			if err != nil || n != 1 {
				t.Fatalf("DeleteExpiredSAML = %d, %v; want 1", n, err)
			}
			_, err = tx.GetSAMLSubject(ctx, storeID, "u-a")
			wantErr(t, "expired subject", err, store.ErrNotFound)
			if _, err := tx.GetSAMLSubject(ctx, otherStoreID, "u-a"); err != nil {
				t.Fatalf("the other store's subject: %v", err)
			}
			return nil
		})
	})
	t.Run("StoreWebSessions", func(t *testing.T) {
		s := fresh(t, open)
		update(t, s, func(tx store.Tx) error {
			for i, n := range []string{"alice", "bob"} {
				if err := tx.CreateUser(ctx, newUser(i+1, n)); err != nil {
					return err
				}
			}
			for i, h := range []string{"s1", "s2", "s3"} {
				if err := tx.CreateWebSession(ctx, store.WebSession{IDHash: []byte(h), IdentityStoreID: storeID, UserID: userID(i%2 + 1),
					CreatedAt: ts, ExpiresAt: ts.Add(time.Hour)}); err != nil {
					return err
				}
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			n, err := tx.DeleteStoreWebSessions(ctx, otherStoreID)
			if err != nil || n != 0 {
				t.Fatalf("DeleteStoreWebSessions(other) = %d, %v", n, err)
			}
			n, err = tx.DeleteStoreWebSessions(ctx, storeID)
			if err != nil || n != 3 {
				t.Fatalf("DeleteStoreWebSessions = %d, %v; want 3", n, err)
			}
			_, err = tx.GetWebSession(ctx, []byte("s1"))
			wantErr(t, "session after delete", err, store.ErrNotFound)
			return nil
		})
	})
}
