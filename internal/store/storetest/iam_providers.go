package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// runIAMProviders checks store.IAMProviderRepo: SAML and OIDC identity providers.
func runIAMProviders(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

	t.Run("SAML", func(t *testing.T) {
		s := fresh(t, open)
		p := store.IAMSAMLProvider{ARN: "arn:aws:iam::" + iamAcct + ":saml-provider/okta", AccountID: iamAcct, Name: "okta",
			UUID: "A1B2C3D4E5F6A7B8C9D0E1F2", MetadataDocument: "<md/>", ValidUntil: at.AddDate(1, 0, 0),
			AssertionEncryptionMode: "Allowed", Tags: []store.Tag{{Key: "team", Value: "id"}}, CreatedAt: at,
			PrivateKeys: []store.IAMSAMLPrivateKey{{KeyID: "KEY1", PEM: "-----BEGIN PRIVATE KEY-----", Timestamp: at}}}
		other := store.IAMSAMLProvider{ARN: "arn:aws:iam::" + iamOther + ":saml-provider/okta", AccountID: iamOther, Name: "okta",
			UUID: "X", MetadataDocument: "<md/>", CreatedAt: at}
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateIAMSAMLProvider(ctx, p); err != nil {
				return err
			}
			return tx.CreateIAMSAMLProvider(ctx, other)
		})
		err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateIAMSAMLProvider(ctx, p) })
		wantErr(t, "duplicate", err, store.ErrAlreadyExists)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetIAMSAMLProvider(ctx, p.ARN)
			if err != nil {
				t.Fatalf("GetIAMSAMLProvider: %v", err)
			}
			same(t, "provider", got, p)
			all, err := tx.ListIAMSAMLProviders(ctx, iamAcct)
			if err != nil || len(all) != 1 || all[0].ARN != p.ARN {
				t.Fatalf("ListIAMSAMLProviders = %v, %v", all, err)
			}
			return nil
		})
		p.MetadataDocument, p.PrivateKeys, p.Tags, p.ValidUntil = "<md2/>", nil, nil, time.Time{}
		update(t, s, func(tx store.Tx) error { return tx.ReplaceIAMSAMLProvider(ctx, p) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetIAMSAMLProvider(ctx, p.ARN)
			if err != nil || got.MetadataDocument != "<md2/>" || len(got.PrivateKeys) != 0 || len(got.Tags) != 0 || !got.ValidUntil.IsZero() {
				t.Fatalf("after replace: %+v, %v", got, err)
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error { return tx.DeleteIAMSAMLProvider(ctx, p.ARN) })
		err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteIAMSAMLProvider(ctx, p.ARN) })
		wantErr(t, "delete twice", err, store.ErrNotFound)
		err = s.Update(ctx, func(tx store.Tx) error { return tx.ReplaceIAMSAMLProvider(ctx, p) })
		wantErr(t, "replace deleted", err, store.ErrNotFound)
		err = s.View(ctx, func(tx store.Tx) error { _, err := tx.GetIAMSAMLProvider(ctx, p.ARN); return err })
		wantErr(t, "get deleted", err, store.ErrNotFound)
	})

	t.Run("OIDC", func(t *testing.T) {
		s := fresh(t, open)
		p := store.IAMOIDCProvider{ARN: "arn:aws:iam::" + iamAcct + ":oidc-provider/token.example.com", AccountID: iamAcct,
			URL: "token.example.com", ClientIDs: []string{"sts.amazonaws.com", "app"},
			Thumbprints: []string{"0123456789abcdef0123456789abcdef01234567"}, CreatedAt: at}
		update(t, s, func(tx store.Tx) error { return tx.CreateIAMOIDCProvider(ctx, p) })
		err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateIAMOIDCProvider(ctx, p) })
		wantErr(t, "duplicate", err, store.ErrAlreadyExists)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetIAMOIDCProvider(ctx, p.ARN)
			if err != nil {
				t.Fatalf("GetIAMOIDCProvider: %v", err)
			}
			same(t, "provider", got, p)
			all, err := tx.ListIAMOIDCProviders(ctx, iamOther)
			if err != nil || len(all) != 0 {
				t.Fatalf("ListIAMOIDCProviders(other) = %v, %v", all, err)
			}
			return nil
		})
		p.ClientIDs, p.Thumbprints, p.Tags = []string{"x"}, nil, []store.Tag{{Key: "k", Value: "v"}}
		update(t, s, func(tx store.Tx) error { return tx.ReplaceIAMOIDCProvider(ctx, p) })
		view(t, s, func(tx store.Tx) error {
			all, err := tx.ListIAMOIDCProviders(ctx, iamAcct)
			if err != nil || len(all) != 1 || len(all[0].ClientIDs) != 1 || len(all[0].Thumbprints) != 0 || len(all[0].Tags) != 1 {
				t.Fatalf("after replace: %+v, %v", all, err)
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error { return tx.DeleteIAMOIDCProvider(ctx, p.ARN) })
		err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteIAMOIDCProvider(ctx, p.ARN) })
		wantErr(t, "delete twice", err, store.ErrNotFound)
	})
}
