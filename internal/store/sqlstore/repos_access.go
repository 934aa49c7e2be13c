package sqlstore

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
	_, err := t.exec(ctx, "store: create permission set "+ps.ARN,
		`INSERT INTO permission_sets (instance_arn, arn, name, name_key, description, session_duration, relay_state, inline_policy,
		        boundary_managed_arn, boundary_cmp_name, boundary_cmp_path, created_at, changed_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ps.InstanceARN, ps.ARN, ps.Name, lower(ps.Name), ps.Description, ps.SessionDuration, ps.RelayState, ps.InlinePolicy,
		bARN, bName, bPath, toDB(ps.CreatedAt), toDB(ps.ChangedAt))
	return err
}

func (t *tx) GetPermissionSet(ctx context.Context, instanceARN, arn string) (store.PermissionSet, error) {
	op := "store: get permission set " + arn
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
	op := "store: replace permission set " + ps.ARN
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
	return t.mustAffect(op, res)
}

func (t *tx) DeletePermissionSet(ctx context.Context, instanceARN, arn string) error {
	op := "store: delete permission set " + arn
	res, err := t.exec(ctx, op, `DELETE FROM permission_sets WHERE instance_arn = ? AND arn = ?`, instanceARN, arn)
	if err != nil {
		return err
	}
	if err := t.mustAffect(op, res); err != nil {
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
			return nil, t.translate(op, err)
		}
		out = append(out, ps)
	}
	return out, t.translate(op, rows.Err())
}

func (t *tx) ListPermissionSets(ctx context.Context, instanceARN string, p store.Page) ([]store.PermissionSet, error) {
	q, args := pageClause(`SELECT `+permissionSetCols+` FROM permission_sets WHERE instance_arn = ?`,
		[]any{instanceARN}, "arn", p)
	return t.permissionSets(ctx, "store: list permission sets of "+instanceARN, q, args...)
}

func (t *tx) CountPermissionSets(ctx context.Context, instanceARN string) (int, error) {
	var n int
	err := t.one(ctx, "store: count permission sets", `SELECT COUNT(*) FROM permission_sets WHERE instance_arn = ?`,
		[]any{instanceARN}, &n)
	return n, err
}

// ---- managed policies ----

func (t *tx) AttachManagedPolicy(ctx context.Context, psARN, policyARN string) error {
	_, err := t.exec(ctx, "store: attach managed policy "+policyARN+" to "+psARN,
		`INSERT INTO permission_set_managed_policies (permission_set_arn, policy_arn) VALUES (?, ?)`, psARN, policyARN)
	return err
}

func (t *tx) DetachManagedPolicy(ctx context.Context, psARN, policyARN string) error {
	op := "store: detach managed policy " + policyARN + " from " + psARN
	res, err := t.exec(ctx, op,
		`DELETE FROM permission_set_managed_policies WHERE permission_set_arn = ? AND policy_arn = ?`, psARN, policyARN)
	if err != nil {
		return err
	}
	return t.mustAffect(op, res)
}

func (t *tx) ListManagedPolicies(ctx context.Context, psARN string, p store.Page) ([]string, error) {
	op := "store: list managed policies of " + psARN
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
			return nil, t.translate(op, err)
		}
		out = append(out, s)
	}
	return out, t.translate(op, rows.Err())
}

// ---- customer managed policy references ----

func (t *tx) AttachCustomerManagedPolicy(ctx context.Context, psARN string, ref store.PolicyReference) error {
	_, err := t.exec(ctx, "store: attach customer managed policy "+ref.Key()+" to "+psARN,
		`INSERT INTO permission_set_customer_policies (permission_set_arn, ref_key, name, path) VALUES (?, ?, ?, ?)`,
		psARN, ref.Key(), ref.Name, ref.Path)
	return err
}

func (t *tx) DetachCustomerManagedPolicy(ctx context.Context, psARN string, ref store.PolicyReference) error {
	op := "store: detach customer managed policy " + ref.Key() + " from " + psARN
	res, err := t.exec(ctx, op,
		`DELETE FROM permission_set_customer_policies WHERE permission_set_arn = ? AND ref_key = ?`, psARN, ref.Key())
	if err != nil {
		return err
	}
	return t.mustAffect(op, res)
}

func (t *tx) ListCustomerManagedPolicies(ctx context.Context, psARN string, p store.Page) ([]store.PolicyReference, error) {
	op := "store: list customer managed policies of " + psARN
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
			return nil, t.translate(op, err)
		}
		out = append(out, r)
	}
	return out, t.translate(op, rows.Err())
}

// ---- tags ----

func (t *tx) PutTags(ctx context.Context, instanceARN, resourceARN string, tags []store.Tag) error {
	op := "store: tag " + resourceARN
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
	op := "store: untag " + resourceARN
	for _, k := range keys {
		if _, err := t.exec(ctx, op, `DELETE FROM sso_tags WHERE resource_arn = ? AND tag_key = ?`, resourceARN, k); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) ListTags(ctx context.Context, resourceARN string, p store.Page) ([]store.Tag, error) {
	op := "store: list tags of " + resourceARN
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
			return nil, t.translate(op, err)
		}
		out = append(out, tg)
	}
	return out, t.translate(op, rows.Err())
}

// ---- account assignments ----

const assignmentCols = `instance_arn, permission_set_arn, account_id, principal_type, principal_id, created_at`

func scanAssignment(sc scanner) (store.AccountAssignment, error) {
	var a store.AccountAssignment
	var at sql.NullInt64
	err := sc.Scan(&a.InstanceARN, &a.PermissionSetARN, &a.AccountID, &a.PrincipalType, &a.PrincipalID, &at)
	a.CreatedAt = fromDB(at)
	return a, err
}

func (t *tx) CreateAccountAssignment(ctx context.Context, a store.AccountAssignment) error {
	_, err := t.exec(ctx, "store: create account assignment "+a.Key(),
		`INSERT INTO account_assignments (instance_arn, permission_set_arn, account_id, principal_type, principal_id, akey, created_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.InstanceARN, a.PermissionSetARN, a.AccountID, a.PrincipalType, a.PrincipalID, a.Key(), toDB(a.CreatedAt))
	return err
}

