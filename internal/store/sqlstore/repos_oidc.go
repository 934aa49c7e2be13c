package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// ---- sso-oidc ----

const oidcClientCols = `client_id, secret_hash, name, client_type, scopes, grant_types, redirect_uris, issuer_url, issued_at, expires_at`

func scanOIDCClient(sc scanner) (store.OIDCClient, error) {
	var c store.OIDCClient
	var scopes, grants, uris string
	var iat, eat sql.NullInt64
	if err := sc.Scan(&c.ClientID, &c.SecretHash, &c.Name, &c.Type, &scopes, &grants, &uris, &c.IssuerURL, &iat, &eat); err != nil {
		return c, err
	}
	c.IssuedAt, c.ExpiresAt = fromDB(iat), fromDB(eat)
	var err error
	if c.Scopes, err = fromJSONList[string](scopes); err != nil {
		return c, err
	}
	if c.GrantTypes, err = fromJSONList[string](grants); err != nil {
		return c, err
	}
	c.RedirectURIs, err = fromJSONList[string](uris)
	return c, err
}

func (t *tx) CreateOIDCClient(ctx context.Context, c store.OIDCClient) error {
	op := "store: create oidc client " + c.ClientID
	scopes, err := jsonList(c.Scopes)
	if err != nil {
		return err
	}
	grants, err := jsonList(c.GrantTypes)
	if err != nil {
		return err
	}
	uris, err := jsonList(c.RedirectURIs)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, op, `INSERT INTO oidc_clients (`+oidcClientCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ClientID, nonNilBytes(c.SecretHash), c.Name, c.Type, scopes, grants, uris, c.IssuerURL, toDB(c.IssuedAt), c.ExpiresAt.UTC().UnixNano())
	return err
}

func (t *tx) GetOIDCClient(ctx context.Context, clientID string) (store.OIDCClient, error) {
	return collectOne(ctx, t, "store: get oidc client", `SELECT `+oidcClientCols+` FROM oidc_clients WHERE client_id = ?`,
		[]any{clientID}, scanOIDCClient)
}

func nonNilBytes(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

const deviceCols = `device_code_hash, user_code, client_id, start_url, scopes, status, user_id, interval_seconds,
	last_polled_at, failed_attempts, expires_at, created_at`

func scanDevice(sc scanner) (store.DeviceAuthorization, error) {
	var d store.DeviceAuthorization
	var scopes string
	var lp, eat, cat sql.NullInt64
	if err := sc.Scan(&d.DeviceCodeHash, &d.UserCode, &d.ClientID, &d.StartURL, &scopes, &d.Status, &d.UserID, &d.Interval,
		&lp, &d.FailedAttempts, &eat, &cat); err != nil {
		return d, err
	}
	d.LastPolledAt, d.ExpiresAt, d.CreatedAt = fromDB(lp), fromDB(eat), fromDB(cat)
	var err error
	d.Scopes, err = fromJSONList[string](scopes)
	return d, err
}

func (t *tx) CreateDeviceAuthorization(ctx context.Context, d store.DeviceAuthorization) error {
	const op = "store: create device authorization"
	scopes, err := jsonList(d.Scopes)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, op, `INSERT INTO oidc_device_authorizations (`+deviceCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nonNilBytes(d.DeviceCodeHash), d.UserCode, d.ClientID, d.StartURL, scopes, d.Status, d.UserID, d.Interval,
		toDB(d.LastPolledAt), d.FailedAttempts, d.ExpiresAt.UTC().UnixNano(), toDB(d.CreatedAt))
	return err
}

func (t *tx) GetDeviceAuthorization(ctx context.Context, hash []byte) (store.DeviceAuthorization, error) {
	return collectOne(ctx, t, "store: get device authorization",
		`SELECT `+deviceCols+` FROM oidc_device_authorizations WHERE device_code_hash = ?`, []any{nonNilBytes(hash)}, scanDevice)
}

func (t *tx) GetDeviceAuthorizationByUserCode(ctx context.Context, userCode string) (store.DeviceAuthorization, error) {
	return collectOne(ctx, t, "store: get device authorization by user code",
		`SELECT `+deviceCols+` FROM oidc_device_authorizations WHERE user_code = ?`, []any{userCode}, scanDevice)
}

func (t *tx) UpdateDeviceAuthorization(ctx context.Context, d store.DeviceAuthorization) error {
	return t.execAffect(ctx, "store: update device authorization", `UPDATE oidc_device_authorizations
		SET status = ?, user_id = ?, last_polled_at = ?, failed_attempts = ? WHERE device_code_hash = ?`,
		d.Status, d.UserID, toDB(d.LastPolledAt), d.FailedAttempts, nonNilBytes(d.DeviceCodeHash))
}

func (t *tx) DeleteDeviceAuthorization(ctx context.Context, hash []byte) error {
	return t.execAffect(ctx, "store: delete device authorization",
		`DELETE FROM oidc_device_authorizations WHERE device_code_hash = ?`, nonNilBytes(hash))
}

const authCodeCols = `code_hash, client_id, redirect_uri, code_challenge, user_id, scopes, expires_at, created_at`

func scanAuthCode(sc scanner) (store.AuthCode, error) {
	var c store.AuthCode
	var scopes string
	var eat, cat sql.NullInt64
	if err := sc.Scan(&c.CodeHash, &c.ClientID, &c.RedirectURI, &c.CodeChallenge, &c.UserID, &scopes, &eat, &cat); err != nil {
		return c, err
	}
	c.ExpiresAt, c.CreatedAt = fromDB(eat), fromDB(cat)
	var err error
	c.Scopes, err = fromJSONList[string](scopes)
	return c, err
}

