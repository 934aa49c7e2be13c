package scim

import (
	"context"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/identity"
	"github.com/idcenter/idcenter/internal/core/revoke"
	"github.com/idcenter/idcenter/internal/store"
)

const kindGroup = "Group"

// CreateGroup creates a group and its members (users of the store).
func (s *Service) CreateGroup(ctx context.Context, storeID string, d map[string]any) (map[string]any, error) {
	now := s.now()
	g, members, _, err := groupFromDoc(d, store.Group{IdentityStoreID: storeID}, s.issuer())
	if err != nil {
		return nil, err
	}
	g.CreatedAt, g.UpdatedAt, g.CreatedBy, g.UpdatedBy = now, now, s.actor(), s.actor()
	var final []string
	err = s.update(ctx, "create group", storeID, func(tx store.Tx) error {
		if g, err = s.dir().InsertGroup(ctx, tx, g); err != nil {
			return err
		}
		if err := s.setMembers(ctx, tx, g, members); err != nil {
			return err
		}
		final, err = memberList(ctx, tx, g)
		return err
	})
	if err != nil {
		return nil, err
	}
	return groupDoc(g, s.issuer(), final), nil
}

// memberList returns the user ids of a group's members.
func memberList(ctx context.Context, tx store.Tx, g store.Group) ([]string, error) {
	out := []string{}
	p := store.Page{Limit: scanPage}
	for {
		ms, err := tx.ListMembershipsByGroup(ctx, g.IdentityStoreID, g.GroupID, p)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			out = append(out, m.UserID)
		}
		if len(ms) < scanPage {
			return out, nil
		}
		p.After = ms[len(ms)-1].MembershipID
	}
}

func (s *Service) addMember(ctx context.Context, tx store.Tx, g store.Group, userID string) error {
	_, _, err := s.dir().AddMember(ctx, tx, g.IdentityStoreID, g.GroupID, userID, s.actor())
	if f := fault.As(err); f != nil && f.Kind == fault.NotFound && f.ResourceType == identity.ResourceUser {
		return invalid(ScimTypeInvalidValue, "Member %s is not a user of this identity store.", userID)
	}
	return err
}

// removeMember takes a user out of a group; removing a non-member is not an
// error. changeGroup ends the removed members' group credentials at the end.
func (s *Service) removeMember(ctx context.Context, tx store.Tx, g store.Group, userID string) error {
	_, err := s.dir().RemoveMember(ctx, tx, g.IdentityStoreID, g.GroupID, userID)
	return err
}

// setMembers makes the group's members exactly ids.
func (s *Service) setMembers(ctx context.Context, tx store.Tx, g store.Group, ids []string) error {
	cur, err := memberList(ctx, tx, g)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	for _, id := range cur {
		if !want[id] {
			if err := s.removeMember(ctx, tx, g, id); err != nil {
				return err
			}
		}
	}
	for _, id := range ids {
		if err := s.addMember(ctx, tx, g, id); err != nil {
			return err
		}
	}
	return nil
}

// GetGroup returns a group with its members.
func (s *Service) GetGroup(ctx context.Context, storeID, id string) (map[string]any, error) {
	var g store.Group
	var members []string
	err := s.view(ctx, "get group", storeID, func(tx store.Tx) error {
		var err error
		if g, err = tx.GetGroup(ctx, storeID, id); err != nil {
			return notFoundAs(err, kindGroup, id)
		}
		members, err = memberList(ctx, tx, g)
		return err
	})
	if err != nil {
		return nil, err
	}
	return groupDoc(g, s.issuer(), members), nil
}

// ReplaceGroup replaces a group (PUT): displayName, externalId and the
// member list (absent members means none, as RFC 7644 §3.5.1 says).
func (s *Service) ReplaceGroup(ctx context.Context, storeID, id string, d map[string]any) (map[string]any, error) {
	return s.changeGroup(ctx, "replace group", storeID, id, func(tx store.Tx, cur store.Group) (store.Group, error) {
		g, members, _, err := groupFromDoc(d, cur, s.issuer())
		if err != nil {
			return g, err
		}
		return g, s.setMembers(ctx, tx, g, members)
	})
}

