package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// ---- WebAuthn credentials, WebAuthn ceremonies, portal role sessions ----

const webauthnCols = `credential_id, identity_store_id, user_id, name, data, sign_count, created_at, last_used_at`

func scanWebAuthn(sc scanner) (store.WebAuthnCredential, error) {
	var c store.WebAuthnCredential
	var count int64
	var cat, lat sql.NullInt64
	err := sc.Scan(&c.CredentialID, &c.IdentityStoreID, &c.UserID, &c.Name, &c.Data, &count, &cat, &lat)
	c.SignCount, c.CreatedAt, c.LastUsedAt = uint32(count), fromDB(cat), fromDB(lat)
	return c, err
}

func (t *tx) CreateWebAuthnCredential(ctx context.Context, c store.WebAuthnCredential) error {
	_, err := t.exec(ctx, "store: create webauthn credential of user "+c.UserID,
		`INSERT INTO signin_webauthn_credentials (`+webauthnCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.CredentialID, c.IdentityStoreID, c.UserID, c.Name, c.Data, int64(c.SignCount), toDB(c.CreatedAt), toDB(c.LastUsedAt))
	return err
}

func (t *tx) ListWebAuthnCredentials(ctx context.Context, storeID, userID string) ([]store.WebAuthnCredential, error) {
	return collect(ctx, t, "store: list webauthn credentials of user "+userID,
		`SELECT `+webauthnCols+` FROM signin_webauthn_credentials WHERE identity_store_id = ? AND user_id = ?
		ORDER BY created_at, credential_id`, []any{storeID, userID}, scanWebAuthn)
}

func (t *tx) UseWebAuthnCredential(ctx context.Context, id []byte, signCount uint32, data []byte, at time.Time) error {
	const op = "store: use webauthn credential"
	res, err := t.exec(ctx, op, `UPDATE signin_webauthn_credentials SET sign_count = ?, data = ?, last_used_at = ?
		WHERE credential_id = ? AND (sign_count < ? OR (sign_count = 0 AND ? = 0))`,
		int64(signCount), data, toDB(at), id, int64(signCount), int64(signCount))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return t.translate(op, err)
	} else if n > 0 {
		return nil
	}
	var one int
	if err := t.one(ctx, op, `SELECT 1 FROM signin_webauthn_credentials WHERE credential_id = ?`, []any{id}, &one); err != nil {
		return err
	}
	return signinConflict(op + ": signature counter did not increase")
}

func (t *tx) DeleteWebAuthnCredentials(ctx context.Context, storeID, userID string) (int, error) {
	return t.signinExecCount(ctx, "store: delete webauthn credentials of user "+userID,
		`DELETE FROM signin_webauthn_credentials WHERE identity_store_id = ? AND user_id = ?`, storeID, userID)
}

func (t *tx) SetWebSessionCeremony(ctx context.Context, idHash []byte, ceremony []byte) error {
	const op = "store: set web session ceremony"
	var v any
	if ceremony != nil {
		v = ceremony
	}
	res, err := t.exec(ctx, op, `UPDATE signin_web_sessions SET ceremony = ? WHERE id_hash = ?`, v, idHash)
	if err != nil {
		return err
	}
	return t.mustAffect(op, res)
}

func (t *tx) GetWebSessionCeremony(ctx context.Context, idHash []byte) ([]byte, error) {
	var out []byte
	err := t.one(ctx, "store: get web session ceremony", `SELECT ceremony FROM signin_web_sessions WHERE id_hash = ?`,
		[]any{idHash}, &out)
	if len(out) == 0 {
		out = nil
	}
	return out, err
}

func (t *tx) RecordSSORoleSession(ctx context.Context, s store.SSORoleSession) error {
	_, err := t.exec(ctx, "store: record sso role session "+s.AccessKeyID,
		`INSERT INTO sso_role_sessions (access_key_id, identity_store_id, user_id, account_id, permission_set_arn, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`,
		s.AccessKeyID, s.IdentityStoreID, s.UserID, s.AccountID, s.PermissionSetARN, s.ExpiresAt.UTC().UnixNano())
	return err
}

const ssoRoleSessionCols = `access_key_id, identity_store_id, user_id, account_id, permission_set_arn, expires_at`

func scanSSORoleSession(sc scanner) (store.SSORoleSession, error) {
	var s store.SSORoleSession
	var eat sql.NullInt64
	err := sc.Scan(&s.AccessKeyID, &s.IdentityStoreID, &s.UserID, &s.AccountID, &s.PermissionSetARN, &eat)
	s.ExpiresAt = fromDB(eat)
	return s, err
}

func (t *tx) ListSSORoleSessions(ctx context.Context, storeID, userID string) ([]store.SSORoleSession, error) {
	return collect(ctx, t, "store: list sso role sessions of user "+userID,
		`SELECT `+ssoRoleSessionCols+` FROM sso_role_sessions
		WHERE identity_store_id = ? AND user_id = ? ORDER BY access_key_id`, []any{storeID, userID}, scanSSORoleSession)
}

func (t *tx) GetSSORoleSession(ctx context.Context, accessKeyID string) (store.SSORoleSession, error) {
	op := "store: get sso role session " + accessKeyID
	ss, err := collect(ctx, t, op, `SELECT `+ssoRoleSessionCols+` FROM sso_role_sessions WHERE access_key_id = ?`,
		[]any{accessKeyID}, scanSSORoleSession)
	if err != nil {
		return store.SSORoleSession{}, err
	}
	if len(ss) == 0 {
		return store.SSORoleSession{}, notFound(op)
	}
	return ss[0], nil
}

func (t *tx) RevokeOIDCUserTokens(ctx context.Context, userID string) (int, error) {
	return t.signinExecCount(ctx, "store: revoke sso-oidc tokens of user "+userID,
		`UPDATE oidc_tokens SET revoked = 1 WHERE user_id = ? AND revoked = 0`, userID)
}
