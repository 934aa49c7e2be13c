package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/idcenter/idcenter/internal/store"
)

// ---- IAM identity providers (SAML, OIDC) ----

func jsonToDB(op string, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("%s: encode: %w", op, err)
	}
	return string(b), nil
}

func jsonFromDB(op, s string, v any) error {
	if s == "" || s == "null" {
		return nil
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("%s: decode: %w", op, err)
	}
	return nil
}

const samlCols = `arn, account_id, name, uuid, metadata, valid_until, encryption_mode, private_keys, tags, created_at`

func scanSAMLProvider(sc scanner) (store.IAMSAMLProvider, error) {
	var p store.IAMSAMLProvider
	var keys, tags string
	var vu, cat sql.NullInt64
	if err := sc.Scan(&p.ARN, &p.AccountID, &p.Name, &p.UUID, &p.MetadataDocument, &vu, &p.AssertionEncryptionMode,
		&keys, &tags, &cat); err != nil {
		return p, err
	}
	p.ValidUntil, p.CreatedAt = fromDB(vu), fromDB(cat)
	if err := jsonFromDB("store: saml provider keys", keys, &p.PrivateKeys); err != nil {
		return p, err
	}
	var err error
	p.Tags, err = tagsFromDB(tags)
	return p, err
}

func samlArgs(p store.IAMSAMLProvider) (keys, tags string, err error) {
	if keys, err = jsonToDB("store: saml provider keys", nonNil(p.PrivateKeys)); err != nil {
		return "", "", err
	}
	tags, err = tagsToDB(p.Tags)
	return keys, tags, err
}

func (t *tx) CreateIAMSAMLProvider(ctx context.Context, p store.IAMSAMLProvider) error {
	keys, tags, err := samlArgs(p)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, "store: create saml provider "+p.ARN,
		`INSERT INTO iam_saml_providers (`+samlCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ARN, p.AccountID, p.Name, p.UUID, p.MetadataDocument, toDB(p.ValidUntil), p.AssertionEncryptionMode, keys, tags, toDB(p.CreatedAt))
	return err
}

func (t *tx) GetIAMSAMLProvider(ctx context.Context, arn string) (store.IAMSAMLProvider, error) {
	return collectOne(ctx, t, "store: get saml provider "+arn,
		`SELECT `+samlCols+` FROM iam_saml_providers WHERE arn = ?`, []any{arn}, scanSAMLProvider)
}

func (t *tx) ReplaceIAMSAMLProvider(ctx context.Context, p store.IAMSAMLProvider) error {
	keys, tags, err := samlArgs(p)
	if err != nil {
		return err
	}
	return t.execAffect(ctx, "store: replace saml provider "+p.ARN,
		`UPDATE iam_saml_providers SET metadata = ?, valid_until = ?, encryption_mode = ?, private_keys = ?, tags = ? WHERE arn = ?`,
		p.MetadataDocument, toDB(p.ValidUntil), p.AssertionEncryptionMode, keys, tags, p.ARN)
}

func (t *tx) DeleteIAMSAMLProvider(ctx context.Context, arn string) error {
	return t.execAffect(ctx, "store: delete saml provider "+arn, `DELETE FROM iam_saml_providers WHERE arn = ?`, arn)
}

func (t *tx) ListIAMSAMLProviders(ctx context.Context, accountID string) ([]store.IAMSAMLProvider, error) {
	return collect(ctx, t, "store: list saml providers",
		`SELECT `+samlCols+` FROM iam_saml_providers WHERE account_id = ? ORDER BY arn`, []any{accountID}, scanSAMLProvider)
}

const oidcProviderCols = `arn, account_id, url, client_ids, thumbprints, tags, created_at`

func scanOIDCProvider(sc scanner) (store.IAMOIDCProvider, error) {
	var p store.IAMOIDCProvider
	var ids, thumbs, tags string
	var cat sql.NullInt64
	if err := sc.Scan(&p.ARN, &p.AccountID, &p.URL, &ids, &thumbs, &tags, &cat); err != nil {
		return p, err
	}
	p.CreatedAt = fromDB(cat)
	if err := jsonFromDB("store: oidc provider client ids", ids, &p.ClientIDs); err != nil {
		return p, err
	}
	if err := jsonFromDB("store: oidc provider thumbprints", thumbs, &p.Thumbprints); err != nil {
		return p, err
	}
	var err error
	p.Tags, err = tagsFromDB(tags)
	return p, err
}

func oidcProviderArgs(p store.IAMOIDCProvider) (ids, thumbs, tags string, err error) {
	if ids, err = jsonToDB("store: oidc provider client ids", nonNil(p.ClientIDs)); err != nil {
		return
	}
	if thumbs, err = jsonToDB("store: oidc provider thumbprints", nonNil(p.Thumbprints)); err != nil {
		return
	}
	tags, err = tagsToDB(p.Tags)
	return
}

func (t *tx) CreateIAMOIDCProvider(ctx context.Context, p store.IAMOIDCProvider) error {
	ids, thumbs, tags, err := oidcProviderArgs(p)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, "store: create oidc provider "+p.ARN,
		`INSERT INTO iam_oidc_providers (`+oidcProviderCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		p.ARN, p.AccountID, p.URL, ids, thumbs, tags, toDB(p.CreatedAt))
	return err
}

func (t *tx) GetIAMOIDCProvider(ctx context.Context, arn string) (store.IAMOIDCProvider, error) {
	return collectOne(ctx, t, "store: get oidc provider "+arn,
		`SELECT `+oidcProviderCols+` FROM iam_oidc_providers WHERE arn = ?`, []any{arn}, scanOIDCProvider)
}

func (t *tx) ReplaceIAMOIDCProvider(ctx context.Context, p store.IAMOIDCProvider) error {
	ids, thumbs, tags, err := oidcProviderArgs(p)
	if err != nil {
		return err
	}
	return t.execAffect(ctx, "store: replace oidc provider "+p.ARN,
		`UPDATE iam_oidc_providers SET client_ids = ?, thumbprints = ?, tags = ? WHERE arn = ?`, ids, thumbs, tags, p.ARN)
}

func (t *tx) DeleteIAMOIDCProvider(ctx context.Context, arn string) error {
	return t.execAffect(ctx, "store: delete oidc provider "+arn, `DELETE FROM iam_oidc_providers WHERE arn = ?`, arn)
}

func (t *tx) ListIAMOIDCProviders(ctx context.Context, accountID string) ([]store.IAMOIDCProvider, error) {
	return collect(ctx, t, "store: list oidc providers",
		`SELECT `+oidcProviderCols+` FROM iam_oidc_providers WHERE account_id = ? ORDER BY arn`, []any{accountID}, scanOIDCProvider)
}
