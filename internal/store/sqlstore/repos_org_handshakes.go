package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// ---- handshakes ----

// handshakeBody is the JSON part of a handshake row.
type handshakeBody struct {
	ARN       string
	Parties   []store.OrgHandshakeParty
	Resources []store.OrgHandshakeResource
	Changed   int64 `json:",omitempty"` // StateChangedAt, unix nanoseconds
}

func handshakeArgs(h store.OrgHandshake) (string, error) {
	body := handshakeBody{ARN: h.ARN, Parties: h.Parties, Resources: h.Resources}
	if !h.StateChangedAt.IsZero() {
		body.Changed = h.StateChangedAt.UnixNano()
	}
	b, err := json.Marshal(body)
	if err != nil {
		return "", fmt.Errorf("store: encode handshake: %w", err)
	}
	return string(b), nil
}

const handshakeCols = `id, action, state, parent_id, requested_at, expires_at, body`

func scanHandshake(sc scanner) (store.OrgHandshake, error) {
	var h store.OrgHandshake
	var req, exp sql.NullInt64
	var body string
	if err := sc.Scan(&h.ID, &h.Action, &h.State, &h.ParentID, &req, &exp, &body); err != nil {
		return h, err
	}
	h.RequestedAt, h.ExpiresAt = fromDB(req), fromDB(exp)
	var b handshakeBody
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return h, fmt.Errorf("store: decode handshake %s: %w", h.ID, err)
	}
	h.ARN, h.Parties, h.Resources = b.ARN, b.Parties, b.Resources
	if b.Changed != 0 {
		h.StateChangedAt = time.Unix(0, b.Changed).UTC()
	}
	return h, nil
}

func (t *tx) CreateOrgHandshake(ctx context.Context, h store.OrgHandshake) error {
	body, err := handshakeArgs(h)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, "store: create org handshake "+h.ID,
		`INSERT INTO org_handshakes (`+handshakeCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		h.ID, h.Action, h.State, h.ParentID, toDB(h.RequestedAt), toDB(h.ExpiresAt), body)
	return err
}

func (t *tx) GetOrgHandshake(ctx context.Context, id string) (store.OrgHandshake, error) {
	return collectOne(ctx, t, "store: get org handshake "+id,
		`SELECT `+handshakeCols+` FROM org_handshakes WHERE id = ?`, []any{id}, scanHandshake)
}

func (t *tx) ReplaceOrgHandshake(ctx context.Context, h store.OrgHandshake) error {
	body, err := handshakeArgs(h)
	if err != nil {
		return err
	}
	return t.execAffect(ctx, "store: replace org handshake "+h.ID,
		`UPDATE org_handshakes SET action = ?, state = ?, parent_id = ?, requested_at = ?, expires_at = ?, body = ? WHERE id = ?`,
		h.Action, h.State, h.ParentID, toDB(h.RequestedAt), toDB(h.ExpiresAt), body, h.ID)
}

func (t *tx) ListOrgHandshakes(ctx context.Context) ([]store.OrgHandshake, error) {
	return collect(ctx, t, "store: list org handshakes",
		`SELECT `+handshakeCols+` FROM org_handshakes ORDER BY id`, nil, scanHandshake)
}

// ---- resource policy ----

func (t *tx) GetOrgResourcePolicy(ctx context.Context) (store.OrgResourcePolicy, error) {
	var p store.OrgResourcePolicy
	err := t.one(ctx, "store: get org resource policy",
		`SELECT id, arn, content FROM org_resource_policy WHERE singleton = 1`, nil, &p.ID, &p.ARN, &p.Content)
	return p, err
}

func (t *tx) PutOrgResourcePolicy(ctx context.Context, p store.OrgResourcePolicy) error {
	_, err := t.exec(ctx, "store: put org resource policy",
		`INSERT INTO org_resource_policy (singleton, id, arn, content) VALUES (1, ?, ?, ?)
		 ON CONFLICT (singleton) DO UPDATE SET id = excluded.id, arn = excluded.arn, content = excluded.content`,
		p.ID, p.ARN, p.Content)
	return err
}

