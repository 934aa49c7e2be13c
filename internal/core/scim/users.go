package scim

import (
	"context"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/store"
)

const kindUser = "User"

// scanPage is the batch size of list scans.
const scanPage = 500

// CreateUser creates a user from a SCIM document (through the identity
// core's rules) and returns its representation.
func (s *Service) CreateUser(ctx context.Context, storeID string, d map[string]any) (map[string]any, error) {
	now := s.now()
	u, err := userFromDoc(d, store.User{IdentityStoreID: storeID}, s.issuer())
	if err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt, u.CreatedBy, u.UpdatedBy = now, now, s.actor(), s.actor()
	err = s.update(ctx, "create user", storeID, func(tx store.Tx) error {
		u, err = s.dir().InsertUser(ctx, tx, u)
		return err
	})
	if err != nil {
		return nil, err
	}
	return userDoc(u, s.issuer()), nil
}

// GetUser returns one user.
func (s *Service) GetUser(ctx context.Context, storeID, id string) (map[string]any, error) {
	var u store.User
	err := s.view(ctx, "get user", storeID, func(tx store.Tx) error {
		var err error
		u, err = tx.GetUser(ctx, storeID, id)
		return notFoundAs(err, kindUser, id)
	})
	if err != nil {
		return nil, err
	}
	return userDoc(u, s.issuer()), nil
}

// ReplaceUser replaces a user's SCIM attributes by the document (PUT).
func (s *Service) ReplaceUser(ctx context.Context, storeID, id string, d map[string]any) (map[string]any, error) {
	return s.changeUser(ctx, "replace user", storeID, id, func(cur store.User) (store.User, error) {
		return userFromDoc(d, cur, s.issuer())
	})
}

// PatchUser applies PATCH operations to a user, all or none.
func (s *Service) PatchUser(ctx context.Context, storeID, id string, ops []Operation) (map[string]any, error) {
	return s.changeUser(ctx, "patch user", storeID, id, func(cur store.User) (store.User, error) {
		d := userDoc(cur, s.issuer())
		for _, op := range ops {
			if err := applyOp(d, op); err != nil {
				return store.User{}, err
			}
		}
		return userFromDoc(d, cur, s.issuer())
	})
}

func (s *Service) changeUser(ctx context.Context, op, storeID, id string, change func(store.User) (store.User, error)) (map[string]any, error) {
	var u store.User
	err := s.update(ctx, op, storeID, func(tx store.Tx) error {
		cur, err := tx.GetUser(ctx, storeID, id)
		if err != nil {
			return notFoundAs(err, kindUser, id)
		}
		if u, err = change(cur); err != nil {
			return err
		}
		u.IdentityStoreID, u.UserID, u.CreatedAt, u.CreatedBy = cur.IdentityStoreID, cur.UserID, cur.CreatedAt, cur.CreatedBy
		u.UpdatedAt, u.UpdatedBy = s.now(), s.actor()
		// active false ends the user's sign-ins and role credentials.
		return s.dir().ReplaceUser(ctx, tx, u)
	})
	if err != nil {
		return nil, err
	}
	return userDoc(u, s.issuer()), nil
}

// DeleteUser deletes a user and its group memberships through the identity
// core: its sign-ins end and its account assignments are removed.
func (s *Service) DeleteUser(ctx context.Context, storeID, id string) error {
	return mapErr("delete user", s.dir().DeleteUser(ctx, storeID, id))
}

// ListUsers lists the users matching q.Filter (eq comparisons joined by and,
// on any user attribute; id, userName, externalId and emails.value use the
// store's indexes).
func (s *Service) ListUsers(ctx context.Context, storeID string, q ListQuery) (ListResult, error) {
	var f Filter
	if strings.TrimSpace(q.Filter) != "" {
		var err error
		if f, err = ParseFilter(q.Filter); err != nil {
			return ListResult{}, err
		}
	}
	start, count := q.window()
	res := ListResult{StartIndex: start, Resources: []map[string]any{}}
	iss := s.issuer()
	err := s.view(ctx, "list users", storeID, func(tx store.Tx) error {
		visit := func(u store.User) {
			var d map[string]any
			if len(f) > 0 {
				d = userDoc(u, iss)
				if !matches(d, f) {
					return
				}
			}
			res.TotalResults++
			if res.TotalResults >= start && len(res.Resources) < count {
				if d == nil {
					d = userDoc(u, iss)
				}
				res.Resources = append(res.Resources, d)
			}
		}
		id, indexed, err := s.userCandidate(ctx, tx, storeID, f)
		if err != nil {
			return err
		}
		if indexed {
			if id == "" {
				return nil
			}
			u, err := tx.GetUser(ctx, storeID, id)
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			visit(u)
			return nil
		}
		p := store.Page{Limit: scanPage}
		for {
			us, err := tx.ListUsers(ctx, storeID, store.UserFilter{}, p)
			if err != nil {
				return err
			}
			for _, u := range us {
				visit(u)
			}
			if len(us) < scanPage {
				return nil
			}
			p.After = us[len(us)-1].UserID
		}
	})
	return res, err
}

// userCandidate finds, through an index, the one user a filter can match.
// indexed is false when no comparison is indexed (scan everything).
func (s *Service) userCandidate(ctx context.Context, tx store.Tx, storeID string, f Filter) (string, bool, error) {
	for _, c := range f {
		v, isStr := c.Value.(string)
		if !isStr {
			continue
		}
		var l store.UserLookup
		switch strings.ToLower(c.Attr) {
		case "id":
			return v, true, nil
		case "username":
			l.UserName = v
		case "externalid":
			l.ExternalID = &store.ExternalID{Issuer: s.issuer(), ID: v}
		default:
			continue
		}
		id, err := tx.FindUserID(ctx, storeID, l)
		if errors.Is(err, store.ErrNotFound) {
			return "", true, nil
		}
		return id, true, err
	}
	return "", false, nil
}
