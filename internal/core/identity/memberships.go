package identity

import (
	"context"
	"errors"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/core/revoke"
	"github.com/idcenter/idcenter/internal/store"
)

// MembershipExistence is one IsMemberInGroups result.
type MembershipExistence struct {
	GroupID, UserID string
	Exists          bool
}

// CreateGroupMembership puts a user in a group and returns the membership id.
func (s *Service) CreateGroupMembership(ctx context.Context, storeID, groupID, userID string) (string, error) {
	if groupID == "" || userID == "" {
		return "", fault.Validationf("GroupId and MemberId.UserId are required.")
	}
	var id string
	err := s.update(ctx, "create group membership", storeID, func(tx store.Tx) error {
		m, added, err := s.AddMember(ctx, tx, storeID, groupID, userID, "")
		if err != nil {
			return err
		}
		if !added {
			return duplicate("GroupMembership", nil)
		}
		id = m.MembershipID
		return nil
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// DescribeGroupMembership returns one membership.
func (s *Service) DescribeGroupMembership(ctx context.Context, storeID, membershipID string) (store.Membership, error) {
	var m store.Membership
	err := s.view(ctx, "describe group membership", storeID, func(tx store.Tx) error {
		var err error
		m, err = tx.GetMembership(ctx, storeID, membershipID)
		return notFoundAs(err, func() error { return membershipNotFound(membershipID) })
	})
	return m, err
}

// DeleteGroupMembership removes a membership.
func (s *Service) DeleteGroupMembership(ctx context.Context, storeID, membershipID string) error {
	return s.update(ctx, "delete group membership", storeID, func(tx store.Tx) error {
		m, err := tx.GetMembership(ctx, storeID, membershipID)
		if err == nil {
			err = tx.DeleteMembership(ctx, storeID, membershipID)
		}
		if err != nil {
			return notFoundAs(err, func() error { return membershipNotFound(membershipID) })
		}
		return revoke.User(ctx, tx, storeID, m.UserID) // the group's assignments' credentials end
	})
}

// GetGroupMembershipID returns the id of the membership of userID in groupID.
func (s *Service) GetGroupMembershipID(ctx context.Context, storeID, groupID, userID string) (string, error) {
	var id string
	err := s.view(ctx, "get group membership id", storeID, func(tx store.Tx) error {
		m, err := tx.FindMembership(ctx, storeID, groupID, userID)
		if err != nil {
			return notFoundAs(err, func() error {
				return fault.NotFoundf(ResourceGroupMembership, "", "User %s is not a member of group %s.", userID, groupID)
			})
		}
		id = m.MembershipID
		return nil
	})
	return id, err
}

// ListGroupMemberships pages through the memberships of a group.
func (s *Service) ListGroupMemberships(ctx context.Context, storeID, groupID string, maxResults int, nextToken string) ([]store.Membership, string, error) {
	return s.listMemberships(ctx, "list group memberships", storeID, maxResults, nextToken,
		func(tx store.Tx, p store.Page) ([]store.Membership, error) {
			if _, err := tx.GetGroup(ctx, storeID, groupID); err != nil {
				return nil, notFoundAs(err, func() error { return groupNotFound(groupID) })
			}
			return tx.ListMembershipsByGroup(ctx, storeID, groupID, p)
		})
}

// ListGroupMembershipsForMember pages through the memberships of a user.
func (s *Service) ListGroupMembershipsForMember(ctx context.Context, storeID, userID string, maxResults int, nextToken string) ([]store.Membership, string, error) {
	return s.listMemberships(ctx, "list group memberships for member", storeID, maxResults, nextToken,
		func(tx store.Tx, p store.Page) ([]store.Membership, error) {
			if _, err := tx.GetUser(ctx, storeID, userID); err != nil {
				return nil, notFoundAs(err, func() error { return userNotFound(userID) })
			}
			return tx.ListMembershipsByUser(ctx, storeID, userID, p)
		})
}

func (s *Service) listMemberships(ctx context.Context, op, storeID string, maxResults int, nextToken string,
	list func(store.Tx, store.Page) ([]store.Membership, error)) ([]store.Membership, string, error) {
	max, err := pageSize(maxResults)
	if err != nil {
		return nil, "", err
	}
	p, limit, err := paging.Page(nextToken, max, maxPageSize)
	if err != nil {
		return nil, "", err
	}
	var ms []store.Membership
	err = s.view(ctx, op, storeID, func(tx store.Tx) error {
		var err error
		ms, err = list(tx, p)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	ms, next := paging.Trim(ms, limit, func(m store.Membership) string { return m.MembershipID })
	return ms, next, nil
}

// IsMemberInGroups reports, for each of up to 100 groups, whether the user is
// a direct member. The user must exist; unknown groups report false.
func (s *Service) IsMemberInGroups(ctx context.Context, storeID, userID string, groupIDs []string) ([]MembershipExistence, error) {
	if len(groupIDs) == 0 || len(groupIDs) > maxGroupIDs {
		return nil, fault.Validationf("GroupIds must contain between 1 and %d items.", maxGroupIDs)
	}
	out := make([]MembershipExistence, 0, len(groupIDs))
	err := s.view(ctx, "is member in groups", storeID, func(tx store.Tx) error {
		if _, err := tx.GetUser(ctx, storeID, userID); err != nil {
			return notFoundAs(err, func() error { return userNotFound(userID) })
		}
		for _, g := range groupIDs {
			_, err := tx.FindMembership(ctx, storeID, g, userID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			out = append(out, MembershipExistence{GroupID: g, UserID: userID, Exists: err == nil})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
