package sqlite

import (
	"context"
	"database/sql"

	"github.com/idcenter/idcenter/internal/store"
)

// ---- permission sets ----

const permissionSetCols = `instance_arn, arn, name, description, session_duration, relay_state, inline_policy,
	boundary_managed_arn, boundary_cmp_name, boundary_cmp_path, created_at, changed_at`

func scanPermissionSet(sc interface{ Scan(...any) error }) (store.PermissionSet, error) {
	var ps store.PermissionSet
	var bARN, bName, bPath string
	var cat, chat sql.NullInt64
	err := sc.Scan(&ps.InstanceARN, &ps.ARN, &ps.Name, &ps.Description, &ps.SessionDuration, &ps.RelayState,
		&ps.InlinePolicy, &bARN, &bName, &bPath, &cat, &chat)
	ps.CreatedAt, ps.ChangedAt = fromDB(cat), fromDB(chat)
	switch {
	case bARN != "":
		ps.Boundary = &store.PermissionsBoundary{ManagedPolicyARN: bARN}
	case bName != "":
		ps.Boundary = &store.PermissionsBoundary{CustomerManaged: &store.PolicyReference{Name: bName, Path: bPath}}
	}
	return ps, err
}

// boundaryCols flattens a boundary into its three columns.
func boundaryCols(b *store.PermissionsBoundary) (managedARN, name, path string) {
	if b == nil {
		return "", "", ""
	}
	if b.CustomerManaged != nil {
		return b.ManagedPolicyARN, b.CustomerManaged.Name, b.CustomerManaged.Path
	}
	return b.ManagedPolicyARN, "", ""
}

