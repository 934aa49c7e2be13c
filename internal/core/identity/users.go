package identity

import (
	"context"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

// CreateUser creates u in the identity store. The service assigns UserID,
// the timestamps, CreatedBy/UpdatedBy (actor) and Status ENABLED; UserName,
// DisplayName and Name (GivenName, FamilyName) are required as IAM Identity
// Center requires them.
func (s *Service) CreateUser(ctx context.Context, storeID string, u store.User, actor string) (store.User, error) {
	now := s.now()
	u.IdentityStoreID = storeID
	u.Status = "ENABLED"
	u.CreatedAt, u.UpdatedAt = now, now
	u.CreatedBy, u.UpdatedBy = actor, actor
	if err := validateUser(u); err != nil {
		return store.User{}, err
	}
	err := s.update(ctx, "create user", storeID, func(tx store.Tx) error {
		var err error
		u, err = s.InsertUser(ctx, tx, u)
		return err
	})
	if err != nil {
		return store.User{}, err
	}
	return u, nil
}

// checkUserUnique reports which unique attribute of u another user holds.
// The database enforces the same rules; this only names the culprit.
func checkUserUnique(ctx context.Context, tx store.Tx, u store.User) error {
	id, err := tx.FindUserID(ctx, u.IdentityStoreID, store.UserLookup{UserName: u.UserName})
	if err == nil && id != u.UserID {
		return duplicate("UserName", nil)
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	for _, e := range u.ExternalIDs {
		id, err := tx.FindUserID(ctx, u.IdentityStoreID, store.UserLookup{ExternalID: &e})
		if err == nil && id != u.UserID {
			return duplicate("ExternalId", nil)
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return nil
}

// DescribeUser returns one user.
func (s *Service) DescribeUser(ctx context.Context, storeID, userID string) (store.User, error) {
	var u store.User
	err := s.view(ctx, "describe user", storeID, func(tx store.Tx) error {
		var err error
		u, err = tx.GetUser(ctx, storeID, userID)
		return notFoundAs(err, func() error { return userNotFound(userID) })
	})
	return u, err
}

// UpdateUser applies ops (in order) to a user and stores the result; the
// user is unchanged unless every operation is valid.
func (s *Service) UpdateUser(ctx context.Context, storeID, userID string, ops []AttributeOperation, actor string) error {
	if err := checkOperations(ops); err != nil {
		return err
	}
	return s.update(ctx, "update user", storeID, func(tx store.Tx) error {
		u, err := tx.GetUser(ctx, storeID, userID)
		if err != nil {
			return notFoundAs(err, func() error { return userNotFound(userID) })
		}
		for _, op := range ops {
			if err := applyUserOp(&u, op); err != nil {
				return err
			}
		}
		if err := validateUser(u); err != nil {
			return err
		}
		u.UpdatedAt, u.UpdatedBy = s.now(), actor
		return s.ReplaceUser(ctx, tx, u)
	})
}

// DeleteUser deletes a user and its group memberships; its sign-ins and
// role credentials end and its assignments are removed (Cleanup).
func (s *Service) DeleteUser(ctx context.Context, storeID, userID string) error {
	err := s.update(ctx, "delete user", storeID, func(tx store.Tx) error {
		return s.removeUser(ctx, tx, storeID, userID)
	})
	if err == nil {
		s.wake()
	}
	return err
}

// ListUsers pages through the users ordered by id. filters holds at most one
// legacy filter on UserName (exact, case-insensitive).
func (s *Service) ListUsers(ctx context.Context, storeID string, filters []Filter, maxResults int, nextToken string) ([]store.User, string, error) {
	var f store.UserFilter
	if len(filters) > maxFilters {
		return nil, "", fault.Validationf("Filters must contain at most %d item.", maxFilters)
	}
	for _, fl := range filters {
		if !strings.EqualFold(fl.AttributePath, "UserName") {
			return nil, "", fault.Validationf("Invalid filter attribute path: %s. Only UserName is supported.", fl.AttributePath)
		}
		if fl.AttributeValue == "" {
			return nil, "", fault.Validationf("Filter AttributeValue is required.")
		}
		f.UserName = fl.AttributeValue
	}
	max, err := pageSize(maxResults)
	if err != nil {
		return nil, "", err
	}
	p, limit, err := paging.Page(nextToken, max, maxPageSize)
	if err != nil {
		return nil, "", err
	}
	var users []store.User
	err = s.view(ctx, "list users", storeID, func(tx store.Tx) error {
		var err error
		users, err = tx.ListUsers(ctx, storeID, f, p)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	users, next := paging.Trim(users, limit, func(u store.User) string { return u.UserID })
	return users, next, nil
}

// GetUserID finds a user by external id or by the unique attributes
// userName and emails.value.
func (s *Service) GetUserID(ctx context.Context, storeID string, alt AlternateIdentifier) (string, error) {
	if err := alternateErr(alt); err != nil {
		return "", err
	}
	var l store.UserLookup
	if alt.ExternalID != nil {
		l.ExternalID = alt.ExternalID
	} else {
		v, err := uniqueString(alt.UniqueAttribute)
		if err != nil {
			return "", err
		}
		switch strings.ToLower(alt.UniqueAttribute.Path) {
		case "username":
			l.UserName = v
		case "emails.value":
			l.Email = v
		default:
			return "", fault.Validationf("Invalid unique attribute path: %s. Supported paths are userName and emails.value.", alt.UniqueAttribute.Path)
		}
	}
	var id string
	err := s.view(ctx, "get user id", storeID, func(tx store.Tx) error {
		var err error
		id, err = tx.FindUserID(ctx, storeID, l)
		return notFoundAs(err, func() error {
			return fault.NotFoundf(ResourceUser, "", "No user matches the given identifier.")
		})
	})
	return id, err
}