func (t *tx) DeleteAccountAssignment(ctx context.Context, a store.AccountAssignment) error {
	return t.execAffect(ctx, "store: delete account assignment "+a.Key(),
		`DELETE FROM account_assignments WHERE permission_set_arn = ? AND account_id = ? AND principal_type = ? AND principal_id = ?`,
		a.PermissionSetARN, a.AccountID, a.PrincipalType, a.PrincipalID)
}

// filterClause appends "AND col = ?" for every non-empty value.
func filterClause(q string, args []any, cols []string, vals []string) (string, []any) {
	for i, v := range vals {
		if v != "" {
			q += " AND " + cols[i] + " = ?"
			args = append(args, v)
		}
	}
	return q, args
}

func (t *tx) ListAccountAssignments(ctx context.Context, instanceARN string, f store.AssignmentFilter, p store.Page) ([]store.AccountAssignment, error) {
	q, args := filterClause(`SELECT `+assignmentCols+` FROM account_assignments WHERE instance_arn = ?`, []any{instanceARN},
		[]string{"permission_set_arn", "account_id", "principal_type", "principal_id"},
		[]string{f.PermissionSetARN, f.AccountID, f.PrincipalType, f.PrincipalID})
	q, args = pageClause(q, args, "akey", p)
	return collect(ctx, t, "store: list account assignments of "+instanceARN, q, args, scanAssignment)
}

// ---- asynchronous requests ----

const ssoRequestCols = `request_id, seq, kind, instance_arn, status, failure_reason, target_id, target_type,
	permission_set_arn, principal_type, principal_id, created_at`

func scanSSORequest(sc scanner) (store.SSORequest, error) {
	var r store.SSORequest
	var at sql.NullInt64
	err := sc.Scan(&r.RequestID, &r.Seq, &r.Kind, &r.InstanceARN, &r.Status, &r.FailureReason, &r.TargetID, &r.TargetType,
		&r.PermissionSetARN, &r.PrincipalType, &r.PrincipalID, &at)
	r.CreatedAt = fromDB(at)
	return r, err
}

