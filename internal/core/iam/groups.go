package iam

import (
	"context"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

// GroupARN is the ARN of an IAM group.
func GroupARN(acct, path, name string) string { return arn(acct, "group", path, name) }

func getGroup(ctx context.Context, tx store.Tx, acct, name string) (store.IAMGroup, error) {
	g, err := tx.GetIAMGroup(ctx, acct, name)
	return g, notFoundAs(err, func() error { return noSuchEntity("The group with name %s cannot be found.", name) })
}

// CreateGroup creates an IAM group.
func (s *Service) CreateGroup(ctx context.Context, c Caller, name, path string) (store.IAMGroup, error) {
	if err := checkName("groupName", name, 128); err != nil {
		return store.IAMGroup{}, err
	}
	path, err := normPath(path)
	if err != nil {
		return store.IAMGroup{}, err
	}
	id, err := s.uniqueID("AGPA")
	if err != nil {
		return store.IAMGroup{}, err
	}
	g := store.IAMGroup{AccountID: c.AccountID, GroupID: id, GroupName: name, Path: path, ARN: GroupARN(c.AccountID, path, name), CreatedAt: s.now()}
	err = s.update(ctx, "create group", func(tx store.Tx) error {
		return existsAs(tx.CreateIAMGroup(ctx, g), func() error { return alreadyExists("Group with name %s already exists.", name) })
	})
	return g, err
}

// GetGroup returns a group and a page of its users.
func (s *Service) GetGroup(ctx context.Context, c Caller, name, marker string, max int) (store.IAMGroup, Page[store.IAMUser], error) {
	var g store.IAMGroup
	var us []store.IAMUser
	err := s.view(ctx, "get group", func(tx store.Tx) error {
		var err error
		if g, err = getGroup(ctx, tx, c.AccountID, name); err != nil {
			return err
		}
		us, err = tx.ListIAMGroupMembers(ctx, g.GroupID)
		return err
	})
	if err != nil {
		return g, Page[store.IAMUser]{}, err
	}
	p, err := pageSlice(us, marker, max, func(u store.IAMUser) string { return strings.ToLower(u.UserName) })
	return g, p, err
}

// ListGroups pages the account's groups by name.
func (s *Service) ListGroups(ctx context.Context, c Caller, pathPrefix, marker string, max int) (Page[store.IAMGroup], error) {
	p, limit, err := storePage(marker, max)
	if err != nil {
		return Page[store.IAMGroup]{}, err
	}
	var gs []store.IAMGroup
	err = s.view(ctx, "list groups", func(tx store.Tx) error {
		gs, err = tx.ListIAMGroups(ctx, c.AccountID, store.IAMListFilter{PathPrefix: pathPrefix}, p)
		return err
	})
	if err != nil {
		return Page[store.IAMGroup]{}, err
	}
	items, next := paging.Trim(gs, limit, func(g store.IAMGroup) string { return strings.ToLower(g.GroupName) })
	return Page[store.IAMGroup]{Items: items, Marker: next}, nil
}

// UpdateGroup renames a group and/or changes its path (empty = unchanged).
func (s *Service) UpdateGroup(ctx context.Context, c Caller, name, newName, newPath string) error {
	if newName != "" {
		if err := checkName("newGroupName", newName, 128); err != nil {
			return err
		}
	}
	if newPath != "" {
		if _, err := normPath(newPath); err != nil {
			return err
		}
	}
	return s.update(ctx, "update group", func(tx store.Tx) error {
		g, err := getGroup(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		if newName != "" {
			g.GroupName = newName
		}
		if newPath != "" {
			g.Path = newPath
		}
		g.ARN = GroupARN(c.AccountID, g.Path, g.GroupName)
		return existsAs(tx.ReplaceIAMGroup(ctx, g), func() error { return alreadyExists("Group with name %s already exists.", newName) })
	})
}

// DeleteGroup deletes a group without members or policies.
func (s *Service) DeleteGroup(ctx context.Context, c Caller, name string) error {
	return s.update(ctx, "delete group", func(tx store.Tx) error {
		g, err := getGroup(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		if us, err := tx.ListIAMGroupMembers(ctx, g.GroupID); err != nil || len(us) > 0 {
			return errors.Join(err, deleteConflictIf(len(us) > 0, "Cannot delete entity, must remove users from group first."))
		}
		if err := checkNoPolicies(ctx, tx, g.GroupID); err != nil {
			return err
		}
		return tx.DeleteIAMGroup(ctx, c.AccountID, g.GroupID)
	})
}

// AddUserToGroup adds a user to a group (no-op when already a member).
func (s *Service) AddUserToGroup(ctx context.Context, c Caller, groupName, userName string) error {
	return s.update(ctx, "add user to group", func(tx store.Tx) error {
		g, err := getGroup(ctx, tx, c.AccountID, groupName)
		if err != nil {
			return err
		}
		u, err := getUser(ctx, tx, c.AccountID, userName)
		if err != nil {
			return err
		}
		gs, err := tx.ListIAMGroupsForUser(ctx, u.UserID)
		if err != nil {
			return err
		}
		for _, x := range gs {
			if x.GroupID == g.GroupID {
				return nil
			}
		}
		if len(gs) >= MaxGroupsPerUser {
			return limitExceeded("Cannot exceed quota for GroupsPerUser: %d", MaxGroupsPerUser)
		}
		return tx.AddIAMGroupMember(ctx, g.GroupID, u.UserID)
	})
}

// RemoveUserFromGroup removes a member.
func (s *Service) RemoveUserFromGroup(ctx context.Context, c Caller, groupName, userName string) error {
	return s.update(ctx, "remove user from group", func(tx store.Tx) error {
		g, err := getGroup(ctx, tx, c.AccountID, groupName)
		if err != nil {
			return err
		}
		u, err := getUser(ctx, tx, c.AccountID, userName)
		if err != nil {
			return err
		}
		return notFoundAs(tx.RemoveIAMGroupMember(ctx, g.GroupID, u.UserID), func() error { return userNotFound(userName) })
	})
}

// ListGroupsForUser pages a user's groups.
func (s *Service) ListGroupsForUser(ctx context.Context, c Caller, userName, marker string, max int) (Page[store.IAMGroup], error) {
	var gs []store.IAMGroup
	err := s.view(ctx, "list groups for user", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, userName)
		if err != nil {
			return err
		}
		gs, err = tx.ListIAMGroupsForUser(ctx, u.UserID)
		return err
	})
	if err != nil {
		return Page[store.IAMGroup]{}, err
	}
	return pageSlice(gs, marker, max, func(g store.IAMGroup) string { return strings.ToLower(g.GroupName) })
}
