package sqlstore

import (
	"context"
	"database/sql"

	"github.com/idcenter/idcenter/internal/store"
)

// ---- instance profiles ----

const ipCols = `p.account_id, p.profile_id, p.profile_name, p.path, p.arn, COALESCE(p.role_id, ''), COALESCE(r.role_name, ''),
	p.tags, p.created_at`

const ipFrom = ` FROM iam_instance_profiles p LEFT JOIN iam_roles r ON r.role_id = p.role_id`

func scanInstanceProfile(sc scanner) (store.IAMInstanceProfile, error) {
	var p store.IAMInstanceProfile
	var tags string
	var at sql.NullInt64
	if err := sc.Scan(&p.AccountID, &p.InstanceProfileID, &p.InstanceProfileName, &p.Path, &p.ARN, &p.RoleID, &p.RoleName,
		&tags, &at); err != nil {
		return p, err
	}
	p.CreatedAt = fromDB(at)
	var err error
	p.Tags, err = tagsFromDB(tags)
	return p, err
}

func (t *tx) CreateIAMInstanceProfile(ctx context.Context, p store.IAMInstanceProfile) error {
	tags, err := tagsToDB(p.Tags)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, "store: create instance profile "+p.InstanceProfileName,
		`INSERT INTO iam_instance_profiles (profile_id, account_id, profile_name, name_key, path, arn, role_id, tags, created_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.InstanceProfileID, p.AccountID, p.InstanceProfileName, lower(p.InstanceProfileName), p.Path, p.ARN, nullID(p.RoleID),
		tags, toDB(p.CreatedAt))
	return err
}

func (t *tx) GetIAMInstanceProfile(ctx context.Context, accountID, name string) (store.IAMInstanceProfile, error) {
	return collectOne(ctx, t, "store: get instance profile "+name,
		`SELECT `+ipCols+ipFrom+` WHERE p.account_id = ? AND p.name_key = ?`, []any{accountID, lower(name)}, scanInstanceProfile)
}

func (t *tx) ReplaceIAMInstanceProfile(ctx context.Context, p store.IAMInstanceProfile) error {
	tags, err := tagsToDB(p.Tags)
	if err != nil {
		return err
	}
	return t.execAffect(ctx, "store: replace instance profile "+p.InstanceProfileName,
		`UPDATE iam_instance_profiles SET role_id = ?, tags = ? WHERE profile_id = ?`, nullID(p.RoleID), tags, p.InstanceProfileID)
}

func (t *tx) DeleteIAMInstanceProfile(ctx context.Context, accountID, id string) error {
	return t.execAffect(ctx, "store: delete instance profile "+id,
		`DELETE FROM iam_instance_profiles WHERE account_id = ? AND profile_id = ?`, accountID, id)
}

func (t *tx) ListIAMInstanceProfiles(ctx context.Context, accountID string, f store.IAMListFilter, p store.Page) ([]store.IAMInstanceProfile, error) {
	q, args := `SELECT `+ipCols+ipFrom+` WHERE p.account_id = ?`, []any{accountID}
	if f.PathPrefix != "" {
		q += " AND substr(p.path, 1, ?) = ?"
		args = append(args, len(f.PathPrefix), f.PathPrefix)
	}
	q, args = pageClause(q, args, "p.name_key", p)
	return collect(ctx, t, "store: list instance profiles", q, args, scanInstanceProfile)
}

func (t *tx) ListIAMInstanceProfilesForRole(ctx context.Context, roleID string) ([]store.IAMInstanceProfile, error) {
	return collect(ctx, t, "store: list instance profiles for role "+roleID,
		`SELECT `+ipCols+ipFrom+` WHERE p.role_id = ? ORDER BY p.name_key`, []any{roleID}, scanInstanceProfile)
}

// ---- SSH public keys ----

const sshKeyCols = `key_id, account_id, user_id, body, fingerprint, status, uploaded_at`

func scanSSHKey(sc scanner) (store.IAMSSHPublicKey, error) {
	var k store.IAMSSHPublicKey
	var at sql.NullInt64
	err := sc.Scan(&k.KeyID, &k.AccountID, &k.UserID, &k.Body, &k.Fingerprint, &k.Status, &at)
	k.UploadedAt = fromDB(at)
	return k, err
}

func (t *tx) CreateIAMSSHPublicKey(ctx context.Context, k store.IAMSSHPublicKey) error {
	_, err := t.exec(ctx, "store: create ssh public key "+k.KeyID,
		`INSERT INTO iam_ssh_public_keys (`+sshKeyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		k.KeyID, k.AccountID, k.UserID, k.Body, k.Fingerprint, k.Status, toDB(k.UploadedAt))
	return err
}

func (t *tx) GetIAMSSHPublicKey(ctx context.Context, keyID string) (store.IAMSSHPublicKey, error) {
	return collectOne(ctx, t, "store: get ssh public key "+keyID,
		`SELECT `+sshKeyCols+` FROM iam_ssh_public_keys WHERE key_id = ?`, []any{keyID}, scanSSHKey)
}

func (t *tx) SetIAMSSHPublicKeyStatus(ctx context.Context, keyID, status string) error {
	return t.execAffect(ctx, "store: set ssh public key status "+keyID,
		`UPDATE iam_ssh_public_keys SET status = ? WHERE key_id = ?`, status, keyID)
}

func (t *tx) DeleteIAMSSHPublicKey(ctx context.Context, keyID string) error {
	return t.execAffect(ctx, "store: delete ssh public key "+keyID, `DELETE FROM iam_ssh_public_keys WHERE key_id = ?`, keyID)
}

func (t *tx) ListIAMSSHPublicKeys(ctx context.Context, userID string) ([]store.IAMSSHPublicKey, error) {
	return collect(ctx, t, "store: list ssh public keys",
		`SELECT `+sshKeyCols+` FROM iam_ssh_public_keys WHERE user_id = ? ORDER BY uploaded_at, key_id`, []any{userID}, scanSSHKey)
}

// ---- signing certificates ----

const signingCertCols = `certificate_id, account_id, user_id, body, fingerprint, status, uploaded_at`

func scanSigningCert(sc scanner) (store.IAMSigningCertificate, error) {
	var c store.IAMSigningCertificate
	var at sql.NullInt64
	err := sc.Scan(&c.CertificateID, &c.AccountID, &c.UserID, &c.Body, &c.Fingerprint, &c.Status, &at)
	c.UploadedAt = fromDB(at)
	return c, err
}

func (t *tx) CreateIAMSigningCertificate(ctx context.Context, c store.IAMSigningCertificate) error {
	_, err := t.exec(ctx, "store: create signing certificate "+c.CertificateID,
		`INSERT INTO iam_signing_certificates (`+signingCertCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		c.CertificateID, c.AccountID, c.UserID, c.Body, c.Fingerprint, c.Status, toDB(c.UploadedAt))
	return err
}

func (t *tx) GetIAMSigningCertificate(ctx context.Context, id string) (store.IAMSigningCertificate, error) {
	return collectOne(ctx, t, "store: get signing certificate "+id,
		`SELECT `+signingCertCols+` FROM iam_signing_certificates WHERE certificate_id = ?`, []any{id}, scanSigningCert)
}

func (t *tx) SetIAMSigningCertificateStatus(ctx context.Context, id, status string) error {
	return t.execAffect(ctx, "store: set signing certificate status "+id,
		`UPDATE iam_signing_certificates SET status = ? WHERE certificate_id = ?`, status, id)
}

func (t *tx) DeleteIAMSigningCertificate(ctx context.Context, id string) error {
	return t.execAffect(ctx, "store: delete signing certificate "+id,
		`DELETE FROM iam_signing_certificates WHERE certificate_id = ?`, id)
}

func (t *tx) ListIAMSigningCertificates(ctx context.Context, userID string) ([]store.IAMSigningCertificate, error) {
	return collect(ctx, t, "store: list signing certificates",
		`SELECT `+signingCertCols+` FROM iam_signing_certificates WHERE user_id = ? ORDER BY uploaded_at, certificate_id`,
		[]any{userID}, scanSigningCert)
}

// ---- server certificates ----

const serverCertCols = `account_id, certificate_id, name, path, arn, body, chain, private_key, expiration, tags, uploaded_at`

func scanServerCert(sc scanner) (store.IAMServerCertificate, error) {
	var c store.IAMServerCertificate
	var tags string
	var exp, at sql.NullInt64
	if err := sc.Scan(&c.AccountID, &c.CertificateID, &c.Name, &c.Path, &c.ARN, &c.Body, &c.Chain, &c.PrivateKey, &exp, &tags,
		&at); err != nil {
		return c, err
	}
	c.Expiration, c.UploadedAt = fromDB(exp), fromDB(at)
	var err error
	c.Tags, err = tagsFromDB(tags)
	return c, err
}

func (t *tx) CreateIAMServerCertificate(ctx context.Context, c store.IAMServerCertificate) error {
	tags, err := tagsToDB(c.Tags)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, "store: create server certificate "+c.Name,
		`INSERT INTO iam_server_certificates (certificate_id, account_id, name, name_key, path, arn, body, chain, private_key,
		 expiration, tags, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.CertificateID, c.AccountID, c.Name, lower(c.Name), c.Path, c.ARN, c.Body, c.Chain, c.PrivateKey, toDB(c.Expiration),
		tags, toDB(c.UploadedAt))
	return err
}

func (t *tx) GetIAMServerCertificate(ctx context.Context, accountID, name string) (store.IAMServerCertificate, error) {
	return collectOne(ctx, t, "store: get server certificate "+name,
		`SELECT `+serverCertCols+` FROM iam_server_certificates WHERE account_id = ? AND name_key = ?`,
		[]any{accountID, lower(name)}, scanServerCert)
}

func (t *tx) ReplaceIAMServerCertificate(ctx context.Context, c store.IAMServerCertificate) error {
	tags, err := tagsToDB(c.Tags)
	if err != nil {
		return err
	}
	return t.execAffect(ctx, "store: replace server certificate "+c.Name,
		`UPDATE iam_server_certificates SET name = ?, name_key = ?, path = ?, arn = ?, tags = ? WHERE certificate_id = ?`,
		c.Name, lower(c.Name), c.Path, c.ARN, tags, c.CertificateID)
}

func (t *tx) DeleteIAMServerCertificate(ctx context.Context, accountID, id string) error {
	return t.execAffect(ctx, "store: delete server certificate "+id,
		`DELETE FROM iam_server_certificates WHERE account_id = ? AND certificate_id = ?`, accountID, id)
}

func (t *tx) ListIAMServerCertificates(ctx context.Context, accountID string, f store.IAMListFilter, p store.Page) ([]store.IAMServerCertificate, error) {
	q, args := prefixClause(`SELECT `+serverCertCols+` FROM iam_server_certificates WHERE account_id = ?`, []any{accountID}, f)
	q, args = pageClause(q, args, "name_key", p)
	return collect(ctx, t, "store: list server certificates", q, args, scanServerCert)
}

// ---- service-specific credentials ----

const serviceCredCols = `credential_id, account_id, user_id, service_name, service_user_name, password_hash, status, created_at,
	expires_at`

func scanServiceCred(sc scanner) (store.IAMServiceCredential, error) {
	var c store.IAMServiceCredential
	var at, exp sql.NullInt64
	err := sc.Scan(&c.CredentialID, &c.AccountID, &c.UserID, &c.ServiceName, &c.ServiceUserName, &c.PasswordHash, &c.Status,
		&at, &exp)
	c.CreatedAt, c.ExpiresAt = fromDB(at), fromDB(exp)
	return c, err
}

func (t *tx) CreateIAMServiceCredential(ctx context.Context, c store.IAMServiceCredential) error {
	_, err := t.exec(ctx, "store: create service credential "+c.CredentialID,
		`INSERT INTO iam_service_credentials (`+serviceCredCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.CredentialID, c.AccountID, c.UserID, c.ServiceName, c.ServiceUserName, c.PasswordHash, c.Status, toDB(c.CreatedAt),
		toDB(c.ExpiresAt))
	return err
}

func (t *tx) GetIAMServiceCredential(ctx context.Context, id string) (store.IAMServiceCredential, error) {
	return collectOne(ctx, t, "store: get service credential "+id,
		`SELECT `+serviceCredCols+` FROM iam_service_credentials WHERE credential_id = ?`, []any{id}, scanServiceCred)
}

func (t *tx) ReplaceIAMServiceCredential(ctx context.Context, c store.IAMServiceCredential) error {
	return t.execAffect(ctx, "store: replace service credential "+c.CredentialID,
		`UPDATE iam_service_credentials SET password_hash = ?, status = ?, expires_at = ? WHERE credential_id = ?`,
		c.PasswordHash, c.Status, toDB(c.ExpiresAt), c.CredentialID)
}

func (t *tx) DeleteIAMServiceCredential(ctx context.Context, id string) error {
	return t.execAffect(ctx, "store: delete service credential "+id,
		`DELETE FROM iam_service_credentials WHERE credential_id = ?`, id)
}

func (t *tx) ListIAMServiceCredentials(ctx context.Context, userID string) ([]store.IAMServiceCredential, error) {
	return collect(ctx, t, "store: list service credentials",
		`SELECT `+serviceCredCols+` FROM iam_service_credentials WHERE user_id = ? ORDER BY created_at, credential_id`,
		[]any{userID}, scanServiceCred)
}