func (t *tx) CreateSSORequest(ctx context.Context, r store.SSORequest) error {
	_, err := t.exec(ctx, "store: create sso request "+r.RequestID,
		`INSERT INTO sso_requests (request_id, seq, kind, instance_arn, status, failure_reason, target_id, target_type,
		        permission_set_arn, principal_type, principal_id, created_at)
		 VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM sso_requests), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.RequestID, r.Kind, r.InstanceARN, r.Status, r.FailureReason, r.TargetID, r.TargetType,
		r.PermissionSetARN, r.PrincipalType, r.PrincipalID, toDB(r.CreatedAt))
	return err
}

func (t *tx) GetSSORequest(ctx context.Context, instanceARN, kind, requestID string) (store.SSORequest, error) {
	return collectOne(ctx, t, "store: get sso request "+requestID,
		`SELECT `+ssoRequestCols+` FROM sso_requests WHERE instance_arn = ? AND kind = ? AND request_id = ?`,
		[]any{instanceARN, kind, requestID}, scanSSORequest)
}

func (t *tx) SetSSORequestStatus(ctx context.Context, requestID, status, failureReason string) error {
	return t.execAffect(ctx, "store: set sso request status "+requestID,
		`UPDATE sso_requests SET status = ?, failure_reason = ? WHERE request_id = ?`, status, failureReason, requestID)
}

func (t *tx) ListSSORequests(ctx context.Context, instanceARN, kind, status string, p store.Page) ([]store.SSORequest, error) {
	q, args := filterClause(`SELECT `+ssoRequestCols+` FROM sso_requests WHERE instance_arn = ? AND kind = ?`,
		[]any{instanceARN, kind}, []string{"status"}, []string{status})
	q, args = pageClause(q, args, "request_id", p)
	return collect(ctx, t, "store: list sso requests of "+instanceARN, q, args, scanSSORequest)
}

func (t *tx) ListPendingSSORequests(ctx context.Context, limit int) ([]store.SSORequest, error) {
	return collect(ctx, t, "store: list pending sso requests",
		`SELECT `+ssoRequestCols+` FROM sso_requests WHERE status = 'IN_PROGRESS' ORDER BY seq LIMIT ?`,
		[]any{limit}, scanSSORequest)
}

// ---- provisioned permission sets ----

const provisionedCols = `instance_arn, permission_set_arn, account_id, role_name, set_changed_at, provisioned_at`

func scanProvisioned(sc scanner) (store.Provisioned, error) {
	var p store.Provisioned
	var ch, at sql.NullInt64
	err := sc.Scan(&p.InstanceARN, &p.PermissionSetARN, &p.AccountID, &p.RoleName, &ch, &at)
	p.SetChangedAt, p.ProvisionedAt = fromDB(ch), fromDB(at)
	return p, err
}

func (t *tx) PutProvisioned(ctx context.Context, p store.Provisioned) error {
	_, err := t.exec(ctx, "store: put provisioned "+p.Key(),
		`INSERT INTO sso_provisioned (instance_arn, permission_set_arn, account_id, pkey, role_name, set_changed_at, provisioned_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (permission_set_arn, account_id) DO UPDATE SET role_name = excluded.role_name,
		        set_changed_at = excluded.set_changed_at, provisioned_at = excluded.provisioned_at`,
		p.InstanceARN, p.PermissionSetARN, p.AccountID, p.Key(), p.RoleName, toDB(p.SetChangedAt), toDB(p.ProvisionedAt))
	return err
}

func (t *tx) DeleteProvisioned(ctx context.Context, psARN, accountID string) error {
	return t.execAffect(ctx, "store: delete provisioned "+accountID+" "+psARN,
		`DELETE FROM sso_provisioned WHERE permission_set_arn = ? AND account_id = ?`, psARN, accountID)
}

func (t *tx) ListProvisioned(ctx context.Context, instanceARN string, f store.ProvisionedFilter, p store.Page) ([]store.Provisioned, error) {
	q, args := filterClause(`SELECT `+provisionedCols+` FROM sso_provisioned WHERE instance_arn = ?`, []any{instanceARN},
		[]string{"permission_set_arn", "account_id"}, []string{f.PermissionSetARN, f.AccountID})
	q, args = pageClause(q, args, "pkey", p)
	return collect(ctx, t, "store: list provisioned of "+instanceARN, q, args, scanProvisioned)
}
