package sqlstore

import (
	"context"
	"database/sql"

	"github.com/idcenter/idcenter/internal/store"
)

// ---- meta ----

func (t *tx) GetMeta(ctx context.Context, k string) (string, error) {
	var v string
	err := t.one(ctx, "store: get meta "+k, `SELECT meta_value FROM meta WHERE meta_key = ?`, []any{k}, &v)
	return v, err
}

func (t *tx) PutMeta(ctx context.Context, k, v string) error {
	_, err := t.exec(ctx, "store: put meta "+k,
		`INSERT INTO meta (meta_key, meta_value) VALUES (?, ?)
		 ON CONFLICT (meta_key) DO UPDATE SET meta_value = excluded.meta_value`, k, v)
	return err
}

// ---- organization and accounts ----

func (t *tx) CreateOrganization(ctx context.Context, o store.Organization) error {
	_, err := t.exec(ctx, "store: create organization",
		`INSERT INTO organizations (singleton, id, arn, management_account_id, management_email, feature_set, created_at)
		 VALUES (1, ?, ?, ?, ?, ?, ?)`,
		o.ID, o.ARN, o.ManagementAccountID, o.ManagementEmail, o.FeatureSet, toDB(o.CreatedAt))
	return err
}

func (t *tx) GetOrganization(ctx context.Context) (store.Organization, error) {
	var o store.Organization
	var at sql.NullInt64
	err := t.one(ctx, "store: get organization",
		`SELECT id, arn, management_account_id, management_email, feature_set, created_at FROM organizations WHERE singleton = 1`,
		nil, &o.ID, &o.ARN, &o.ManagementAccountID, &o.ManagementEmail, &o.FeatureSet, &at)
	o.CreatedAt = fromDB(at)
	return o, err
}

const accountCols = `id, arn, name, email, status, joined_method, joined_at`

func scanAccount(sc interface{ Scan(...any) error }) (store.Account, error) {
	var a store.Account
	var at sql.NullInt64
	err := sc.Scan(&a.ID, &a.ARN, &a.Name, &a.Email, &a.Status, &a.JoinedMethod, &at)
	a.JoinedAt = fromDB(at)
	return a, err
}

