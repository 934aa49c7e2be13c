package sqlstore

import (
	"context"
	"database/sql"

	"github.com/idcenter/idcenter/internal/store"
)

func (t *tx) SetInstanceName(ctx context.Context, arn, name string) error {
	return t.execAffect(ctx, "store: rename instance "+arn, `UPDATE instances SET name = ? WHERE arn = ?`, name, arn)
}

// ---- applications ----

const applicationCols = `instance_arn, arn, provider_arn, name, description, account_id, status, visibility,
	sign_in_origin, application_url, assignment_required, created_at`

func scanApplication(sc scanner) (store.Application, error) {
	var a store.Application
	var required int
	var at sql.NullInt64
	err := sc.Scan(&a.InstanceARN, &a.ARN, &a.ProviderARN, &a.Name, &a.Description, &a.Account, &a.Status, &a.Visibility,
		&a.SignInOrigin, &a.ApplicationURL, &required, &at)
	a.AssignmentRequired, a.CreatedAt = required != 0, fromDB(at)
	return a, err
}

func (t *tx) CreateApplication(ctx context.Context, a store.Application) error {
	_, err := t.exec(ctx, "store: create application "+a.ARN,
		`INSERT INTO sso_applications (`+applicationCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.InstanceARN, a.ARN, a.ProviderARN, a.Name, a.Description, a.Account, a.Status, a.Visibility,
		a.SignInOrigin, a.ApplicationURL, boolInt(a.AssignmentRequired), toDB(a.CreatedAt))
	return err
}

func (t *tx) GetApplication(ctx context.Context, arn string) (store.Application, error) {
	return collectOne(ctx, t, "store: get application "+arn,
		`SELECT `+applicationCols+` FROM sso_applications WHERE arn = ?`, []any{arn}, scanApplication)
}

func (t *tx) ReplaceApplication(ctx context.Context, a store.Application) error {
	return t.execAffect(ctx, "store: replace application "+a.ARN,
		`UPDATE sso_applications SET name = ?, description = ?, status = ?, visibility = ?, sign_in_origin = ?,
		        application_url = ?, assignment_required = ?
		 WHERE arn = ?`,
		a.Name, a.Description, a.Status, a.Visibility, a.SignInOrigin, a.ApplicationURL, boolInt(a.AssignmentRequired), a.ARN)
}

func (t *tx) DeleteApplication(ctx context.Context, arn string) error {
	op := "store: delete application " + arn
	if err := t.execAffect(ctx, op, `DELETE FROM sso_applications WHERE arn = ?`, arn); err != nil {
		return err
	}
	if _, err := t.exec(ctx, op, `DELETE FROM sso_settings WHERE resource_arn = ?`, arn); err != nil {
		return err
	}
	_, err := t.exec(ctx, op, `DELETE FROM sso_tags WHERE resource_arn = ?`, arn)
	return err
}

func (t *tx) ListApplications(ctx context.Context, instanceARN string, f store.ApplicationFilter, p store.Page) ([]store.Application, error) {
	q, args := filterClause(`SELECT `+applicationCols+` FROM sso_applications WHERE instance_arn = ?`, []any{instanceARN},
		[]string{"account_id", "provider_arn"}, []string{f.Account, f.ProviderARN})
	q, args = pageClause(q, args, "arn", p)
	return collect(ctx, t, "store: list applications of "+instanceARN, q, args, scanApplication)
}

// ---- application assignments ----

const appAssignmentCols = `instance_arn, application_arn, principal_type, principal_id, created_at`

func scanAppAssignment(sc scanner) (store.ApplicationAssignment, error) {
	var a store.ApplicationAssignment
	var at sql.NullInt64
	err := sc.Scan(&a.InstanceARN, &a.ApplicationARN, &a.PrincipalType, &a.PrincipalID, &at)
	a.CreatedAt = fromDB(at)
	return a, err
}

func (t *tx) CreateApplicationAssignment(ctx context.Context, a store.ApplicationAssignment) error {
	_, err := t.exec(ctx, "store: create application assignment "+a.Key(),
		`INSERT INTO sso_application_assignments (instance_arn, application_arn, principal_type, principal_id, akey, created_at)
		 VALUES (?, ?, ?, ?, ?, ?)`,
		a.InstanceARN, a.ApplicationARN, a.PrincipalType, a.PrincipalID, a.Key(), toDB(a.CreatedAt))
	return err
}

func (t *tx) DeleteApplicationAssignment(ctx context.Context, a store.ApplicationAssignment) error {
	return t.execAffect(ctx, "store: delete application assignment "+a.Key(),
		`DELETE FROM sso_application_assignments WHERE application_arn = ? AND principal_type = ? AND principal_id = ?`,
		a.ApplicationARN, a.PrincipalType, a.PrincipalID)
}

func (t *tx) ListApplicationAssignments(ctx context.Context, instanceARN string, f store.ApplicationAssignmentFilter, p store.Page) ([]store.ApplicationAssignment, error) {
	q, args := filterClause(`SELECT `+appAssignmentCols+` FROM sso_application_assignments WHERE instance_arn = ?`, []any{instanceARN},
		[]string{"application_arn", "principal_type", "principal_id"}, []string{f.ApplicationARN, f.PrincipalType, f.PrincipalID})
	q, args = pageClause(q, args, "akey", p)
	return collect(ctx, t, "store: list application assignments of "+instanceARN, q, args, scanAppAssignment)
}

// ---- settings ----

const settingCols = `instance_arn, resource_arn, kind, skey, value, updated_at`

