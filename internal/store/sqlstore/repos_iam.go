package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/idcenter/idcenter/internal/store"
)

// ---- helpers ----

type scanner interface{ Scan(...any) error }

func tagsToDB(tags []store.Tag) (string, error) {
	if len(tags) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(tags)
	if err != nil {
		return "", fmt.Errorf("store: encode tags: %w", err)
	}
	return string(b), nil
}

func tagsFromDB(s string) ([]store.Tag, error) {
	var tags []store.Tag
	if s == "" || s == "[]" {
		return nil, nil
	}
	if err := json.Unmarshal([]byte(s), &tags); err != nil {
		return nil, fmt.Errorf("store: decode tags: %w", err)
	}
	return tags, nil
}

// prefixClause filters path by prefix (LIKE-free, so % and _ in paths are literal).
func prefixClause(q string, args []any, f store.IAMListFilter) (string, []any) {
	if f.PathPrefix != "" {
		q += " AND substr(path, 1, ?) = ?"
		args = append(args, len(f.PathPrefix), f.PathPrefix)
	}
	return q, args
}

// collect runs a query and scans every row with scan.
func collect[T any](ctx context.Context, t *tx, op, q string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := t.query(ctx, op, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, t.translate(op, err)
		}
		out = append(out, v)
	}
	return out, t.translate(op, rows.Err())
}

// collectOne is collect for a single record: no row is store.ErrNotFound.
func collectOne[T any](ctx context.Context, t *tx, op, q string, args []any, scan func(scanner) (T, error)) (T, error) {
	items, err := collect(ctx, t, op, q, args, scan)
	var zero T
	if err != nil {
		return zero, err
	}
	if len(items) == 0 {
		return zero, notFound(op)
	}
	return items[0], nil
}

func (t *tx) execAffect(ctx context.Context, op, q string, args ...any) error {
	res, err := t.exec(ctx, op, q, args...)
	if err != nil {
		return err
	}
	return t.mustAffect(op, res)
}

// ---- users ----

const iamUserCols = `account_id, user_id, user_name, path, arn, permissions_boundary, tags, created_at`

func scanIAMUser(sc scanner) (store.IAMUser, error) {
	var u store.IAMUser
	var tags string
	var at sql.NullInt64
	if err := sc.Scan(&u.AccountID, &u.UserID, &u.UserName, &u.Path, &u.ARN, &u.PermissionsBoundary, &tags, &at); err != nil {
		return u, err
	}
	u.CreatedAt = fromDB(at)
	var err error
	u.Tags, err = tagsFromDB(tags)
	return u, err
}

func (t *tx) CreateIAMUser(ctx context.Context, u store.IAMUser) error {
	tags, err := tagsToDB(u.Tags)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, "store: create iam user "+u.UserName,
		`INSERT INTO iam_users (account_id, user_id, user_name, name_key, path, arn, permissions_boundary, tags, created_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.AccountID, u.UserID, u.UserName, lower(u.UserName), u.Path, u.ARN, u.PermissionsBoundary, tags, toDB(u.CreatedAt))
	return err
}

func (t *tx) GetIAMUser(ctx context.Context, accountID, name string) (store.IAMUser, error) {
	op := "store: get iam user " + name
	return collectOne(ctx, t, op, `SELECT `+iamUserCols+` FROM iam_users WHERE account_id = ? AND name_key = ?`,
		[]any{accountID, lower(name)}, scanIAMUser)
}

func (t *tx) ReplaceIAMUser(ctx context.Context, u store.IAMUser) error {
	op := "store: replace iam user " + u.UserID
	old, err := collectOne(ctx, t, op, `SELECT `+iamUserCols+` FROM iam_users WHERE account_id = ? AND user_id = ?`,
		[]any{u.AccountID, u.UserID}, scanIAMUser)
	if err != nil {
		return err
	}
	tags, err := tagsToDB(u.Tags)
	if err != nil {
		return err
	}
	if err := t.execAffect(ctx, op,
		`UPDATE iam_users SET user_name = ?, name_key = ?, path = ?, arn = ?, permissions_boundary = ?, tags = ?, created_at = ?
		 WHERE account_id = ? AND user_id = ?`,
		u.UserName, lower(u.UserName), u.Path, u.ARN, u.PermissionsBoundary, tags, toDB(u.CreatedAt), u.AccountID, u.UserID); err != nil {
		return err
	}
	if old.UserName != u.UserName || old.ARN != u.ARN {
		_, err = t.exec(ctx, op, `UPDATE access_keys SET user_name = ?, principal_arn = ? WHERE account_id = ? AND user_name = ?`,
			u.UserName, u.ARN, u.AccountID, old.UserName)
	}
	return err
}

func (t *tx) DeleteIAMUser(ctx context.Context, accountID, userID string) error {
	return t.execAffect(ctx, "store: delete iam user "+userID,
		`DELETE FROM iam_users WHERE account_id = ? AND user_id = ?`, accountID, userID)
}

func (t *tx) ListIAMUsers(ctx context.Context, accountID string, f store.IAMListFilter, p store.Page) ([]store.IAMUser, error) {
	q, args := prefixClause(`SELECT `+iamUserCols+` FROM iam_users WHERE account_id = ?`, []any{accountID}, f)
	q, args = pageClause(q, args, "name_key", p)
	return collect(ctx, t, "store: list iam users", q, args, scanIAMUser)
}

// ---- groups ----

const iamGroupCols = `account_id, group_id, group_name, path, arn, created_at`

func scanIAMGroup(sc scanner) (store.IAMGroup, error) {
	var g store.IAMGroup
	var at sql.NullInt64
	err := sc.Scan(&g.AccountID, &g.GroupID, &g.GroupName, &g.Path, &g.ARN, &at)
	g.CreatedAt = fromDB(at)
	return g, err
}

func (t *tx) CreateIAMGroup(ctx context.Context, g store.IAMGroup) error {
	_, err := t.exec(ctx, "store: create iam group "+g.GroupName,
		`INSERT INTO iam_groups (account_id, group_id, group_name, name_key, path, arn, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		g.AccountID, g.GroupID, g.GroupName, lower(g.GroupName), g.Path, g.ARN, toDB(g.CreatedAt))
	return err
}