func (s *Service) stamp(g, cur store.Group) store.Group {
	g.IdentityStoreID, g.GroupID, g.CreatedAt, g.CreatedBy = cur.IdentityStoreID, cur.GroupID, cur.CreatedAt, cur.CreatedBy
	g.UpdatedAt, g.UpdatedBy = s.now(), s.actor()
	return g
}

// PatchGroup applies PATCH operations to a group, all or none. Operations on
// members change memberships: add and replace with a value list, remove with
// a value filter (members[value eq "id"]), with a value list (Entra ID: only
// those members) or without a value (all members).
func (s *Service) PatchGroup(ctx context.Context, storeID, id string, ops []Operation) (map[string]any, error) {
	return s.changeGroup(ctx, "patch group", storeID, id, func(tx store.Tx, cur store.Group) (store.Group, error) {
		d := groupDoc(cur, s.issuer(), nil)
		for _, op := range ops {
			if err := s.groupOp(ctx, tx, cur, d, op); err != nil {
				return cur, err
			}
		}
		g, _, _, err := groupFromDoc(d, cur, s.issuer())
		if err != nil {
			return g, err
		}
		return g, nil
	})
}

func (s *Service) groupOp(ctx context.Context, tx store.Tx, g store.Group, d map[string]any, op Operation) error {
	if op.Path == "" {
		m := op.Value.(map[string]any) // checked by ParsePatch
		rest := map[string]any{}
		for k, v := range m {
			if strings.EqualFold(k, "members") {
				if err := s.membersOp(ctx, tx, g, op.Op, Path{Attr: "members"}, v); err != nil {
					return err
				}
				continue
			}
			rest[k] = v
		}
		if len(rest) == 0 {
			return nil
		}
		return applyOp(d, Operation{Op: op.Op, Value: rest})
	}
	p, err := ParsePath(op.Path)
	if err != nil {
		return err
	}
	if p.URN == "" && strings.EqualFold(p.Attr, "members") {
		return s.membersOp(ctx, tx, g, op.Op, p, op.Value)
	}
	if p.URN != "" {
		return invalid(ScimTypeInvalidPath, "Groups have no attribute %s.", op.Path)
	}
	return applyOp(d, op)
}

