package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// ---- SCIM tokens ----

const scimTokenCols = `token_id, identity_store_id, token_hash, created_at, expires_at, last_used_at`

func scanSCIMToken(sc interface{ Scan(...any) error }) (store.SCIMToken, error) {
	var t store.SCIMToken
	var cat, eat, uat sql.NullInt64
	err := sc.Scan(&t.TokenID, &t.IdentityStoreID, &t.Hash, &cat, &eat, &uat)
	t.CreatedAt, t.ExpiresAt, t.LastUsedAt = fromDB(cat), fromDB(eat), fromDB(uat)
	return t, err
}

func (t *tx) CreateSCIMToken(ctx context.Context, k store.SCIMToken) error {
	_, err := t.exec(ctx, "store: create scim token "+k.TokenID,
		`INSERT INTO scim_tokens (`+scimTokenCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
		k.TokenID, k.IdentityStoreID, k.Hash, toDB(k.CreatedAt), toDB(k.ExpiresAt), toDB(k.LastUsedAt))
	return err
}

func (t *tx) scimTokens(ctx context.Context, op, q string, args ...any) ([]store.SCIMToken, error) {
	rows, err := t.query(ctx, op, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.SCIMToken
	for rows.Next() {
		k, err := scanSCIMToken(rows)
		if err != nil {
			return nil, t.translate(op, err)
		}
		out = append(out, k)
	}
	return out, t.translate(op, rows.Err())
}

func (t *tx) GetSCIMToken(ctx context.Context, tokenID string) (store.SCIMToken, error) {
	op := "store: get scim token " + tokenID
	ks, err := t.scimTokens(ctx, op, `SELECT `+scimTokenCols+` FROM scim_tokens WHERE token_id = ?`, tokenID)
	if err != nil {
		return store.SCIMToken{}, err
	}
	if len(ks) == 0 {
		return store.SCIMToken{}, notFound(op)
	}
	return ks[0], nil
}

func (t *tx) ListSCIMTokens(ctx context.Context, storeID string) ([]store.SCIMToken, error) {
	return t.scimTokens(ctx, "store: list scim tokens",
		`SELECT `+scimTokenCols+` FROM scim_tokens WHERE identity_store_id = ? ORDER BY created_at, token_id`, storeID)
}

func (t *tx) DeleteSCIMToken(ctx context.Context, storeID, tokenID string) error {
	op := "store: delete scim token " + tokenID
	res, err := t.exec(ctx, op, `DELETE FROM scim_tokens WHERE identity_store_id = ? AND token_id = ?`, storeID, tokenID)
	if err != nil {
		return err
	}
	return t.mustAffect(op, res)
}

func (t *tx) TouchSCIMToken(ctx context.Context, tokenID string, at time.Time) error {
	op := "store: touch scim token " + tokenID
	res, err := t.exec(ctx, op, `UPDATE scim_tokens SET last_used_at = ? WHERE token_id = ?`, toDB(at), tokenID)
	if err != nil {
		return err
	}
	return t.mustAffect(op, res)
}