func (t *tx) DeleteOrgResourcePolicy(ctx context.Context) error {
	return t.execAffect(ctx, "store: delete org resource policy", `DELETE FROM org_resource_policy WHERE singleton = 1`)
}

// ---- responsibility transfers ----

// transferBody is the JSON part of a transfer row.
type transferBody struct {
	ARN, Name, Type              string
	SourceAccountID, SourceEmail string
	TargetAccountID, TargetEmail string
	StartAt, EndAt               int64
}

func transferArgs(tr store.OrgTransfer) (string, error) {
	b := transferBody{ARN: tr.ARN, Name: tr.Name, Type: tr.Type, SourceAccountID: tr.SourceAccountID, SourceEmail: tr.SourceEmail,
		TargetAccountID: tr.TargetAccountID, TargetEmail: tr.TargetEmail}
	if !tr.StartAt.IsZero() {
		b.StartAt = tr.StartAt.UnixNano()
	}
	if !tr.EndAt.IsZero() {
		b.EndAt = tr.EndAt.UnixNano()
	}
	out, err := json.Marshal(b)
	if err != nil {
		return "", fmt.Errorf("store: encode transfer: %w", err)
	}
	return string(out), nil
}

func scanTransfer(sc scanner) (store.OrgTransfer, error) {
	var tr store.OrgTransfer
	var body string
	if err := sc.Scan(&tr.ID, &tr.Status, &tr.HandshakeID, &body); err != nil {
		return tr, err
	}
	var b transferBody
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return tr, fmt.Errorf("store: decode transfer %s: %w", tr.ID, err)
	}
	tr.ARN, tr.Name, tr.Type = b.ARN, b.Name, b.Type
	tr.SourceAccountID, tr.SourceEmail, tr.TargetAccountID, tr.TargetEmail = b.SourceAccountID, b.SourceEmail, b.TargetAccountID, b.TargetEmail
	if b.StartAt != 0 {
		tr.StartAt = time.Unix(0, b.StartAt).UTC()
	}
	if b.EndAt != 0 {
		tr.EndAt = time.Unix(0, b.EndAt).UTC()
	}
	return tr, nil
}

func (t *tx) CreateOrgTransfer(ctx context.Context, tr store.OrgTransfer) error {
	body, err := transferArgs(tr)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, "store: create org transfer "+tr.ID,
		`INSERT INTO org_transfers (id, status, handshake_id, body) VALUES (?, ?, ?, ?)`, tr.ID, tr.Status, tr.HandshakeID, body)
	return err
}

func (t *tx) GetOrgTransfer(ctx context.Context, id string) (store.OrgTransfer, error) {
	return collectOne(ctx, t, "store: get org transfer "+id,
		`SELECT id, status, handshake_id, body FROM org_transfers WHERE id = ?`, []any{id}, scanTransfer)
}

func (t *tx) ReplaceOrgTransfer(ctx context.Context, tr store.OrgTransfer) error {
	body, err := transferArgs(tr)
	if err != nil {
		return err
	}
	return t.execAffect(ctx, "store: replace org transfer "+tr.ID,
		`UPDATE org_transfers SET status = ?, handshake_id = ?, body = ? WHERE id = ?`, tr.Status, tr.HandshakeID, body, tr.ID)
}

func (t *tx) ListOrgTransfers(ctx context.Context) ([]store.OrgTransfer, error) {
	return collect(ctx, t, "store: list org transfers",
		`SELECT id, status, handshake_id, body FROM org_transfers ORDER BY id`, nil, scanTransfer)
}

// ---- the organization and its accounts ----

func (t *tx) ReplaceOrganization(ctx context.Context, o store.Organization) error {
	return t.execAffect(ctx, "store: replace organization",
		`UPDATE organizations SET id = ?, arn = ?, management_account_id = ?, management_email = ?, feature_set = ?, created_at = ?
		 WHERE singleton = 1`,
		o.ID, o.ARN, o.ManagementAccountID, o.ManagementEmail, o.FeatureSet, toDB(o.CreatedAt))
}

