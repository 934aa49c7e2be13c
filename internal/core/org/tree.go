package org

import (
	"context"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

// Child and parent types as the API names them.
const (
	TypeRoot    = "ROOT"
	TypeOU      = "ORGANIZATIONAL_UNIT"
	TypeAccount = "ACCOUNT"
)

// Node is a child or a parent in the tree.
type Node struct {
	ID   string
	Type string // TypeRoot, TypeOU, TypeAccount
}

// OU is an organizational unit with its path from the organization
// (o-…/r-…/ou-…/…/).
type OU struct {
	store.OrgUnit
	Path string
}

const (
	msgParentNotFound = "We can't find a root or OU with the ParentId that you specified."
	msgOUNotFound     = "We can't find an OU with the OrganizationalUnitId that you specified."
	msgChildNotFound  = "We can't find an organizational unit (OU) or Amazon Web Services account with the ChildId that you specified."
	msgAccountMissing = "You specified an account that doesn't exist."
)

// parentType reports whether id is the root or an existing OU.
func parentType(ctx context.Context, tx store.Tx, w world, id string) (string, error) {
	if id == w.Root.ID {
		return TypeRoot, nil
	}
	if strings.HasPrefix(id, "ou-") {
		_, err := tx.GetOrgUnit(ctx, id)
		if err == nil {
			return TypeOU, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return "", err
		}
	}
	return "", nil
}

func requireParent(ctx context.Context, tx store.Tx, w world, id, resourceType, msg string) (string, error) {
	t, err := parentType(ctx, tx, w, id)
	if err == nil && t == "" {
		err = notFound(resourceType, id, msg)
	}
	return t, err
}

func getOU(ctx context.Context, tx store.Tx, id string) (store.OrgUnit, error) {
	u, err := tx.GetOrgUnit(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return u, notFound("ORGANIZATIONAL_UNIT", id, msgOUNotFound)
	}
	return u, err
}

func getAccount(ctx context.Context, tx store.Tx, id string) (store.Account, error) {
	a, err := tx.GetAccount(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return a, notFound("ACCOUNT", id, msgAccountMissing)
	}
	return a, err
}

// ouPath is o-…/r-…/ou-…/…/ for an OU.
func ouPath(ctx context.Context, tx store.Tx, w world, u store.OrgUnit) (string, error) {
	parts := []string{u.ID}
	for p := u.ParentID; p != w.Root.ID; {
		pu, err := tx.GetOrgUnit(ctx, p)
		if err != nil {
			return "", err
		}
		parts = append(parts, pu.ID)
		p = pu.ParentID
	}
	var b strings.Builder
	b.WriteString(w.Org.ID + "/" + w.Root.ID + "/")
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i] + "/")
	}
	return b.String(), nil
}

// ListRoots returns the organization's root.
func (s *Service) ListRoots(ctx context.Context) ([]store.OrgRoot, error) {
	var root store.OrgRoot
	err := s.view(ctx, "list roots", func(_ store.Tx, w world) error {
		root = w.Root
		return nil
	})
	if err != nil {
		return nil, err
	}
	return []store.OrgRoot{root}, nil
}

