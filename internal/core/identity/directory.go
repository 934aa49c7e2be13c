package identity

import (
	"context"
	"errors"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/revoke"
	"github.com/idcenter/idcenter/internal/store"
)

// The directory's writes. Every writer of the identity store — the
// identitystore API here and SCIM (internal/core/scim) — creates, replaces
// and deletes users, groups and memberships through these functions, inside
// its own store transaction, so one set of rules (validateUserRecord,
// validateGroup, uniqueness of user names, display names and external ids)
// holds for one directory, and deletions always end the principal's
// sign-ins and remove its assignments.

// PrincipalCleanup removes what a deleted user or group has outside the
// identity store: its account and application assignments (access.Service).
type PrincipalCleanup interface {
	// RemovePrincipalAssignments runs inside the deleting transaction.
	RemovePrincipalAssignments(ctx context.Context, tx store.Tx, storeID, principalType, principalID string) error
	// Wake runs after that transaction commits (it starts the queued work).
	Wake()
}

// Principal types of PrincipalCleanup.
const (
	PrincipalUser  = "USER"
	PrincipalGroup = "GROUP"
)

// checkStatus allows the two statuses (and none, read as ENABLED, in
// records written before statuses were kept).
func checkStatus(status string) error {
	if status != "" && status != "ENABLED" && status != "DISABLED" {
		return fault.Validationf("Status must be ENABLED or DISABLED.")
	}
	return nil
}

// InsertUser creates u (its IdentityStoreID, Status, timestamps and actors
// set by the caller) inside tx under the directory's rules; the user gets
// its id here.
func (s *Service) InsertUser(ctx context.Context, tx store.Tx, u store.User) (store.User, error) {
	if err := firstErr(validateUserRecord(u), checkStatus(u.Status)); err != nil {
		return store.User{}, err
	}
	id, err := s.newID(u.IdentityStoreID)
	if err != nil {
		return store.User{}, err
	}
	u.UserID = id
	if err := checkUserUnique(ctx, tx, u); err != nil {
		return store.User{}, err
	}
	if err := tx.CreateUser(ctx, u); err != nil {
		if errors.Is(err, store.ErrAlreadyExists) {
			return store.User{}, duplicate("UserName", err)
		}
		return store.User{}, err
	}
	return u, nil
}

// ReplaceUser stores u over the user u.UserID inside tx under the
// directory's rules, and brings the user's sign-ins in line (a DISABLED
// user's sessions and role credentials end).
func (s *Service) ReplaceUser(ctx context.Context, tx store.Tx, u store.User) error {
	if err := firstErr(validateUserRecord(u), checkStatus(u.Status)); err != nil {
		return err
	}
	if err := checkUserUnique(ctx, tx, u); err != nil {
		return err
	}
	if err := tx.ReplaceUser(ctx, u); err != nil {
		if errors.Is(err, store.ErrAlreadyExists) {
			return duplicate("UserName", err)
		}
		return notFoundAs(err, func() error { return userNotFound(u.UserID) })
	}
	return revoke.User(ctx, tx, u.IdentityStoreID, u.UserID)
}

// removeUser deletes a user with its memberships inside tx: its sign-ins
// end and its assignments are removed (Cleanup; Wake after the commit).
func (s *Service) removeUser(ctx context.Context, tx store.Tx, storeID, userID string) error {
	if err := tx.DeleteUser(ctx, storeID, userID); err != nil {
		return notFoundAs(err, func() error { return userNotFound(userID) })
	}
	if err := revoke.EndUser(ctx, tx, storeID, userID); err != nil {
		return err
	}
	if s.Cleanup == nil {
		return nil
	}
	return s.Cleanup.RemovePrincipalAssignments(ctx, tx, storeID, PrincipalUser, userID)
}

