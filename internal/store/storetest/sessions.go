package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// runSessions checks store.SessionRepo.
func runSessions(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	role := store.Session{
		AccessKeyID: "ASIAROLESESSION00001", SecretAccessKey: "secret/role+1", TokenHash: bytes.Repeat([]byte{1}, 32),
		Type: store.SessionAssumedRole, AccountID: "123456789012",
		PrincipalARN: "arn:aws:sts::123456789012:assumed-role/Deploy/ci", UserID: "AROAEXAMPLEEXAMPLE12:ci",
		RoleARN: "arn:aws:iam::123456789012:role/Deploy", RoleID: "AROAEXAMPLEEXAMPLE12", RoleName: "Deploy",
		SessionName: "ci", Policies: []string{`{"Version":"2012-10-17","Statement":[]}`},
		PolicyARNs: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
		Tags:       []store.Tag{{Key: "team", Value: "blue"}}, TransitiveTagKeys: []string{"team"},
		SourceIdentity: "alice", MFAPresent: true, MFAAuthTime: ts.Add(-time.Minute), Chained: true,
		Expiration: ts.Add(time.Hour), CreatedAt: ts,
	}
	user := store.Session{
		AccessKeyID: "ASIAUSERSESSION00002", SecretAccessKey: "secret2", TokenHash: bytes.Repeat([]byte{2}, 32),
		Type: store.SessionToken, AccountID: "123456789012", PrincipalARN: "arn:aws:iam::123456789012:user/bob",
		UserID: "AIDAEXAMPLEEXAMPLE34", SourceUserName: "bob", Expiration: ts.Add(12 * time.Hour), CreatedAt: ts,
	}
	t.Run("CRUD", func(t *testing.T) {
		s := fresh(t, open)
		update(t, s, func(tx store.Tx) error {
			for _, x := range []store.Session{role, user} {
				if err := tx.CreateSession(ctx, x); err != nil {
					t.Fatalf("CreateSession %s: %v", x.AccessKeyID, err)
				}
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			wantErr(t, "duplicate", tx.CreateSession(ctx, role), store.ErrAlreadyExists)
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			for _, want := range []store.Session{role, user} {
				got, err := tx.GetSession(ctx, want.AccessKeyID)
				if err != nil {
					t.Fatalf("GetSession: %v", err)
				}
				same(t, "get "+want.AccessKeyID, got, want)
				// The session's key is an access key authentication finds.
				k, err := tx.GetAccessKey(ctx, want.AccessKeyID)
				if err != nil {
					t.Fatalf("GetAccessKey of a session: %v", err)
				}
				same(t, "session key", k, store.AccessKey{AccessKeyID: want.AccessKeyID, SecretAccessKey: want.SecretAccessKey,
					AccountID: want.AccountID, PrincipalARN: want.PrincipalARN, Status: "Active", CreatedAt: want.CreatedAt})
			}
			_, err := tx.GetSession(ctx, "ASIANOSUCHSESSION000")
			wantErr(t, "get missing", err, store.ErrNotFound)
			// A session key is no user's long-term key.
			keys, err := tx.ListUserAccessKeys(ctx, "123456789012", "bob")
			if err != nil {
				t.Fatalf("ListUserAccessKeys: %v", err)
			}
			if len(keys) != 0 {
				t.Fatalf("session keys listed as bob's keys: %+v", keys)
			}
			return nil
		})
	})
	t.Run("DeleteExpired", func(t *testing.T) {
		s := fresh(t, open)
		update(t, s, func(tx store.Tx) error {
			for _, x := range []store.Session{role, user} {
				if err := tx.CreateSession(ctx, x); err != nil {
					t.Fatalf("CreateSession: %v", err)
				}
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			n, err := tx.DeleteExpiredSessions(ctx, role.Expiration.Add(-time.Nanosecond))
			if err != nil || n != 0 {
				t.Fatalf("DeleteExpiredSessions before any expiry = %d, %v", n, err)
			}
			n, err = tx.DeleteExpiredSessions(ctx, role.Expiration)
			if err != nil || n != 1 {
				t.Fatalf("DeleteExpiredSessions at the first expiry = %d, %v; want 1", n, err)
			}
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			_, err := tx.GetSession(ctx, role.AccessKeyID)
			wantErr(t, "expired session", err, store.ErrNotFound)
			_, err = tx.GetAccessKey(ctx, role.AccessKeyID)
			wantErr(t, "expired session's key", err, store.ErrNotFound)
			if _, err := tx.GetSession(ctx, user.AccessKeyID); err != nil {
				t.Fatalf("live session gone: %v", err)
			}
			return nil
		})
	})
}
