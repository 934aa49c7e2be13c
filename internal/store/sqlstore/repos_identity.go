package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/idcenter/idcenter/internal/store"
)

// ---- users ----

const userCols = `identity_store_id, user_id, user_name, attributes, status, created_at, created_by, updated_at, updated_by`

// emailKey is the indexed, lower-cased e-mail used by FindUserID: the primary
// address, else the first one (AWS allows one).
func emailKey(a store.UserAttributes) any {
	for _, e := range a.Emails {
		if e.Primary != nil && *e.Primary && e.Value != "" {
			return lower(e.Value)
		}
	}
	for _, e := range a.Emails {
		if e.Value != "" {
			return lower(e.Value)
		}
	}
	return nil
}

func scanUser(sc interface{ Scan(...any) error }) (store.User, error) {
	var u store.User
	var attrs string
	var cat, uat sql.NullInt64
	if err := sc.Scan(&u.IdentityStoreID, &u.UserID, &u.UserName, &attrs, &u.Status, &cat, &u.CreatedBy, &uat, &u.UpdatedBy); err != nil {
		return u, err
	}
	u.CreatedAt, u.UpdatedAt = fromDB(cat), fromDB(uat)
	if err := json.Unmarshal([]byte(attrs), &u.Attributes); err != nil {
		return u, fmt.Errorf("decode attributes of user %s: %w", u.UserID, err)
	}
	return u, nil
}