func (s *Service) membersOp(ctx context.Context, tx store.Tx, g store.Group, op string, p Path, v any) error {
	if p.Sub != "" || p.Filter != nil && op != "remove" {
		return invalid(ScimTypeInvalidPath, "Unsupported members path; use members or members[value eq \"id\"].")
	}
	if p.Filter != nil {
		cur, err := memberList(ctx, tx, g)
		if err != nil {
			return err
		}
		for _, id := range cur {
			if matches(map[string]any{"value": id, "type": "User"}, p.Filter) {
				if err := s.removeMember(ctx, tx, g, id); err != nil {
					return err
				}
			}
		}
		return nil
	}
	var ids []string
	if v != nil {
		var err error
		if ids, err = memberIDs(v); err != nil {
			return err
		}
	}
	switch op {
	case "add":
		for _, id := range ids {
			if err := s.addMember(ctx, tx, g, id); err != nil {
				return err
			}
		}
		return nil
	case "replace":
		return s.setMembers(ctx, tx, g, ids)
	}
	if v == nil {
		return s.setMembers(ctx, tx, g, nil)
	}
	for _, id := range ids {
		if err := s.removeMember(ctx, tx, g, id); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) changeGroup(ctx context.Context, op, storeID, id string, change func(store.Tx, store.Group) (store.Group, error)) (map[string]any, error) {
	var g store.Group
	var members []string
	err := s.update(ctx, op, storeID, func(tx store.Tx) error {
		cur, err := tx.GetGroup(ctx, storeID, id)
		if err != nil {
			return notFoundAs(err, kindGroup, id)
		}
		before, err := memberList(ctx, tx, cur)
		if err != nil {
			return err
		}
		if g, err = change(tx, cur); err != nil {
			return err
		}
		g = s.stamp(g, cur)
		if err := s.dir().ReplaceGroup(ctx, tx, g); err != nil {
			return err
		}
		if members, err = memberList(ctx, tx, g); err != nil {
			return err
		}
		// Members who left lose the group's assignments' role credentials.
		return revoke.Users(ctx, tx, storeID, removed(before, members))
	})
	if err != nil {
		return nil, err
	}
	return groupDoc(g, s.issuer(), members), nil
}

// DeleteGroup deletes a group and its memberships through the identity
// core: its members lose the group's role credentials and its account
// assignments are removed.
func (s *Service) DeleteGroup(ctx context.Context, storeID, id string) error {
	return mapErr("delete group", s.dir().DeleteGroup(ctx, storeID, id))
}

// removed lists the ids in before that are not in after.
func removed(before, after []string) []string {
	in := make(map[string]bool, len(after))
	for _, id := range after {
		in[id] = true
	}
	var out []string
	for _, id := range before {
		if !in[id] {
			out = append(out, id)
		}
	}
	return out
}

// ListGroups lists groups matching q.Filter, without their members (as AWS
// answers); `members eq "<user id>"` (or members.value) selects the groups of
// a user, id, displayName and externalId use indexes.
func (s *Service) ListGroups(ctx context.Context, storeID string, q ListQuery) (ListResult, error) {
	var f Filter
	if strings.TrimSpace(q.Filter) != "" {
		var err error
		if f, err = ParseFilter(q.Filter); err != nil {
			return ListResult{}, err
		}
	}
	var attrs, memberTerms Filter
	for _, c := range f {
		if l := strings.ToLower(c.Attr); l == "members" || l == "members.value" {
			memberTerms = append(memberTerms, c)
		} else {
			attrs = append(attrs, c)
		}
	}
	start, count := q.window()
	res := ListResult{StartIndex: start, Resources: []map[string]any{}}
	iss := s.issuer()
	err := s.view(ctx, "list groups", storeID, func(tx store.Tx) error {
		visit := func(g store.Group) error {
			d := groupDoc(g, iss, nil)
			if !matches(d, attrs) {
				return nil
			}
			for _, c := range memberTerms {
				uid, isStr := c.Value.(string)
				if !isStr {
					return nil
				}
				_, err := tx.FindMembership(ctx, storeID, g.GroupID, uid)
				if errors.Is(err, store.ErrNotFound) {
					return nil
				}
				if err != nil {
					return err
				}
			}
			res.TotalResults++
			if res.TotalResults >= start && len(res.Resources) < count {
				res.Resources = append(res.Resources, d)
			}
			return nil
		}
		ids, indexed, err := s.groupCandidates(ctx, tx, storeID, attrs, memberTerms)
		if err != nil {
			return err
		}
		if indexed {
			for _, id := range ids {
				g, err := tx.GetGroup(ctx, storeID, id)
				if errors.Is(err, store.ErrNotFound) {
					continue
				}
				if err != nil {
					return err
				}
				if err := visit(g); err != nil {
					return err
				}
			}
			return nil
		}
		p := store.Page{Limit: scanPage}
		for {
			gs, err := tx.ListGroups(ctx, storeID, store.GroupFilter{}, p)
			if err != nil {
				return err
			}
			for _, g := range gs {
				if err := visit(g); err != nil {
					return err
				}
			}
			if len(gs) < scanPage {
				return nil
			}
			p.After = gs[len(gs)-1].GroupID
		}
	})
	return res, err
}

func (s *Service) groupCandidates(ctx context.Context, tx store.Tx, storeID string, attrs, memberTerms Filter) ([]string, bool, error) {
	for _, c := range attrs {
		v, isStr := c.Value.(string)
		if !isStr {
			continue
		}
		var l store.GroupLookup
		switch strings.ToLower(c.Attr) {
		case "id":
			return []string{v}, true, nil
		case "displayname":
			l.DisplayName = v
		case "externalid":
			l.ExternalID = &store.ExternalID{Issuer: s.issuer(), ID: v}
		default:
			continue
		}
		id, err := tx.FindGroupID(ctx, storeID, l)
		if errors.Is(err, store.ErrNotFound) {
			return nil, true, nil
		}
		return []string{id}, true, err
	}
	for _, c := range memberTerms {
		uid, isStr := c.Value.(string)
		if !isStr {
			return nil, true, nil
		}
		var ids []string
		p := store.Page{Limit: scanPage}
		for {
			ms, err := tx.ListMembershipsByUser(ctx, storeID, uid, p)
			if err != nil {
				return nil, true, err
			}
			for _, m := range ms {
				ids = append(ids, m.GroupID)
			}
			if len(ms) < scanPage {
				return ids, true, nil
			}
			p.After = ms[len(ms)-1].MembershipID
		}
	}
	return nil, false, nil
}
