package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// ---- STS sessions ----

const sessionCols = `access_key_id, token_hash, session_type, account_id, principal_arn, user_id, role_arn, role_id,
	role_name, session_name, source_user_name, policies, policy_arns, tags, transitive_tag_keys, source_identity,
	mfa_present, chained, expires_at, created_at, mfa_auth_at`

// jsonList encodes a list as a JSON array ("[]" for none).
func jsonList[T any](v []T) (string, error) {
	if v == nil {
		v = []T{}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("store: encode list: %w", err)
	}
	return string(b), nil
}

func fromJSONList[T any](s string) ([]T, error) {
	var v []T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("store: decode list: %w", err)
	}
	if len(v) == 0 {
		return nil, nil
	}
	return v, nil
}

func scanSession(sc scanner) (store.Session, error) {
	var s store.Session
	var pols, arns, tags, trans string
	var mfa, chained int
	var eat, cat, mat sql.NullInt64
	err := sc.Scan(&s.AccessKeyID, &s.TokenHash, &s.Type, &s.AccountID, &s.PrincipalARN, &s.UserID, &s.RoleARN, &s.RoleID,
		&s.RoleName, &s.SessionName, &s.SourceUserName, &pols, &arns, &tags, &trans, &s.SourceIdentity,
		&mfa, &chained, &eat, &cat, &mat)
	if err != nil {
		return s, err
	}
	s.MFAPresent, s.Chained = mfa != 0, chained != 0
	s.Expiration, s.CreatedAt, s.MFAAuthTime = fromDB(eat), fromDB(cat), fromDB(mat)
	if s.Policies, err = fromJSONList[string](pols); err != nil {
		return s, err
	}
	if s.PolicyARNs, err = fromJSONList[string](arns); err != nil {
		return s, err
	}
	if s.Tags, err = fromJSONList[store.Tag](tags); err != nil {
		return s, err
	}
	s.TransitiveTagKeys, err = fromJSONList[string](trans)
	return s, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (t *tx) CreateSession(ctx context.Context, s store.Session) error {
	op := "store: create session " + s.AccessKeyID
	pols, err := jsonList(s.Policies)
	if err != nil {
		return err
	}
	arns, err := jsonList(s.PolicyARNs)
	if err != nil {
		return err
	}
	tags, err := jsonList(s.Tags)
	if err != nil {
		return err
	}
	trans, err := jsonList(s.TransitiveTagKeys)
	if err != nil {
		return err
	}
	if s.TokenHash == nil {
		s.TokenHash = []byte{}
	}
	if _, err := t.exec(ctx, op, `INSERT INTO sts_sessions (`+sessionCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.AccessKeyID, s.TokenHash, s.Type, s.AccountID, s.PrincipalARN, s.UserID, s.RoleARN, s.RoleID,
		s.RoleName, s.SessionName, s.SourceUserName, pols, arns, tags, trans, s.SourceIdentity,
		boolInt(s.MFAPresent), boolInt(s.Chained), s.Expiration.UTC().UnixNano(), toDB(s.CreatedAt), toDB(s.MFAAuthTime)); err != nil {
		return err
	}
	return t.CreateAccessKey(ctx, store.AccessKey{AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey,
		AccountID: s.AccountID, PrincipalARN: s.PrincipalARN, Status: "Active", CreatedAt: s.CreatedAt})
}

func (t *tx) GetSession(ctx context.Context, accessKeyID string) (store.Session, error) {
	op := "store: get session " + accessKeyID
	s, err := collectOne(ctx, t, op, `SELECT `+sessionCols+` FROM sts_sessions WHERE access_key_id = ?`,
		[]any{accessKeyID}, scanSession)
	if err != nil {
		return s, err
	}
	k, err := t.GetAccessKey(ctx, accessKeyID)
	if err != nil {
		return store.Session{}, err
	}
	s.SecretAccessKey = k.SecretAccessKey
	return s, nil
}

func (t *tx) DeleteExpiredSessions(ctx context.Context, at time.Time) (int, error) {
	const op = "store: delete expired sessions"
	cut := at.UTC().UnixNano()
	if _, err := t.exec(ctx, op, `DELETE FROM access_keys WHERE access_key_id IN
		(SELECT access_key_id FROM sts_sessions WHERE expires_at <= ?)`, cut); err != nil {
		return 0, err
	}
	res, err := t.exec(ctx, op, `DELETE FROM sts_sessions WHERE expires_at <= ?`, cut)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, t.translate(op, err)
	}
	return int(n), nil
}
