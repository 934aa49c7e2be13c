package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// ---- web access portal sign-in ----

const (
	credentialCols = `identity_store_id, user_id, password_hash, must_change, failed_attempts, locked_until, updated_at`
	totpCols       = `device_id, identity_store_id, user_id, name, secret, last_used_step, created_at`
	webSessionCols = `id_hash, identity_store_id, user_id, created_at, expires_at, mfa_done`
	knownCtxCols   = `context_hash, identity_store_id, user_id, created_at, expires_at, client_hash`
)

func scanCredential(sc scanner) (store.UserCredential, error) {
	var c store.UserCredential
	var must int
	var lat, uat sql.NullInt64
	err := sc.Scan(&c.IdentityStoreID, &c.UserID, &c.PasswordHash, &must, &c.FailedAttempts, &lat, &uat)
	c.MustChange = must != 0
	c.LockedUntil, c.UpdatedAt = fromDB(lat), fromDB(uat)
	return c, err
}

func scanTOTP(sc scanner) (store.TOTPDevice, error) {
	var d store.TOTPDevice
	var cat sql.NullInt64
	err := sc.Scan(&d.DeviceID, &d.IdentityStoreID, &d.UserID, &d.Name, &d.Secret, &d.LastUsedStep, &cat)
	d.CreatedAt = fromDB(cat)
	return d, err
}

func scanWebSession(sc scanner) (store.WebSession, error) {
	var s store.WebSession
	var cat, eat sql.NullInt64
	var mfa int
	err := sc.Scan(&s.IDHash, &s.IdentityStoreID, &s.UserID, &cat, &eat, &mfa)
	s.CreatedAt, s.ExpiresAt, s.MFADone = fromDB(cat), fromDB(eat), mfa != 0
	return s, err
}

func scanKnownContext(sc scanner) (store.KnownContext, error) {
	var k store.KnownContext
	var cat, eat sql.NullInt64
	err := sc.Scan(&k.Hash, &k.IdentityStoreID, &k.UserID, &cat, &eat, &k.ClientHash)
	k.CreatedAt, k.ExpiresAt = fromDB(cat), fromDB(eat)
	if len(k.ClientHash) == 0 {
		k.ClientHash = nil
	}
	return k, err
}

func (t *tx) PutUserCredential(ctx context.Context, c store.UserCredential) error {
	_, err := t.exec(ctx, "store: put credential of user "+c.UserID,
		`INSERT INTO signin_credentials (`+credentialCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (identity_store_id, user_id) DO UPDATE SET password_hash = excluded.password_hash,
		must_change = excluded.must_change, failed_attempts = excluded.failed_attempts,
		locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
		c.IdentityStoreID, c.UserID, c.PasswordHash, boolInt(c.MustChange), c.FailedAttempts, toDB(c.LockedUntil), toDB(c.UpdatedAt))
	return err
}

func (t *tx) GetUserCredential(ctx context.Context, storeID, userID string) (store.UserCredential, error) {
	return collectOne(ctx, t, "store: get credential of user "+userID,
		`SELECT `+credentialCols+` FROM signin_credentials WHERE identity_store_id = ? AND user_id = ?`,
		[]any{storeID, userID}, scanCredential)
}

func (t *tx) CreateTOTPDevice(ctx context.Context, d store.TOTPDevice) error {
	_, err := t.exec(ctx, "store: create totp device "+d.DeviceID,
		`INSERT INTO signin_totp_devices (`+totpCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		d.DeviceID, d.IdentityStoreID, d.UserID, d.Name, d.Secret, d.LastUsedStep, toDB(d.CreatedAt))
	return err
}

func (t *tx) ListTOTPDevices(ctx context.Context, storeID, userID string) ([]store.TOTPDevice, error) {
	return collect(ctx, t, "store: list totp devices of user "+userID,
		`SELECT `+totpCols+` FROM signin_totp_devices WHERE identity_store_id = ? AND user_id = ?
		ORDER BY created_at, device_id`, []any{storeID, userID}, scanTOTP)
}

func (t *tx) UseTOTPStep(ctx context.Context, deviceID string, step int64) error {
	op := "store: use totp step of device " + deviceID
	res, err := t.exec(ctx, op, `UPDATE signin_totp_devices SET last_used_step = ?
		WHERE device_id = ? AND last_used_step < ?`, step, deviceID, step)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return t.translate(op, err)
	} else if n > 0 {
		return nil
	}
	var one int
	if err := t.one(ctx, op, `SELECT 1 FROM signin_totp_devices WHERE device_id = ?`, []any{deviceID}, &one); err != nil {
		return err
	}
	return signinConflict(op + ": step already used")
}

func (t *tx) DeleteTOTPDevices(ctx context.Context, storeID, userID string) (int, error) {
	return t.signinExecCount(ctx, "store: delete totp devices of user "+userID,
		`DELETE FROM signin_totp_devices WHERE identity_store_id = ? AND user_id = ?`, storeID, userID)
}

func (t *tx) CreateWebSession(ctx context.Context, s store.WebSession) error {
	_, err := t.exec(ctx, "store: create web session",
		`INSERT INTO signin_web_sessions (`+webSessionCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
		s.IDHash, s.IdentityStoreID, s.UserID, toDB(s.CreatedAt), s.ExpiresAt.UTC().UnixNano(), boolInt(s.MFADone))
	return err
}