func (t *tx) CreateAccount(ctx context.Context, a store.Account) error {
	_, err := t.exec(ctx, "store: create account "+a.ID,
		`INSERT INTO accounts (id, arn, name, email, email_key, status, joined_method, joined_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.ARN, a.Name, a.Email, lower(a.Email), a.Status, a.JoinedMethod, toDB(a.JoinedAt))
	return err
}

func (t *tx) GetAccount(ctx context.Context, id string) (store.Account, error) {
	var a store.Account
	var at sql.NullInt64
	err := t.one(ctx, "store: get account "+id, `SELECT `+accountCols+` FROM accounts WHERE id = ?`, []any{id},
		&a.ID, &a.ARN, &a.Name, &a.Email, &a.Status, &a.JoinedMethod, &at)
	a.JoinedAt = fromDB(at)
	return a, err
}

func (t *tx) ListAccounts(ctx context.Context, p store.Page) ([]store.Account, error) {
	const op = "store: list accounts"
	q, args := pageClause(`SELECT `+accountCols+` FROM accounts WHERE 1 = 1`, nil, "id", p)
	rows, err := t.query(ctx, op, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, t.translate(op, err)
		}
		out = append(out, a)
	}
	return out, t.translate(op, rows.Err())
}

// ---- instances ----

const instanceCols = `arn, identity_store_id, owner_account_id, name, status, region, created_at`

func scanInstance(sc interface{ Scan(...any) error }) (store.Instance, error) {
	var in store.Instance
	var at sql.NullInt64
	err := sc.Scan(&in.ARN, &in.IdentityStoreID, &in.OwnerAccountID, &in.Name, &in.Status, &in.Region, &at)
	in.CreatedAt = fromDB(at)
	return in, err
}

func (t *tx) CreateInstance(ctx context.Context, in store.Instance) error {
	_, err := t.exec(ctx, "store: create instance "+in.ARN,
		`INSERT INTO instances (`+instanceCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		in.ARN, in.IdentityStoreID, in.OwnerAccountID, in.Name, in.Status, in.Region, toDB(in.CreatedAt))
	return err
}

func (t *tx) getInstance(ctx context.Context, op, where string, arg string) (store.Instance, error) {
	rows, err := t.query(ctx, op, `SELECT `+instanceCols+` FROM instances WHERE `+where+` = ?`, arg)
	if err != nil {
		return store.Instance{}, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return store.Instance{}, t.translate(op, err)
		}
		return store.Instance{}, notFound(op)
	}
	in, err := scanInstance(rows)
	return in, t.translate(op, err)
}

func (t *tx) GetInstance(ctx context.Context, arn string) (store.Instance, error) {
	return t.getInstance(ctx, "store: get instance "+arn, "arn", arn)
}

func (t *tx) GetInstanceByIdentityStore(ctx context.Context, id string) (store.Instance, error) {
	return t.getInstance(ctx, "store: get instance of identity store "+id, "identity_store_id", id)
}

func (t *tx) ListInstances(ctx context.Context, p store.Page) ([]store.Instance, error) {
	const op = "store: list instances"
	q, args := pageClause(`SELECT `+instanceCols+` FROM instances WHERE 1 = 1`, nil, "arn", p)
	rows, err := t.query(ctx, op, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Instance
	for rows.Next() {
		in, err := scanInstance(rows)
		if err != nil {
			return nil, t.translate(op, err)
		}
		out = append(out, in)
	}
	return out, t.translate(op, rows.Err())
}

// ---- access keys ----

func (t *tx) CreateAccessKey(ctx context.Context, k store.AccessKey) error {
	_, err := t.exec(ctx, "store: create access key "+k.AccessKeyID,
		`INSERT INTO access_keys (access_key_id, secret_access_key, account_id, principal_arn, user_name, status, created_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?)`,
		k.AccessKeyID, k.SecretAccessKey, k.AccountID, k.PrincipalARN, k.UserName, k.Status, toDB(k.CreatedAt))
	return err
}

func (t *tx) GetAccessKey(ctx context.Context, id string) (store.AccessKey, error) {
	var k store.AccessKey
	var at sql.NullInt64
	err := t.one(ctx, "store: get access key "+id,
		`SELECT k.access_key_id, k.secret_access_key, k.account_id, k.principal_arn, k.user_name, k.status, k.created_at,
		        COALESCE((SELECT u.user_id FROM iam_users u WHERE u.account_id = k.account_id AND u.user_name = k.user_name AND k.user_name <> ''), '')
		 FROM access_keys k WHERE k.access_key_id = ?`, []any{id},
		&k.AccessKeyID, &k.SecretAccessKey, &k.AccountID, &k.PrincipalARN, &k.UserName, &k.Status, &at, &k.UserID)
	k.CreatedAt = fromDB(at)
	return k, err
}

func (t *tx) SetAccessKeyStatus(ctx context.Context, id, status string) error {
	op := "store: set access key status " + id
	res, err := t.exec(ctx, op, `UPDATE access_keys SET status = ? WHERE access_key_id = ?`, status, id)
	if err != nil {
		return err
	}
	return t.mustAffect(op, res)
}

// ---- reset ----

func (t *tx) DeleteEverything(ctx context.Context) error {
	const op = "store: delete everything"
	// Every table but the migration record, found from the schema so that
	// tables added by later migrations are covered without listing them here.
	rows, err := t.query(ctx, op, t.d.ListTables)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return t.translate(op, err)
		}
		if name != "schema_migrations" {
			tables = append(tables, name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t.translate(op, err)
	}
	// As text, never prepared: SQLite applies a flag pragma such as
	// defer_foreign_keys when the statement is compiled, so a cached prepared
	// one would not defer anything (see RestoreSnapshot).
	prev := t.noPrepare
	t.noPrepare = true
	defer func() { t.noPrepare = prev }()
	for _, q := range t.d.Empty(tables) {
		if _, err := t.exec(ctx, op, q); err != nil {
			return err
		}
	}
	return nil
}