func (t *tx) GetIAMGroup(ctx context.Context, accountID, name string) (store.IAMGroup, error) {
	op := "store: get iam group " + name
	return collectOne(ctx, t, op, `SELECT `+iamGroupCols+` FROM iam_groups WHERE account_id = ? AND name_key = ?`,
		[]any{accountID, lower(name)}, scanIAMGroup)
}

func (t *tx) ReplaceIAMGroup(ctx context.Context, g store.IAMGroup) error {
	return t.execAffect(ctx, "store: replace iam group "+g.GroupID,
		`UPDATE iam_groups SET group_name = ?, name_key = ?, path = ?, arn = ?, created_at = ? WHERE account_id = ? AND group_id = ?`,
		g.GroupName, lower(g.GroupName), g.Path, g.ARN, toDB(g.CreatedAt), g.AccountID, g.GroupID)
}

func (t *tx) DeleteIAMGroup(ctx context.Context, accountID, groupID string) error {
	return t.execAffect(ctx, "store: delete iam group "+groupID,
		`DELETE FROM iam_groups WHERE account_id = ? AND group_id = ?`, accountID, groupID)
}

func (t *tx) ListIAMGroups(ctx context.Context, accountID string, f store.IAMListFilter, p store.Page) ([]store.IAMGroup, error) {
	q, args := prefixClause(`SELECT `+iamGroupCols+` FROM iam_groups WHERE account_id = ?`, []any{accountID}, f)
	q, args = pageClause(q, args, "name_key", p)
	return collect(ctx, t, "store: list iam groups", q, args, scanIAMGroup)
}

func (t *tx) AddIAMGroupMember(ctx context.Context, groupID, userID string) error {
	_, err := t.exec(ctx, "store: add iam group member", `INSERT INTO iam_group_members (group_id, user_id) VALUES (?, ?)`, groupID, userID)
	return err
}

func (t *tx) RemoveIAMGroupMember(ctx context.Context, groupID, userID string) error {
	return t.execAffect(ctx, "store: remove iam group member",
		`DELETE FROM iam_group_members WHERE group_id = ? AND user_id = ?`, groupID, userID)
}

func (t *tx) ListIAMGroupMembers(ctx context.Context, groupID string) ([]store.IAMUser, error) {
	return collect(ctx, t, "store: list iam group members",
		`SELECT `+prefixed("u.", iamUserCols)+` FROM iam_group_members m JOIN iam_users u ON u.user_id = m.user_id
		 WHERE m.group_id = ? ORDER BY u.name_key`, []any{groupID}, scanIAMUser)
}

func (t *tx) ListIAMGroupsForUser(ctx context.Context, userID string) ([]store.IAMGroup, error) {
	return collect(ctx, t, "store: list iam groups for user",
		`SELECT `+prefixed("g.", iamGroupCols)+` FROM iam_group_members m JOIN iam_groups g ON g.group_id = m.group_id
		 WHERE m.user_id = ? ORDER BY g.name_key`, []any{userID}, scanIAMGroup)
}