func (t *tx) CreatePermissionSet(ctx context.Context, ps store.PermissionSet) error {
	bARN, bName, bPath := boundaryCols(ps.Boundary)
	_, err := t.exec(ctx, "sqlite: create permission set "+ps.ARN,
		`INSERT INTO permission_sets (instance_arn, arn, name, name_key, description, session_duration, relay_state, inline_policy,
		        boundary_managed_arn, boundary_cmp_name, boundary_cmp_path, created_at, changed_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ps.InstanceARN, ps.ARN, ps.Name, lower(ps.Name), ps.Description, ps.SessionDuration, ps.RelayState, ps.InlinePolicy,
		bARN, bName, bPath, toDB(ps.CreatedAt), toDB(ps.ChangedAt))
	return err
}

func (t *tx) GetPermissionSet(ctx context.Context, instanceARN, arn string) (store.PermissionSet, error) {
	op := "sqlite: get permission set " + arn
	pss, err := t.permissionSets(ctx, op, `SELECT `+permissionSetCols+` FROM permission_sets WHERE instance_arn = ? AND arn = ?`,
		instanceARN, arn)
	if err != nil {
		return store.PermissionSet{}, err
	}
	if len(pss) == 0 {
		return store.PermissionSet{}, notFound(op)
	}
	return pss[0], nil
}

func (t *tx) ReplacePermissionSet(ctx context.Context, ps store.PermissionSet) error {
	op := "sqlite: replace permission set " + ps.ARN
	bARN, bName, bPath := boundaryCols(ps.Boundary)
	res, err := t.exec(ctx, op,
		`UPDATE permission_sets SET description = ?, session_duration = ?, relay_state = ?, inline_policy = ?,
		        boundary_managed_arn = ?, boundary_cmp_name = ?, boundary_cmp_path = ?, changed_at = ?
		 WHERE instance_arn = ? AND arn = ?`,
		ps.Description, ps.SessionDuration, ps.RelayState, ps.InlinePolicy, bARN, bName, bPath, toDB(ps.ChangedAt),
		ps.InstanceARN, ps.ARN)
	if err != nil {
		return err
	}
	return mustAffect(op, res)
}

func (t *tx) DeletePermissionSet(ctx context.Context, instanceARN, arn string) error {
	op := "sqlite: delete permission set " + arn
	res, err := t.exec(ctx, op, `DELETE FROM permission_sets WHERE instance_arn = ? AND arn = ?`, instanceARN, arn)
	if err != nil {
		return err
	}
	if err := mustAffect(op, res); err != nil {
		return err
	}
	_, err = t.exec(ctx, op, `DELETE FROM sso_tags WHERE resource_arn = ?`, arn)
	return err
}

func (t *tx) permissionSets(ctx context.Context, op, q string, args ...any) ([]store.PermissionSet, error) {
	rows, err := t.query(ctx, op, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.PermissionSet
	for rows.Next() {
		ps, err := scanPermissionSet(rows)
		if err != nil {
			return nil, translate(op, err)
		}
		out = append(out, ps)
	}
	return out, translate(op, rows.Err())
}

func (t *tx) ListPermissionSets(ctx context.Context, instanceARN string, p store.Page) ([]store.PermissionSet, error) {
	q, args := pageClause(`SELECT `+permissionSetCols+` FROM permission_sets WHERE instance_arn = ?`,
		[]any{instanceARN}, "arn", p)
	return t.permissionSets(ctx, "sqlite: list permission sets of "+instanceARN, q, args...)
}

func (t *tx) CountPermissionSets(ctx context.Context, instanceARN string) (int, error) {
	var n int
	err := t.one(ctx, "sqlite: count permission sets", `SELECT COUNT(*) FROM permission_sets WHERE instance_arn = ?`,
		[]any{instanceARN}, &n)
	return n, err
}

// ---- managed policies ----

func (t *tx) AttachManagedPolicy(ctx context.Context, psARN, policyARN string) error {
	_, err := t.exec(ctx, "sqlite: attach managed policy "+policyARN+" to "+psARN,
		`INSERT INTO permission_set_managed_policies (permission_set_arn, policy_arn) VALUES (?, ?)`, psARN, policyARN)
	return err
}

func (t *tx) DetachManagedPolicy(ctx context.Context, psARN, policyARN string) error {
	op := "sqlite: detach managed policy " + policyARN + " from " + psARN
	res, err := t.exec(ctx, op,
		`DELETE FROM permission_set_managed_policies WHERE permission_set_arn = ? AND policy_arn = ?`, psARN, policyARN)
	if err != nil {
		return err
	}
	return mustAffect(op, res)
}

func (t *tx) ListManagedPolicies(ctx context.Context, psARN string, p store.Page) ([]string, error) {
	op := "sqlite: list managed policies of " + psARN
	q, args := pageClause(`SELECT policy_arn FROM permission_set_managed_policies WHERE permission_set_arn = ?`,
		[]any{psARN}, "policy_arn", p)
	rows, err := t.query(ctx, op, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, translate(op, err)
		}
		out = append(out, s)
	}
	return out, translate(op, rows.Err())
}

// ---- customer managed policy references ----

func (t *tx) AttachCustomerManagedPolicy(ctx context.Context, psARN string, ref store.PolicyReference) error {
	_, err := t.exec(ctx, "sqlite: attach customer managed policy "+ref.Key()+" to "+psARN,
		`INSERT INTO permission_set_customer_policies (permission_set_arn, ref_key, name, path) VALUES (?, ?, ?, ?)`,
		psARN, ref.Key(), ref.Name, ref.Path)
	return err
}

func (t *tx) DetachCustomerManagedPolicy(ctx context.Context, psARN string, ref store.PolicyReference) error {
	op := "sqlite: detach customer managed policy " + ref.Key() + " from " + psARN
	res, err := t.exec(ctx, op,
		`DELETE FROM permission_set_customer_policies WHERE permission_set_arn = ? AND ref_key = ?`, psARN, ref.Key())
	if err != nil {
		return err
	}
	return mustAffect(op, res)
}

func (t *tx) ListCustomerManagedPolicies(ctx context.Context, psARN string, p store.Page) ([]store.PolicyReference, error) {
	op := "sqlite: list customer managed policies of " + psARN
	q, args := pageClause(`SELECT name, path FROM permission_set_customer_policies WHERE permission_set_arn = ?`,
		[]any{psARN}, "ref_key", p)
	rows, err := t.query(ctx, op, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.PolicyReference
	for rows.Next() {
		var r store.PolicyReference
		if err := rows.Scan(&r.Name, &r.Path); err != nil {
			return nil, translate(op, err)
		}
		out = append(out, r)
	}
	return out, translate(op, rows.Err())
}

// ---- tags ----

func (t *tx) PutTags(ctx context.Context, instanceARN, resourceARN string, tags []store.Tag) error {
	op := "sqlite: tag " + resourceARN
	for _, tg := range tags {
		if _, err := t.exec(ctx, op,
			`INSERT INTO sso_tags (instance_arn, resource_arn, tag_key, tag_value) VALUES (?, ?, ?, ?)
			 ON CONFLICT (resource_arn, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
			instanceARN, resourceARN, tg.Key, tg.Value); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) DeleteTags(ctx context.Context, resourceARN string, keys []string) error {
	op := "sqlite: untag " + resourceARN
	for _, k := range keys {
		if _, err := t.exec(ctx, op, `DELETE FROM sso_tags WHERE resource_arn = ? AND tag_key = ?`, resourceARN, k); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) ListTags(ctx context.Context, resourceARN string, p store.Page) ([]store.Tag, error) {
	op := "sqlite: list tags of " + resourceARN
	q, args := pageClause(`SELECT tag_key, tag_value FROM sso_tags WHERE resource_arn = ?`, []any{resourceARN}, "tag_key", p)
	rows, err := t.query(ctx, op, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Tag
	for rows.Next() {
		var tg store.Tag
		if err := rows.Scan(&tg.Key, &tg.Value); err != nil {
			return nil, translate(op, err)
		}
		out = append(out, tg)
	}
	return out, translate(op, rows.Err())
}
