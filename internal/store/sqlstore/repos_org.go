package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/idcenter/idcenter/internal/store"
)

// ---- root ----

func (t *tx) CreateOrgRoot(ctx context.Context, r store.OrgRoot) error {
	types, err := json.Marshal(nonNil(r.PolicyTypes))
	if err != nil {
		return fmt.Errorf("store: encode policy types: %w", err)
	}
	_, err = t.exec(ctx, "store: create org root",
		`INSERT INTO org_roots (singleton, id, arn, name, policy_types) VALUES (1, ?, ?, ?, ?)`,
		r.ID, r.ARN, r.Name, string(types))
	return err
}

func (t *tx) GetOrgRoot(ctx context.Context) (store.OrgRoot, error) {
	var r store.OrgRoot
	var types string
	err := t.one(ctx, "store: get org root", `SELECT id, arn, name, policy_types FROM org_roots WHERE singleton = 1`,
		nil, &r.ID, &r.ARN, &r.Name, &types)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(types), &r.PolicyTypes); err != nil {
		return r, fmt.Errorf("store: decode policy types: %w", err)
	}
	if len(r.PolicyTypes) == 0 {
		r.PolicyTypes = nil
	}
	return r, nil
}

func (t *tx) ReplaceOrgRoot(ctx context.Context, r store.OrgRoot) error {
	types, err := json.Marshal(nonNil(r.PolicyTypes))
	if err != nil {
		return fmt.Errorf("store: encode policy types: %w", err)
	}
	return t.execAffect(ctx, "store: replace org root "+r.ID,
		`UPDATE org_roots SET arn = ?, name = ?, policy_types = ? WHERE id = ?`, r.ARN, r.Name, string(types), r.ID)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ---- organizational units ----

const orgUnitCols = `id, arn, name, parent_id`

func scanOrgUnit(sc scanner) (store.OrgUnit, error) {
	var u store.OrgUnit
	err := sc.Scan(&u.ID, &u.ARN, &u.Name, &u.ParentID)
	return u, err
}

func (t *tx) CreateOrgUnit(ctx context.Context, u store.OrgUnit) error {
	_, err := t.exec(ctx, "store: create org unit "+u.ID,
		`INSERT INTO org_units (id, arn, name, name_key, parent_id) VALUES (?, ?, ?, ?, ?)`,
		u.ID, u.ARN, u.Name, lower(u.Name), u.ParentID)
	return err
}

func (t *tx) GetOrgUnit(ctx context.Context, id string) (store.OrgUnit, error) {
	return collectOne(ctx, t, "store: get org unit "+id, `SELECT `+orgUnitCols+` FROM org_units WHERE id = ?`, []any{id}, scanOrgUnit)
}

func (t *tx) ReplaceOrgUnit(ctx context.Context, u store.OrgUnit) error {
	return t.execAffect(ctx, "store: replace org unit "+u.ID,
		`UPDATE org_units SET arn = ?, name = ?, name_key = ?, parent_id = ? WHERE id = ?`,
		u.ARN, u.Name, lower(u.Name), u.ParentID, u.ID)
}

func (t *tx) DeleteOrgUnit(ctx context.Context, id string) error {
	op := "store: delete org unit " + id
	if err := t.execAffect(ctx, op, `DELETE FROM org_units WHERE id = ?`, id); err != nil {
		return err
	}
	if _, err := t.exec(ctx, op, `DELETE FROM org_policy_targets WHERE target_id = ?`, id); err != nil {
		return err
	}
	_, err := t.exec(ctx, op, `DELETE FROM org_tags WHERE resource_id = ?`, id)
	return err
}

func (t *tx) ListOrgUnits(ctx context.Context, parentID string, p store.Page) ([]store.OrgUnit, error) {
	q, args := pageClause(`SELECT `+orgUnitCols+` FROM org_units WHERE parent_id = ?`, []any{parentID}, "id", p)
	return collect(ctx, t, "store: list org units", q, args, scanOrgUnit)
}

// ---- account parents ----

const accountParentExpr = `COALESCE((SELECT parent_id FROM org_account_parents WHERE account_id = accounts.id),
	(SELECT id FROM org_roots WHERE singleton = 1), '')`

func (t *tx) GetAccountParent(ctx context.Context, accountID string) (string, error) {
	var parent string
	err := t.one(ctx, "store: get account parent "+accountID,
		`SELECT `+accountParentExpr+` FROM accounts WHERE id = ?`, []any{accountID}, &parent)
	return parent, err
}

func (t *tx) SetAccountParent(ctx context.Context, accountID, parentID string) error {
	op := "store: set account parent " + accountID
	var one int
	if err := t.one(ctx, op, `SELECT 1 FROM accounts WHERE id = ?`, []any{accountID}, &one); err != nil {
		return err
	}
	_, err := t.exec(ctx, op,
		`INSERT INTO org_account_parents (account_id, parent_id) VALUES (?, ?)
		 ON CONFLICT (account_id) DO UPDATE SET parent_id = excluded.parent_id`, accountID, parentID)
	return err
}

func (t *tx) ListAccountsForParent(ctx context.Context, parentID string, p store.Page) ([]store.Account, error) {
	q, args := pageClause(`SELECT `+accountCols+` FROM accounts WHERE `+accountParentExpr+` = ?`, []any{parentID}, "id", p)
	return collect(ctx, t, "store: list accounts for parent", q, args, func(sc scanner) (store.Account, error) { return scanAccount(sc) })
}

// ---- create-account statuses ----

const accountStatusCols = `id, account_name, state, account_id, failure_reason, requested_at, completed_at`

func scanAccountStatus(sc scanner) (store.CreateAccountStatus, error) {
	var s store.CreateAccountStatus
	var req, done sql.NullInt64
	err := sc.Scan(&s.ID, &s.AccountName, &s.State, &s.AccountID, &s.FailureReason, &req, &done)
	s.RequestedAt, s.CompletedAt = fromDB(req), fromDB(done)
	return s, err
}

func (t *tx) CreateAccountStatus(ctx context.Context, s store.CreateAccountStatus) error {
	_, err := t.exec(ctx, "store: create account status "+s.ID,
		`INSERT INTO org_create_account_statuses (`+accountStatusCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.AccountName, s.State, s.AccountID, s.FailureReason, toDB(s.RequestedAt), toDB(s.CompletedAt))
	return err
}

func (t *tx) GetAccountStatus(ctx context.Context, id string) (store.CreateAccountStatus, error) {
	return collectOne(ctx, t, "store: get account status "+id,
		`SELECT `+accountStatusCols+` FROM org_create_account_statuses WHERE id = ?`, []any{id}, scanAccountStatus)
}

func (t *tx) ReplaceAccountStatus(ctx context.Context, s store.CreateAccountStatus) error {
	return t.execAffect(ctx, "store: replace account status "+s.ID,
		`UPDATE org_create_account_statuses SET account_name = ?, state = ?, account_id = ?, failure_reason = ?,
		 requested_at = ?, completed_at = ? WHERE id = ?`,
		s.AccountName, s.State, s.AccountID, s.FailureReason, toDB(s.RequestedAt), toDB(s.CompletedAt), s.ID)
}

func (t *tx) ListAccountStatuses(ctx context.Context, states []string, p store.Page) ([]store.CreateAccountStatus, error) {
	q := `SELECT ` + accountStatusCols + ` FROM org_create_account_statuses WHERE 1 = 1`
	var args []any
	if len(states) > 0 {
		q += ` AND state IN (?` + strings.Repeat(", ?", len(states)-1) + `)`
		for _, s := range states {
			args = append(args, s)
		}
	}
	q, args = pageClause(q, args, "id", p)
	return collect(ctx, t, "store: list account statuses", q, args, scanAccountStatus)
}

// ---- policies ----

const orgPolicyCols = `id, arn, name, description, policy_type, content, aws_managed`

func scanOrgPolicy(sc scanner) (store.OrgPolicy, error) {
	var p store.OrgPolicy
	var managed int
	err := sc.Scan(&p.ID, &p.ARN, &p.Name, &p.Description, &p.Type, &p.Content, &managed)
	p.AWSManaged = managed != 0
	return p, err
}

func boolDB(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (t *tx) CreateOrgPolicy(ctx context.Context, p store.OrgPolicy) error {
	_, err := t.exec(ctx, "store: create org policy "+p.ID,
		`INSERT INTO org_policies (`+orgPolicyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.ARN, p.Name, p.Description, p.Type, p.Content, boolDB(p.AWSManaged))
	return err
}

func (t *tx) GetOrgPolicy(ctx context.Context, id string) (store.OrgPolicy, error) {
	return collectOne(ctx, t, "store: get org policy "+id, `SELECT `+orgPolicyCols+` FROM org_policies WHERE id = ?`, []any{id}, scanOrgPolicy)
}

func (t *tx) ReplaceOrgPolicy(ctx context.Context, p store.OrgPolicy) error {
	return t.execAffect(ctx, "store: replace org policy "+p.ID,
		`UPDATE org_policies SET arn = ?, name = ?, description = ?, policy_type = ?, content = ?, aws_managed = ? WHERE id = ?`,
		p.ARN, p.Name, p.Description, p.Type, p.Content, boolDB(p.AWSManaged), p.ID)
}

func (t *tx) DeleteOrgPolicy(ctx context.Context, id string) error {
	op := "store: delete org policy " + id
	if err := t.execAffect(ctx, op, `DELETE FROM org_policies WHERE id = ?`, id); err != nil {
		return err
	}
	_, err := t.exec(ctx, op, `DELETE FROM org_tags WHERE resource_id = ?`, id)
	return err
}

func (t *tx) ListOrgPolicies(ctx context.Context, policyType string, p store.Page) ([]store.OrgPolicy, error) {
	q := `SELECT ` + orgPolicyCols + ` FROM org_policies WHERE 1 = 1`
	var args []any
	if policyType != "" {
		q += ` AND policy_type = ?`
		args = append(args, policyType)
	}
	q, args = pageClause(q, args, "id", p)
	return collect(ctx, t, "store: list org policies", q, args, scanOrgPolicy)
}

// ---- attachments ----

func scanPolicyTarget(sc scanner) (store.OrgPolicyTarget, error) {
	var a store.OrgPolicyTarget
	err := sc.Scan(&a.PolicyID, &a.TargetID, &a.TargetType)
	return a, err
}

func (t *tx) AttachOrgPolicy(ctx context.Context, a store.OrgPolicyTarget) error {
	op := "store: attach org policy " + a.PolicyID
	var one int
	if err := t.one(ctx, op, `SELECT 1 FROM org_policies WHERE id = ?`, []any{a.PolicyID}, &one); err != nil {
		return err
	}
	_, err := t.exec(ctx, op, `INSERT INTO org_policy_targets (policy_id, target_id, target_type) VALUES (?, ?, ?)`,
		a.PolicyID, a.TargetID, a.TargetType)
	return err
}

func (t *tx) DetachOrgPolicy(ctx context.Context, policyID, targetID string) error {
	return t.execAffect(ctx, "store: detach org policy "+policyID,
		`DELETE FROM org_policy_targets WHERE policy_id = ? AND target_id = ?`, policyID, targetID)
}

func (t *tx) ListOrgPolicyTargets(ctx context.Context, policyID string) ([]store.OrgPolicyTarget, error) {
	return collect(ctx, t, "store: list org policy targets",
		`SELECT policy_id, target_id, target_type FROM org_policy_targets WHERE policy_id = ? ORDER BY target_id`,
		[]any{policyID}, scanPolicyTarget)
}

func (t *tx) ListOrgTargetPolicies(ctx context.Context, targetID string) ([]store.OrgPolicyTarget, error) {
	return collect(ctx, t, "store: list org target policies",
		`SELECT policy_id, target_id, target_type FROM org_policy_targets WHERE target_id = ? ORDER BY policy_id`,
		[]any{targetID}, scanPolicyTarget)
}

// ---- tags ----

func (t *tx) GetOrgTags(ctx context.Context, resourceID string) ([]store.Tag, error) {
	return collect(ctx, t, "store: get org tags",
		`SELECT tag_key, tag_value FROM org_tags WHERE resource_id = ? ORDER BY tag_key`, []any{resourceID},
		func(sc scanner) (store.Tag, error) {
			var tg store.Tag
			err := sc.Scan(&tg.Key, &tg.Value)
			return tg, err
		})
}

func (t *tx) PutOrgTags(ctx context.Context, resourceID string, tags []store.Tag) error {
	op := "store: put org tags " + resourceID
	if _, err := t.exec(ctx, op, `DELETE FROM org_tags WHERE resource_id = ?`, resourceID); err != nil {
		return err
	}
	for _, tg := range tags {
		if _, err := t.exec(ctx, op, `INSERT INTO org_tags (resource_id, tag_key, tag_value) VALUES (?, ?, ?)`,
			resourceID, tg.Key, tg.Value); err != nil {
			return err
		}
	}
	return nil
}

// ---- trusted services and delegated administrators ----

func (t *tx) PutOrgServiceAccess(ctx context.Context, a store.OrgServiceAccess) error {
	_, err := t.exec(ctx, "store: put org service access "+a.ServicePrincipal,
		`INSERT INTO org_service_access (service_principal, enabled_at) VALUES (?, ?)
		 ON CONFLICT (service_principal) DO NOTHING`, a.ServicePrincipal, toDB(a.EnabledAt))
	return err
}

func (t *tx) DeleteOrgServiceAccess(ctx context.Context, servicePrincipal string) error {
	return t.execAffect(ctx, "store: delete org service access "+servicePrincipal,
		`DELETE FROM org_service_access WHERE service_principal = ?`, servicePrincipal)
}

func (t *tx) ListOrgServiceAccess(ctx context.Context) ([]store.OrgServiceAccess, error) {
	return collect(ctx, t, "store: list org service access",
		`SELECT service_principal, enabled_at FROM org_service_access ORDER BY service_principal`, nil,
		func(sc scanner) (store.OrgServiceAccess, error) {
			var a store.OrgServiceAccess
			var at sql.NullInt64
			err := sc.Scan(&a.ServicePrincipal, &at)
			a.EnabledAt = fromDB(at)
			return a, err
		})
}

func (t *tx) CreateOrgDelegatedAdmin(ctx context.Context, d store.OrgDelegatedAdmin) error {
	_, err := t.exec(ctx, "store: create org delegated admin "+d.AccountID,
		`INSERT INTO org_delegated_admins (account_id, service_principal, delegated_at) VALUES (?, ?, ?)`,
		d.AccountID, d.ServicePrincipal, toDB(d.DelegatedAt))
	return err
}

func (t *tx) DeleteOrgDelegatedAdmin(ctx context.Context, accountID, servicePrincipal string) error {
	return t.execAffect(ctx, "store: delete org delegated admin "+accountID,
		`DELETE FROM org_delegated_admins WHERE account_id = ? AND service_principal = ?`, accountID, servicePrincipal)
}

func (t *tx) ListOrgDelegatedAdmins(ctx context.Context) ([]store.OrgDelegatedAdmin, error) {
	return collect(ctx, t, "store: list org delegated admins",
		`SELECT account_id, service_principal, delegated_at FROM org_delegated_admins ORDER BY account_id, service_principal`, nil,
		func(sc scanner) (store.OrgDelegatedAdmin, error) {
			var d store.OrgDelegatedAdmin
			var at sql.NullInt64
			err := sc.Scan(&d.AccountID, &d.ServicePrincipal, &at)
			d.DelegatedAt = fromDB(at)
			return d, err
		})
}