// prefixed qualifies each column of a column list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ", ")
	for i, p := range parts {
		parts[i] = alias + p
	}
	return strings.Join(parts, ", ")
}

// ---- roles ----

const iamRoleCols = `account_id, role_id, role_name, path, arn, assume_role_policy, description, max_session_duration,
	permissions_boundary, tags, created_at`

func scanIAMRole(sc scanner) (store.IAMRole, error) {
	var r store.IAMRole
	var tags string
	var at sql.NullInt64
	if err := sc.Scan(&r.AccountID, &r.RoleID, &r.RoleName, &r.Path, &r.ARN, &r.AssumeRolePolicy, &r.Description,
		&r.MaxSessionDuration, &r.PermissionsBoundary, &tags, &at); err != nil {
		return r, err
	}
	r.CreatedAt = fromDB(at)
	var err error
	r.Tags, err = tagsFromDB(tags)
	return r, err
}

func (t *tx) CreateIAMRole(ctx context.Context, r store.IAMRole) error {
	tags, err := tagsToDB(r.Tags)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, "store: create iam role "+r.RoleName,
		`INSERT INTO iam_roles (account_id, role_id, role_name, name_key, path, arn, assume_role_policy, description,
		 max_session_duration, permissions_boundary, tags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.AccountID, r.RoleID, r.RoleName, lower(r.RoleName), r.Path, r.ARN, r.AssumeRolePolicy, r.Description,
		r.MaxSessionDuration, r.PermissionsBoundary, tags, toDB(r.CreatedAt))
	return err
}

func (t *tx) GetIAMRole(ctx context.Context, accountID, name string) (store.IAMRole, error) {
	op := "store: get iam role " + name
	return collectOne(ctx, t, op, `SELECT `+iamRoleCols+` FROM iam_roles WHERE account_id = ? AND name_key = ?`,
		[]any{accountID, lower(name)}, scanIAMRole)
}

func (t *tx) ReplaceIAMRole(ctx context.Context, r store.IAMRole) error {
	tags, err := tagsToDB(r.Tags)
	if err != nil {
		return err
	}
	return t.execAffect(ctx, "store: replace iam role "+r.RoleID,
		`UPDATE iam_roles SET role_name = ?, name_key = ?, path = ?, arn = ?, assume_role_policy = ?, description = ?,
		 max_session_duration = ?, permissions_boundary = ?, tags = ?, created_at = ? WHERE account_id = ? AND role_id = ?`,
		r.RoleName, lower(r.RoleName), r.Path, r.ARN, r.AssumeRolePolicy, r.Description, r.MaxSessionDuration,
		r.PermissionsBoundary, tags, toDB(r.CreatedAt), r.AccountID, r.RoleID)
}

func (t *tx) DeleteIAMRole(ctx context.Context, accountID, roleID string) error {
	return t.execAffect(ctx, "store: delete iam role "+roleID,
		`DELETE FROM iam_roles WHERE account_id = ? AND role_id = ?`, accountID, roleID)
}

func (t *tx) ListIAMRoles(ctx context.Context, accountID string, f store.IAMListFilter, p store.Page) ([]store.IAMRole, error) {
	q, args := prefixClause(`SELECT `+iamRoleCols+` FROM iam_roles WHERE account_id = ?`, []any{accountID}, f)
	q, args = pageClause(q, args, "name_key", p)
	return collect(ctx, t, "store: list iam roles", q, args, scanIAMRole)
}

// ---- managed policies ----

const iamPolicyCols = `account_id, policy_id, policy_name, path, arn, description, default_version_id, last_version, tags,
	created_at, updated_at`

func scanIAMPolicy(sc scanner) (store.IAMPolicy, error) {
	var p store.IAMPolicy
	var tags string
	var at, up sql.NullInt64
	if err := sc.Scan(&p.AccountID, &p.PolicyID, &p.PolicyName, &p.Path, &p.ARN, &p.Description, &p.DefaultVersionID,
		&p.LastVersion, &tags, &at, &up); err != nil {
		return p, err
	}
	p.CreatedAt, p.UpdatedAt = fromDB(at), fromDB(up)
	var err error
	p.Tags, err = tagsFromDB(tags)
	return p, err
}

func (t *tx) CreateIAMPolicy(ctx context.Context, p store.IAMPolicy) error {
	tags, err := tagsToDB(p.Tags)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, "store: create iam policy "+p.ARN,
		`INSERT INTO iam_policies (account_id, policy_id, policy_name, name_key, path, arn, description, default_version_id,
		 last_version, tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.AccountID, p.PolicyID, p.PolicyName, lower(p.PolicyName), p.Path, p.ARN, p.Description, p.DefaultVersionID,
		p.LastVersion, tags, toDB(p.CreatedAt), toDB(p.UpdatedAt))
	return err
}