func scanSetting(sc scanner) (store.SSOSetting, error) {
	var s store.SSOSetting
	var at sql.NullInt64
	err := sc.Scan(&s.InstanceARN, &s.ResourceARN, &s.Kind, &s.Key, &s.Value, &at)
	s.UpdatedAt = fromDB(at)
	return s, err
}

func (t *tx) PutSSOSetting(ctx context.Context, s store.SSOSetting) error {
	op := "store: put setting " + s.Kind + " " + s.Key + " of " + s.ResourceARN
	res, err := t.exec(ctx, op, `UPDATE sso_settings SET value = ?, updated_at = ? WHERE resource_arn = ? AND kind = ? AND skey = ?`,
		s.Value, toDB(s.UpdatedAt), s.ResourceARN, s.Kind, s.Key)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return t.translate(op, err)
	}
	_, err = t.exec(ctx, op, `INSERT INTO sso_settings (`+settingCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
		s.InstanceARN, s.ResourceARN, s.Kind, s.Key, s.Value, toDB(s.UpdatedAt))
	return err
}

func (t *tx) GetSSOSetting(ctx context.Context, resourceARN, kind, key string) (store.SSOSetting, error) {
	return collectOne(ctx, t, "store: get setting "+kind+" "+key+" of "+resourceARN,
		`SELECT `+settingCols+` FROM sso_settings WHERE resource_arn = ? AND kind = ? AND skey = ?`,
		[]any{resourceARN, kind, key}, scanSetting)
}

func (t *tx) DeleteSSOSetting(ctx context.Context, resourceARN, kind, key string) error {
	return t.execAffect(ctx, "store: delete setting "+kind+" "+key+" of "+resourceARN,
		`DELETE FROM sso_settings WHERE resource_arn = ? AND kind = ? AND skey = ?`, resourceARN, kind, key)
}

func (t *tx) ListSSOSettings(ctx context.Context, resourceARN, kind string, p store.Page) ([]store.SSOSetting, error) {
	q, args := pageClause(`SELECT `+settingCols+` FROM sso_settings WHERE resource_arn = ? AND kind = ?`,
		[]any{resourceARN, kind}, "skey", p)
	return collect(ctx, t, "store: list settings "+kind+" of "+resourceARN, q, args, scanSetting)
}

// ---- trusted token issuers ----

const ttiCols = `instance_arn, arn, name, issuer_type, issuer_url, claim_attribute_path, identity_store_attribute_path,
	jwks_retrieval_option, created_at`

func scanTTI(sc scanner) (store.TrustedTokenIssuer, error) {
	var i store.TrustedTokenIssuer
	var at sql.NullInt64
	err := sc.Scan(&i.InstanceARN, &i.ARN, &i.Name, &i.Type, &i.IssuerURL, &i.ClaimAttributePath, &i.IdentityStoreAttributePath,
		&i.JWKSRetrievalOption, &at)
	i.CreatedAt = fromDB(at)
	return i, err
}

func (t *tx) CreateTrustedTokenIssuer(ctx context.Context, i store.TrustedTokenIssuer) error {
	_, err := t.exec(ctx, "store: create trusted token issuer "+i.ARN,
		`INSERT INTO sso_trusted_token_issuers (instance_arn, arn, name, name_key, issuer_type, issuer_url, claim_attribute_path,
		        identity_store_attribute_path, jwks_retrieval_option, created_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		i.InstanceARN, i.ARN, i.Name, lower(i.Name), i.Type, i.IssuerURL, i.ClaimAttributePath, i.IdentityStoreAttributePath,
		i.JWKSRetrievalOption, toDB(i.CreatedAt))
	return err
}

func (t *tx) GetTrustedTokenIssuer(ctx context.Context, arn string) (store.TrustedTokenIssuer, error) {
	return collectOne(ctx, t, "store: get trusted token issuer "+arn,
		`SELECT `+ttiCols+` FROM sso_trusted_token_issuers WHERE arn = ?`, []any{arn}, scanTTI)
}

func (t *tx) ReplaceTrustedTokenIssuer(ctx context.Context, i store.TrustedTokenIssuer) error {
	return t.execAffect(ctx, "store: replace trusted token issuer "+i.ARN,
		`UPDATE sso_trusted_token_issuers SET name = ?, name_key = ?, claim_attribute_path = ?,
		        identity_store_attribute_path = ?, jwks_retrieval_option = ?
		 WHERE arn = ?`,
		i.Name, lower(i.Name), i.ClaimAttributePath, i.IdentityStoreAttributePath, i.JWKSRetrievalOption, i.ARN)
}

func (t *tx) DeleteTrustedTokenIssuer(ctx context.Context, arn string) error {
	op := "store: delete trusted token issuer " + arn
	if err := t.execAffect(ctx, op, `DELETE FROM sso_trusted_token_issuers WHERE arn = ?`, arn); err != nil {
		return err
	}
	_, err := t.exec(ctx, op, `DELETE FROM sso_tags WHERE resource_arn = ?`, arn)
	return err
}

func (t *tx) ListTrustedTokenIssuers(ctx context.Context, instanceARN string, p store.Page) ([]store.TrustedTokenIssuer, error) {
	q, args := pageClause(`SELECT `+ttiCols+` FROM sso_trusted_token_issuers WHERE instance_arn = ?`, []any{instanceARN}, "arn", p)
	return collect(ctx, t, "store: list trusted token issuers of "+instanceARN, q, args, scanTTI)
}