func (t *tx) GetWebSession(ctx context.Context, idHash []byte) (store.WebSession, error) {
	return collectOne(ctx, t, "store: get web session",
		`SELECT `+webSessionCols+` FROM signin_web_sessions WHERE id_hash = ?`, []any{idHash}, scanWebSession)
}

func (t *tx) UpdateWebSession(ctx context.Context, s store.WebSession) error {
	const op = "store: update web session"
	res, err := t.exec(ctx, op, `UPDATE signin_web_sessions SET expires_at = ?, mfa_done = ? WHERE id_hash = ?`,
		s.ExpiresAt.UTC().UnixNano(), boolInt(s.MFADone), s.IDHash)
	if err != nil {
		return err
	}
	return t.mustAffect(op, res)
}

func (t *tx) DeleteWebSession(ctx context.Context, idHash []byte) error {
	const op = "store: delete web session"
	res, err := t.exec(ctx, op, `DELETE FROM signin_web_sessions WHERE id_hash = ?`, idHash)
	if err != nil {
		return err
	}
	return t.mustAffect(op, res)
}

func (t *tx) DeleteUserWebSessions(ctx context.Context, storeID, userID string) (int, error) {
	return t.signinExecCount(ctx, "store: delete web sessions of user "+userID,
		`DELETE FROM signin_web_sessions WHERE identity_store_id = ? AND user_id = ?`, storeID, userID)
}

func (t *tx) DeleteExpiredWebSessions(ctx context.Context, at time.Time) (int, error) {
	const op = "store: delete expired web sessions"
	cut := at.UTC().UnixNano()
	if _, err := t.exec(ctx, op, `DELETE FROM signin_known_contexts WHERE expires_at <= ?`, cut); err != nil {
		return 0, err
	}
	return t.signinExecCount(ctx, op, `DELETE FROM signin_web_sessions WHERE expires_at <= ?`, cut)
}

func (t *tx) PutKnownContext(ctx context.Context, k store.KnownContext) error {
	_, err := t.exec(ctx, "store: put known context of user "+k.UserID,
		`INSERT INTO signin_known_contexts (`+knownCtxCols+`) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (context_hash) DO UPDATE SET identity_store_id = excluded.identity_store_id,
		user_id = excluded.user_id, created_at = excluded.created_at, expires_at = excluded.expires_at,
		client_hash = excluded.client_hash`,
		k.Hash, k.IdentityStoreID, k.UserID, toDB(k.CreatedAt), k.ExpiresAt.UTC().UnixNano(), nilIfEmpty(k.ClientHash))
	return err
}

func (t *tx) GetKnownContext(ctx context.Context, hash []byte) (store.KnownContext, error) {
	return collectOne(ctx, t, "store: get known context",
		`SELECT `+knownCtxCols+` FROM signin_known_contexts WHERE context_hash = ?`, []any{hash}, scanKnownContext)
}

func (t *tx) DeleteUserKnownContexts(ctx context.Context, storeID, userID string) error {
	_, err := t.exec(ctx, "store: delete known contexts of user "+userID,
		`DELETE FROM signin_known_contexts WHERE identity_store_id = ? AND user_id = ?`, storeID, userID)
	return err
}

func (t *tx) GetMFASettings(ctx context.Context, instanceARN string) (store.MFASettings, error) {
	var s store.MFASettings
	var types string
	var secs, manage int64
	err := t.one(ctx, "store: get mfa settings of "+instanceARN,
		`SELECT instance_arn, mode, no_device, types, session_seconds, users_manage_devices FROM signin_mfa_settings WHERE instance_arn = ?`,
		[]any{instanceARN}, &s.InstanceARN, &s.Mode, &s.NoDevice, &types, &secs, &manage)
	s.DevicesAdminOnly = err == nil && manage == 0
	if types != "" {
		s.Types = strings.Split(types, ",")
	}
	s.SessionDuration = time.Duration(secs) * time.Second
	return s, err
}

func (t *tx) PutMFASettings(ctx context.Context, s store.MFASettings) error {
	_, err := t.exec(ctx, "store: put mfa settings of "+s.InstanceARN,
		`INSERT INTO signin_mfa_settings (instance_arn, mode, no_device, types, session_seconds, users_manage_devices)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (instance_arn) DO UPDATE SET mode = excluded.mode, no_device = excluded.no_device,
		types = excluded.types, session_seconds = excluded.session_seconds,
		users_manage_devices = excluded.users_manage_devices`,
		s.InstanceARN, s.Mode, s.NoDevice, strings.Join(s.Types, ","), int64(s.SessionDuration/time.Second),
		boolInt(!s.DevicesAdminOnly))
	return err
}

// signinExecCount runs a statement and reports how many rows it changed.
func (t *tx) signinExecCount(ctx context.Context, op, q string, args ...any) (int, error) {
	res, err := t.exec(ctx, op, q, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, t.translate(op, err)
	}
	return int(n), nil
}

func signinConflict(op string) error { return fmt.Errorf("%s: %w", op, store.ErrConflict) }

// nilIfEmpty stores an empty byte slice as NULL.
func nilIfEmpty(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}