// CreateOU creates an organizational unit under a root or an OU.
func (s *Service) CreateOU(ctx context.Context, parentID, name string, tags []store.Tag) (OU, error) {
	var out OU
	err := s.update(ctx, "create organizational unit", func(tx store.Tx, w world) error {
		if _, err := requireParent(ctx, tx, w, parentID, "PARENT", msgParentNotFound); err != nil {
			return err
		}
		if err := checkTags(tags); err != nil {
			return err
		}
		depth := 1
		for p := parentID; p != w.Root.ID; depth++ {
			pu, err := tx.GetOrgUnit(ctx, p)
			if err != nil {
				return err
			}
			p = pu.ParentID
		}
		if depth > 5 {
			return constraint("OU_DEPTH_LIMIT_EXCEEDED", "You have attempted to create more levels of OUs than the maximum of 5 allowed.")
		}
		suffix, err := s.random(lowerAlnum, 8)
		if err != nil {
			return err
		}
		id := "ou-" + strings.TrimPrefix(w.Root.ID, "r-") + "-" + suffix
		u := store.OrgUnit{ID: id, ARN: w.ouARN(id), Name: name, ParentID: parentID}
		if err := tx.CreateOrgUnit(ctx, u); err != nil {
			if errors.Is(err, store.ErrAlreadyExists) {
				return conflict("DUPLICATE_OU", "An OU with the same name already exists.")
			}
			return err
		}
		if w.scpEnabled() {
			if err := attachIgnoringDup(ctx, tx, fullAccess, id, store.OrgTargetOU); err != nil {
				return err
			}
		}
		if len(tags) > 0 {
			if err := tx.PutOrgTags(ctx, id, sortTags(tags)); err != nil {
				return err
			}
		}
		out.OrgUnit = u
		out.Path, err = ouPath(ctx, tx, w, u)
		return err
	})
	return out, err
}

// DescribeOU returns an organizational unit.
func (s *Service) DescribeOU(ctx context.Context, id string) (OU, error) {
	var out OU
	err := s.view(ctx, "describe organizational unit", func(tx store.Tx, w world) error {
		u, err := getOU(ctx, tx, id)
		if err != nil {
			return err
		}
		out.OrgUnit = u
		out.Path, err = ouPath(ctx, tx, w, u)
		return err
	})
	return out, err
}

// RenameOU changes an OU's name.
func (s *Service) RenameOU(ctx context.Context, id, name string) (OU, error) {
	var out OU
	err := s.update(ctx, "update organizational unit", func(tx store.Tx, w world) error {
		u, err := getOU(ctx, tx, id)
		if err != nil {
			return err
		}
		if name != "" {
			u.Name = name
			if err := tx.ReplaceOrgUnit(ctx, u); err != nil {
				if errors.Is(err, store.ErrAlreadyExists) {
					return conflict("DUPLICATE_OU", "An OU with the same name already exists.")
				}
				return err
			}
		}
		out.OrgUnit = u
		out.Path, err = ouPath(ctx, tx, w, u)
		return err
	})
	return out, err
}

// DeleteOU deletes an empty organizational unit.
func (s *Service) DeleteOU(ctx context.Context, id string) error {
	return s.update(ctx, "delete organizational unit", func(tx store.Tx, w world) error {
		if _, err := getOU(ctx, tx, id); err != nil {
			return err
		}
		ous, err := tx.ListOrgUnits(ctx, id, store.Page{Limit: 1})
		if err != nil {
			return err
		}
		accts, err := tx.ListAccountsForParent(ctx, id, store.Page{Limit: 1})
		if err != nil {
			return err
		}
		if len(ous) > 0 || len(accts) > 0 {
			return conflict("OU_NOT_EMPTY", "The specified OU is not empty. Move all accounts to another root or OU, and delete all child OUs, and try again.")
		}
		return tx.DeleteOrgUnit(ctx, id)
	})
}

// ListOUsForParent pages through the OUs directly under a root or an OU (MaxResults 1-20).
func (s *Service) ListOUsForParent(ctx context.Context, parentID string, max int, token string) ([]OU, string, error) {
	p, limit, err := paging.Page(token, max, 20)
	if err != nil {
		return nil, "", err
	}
	var out []OU
	var next string
	err = s.view(ctx, "list organizational units for parent", func(tx store.Tx, w world) error {
		if _, err := requireParent(ctx, tx, w, parentID, "PARENT", msgParentNotFound); err != nil {
			return err
		}
		us, err := tx.ListOrgUnits(ctx, parentID, p)
		if err != nil {
			return err
		}
		us, next = paging.Trim(us, limit, func(u store.OrgUnit) string { return u.ID })
		for _, u := range us {
			path, err := ouPath(ctx, tx, w, u)
			if err != nil {
				return err
			}
			out = append(out, OU{OrgUnit: u, Path: path})
		}
		return nil
	})
	return out, next, err
}