func (t *tx) SetAccountStatus(ctx context.Context, accountID, status string) error {
	return t.execAffect(ctx, "store: set account status "+accountID,
		`UPDATE accounts SET status = ? WHERE id = ?`, status, accountID)
}

func (t *tx) RemoveOrgAccount(ctx context.Context, accountID string, leftAt time.Time) error {
	const op = "store: remove org account"
	a, err := t.GetAccount(ctx, accountID)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, op, `DELETE FROM org_policy_targets WHERE target_id = ?`, accountID); err != nil {
		return err
	}
	if _, err := t.exec(ctx, op, `DELETE FROM org_tags WHERE resource_id = ?`, accountID); err != nil {
		return err
	}
	// org_account_parents and org_delegated_admins cascade.
	if err := t.execAffect(ctx, op, `DELETE FROM accounts WHERE id = ?`, accountID); err != nil {
		return err
	}
	_, err = t.exec(ctx, op,
		`INSERT INTO org_former_accounts (id, arn, name, email, joined_method, left_at) VALUES (?, ?, ?, ?, ?, ?)
		 ON CONFLICT (id) DO UPDATE SET arn = excluded.arn, name = excluded.name, email = excluded.email,
		 joined_method = excluded.joined_method, left_at = excluded.left_at`,
		a.ID, a.ARN, a.Name, a.Email, a.JoinedMethod, toDB(leftAt))
	return err
}

func scanFormer(sc scanner) (store.Account, error) {
	var a store.Account
	var at sql.NullInt64
	err := sc.Scan(&a.ID, &a.ARN, &a.Name, &a.Email, &a.JoinedMethod, &at)
	a.JoinedAt = fromDB(at)
	a.Status = "ACTIVE"
	return a, err
}

func (t *tx) GetOrgFormerAccount(ctx context.Context, accountID string) (store.Account, error) {
	return collectOne(ctx, t, "store: get org former account "+accountID,
		`SELECT id, arn, name, email, joined_method, left_at FROM org_former_accounts WHERE id = ?`, []any{accountID}, scanFormer)
}

func (t *tx) ListOrgFormerAccounts(ctx context.Context) ([]store.Account, error) {
	return collect(ctx, t, "store: list org former accounts",
		`SELECT id, arn, name, email, joined_method, left_at FROM org_former_accounts ORDER BY id`, nil, scanFormer)
}

func (t *tx) DeleteOrgFormerAccount(ctx context.Context, accountID string) error {
	return t.execAffect(ctx, "store: delete org former account "+accountID,
		`DELETE FROM org_former_accounts WHERE id = ?`, accountID)
}

func (t *tx) PutOrgAccountClosure(ctx context.Context, accountID string, closedAt time.Time) error {
	_, err := t.exec(ctx, "store: put org account closure "+accountID,
		`INSERT INTO org_account_closures (account_id, closed_at) VALUES (?, ?)
		 ON CONFLICT (account_id) DO UPDATE SET closed_at = excluded.closed_at`, accountID, toDB(closedAt))
	return err
}

func (t *tx) CountOrgAccountClosures(ctx context.Context, since time.Time) (int, error) {
	var n int
	err := t.one(ctx, "store: count org account closures",
		`SELECT COUNT(*) FROM org_account_closures WHERE closed_at >= ?`, []any{since.UTC().UnixNano()}, &n)
	return n, err
}

func (t *tx) DeleteOrgData(ctx context.Context) error {
	for _, table := range []string{"org_policy_targets", "org_account_parents", "org_delegated_admins", "org_policies", "org_units",
		"org_roots", "org_tags", "org_create_account_statuses", "org_service_access", "org_handshakes", "org_resource_policy",
		"org_transfers", "org_account_closures"} {
		if _, err := t.exec(ctx, "store: delete org data", `DELETE FROM `+table); err != nil {
			return err
		}
	}
	return nil
}