func (t *tx) GetIAMPolicy(ctx context.Context, arn string) (store.IAMPolicy, error) {
	op := "store: get iam policy " + arn
	return collectOne(ctx, t, op, `SELECT `+iamPolicyCols+` FROM iam_policies WHERE arn = ?`, []any{arn}, scanIAMPolicy)
}

func (t *tx) ReplaceIAMPolicy(ctx context.Context, p store.IAMPolicy) error {
	tags, err := tagsToDB(p.Tags)
	if err != nil {
		return err
	}
	return t.execAffect(ctx, "store: replace iam policy "+p.ARN,
		`UPDATE iam_policies SET description = ?, default_version_id = ?, last_version = ?, tags = ?, updated_at = ? WHERE arn = ?`,
		p.Description, p.DefaultVersionID, p.LastVersion, tags, toDB(p.UpdatedAt), p.ARN)
}

func (t *tx) DeleteIAMPolicy(ctx context.Context, arn string) error {
	return t.execAffect(ctx, "store: delete iam policy "+arn, `DELETE FROM iam_policies WHERE arn = ?`, arn)
}

func (t *tx) ListIAMPolicies(ctx context.Context, accountID string, f store.IAMListFilter, p store.Page) ([]store.IAMPolicy, error) {
	q, args := prefixClause(`SELECT `+iamPolicyCols+` FROM iam_policies WHERE account_id = ?`, []any{accountID}, f)
	q, args = pageClause(q, args, "name_key", p)
	return collect(ctx, t, "store: list iam policies", q, args, scanIAMPolicy)
}

func scanIAMPolicyVersion(sc scanner) (store.IAMPolicyVersion, error) {
	var v store.IAMPolicyVersion
	var at sql.NullInt64
	err := sc.Scan(&v.PolicyARN, &v.VersionID, &v.Document, &at)
	v.CreatedAt = fromDB(at)
	return v, err
}

func (t *tx) CreateIAMPolicyVersion(ctx context.Context, v store.IAMPolicyVersion) error {
	var no int
	if _, err := fmt.Sscanf(v.VersionID, "v%d", &no); err != nil {
		return fmt.Errorf("store: create policy version %q: version ids are v<N>: %w", v.VersionID, err)
	}
	_, err := t.exec(ctx, "store: create iam policy version "+v.PolicyARN+" "+v.VersionID,
		`INSERT INTO iam_policy_versions (policy_arn, version_id, version_no, document, created_at) VALUES (?, ?, ?, ?, ?)`,
		v.PolicyARN, v.VersionID, no, v.Document, toDB(v.CreatedAt))
	return err
}

func (t *tx) GetIAMPolicyVersion(ctx context.Context, arn, versionID string) (store.IAMPolicyVersion, error) {
	op := "store: get iam policy version " + arn + " " + versionID
	return collectOne(ctx, t, op, `SELECT policy_arn, version_id, document, created_at FROM iam_policy_versions
		WHERE policy_arn = ? AND version_id = ?`, []any{arn, versionID}, scanIAMPolicyVersion)
}

func (t *tx) DeleteIAMPolicyVersion(ctx context.Context, arn, versionID string) error {
	return t.execAffect(ctx, "store: delete iam policy version "+arn+" "+versionID,
		`DELETE FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?`, arn, versionID)
}

func (t *tx) ListIAMPolicyVersions(ctx context.Context, arn string) ([]store.IAMPolicyVersion, error) {
	return collect(ctx, t, "store: list iam policy versions "+arn, `SELECT policy_arn, version_id, document, created_at
		FROM iam_policy_versions WHERE policy_arn = ? ORDER BY version_no DESC`, []any{arn}, scanIAMPolicyVersion)
}

// ---- attachments ----

func (t *tx) AttachIAMPolicy(ctx context.Context, a store.IAMAttachment) error {
	_, err := t.exec(ctx, "store: attach iam policy "+a.PolicyARN,
		`INSERT INTO iam_attachments (entity_id, policy_arn, account_id, entity_type) VALUES (?, ?, ?, ?)`,
		a.EntityID, a.PolicyARN, a.AccountID, a.EntityType)
	return err
}

func (t *tx) DetachIAMPolicy(ctx context.Context, entityID, arn string) error {
	return t.execAffect(ctx, "store: detach iam policy "+arn,
		`DELETE FROM iam_attachments WHERE entity_id = ? AND policy_arn = ?`, entityID, arn)
}