// InsertGroup creates g (IdentityStoreID, timestamps and actors set by the
// caller) inside tx under the directory's rules; the group gets its id here.
func (s *Service) InsertGroup(ctx context.Context, tx store.Tx, g store.Group) (store.Group, error) {
	if err := validateGroup(g); err != nil {
		return store.Group{}, err
	}
	id, err := s.newID(g.IdentityStoreID)
	if err != nil {
		return store.Group{}, err
	}
	g.GroupID = id
	if err := checkGroupUnique(ctx, tx, g); err != nil {
		return store.Group{}, err
	}
	if err := tx.CreateGroup(ctx, g); err != nil {
		if errors.Is(err, store.ErrAlreadyExists) {
			return store.Group{}, duplicate("GroupDisplayName", err)
		}
		return store.Group{}, err
	}
	return g, nil
}

// ReplaceGroup stores g over the group g.GroupID inside tx under the
// directory's rules.
func (s *Service) ReplaceGroup(ctx context.Context, tx store.Tx, g store.Group) error {
	if err := validateGroup(g); err != nil {
		return err
	}
	if err := checkGroupUnique(ctx, tx, g); err != nil {
		return err
	}
	if err := tx.ReplaceGroup(ctx, g); err != nil {
		if errors.Is(err, store.ErrAlreadyExists) {
			return duplicate("GroupDisplayName", err)
		}
		return notFoundAs(err, func() error { return groupNotFound(g.GroupID) })
	}
	return nil
}

// removeGroup deletes a group with its memberships inside tx: its former
// members lose the group's role credentials and its assignments are removed
// (Cleanup; Wake after the commit).
func (s *Service) removeGroup(ctx context.Context, tx store.Tx, storeID, groupID string) error {
	members, err := revoke.GroupMembers(ctx, tx, storeID, groupID)
	if err != nil {
		return err
	}
	if err := tx.DeleteGroup(ctx, storeID, groupID); err != nil {
		return notFoundAs(err, func() error { return groupNotFound(groupID) })
	}
	if s.Cleanup != nil {
		if err := s.Cleanup.RemovePrincipalAssignments(ctx, tx, storeID, PrincipalGroup, groupID); err != nil {
			return err
		}
	}
	return revoke.Users(ctx, tx, storeID, members)
}

// wake starts the work a committed deletion queued.
func (s *Service) wake() {
	if s.Cleanup != nil {
		s.Cleanup.Wake()
	}
}

// AddMember puts a user in a group inside tx; added is false (and m the
// existing membership) when the user already is a member. An unknown group
// or user is a NotFound fault (ResourceGroup, ResourceUser).
func (s *Service) AddMember(ctx context.Context, tx store.Tx, storeID, groupID, userID, actor string) (m store.Membership, added bool, err error) {
	if groupID == "" || userID == "" {
		return m, false, fault.Validationf("GroupId and MemberId.UserId are required.")
	}
	if _, err := tx.GetGroup(ctx, storeID, groupID); err != nil {
		return m, false, notFoundAs(err, func() error { return groupNotFound(groupID) })
	}
	if _, err := tx.GetUser(ctx, storeID, userID); err != nil {
		return m, false, notFoundAs(err, func() error { return userNotFound(userID) })
	}
	if m, err = tx.FindMembership(ctx, storeID, groupID, userID); err == nil {
		return m, false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return m, false, err
	}
	id, err := s.newID(storeID)
	if err != nil {
		return m, false, err
	}
	now := s.now()
	m = store.Membership{IdentityStoreID: storeID, MembershipID: id, GroupID: groupID, UserID: userID,
		CreatedAt: now, UpdatedAt: now, CreatedBy: actor, UpdatedBy: actor}
	if err := tx.CreateMembership(ctx, m); err != nil {
		if errors.Is(err, store.ErrAlreadyExists) {
			return m, false, duplicate("GroupMembership", err)
		}
		return m, false, err
	}
	return m, true, nil
}

// RemoveMember takes a user out of a group inside tx; not being a member is
// no error (removed false). The caller brings the user's sign-ins in line
// (revoke.User) once its changes are done, as a request may remove and add
// the same member back.
func (s *Service) RemoveMember(ctx context.Context, tx store.Tx, storeID, groupID, userID string) (removed bool, err error) {
	m, err := tx.FindMembership(ctx, storeID, groupID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := tx.DeleteMembership(ctx, storeID, m.MembershipID); err != nil {
		return false, notFoundAs(err, func() error { return membershipNotFound(m.MembershipID) })
	}
	return true, nil
}
