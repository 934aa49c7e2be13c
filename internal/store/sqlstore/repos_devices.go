package sqlstore

import (
	"context"

	"github.com/idcenter/idcenter/internal/store"
)

// ---- one MFA device of a user (the portal's MFA devices page) ----

func (t *tx) DeleteTOTPDevice(ctx context.Context, storeID, userID, deviceID string) error {
	op := "store: delete totp device " + deviceID + " of user " + userID
	res, err := t.exec(ctx, op, `DELETE FROM signin_totp_devices WHERE identity_store_id = ? AND user_id = ? AND device_id = ?`,
		storeID, userID, deviceID)
	if err != nil {
		return err
	}
	return t.mustAffect(op, res)
}

func (t *tx) DeleteWebAuthnCredential(ctx context.Context, storeID, userID string, credentialID []byte) error {
	op := "store: delete webauthn credential of user " + userID
	res, err := t.exec(ctx, op, `DELETE FROM signin_webauthn_credentials WHERE identity_store_id = ? AND user_id = ? AND credential_id = ?`,
		storeID, userID, credentialID)
	if err != nil {
		return err
	}
	return t.mustAffect(op, res)
}

func (t *tx) RenameTOTPDevice(ctx context.Context, storeID, userID, deviceID, name string) error {
	op := "store: rename totp device " + deviceID + " of user " + userID
	res, err := t.exec(ctx, op, `UPDATE signin_totp_devices SET name = ? WHERE identity_store_id = ? AND user_id = ? AND device_id = ?`,
		name, storeID, userID, deviceID)
	if err != nil {
		return err
	}
	return t.mustAffect(op, res)
}

func (t *tx) RenameWebAuthnCredential(ctx context.Context, storeID, userID string, credentialID []byte, name string) error {
	op := "store: rename webauthn credential of user " + userID
	res, err := t.exec(ctx, op, `UPDATE signin_webauthn_credentials SET name = ? WHERE identity_store_id = ? AND user_id = ? AND credential_id = ?`,
		name, storeID, userID, credentialID)
	if err != nil {
		return err
	}
	return t.mustAffect(op, res)
}

var _ store.Tx = (*tx)(nil)