// ListAccountsForParent pages through the accounts directly under a root or an OU.
func (s *Service) ListAccountsForParent(ctx context.Context, parentID string, max int, token string) ([]store.Account, string, error) {
	p, limit, err := paging.Page(token, max, 20)
	if err != nil {
		return nil, "", err
	}
	var out []store.Account
	err = s.view(ctx, "list accounts for parent", func(tx store.Tx, w world) error {
		if _, err := requireParent(ctx, tx, w, parentID, "PARENT", msgParentNotFound); err != nil {
			return err
		}
		out, err = tx.ListAccountsForParent(ctx, parentID, p)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	out, next := paging.Trim(out, limit, func(a store.Account) string { return a.ID })
	return out, next, nil
}

// ListChildren pages through the OUs or the accounts directly under a parent.
func (s *Service) ListChildren(ctx context.Context, parentID, childType string, max int, token string) ([]Node, string, error) {
	var ids []string
	switch childType {
	case TypeOU:
		ous, next, err := s.ListOUsForParent(ctx, parentID, max, token)
		for _, u := range ous {
			ids = append(ids, u.ID)
		}
		return nodes(ids, TypeOU), next, err
	case TypeAccount:
		accts, next, err := s.ListAccountsForParent(ctx, parentID, max, token)
		for _, a := range accts {
			ids = append(ids, a.ID)
		}
		return nodes(ids, TypeAccount), next, err
	}
	return nil, "", invalid("INVALID_ENUM", "You specified an invalid value for ChildType.")
}

func nodes(ids []string, typ string) []Node {
	out := make([]Node, 0, len(ids))
	for _, id := range ids {
		out = append(out, Node{ID: id, Type: typ})
	}
	return out
}

// ListParents returns the direct parent of an OU or an account.
func (s *Service) ListParents(ctx context.Context, childID string) ([]Node, error) {
	var out []Node
	err := s.view(ctx, "list parents", func(tx store.Tx, w world) error {
		var parent string
		if strings.HasPrefix(childID, "ou-") {
			u, err := tx.GetOrgUnit(ctx, childID)
			if errors.Is(err, store.ErrNotFound) {
				return notFound("CHILD", childID, msgChildNotFound)
			}
			if err != nil {
				return err
			}
			parent = u.ParentID
		} else {
			p, err := tx.GetAccountParent(ctx, childID)
			if errors.Is(err, store.ErrNotFound) {
				return notFound("CHILD", childID, msgChildNotFound)
			}
			if err != nil {
				return err
			}
			parent = p
		}
		typ := TypeOU
		if parent == w.Root.ID {
			typ = TypeRoot
		}
		out = []Node{{ID: parent, Type: typ}}
		return nil
	})
	return out, err
}

// MoveAccount moves an account from its parent to another root or OU.
func (s *Service) MoveAccount(ctx context.Context, accountID, sourceID, destID string) error {
	return s.update(ctx, "move account", func(tx store.Tx, w world) error {
		if _, err := getAccount(ctx, tx, accountID); err != nil {
			return err
		}
		if _, err := requireParent(ctx, tx, w, sourceID, "SOURCE_PARENT", "We can't find a source root or OU with the ParentId that you specified."); err != nil {
			return err
		}
		if _, err := requireParent(ctx, tx, w, destID, "DESTINATION_PARENT", "We can't find the destination container (a root or OU) with the ParentId that you specified."); err != nil {
			return err
		}
		cur, err := tx.GetAccountParent(ctx, accountID)
		if err != nil {
			return err
		}
		if cur == destID {
			return conflict("DUPLICATE_ACCOUNT", "That account is already present in the specified destination.")
		}
		if cur != sourceID {
			return notFound("ACCOUNT", accountID, "You specified an account that doesn't exist in the source parent.")
		}
		return tx.SetAccountParent(ctx, accountID, destID)
	})
}