func (t *tx) CreateAuthCode(ctx context.Context, c store.AuthCode) error {
	scopes, err := jsonList(c.Scopes)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, "store: create auth code", `INSERT INTO oidc_auth_codes (`+authCodeCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		nonNilBytes(c.CodeHash), c.ClientID, c.RedirectURI, c.CodeChallenge, c.UserID, scopes, c.ExpiresAt.UTC().UnixNano(), toDB(c.CreatedAt))
	return err
}

func (t *tx) GetAuthCode(ctx context.Context, hash []byte) (store.AuthCode, error) {
	return collectOne(ctx, t, "store: get auth code", `SELECT `+authCodeCols+` FROM oidc_auth_codes WHERE code_hash = ?`,
		[]any{nonNilBytes(hash)}, scanAuthCode)
}

func (t *tx) DeleteAuthCode(ctx context.Context, hash []byte) error {
	return t.execAffect(ctx, "store: delete auth code", `DELETE FROM oidc_auth_codes WHERE code_hash = ?`, nonNilBytes(hash))
}

const tokenCols = `access_hash, refresh_hash, client_id, user_id, scopes, session_id, expires_at, session_expires_at, revoked, created_at`

func scanToken(sc scanner) (store.OIDCToken, error) {
	var tk store.OIDCToken
	var scopes string
	var revoked int
	var eat, seat, cat sql.NullInt64
	if err := sc.Scan(&tk.AccessHash, &tk.RefreshHash, &tk.ClientID, &tk.UserID, &scopes, &tk.SessionID, &eat, &seat, &revoked, &cat); err != nil {
		return tk, err
	}
	tk.ExpiresAt, tk.SessionExpiresAt, tk.CreatedAt = fromDB(eat), fromDB(seat), fromDB(cat)
	tk.Revoked = revoked != 0
	if len(tk.RefreshHash) == 0 {
		tk.RefreshHash = nil
	}
	var err error
	tk.Scopes, err = fromJSONList[string](scopes)
	return tk, err
}

func (t *tx) CreateOIDCToken(ctx context.Context, tk store.OIDCToken) error {
	scopes, err := jsonList(tk.Scopes)
	if err != nil {
		return err
	}
	var refresh any
	if len(tk.RefreshHash) > 0 {
		refresh = tk.RefreshHash
	}
	_, err = t.exec(ctx, "store: create oidc token", `INSERT INTO oidc_tokens (`+tokenCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nonNilBytes(tk.AccessHash), refresh, tk.ClientID, tk.UserID, scopes, tk.SessionID, tk.ExpiresAt.UTC().UnixNano(),
		tk.SessionExpiresAt.UTC().UnixNano(), boolInt(tk.Revoked), toDB(tk.CreatedAt))
	return err
}

func (t *tx) GetOIDCTokenByAccess(ctx context.Context, hash []byte) (store.OIDCToken, error) {
	return collectOne(ctx, t, "store: get oidc token", `SELECT `+tokenCols+` FROM oidc_tokens WHERE access_hash = ?`,
		[]any{nonNilBytes(hash)}, scanToken)
}

func (t *tx) GetOIDCTokenByRefresh(ctx context.Context, hash []byte) (store.OIDCToken, error) {
	if len(hash) == 0 {
		return store.OIDCToken{}, notFound("store: get oidc token by refresh")
	}
	return collectOne(ctx, t, "store: get oidc token by refresh", `SELECT `+tokenCols+` FROM oidc_tokens WHERE refresh_hash = ?`,
		[]any{hash}, scanToken)
}

func (t *tx) RevokeOIDCToken(ctx context.Context, hash []byte) error {
	return t.execAffect(ctx, "store: revoke oidc token", `UPDATE oidc_tokens SET revoked = 1 WHERE access_hash = ?`, nonNilBytes(hash))
}

func (t *tx) RevokeOIDCSession(ctx context.Context, sessionID string) error {
	_, err := t.exec(ctx, "store: revoke oidc session", `UPDATE oidc_tokens SET revoked = 1 WHERE session_id = ?`, sessionID)
	return err
}

func (t *tx) AddOIDCSessionKey(ctx context.Context, sessionID, accessKeyID string) error {
	_, err := t.exec(ctx, "store: add oidc session key",
		`INSERT INTO oidc_session_keys (session_id, access_key_id) VALUES (?, ?)`, sessionID, accessKeyID)
	return err
}

func (t *tx) ListOIDCSessionKeys(ctx context.Context, sessionID string) ([]string, error) {
	return collect(ctx, t, "store: list oidc session keys",
		`SELECT access_key_id FROM oidc_session_keys WHERE session_id = ? ORDER BY access_key_id`, []any{sessionID},
		func(sc scanner) (string, error) {
			var s string
			err := sc.Scan(&s)
			return s, err
		})
}

func (t *tx) DeleteExpiredOIDC(ctx context.Context, at time.Time) error {
	const op = "store: delete expired oidc records"
	cut := at.UTC().UnixNano()
	for _, q := range []string{
		`DELETE FROM oidc_clients WHERE expires_at <= ?`,
		`DELETE FROM oidc_device_authorizations WHERE expires_at <= ?`,
		`DELETE FROM oidc_auth_codes WHERE expires_at <= ?`,
		`DELETE FROM oidc_tokens WHERE session_expires_at <= ?`,
	} {
		if _, err := t.exec(ctx, op, q, cut); err != nil {
			return err
		}
	}
	_, err := t.exec(ctx, op, `DELETE FROM oidc_session_keys WHERE session_id NOT IN (SELECT session_id FROM oidc_tokens)`)
	return err
}