func (t *tx) putUserExternalIDs(ctx context.Context, op string, u store.User) error {
	if _, err := t.exec(ctx, op, `DELETE FROM user_external_ids WHERE identity_store_id = ? AND user_id = ?`,
		u.IdentityStoreID, u.UserID); err != nil {
		return err
	}
	for i, e := range u.ExternalIDs {
		if _, err := t.exec(ctx, op,
			`INSERT INTO user_external_ids (identity_store_id, issuer, external_id, user_id, position) VALUES (?, ?, ?, ?, ?)`,
			u.IdentityStoreID, e.Issuer, e.ID, u.UserID, i); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) CreateUser(ctx context.Context, u store.User) error {
	op := "store: create user " + u.UserID
	attrs, err := json.Marshal(u.Attributes)
	if err != nil {
		return fmt.Errorf("%s: encode attributes: %w", op, err)
	}
	if _, err := t.exec(ctx, op,
		`INSERT INTO users (identity_store_id, user_id, user_name, user_name_key, email_key, attributes, status, created_at, created_by, updated_at, updated_by)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.IdentityStoreID, u.UserID, u.UserName, key(u.UserName), emailKey(u.Attributes), string(attrs), u.Status,
		toDB(u.CreatedAt), u.CreatedBy, toDB(u.UpdatedAt), u.UpdatedBy); err != nil {
		return err
	}
	return t.putUserExternalIDs(ctx, op, u)
}

func (t *tx) ReplaceUser(ctx context.Context, u store.User) error {
	op := "store: replace user " + u.UserID
	attrs, err := json.Marshal(u.Attributes)
	if err != nil {
		return fmt.Errorf("%s: encode attributes: %w", op, err)
	}
	res, err := t.exec(ctx, op,
		`UPDATE users SET user_name = ?, user_name_key = ?, email_key = ?, attributes = ?, status = ?,
		        created_at = ?, created_by = ?, updated_at = ?, updated_by = ?
		 WHERE identity_store_id = ? AND user_id = ?`,
		u.UserName, key(u.UserName), emailKey(u.Attributes), string(attrs), u.Status,
		toDB(u.CreatedAt), u.CreatedBy, toDB(u.UpdatedAt), u.UpdatedBy, u.IdentityStoreID, u.UserID)
	if err != nil {
		return err
	}
	if err := t.mustAffect(op, res); err != nil {
		return err
	}
	return t.putUserExternalIDs(ctx, op, u)
}

func (t *tx) userExternalIDs(ctx context.Context, op, storeID, userID string) ([]store.ExternalID, error) {
	rows, err := t.query(ctx, op,
		`SELECT issuer, external_id FROM user_external_ids WHERE identity_store_id = ? AND user_id = ? ORDER BY position`,
		storeID, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.ExternalID
	for rows.Next() {
		var e store.ExternalID
		if err := rows.Scan(&e.Issuer, &e.ID); err != nil {
			return nil, t.translate(op, err)
		}
		out = append(out, e)
	}
	return out, t.translate(op, rows.Err())
}

// users runs a user query and fills in the external ids.
func (t *tx) users(ctx context.Context, op, q string, args ...any) ([]store.User, error) {
	rows, err := t.query(ctx, op, q, args...)
	if err != nil {
		return nil, err
	}
	var out []store.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, t.translate(op, err)
		}
		out = append(out, u)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, t.translate(op, err)
	}
	for i := range out {
		if out[i].ExternalIDs, err = t.userExternalIDs(ctx, op, out[i].IdentityStoreID, out[i].UserID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *tx) GetUser(ctx context.Context, storeID, userID string) (store.User, error) {
	op := "store: get user " + userID
	us, err := t.users(ctx, op, `SELECT `+userCols+` FROM users WHERE identity_store_id = ? AND user_id = ?`, storeID, userID)
	if err != nil {
		return store.User{}, err
	}
	if len(us) == 0 {
		return store.User{}, notFound(op)
	}
	return us[0], nil
}

func (t *tx) DeleteUser(ctx context.Context, storeID, userID string) error {
	op := "store: delete user " + userID
	res, err := t.exec(ctx, op, `DELETE FROM users WHERE identity_store_id = ? AND user_id = ?`, storeID, userID)
	if err != nil {
		return err
	}
	return t.mustAffect(op, res)
}

func (t *tx) ListUsers(ctx context.Context, storeID string, f store.UserFilter, p store.Page) ([]store.User, error) {
	q := `SELECT ` + userCols + ` FROM users WHERE identity_store_id = ?`
	args := []any{storeID}
	if f.UserName != "" {
		q += ` AND user_name_key = ?`
		args = append(args, lower(f.UserName))
	}
	q, args = pageClause(q, args, "user_id", p)
	return t.users(ctx, "store: list users", q, args...)
}

func (t *tx) FindUserID(ctx context.Context, storeID string, l store.UserLookup) (string, error) {
	const op = "store: find user"
	var q string
	var args []any
	switch {
	case l.ExternalID != nil:
		q = `SELECT user_id FROM user_external_ids WHERE identity_store_id = ? AND issuer = ? AND external_id = ?`
		args = []any{storeID, l.ExternalID.Issuer, l.ExternalID.ID}
	case l.UserName != "":
		q = `SELECT user_id FROM users WHERE identity_store_id = ? AND user_name_key = ?`
		args = []any{storeID, lower(l.UserName)}
	case l.Email != "":
		q = `SELECT user_id FROM users WHERE identity_store_id = ? AND email_key = ? ORDER BY user_id LIMIT 1`
		args = []any{storeID, lower(l.Email)}
	default:
		return "", fmt.Errorf("%s: empty lookup: %w", op, store.ErrNotFound)
	}
	var id string
	err := t.one(ctx, op, q, args, &id)
	return id, err
}

func (t *tx) CountUsers(ctx context.Context, storeID string) (int, error) {
	var n int
	err := t.one(ctx, "store: count users", `SELECT COUNT(*) FROM users WHERE identity_store_id = ?`, []any{storeID}, &n)
	return n, err
}

// ---- groups ----

const groupCols = `identity_store_id, group_id, display_name, description, created_at, created_by, updated_at, updated_by`

func scanGroup(sc interface{ Scan(...any) error }) (store.Group, error) {
	var g store.Group
	var cat, uat sql.NullInt64
	err := sc.Scan(&g.IdentityStoreID, &g.GroupID, &g.DisplayName, &g.Description, &cat, &g.CreatedBy, &uat, &g.UpdatedBy)
	g.CreatedAt, g.UpdatedAt = fromDB(cat), fromDB(uat)
	return g, err
}

func (t *tx) putGroupExternalIDs(ctx context.Context, op string, g store.Group) error {
	if _, err := t.exec(ctx, op, `DELETE FROM group_external_ids WHERE identity_store_id = ? AND group_id = ?`,
		g.IdentityStoreID, g.GroupID); err != nil {
		return err
	}
	for i, e := range g.ExternalIDs {
		if _, err := t.exec(ctx, op,
			`INSERT INTO group_external_ids (identity_store_id, issuer, external_id, group_id, position) VALUES (?, ?, ?, ?, ?)`,
			g.IdentityStoreID, e.Issuer, e.ID, g.GroupID, i); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) CreateGroup(ctx context.Context, g store.Group) error {
	op := "store: create group " + g.GroupID
	if _, err := t.exec(ctx, op,
		`INSERT INTO idgroups (identity_store_id, group_id, display_name, display_name_key, description, created_at, created_by, updated_at, updated_by)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		g.IdentityStoreID, g.GroupID, g.DisplayName, key(g.DisplayName), g.Description,
		toDB(g.CreatedAt), g.CreatedBy, toDB(g.UpdatedAt), g.UpdatedBy); err != nil {
		return err
	}
	return t.putGroupExternalIDs(ctx, op, g)
}

func (t *tx) ReplaceGroup(ctx context.Context, g store.Group) error {
	op := "store: replace group " + g.GroupID
	res, err := t.exec(ctx, op,
		`UPDATE idgroups SET display_name = ?, display_name_key = ?, description = ?,
		        created_at = ?, created_by = ?, updated_at = ?, updated_by = ?
		 WHERE identity_store_id = ? AND group_id = ?`,
		g.DisplayName, key(g.DisplayName), g.Description,
		toDB(g.CreatedAt), g.CreatedBy, toDB(g.UpdatedAt), g.UpdatedBy, g.IdentityStoreID, g.GroupID)
	if err != nil {
		return err
	}
	if err := t.mustAffect(op, res); err != nil {
		return err
	}
	return t.putGroupExternalIDs(ctx, op, g)
}

func (t *tx) groupExternalIDs(ctx context.Context, op, storeID, groupID string) ([]store.ExternalID, error) {
	rows, err := t.query(ctx, op,
		`SELECT issuer, external_id FROM group_external_ids WHERE identity_store_id = ? AND group_id = ? ORDER BY position`,
		storeID, groupID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.ExternalID
	for rows.Next() {
		var e store.ExternalID
		if err := rows.Scan(&e.Issuer, &e.ID); err != nil {
			return nil, t.translate(op, err)
		}
		out = append(out, e)
	}
	return out, t.translate(op, rows.Err())
}

func (t *tx) groups(ctx context.Context, op, q string, args ...any) ([]store.Group, error) {
	rows, err := t.query(ctx, op, q, args...)
	if err != nil {
		return nil, err
	}
	var out []store.Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			rows.Close()
			return nil, t.translate(op, err)
		}
		out = append(out, g)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, t.translate(op, err)
	}
	for i := range out {
		if out[i].ExternalIDs, err = t.groupExternalIDs(ctx, op, out[i].IdentityStoreID, out[i].GroupID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *tx) GetGroup(ctx context.Context, storeID, groupID string) (store.Group, error) {
	op := "store: get group " + groupID
	gs, err := t.groups(ctx, op, `SELECT `+groupCols+` FROM idgroups WHERE identity_store_id = ? AND group_id = ?`, storeID, groupID)
	if err != nil {
		return store.Group{}, err
	}
	if len(gs) == 0 {
		return store.Group{}, notFound(op)
	}
	return gs[0], nil
}

func (t *tx) DeleteGroup(ctx context.Context, storeID, groupID string) error {
	op := "store: delete group " + groupID
	res, err := t.exec(ctx, op, `DELETE FROM idgroups WHERE identity_store_id = ? AND group_id = ?`, storeID, groupID)
	if err != nil {
		return err
	}
	return t.mustAffect(op, res)
}

func (t *tx) ListGroups(ctx context.Context, storeID string, f store.GroupFilter, p store.Page) ([]store.Group, error) {
	q := `SELECT ` + groupCols + ` FROM idgroups WHERE identity_store_id = ?`
	args := []any{storeID}
	if f.DisplayName != "" {
		q += ` AND display_name_key = ?`
		args = append(args, lower(f.DisplayName))
	}
	q, args = pageClause(q, args, "group_id", p)
	return t.groups(ctx, "store: list groups", q, args...)
}

func (t *tx) FindGroupID(ctx context.Context, storeID string, l store.GroupLookup) (string, error) {
	const op = "store: find group"
	var q string
	var args []any
	switch {
	case l.ExternalID != nil:
		q = `SELECT group_id FROM group_external_ids WHERE identity_store_id = ? AND issuer = ? AND external_id = ?`
		args = []any{storeID, l.ExternalID.Issuer, l.ExternalID.ID}
	case l.DisplayName != "":
		q = `SELECT group_id FROM idgroups WHERE identity_store_id = ? AND display_name_key = ?`
		args = []any{storeID, lower(l.DisplayName)}
	default:
		return "", fmt.Errorf("%s: empty lookup: %w", op, store.ErrNotFound)
	}
	var id string
	err := t.one(ctx, op, q, args, &id)
	return id, err
}

func (t *tx) CountGroups(ctx context.Context, storeID string) (int, error) {
	var n int
	err := t.one(ctx, "store: count groups", `SELECT COUNT(*) FROM idgroups WHERE identity_store_id = ?`, []any{storeID}, &n)
	return n, err
}

// ---- memberships ----

const membershipCols = `identity_store_id, membership_id, group_id, user_id, created_at, created_by, updated_at, updated_by`

func scanMembership(sc interface{ Scan(...any) error }) (store.Membership, error) {
	var m store.Membership
	var cat, uat sql.NullInt64
	err := sc.Scan(&m.IdentityStoreID, &m.MembershipID, &m.GroupID, &m.UserID, &cat, &m.CreatedBy, &uat, &m.UpdatedBy)
	m.CreatedAt, m.UpdatedAt = fromDB(cat), fromDB(uat)
	return m, err
}

func (t *tx) CreateMembership(ctx context.Context, m store.Membership) error {
	_, err := t.exec(ctx, "store: create membership "+m.MembershipID,
		`INSERT INTO memberships (`+membershipCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		m.IdentityStoreID, m.MembershipID, m.GroupID, m.UserID, toDB(m.CreatedAt), m.CreatedBy, toDB(m.UpdatedAt), m.UpdatedBy)
	return err
}

func (t *tx) memberships(ctx context.Context, op, q string, args ...any) ([]store.Membership, error) {
	rows, err := t.query(ctx, op, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Membership
	for rows.Next() {
		m, err := scanMembership(rows)
		if err != nil {
			return nil, t.translate(op, err)
		}
		out = append(out, m)
	}
	return out, t.translate(op, rows.Err())
}

func (t *tx) oneMembership(ctx context.Context, op, where string, args ...any) (store.Membership, error) {
	ms, err := t.memberships(ctx, op, `SELECT `+membershipCols+` FROM memberships WHERE `+where, args...)
	if err != nil {
		return store.Membership{}, err
	}
	if len(ms) == 0 {
		return store.Membership{}, notFound(op)
	}
	return ms[0], nil
}

func (t *tx) GetMembership(ctx context.Context, storeID, membershipID string) (store.Membership, error) {
	return t.oneMembership(ctx, "store: get membership "+membershipID,
		`identity_store_id = ? AND membership_id = ?`, storeID, membershipID)
}

func (t *tx) FindMembership(ctx context.Context, storeID, groupID, userID string) (store.Membership, error) {
	return t.oneMembership(ctx, "store: find membership of "+userID+" in "+groupID,
		`identity_store_id = ? AND group_id = ? AND user_id = ?`, storeID, groupID, userID)
}

func (t *tx) DeleteMembership(ctx context.Context, storeID, membershipID string) error {
	op := "store: delete membership " + membershipID
	res, err := t.exec(ctx, op, `DELETE FROM memberships WHERE identity_store_id = ? AND membership_id = ?`, storeID, membershipID)
	if err != nil {
		return err
	}
	return t.mustAffect(op, res)
}

func (t *tx) ListMembershipsByGroup(ctx context.Context, storeID, groupID string, p store.Page) ([]store.Membership, error) {
	q, args := pageClause(`SELECT `+membershipCols+` FROM memberships WHERE identity_store_id = ? AND group_id = ?`,
		[]any{storeID, groupID}, "membership_id", p)
	return t.memberships(ctx, "store: list memberships of group "+groupID, q, args...)
}

func (t *tx) ListMembershipsByUser(ctx context.Context, storeID, userID string, p store.Page) ([]store.Membership, error) {
	q, args := pageClause(`SELECT `+membershipCols+` FROM memberships WHERE identity_store_id = ? AND user_id = ?`,
		[]any{storeID, userID}, "membership_id", p)
	return t.memberships(ctx, "store: list memberships of user "+userID, q, args...)
}