func (t *tx) ListIAMAttachedPolicies(ctx context.Context, entityID string) ([]string, error) {
	return collect(ctx, t, "store: list attached iam policies",
		`SELECT policy_arn FROM iam_attachments WHERE entity_id = ? ORDER BY policy_arn`, []any{entityID},
		func(sc scanner) (string, error) {
			var s string
			err := sc.Scan(&s)
			return s, err
		})
}

func (t *tx) ListIAMPolicyAttachments(ctx context.Context, accountID, arn string) ([]store.IAMAttachment, error) {
	return collect(ctx, t, "store: list iam policy attachments "+arn,
		`SELECT a.account_id, a.entity_type, a.entity_id, COALESCE(u.user_name, g.group_name, r.role_name, ''), a.policy_arn,
		        COALESCE(u.name_key, g.name_key, r.name_key, '') AS k
		 FROM iam_attachments a
		 LEFT JOIN iam_users u ON a.entity_type = 'User' AND u.user_id = a.entity_id
		 LEFT JOIN iam_groups g ON a.entity_type = 'Group' AND g.group_id = a.entity_id
		 LEFT JOIN iam_roles r ON a.entity_type = 'Role' AND r.role_id = a.entity_id
		 WHERE a.policy_arn = ? AND a.account_id = ? ORDER BY a.entity_type, k`, []any{arn, accountID},
		func(sc scanner) (store.IAMAttachment, error) {
			var a store.IAMAttachment
			var k string
			err := sc.Scan(&a.AccountID, &a.EntityType, &a.EntityID, &a.EntityName, &a.PolicyARN, &k)
			return a, err
		})
}

// ---- inline policies ----

func scanIAMInline(sc scanner) (store.IAMInlinePolicy, error) {
	var p store.IAMInlinePolicy
	err := sc.Scan(&p.EntityType, &p.EntityID, &p.PolicyName, &p.Document)
	return p, err
}

func (t *tx) PutIAMInlinePolicy(ctx context.Context, p store.IAMInlinePolicy) error {
	_, err := t.exec(ctx, "store: put iam inline policy "+p.PolicyName,
		`INSERT INTO iam_inline_policies (entity_id, name_key, entity_type, policy_name, document) VALUES (?, ?, ?, ?, ?)
		 ON CONFLICT (entity_id, name_key) DO UPDATE SET policy_name = excluded.policy_name, document = excluded.document`,
		p.EntityID, lower(p.PolicyName), p.EntityType, p.PolicyName, p.Document)
	return err
}

func (t *tx) GetIAMInlinePolicy(ctx context.Context, entityID, name string) (store.IAMInlinePolicy, error) {
	op := "store: get iam inline policy " + name
	return collectOne(ctx, t, op, `SELECT entity_type, entity_id, policy_name, document FROM iam_inline_policies
		WHERE entity_id = ? AND name_key = ?`, []any{entityID, lower(name)}, scanIAMInline)
}

func (t *tx) DeleteIAMInlinePolicy(ctx context.Context, entityID, name string) error {
	return t.execAffect(ctx, "store: delete iam inline policy "+name,
		`DELETE FROM iam_inline_policies WHERE entity_id = ? AND name_key = ?`, entityID, lower(name))
}

func (t *tx) ListIAMInlinePolicies(ctx context.Context, entityID string) ([]store.IAMInlinePolicy, error) {
	return collect(ctx, t, "store: list iam inline policies", `SELECT entity_type, entity_id, policy_name, document
		FROM iam_inline_policies WHERE entity_id = ? ORDER BY name_key`, []any{entityID}, scanIAMInline)
}

// ---- access keys of users ----

func (t *tx) ListUserAccessKeys(ctx context.Context, accountID, userName string) ([]store.AccessKey, error) {
	return collect(ctx, t, "store: list access keys of "+userName,
		`SELECT access_key_id, secret_access_key, account_id, principal_arn, user_name, status, created_at
		 FROM access_keys WHERE account_id = ? AND user_name = ? AND user_name <> '' ORDER BY created_at, access_key_id`,
		[]any{accountID, userName},
		func(sc scanner) (store.AccessKey, error) {
			var k store.AccessKey
			var at sql.NullInt64
			err := sc.Scan(&k.AccessKeyID, &k.SecretAccessKey, &k.AccountID, &k.PrincipalARN, &k.UserName, &k.Status, &at)
			k.CreatedAt = fromDB(at)
			return k, err
		})
}

func (t *tx) DeleteAccessKey(ctx context.Context, id string) error {
	return t.execAffect(ctx, "store: delete access key "+id, `DELETE FROM access_keys WHERE access_key_id = ?`, id)
}
