package identity

import (
	"context"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

// CreateGroup creates g; the service assigns GroupID, timestamps and
// CreatedBy/UpdatedBy. DisplayName is required and unique per store
// (case-insensitively).
func (s *Service) CreateGroup(ctx context.Context, storeID string, g store.Group, actor string) (store.Group, error) {
	now := s.now()
	g.IdentityStoreID = storeID
	g.CreatedAt, g.UpdatedAt = now, now
	g.CreatedBy, g.UpdatedBy = actor, actor
	if err := validateGroup(g); err != nil {
		return store.Group{}, err
	}
	err := s.update(ctx, "create group", storeID, func(tx store.Tx) error {
		var err error
		g, err = s.InsertGroup(ctx, tx, g)
		return err
	})
	if err != nil {
		return store.Group{}, err
	}
	return g, nil
}

func checkGroupUnique(ctx context.Context, tx store.Tx, g store.Group) error {
	id, err := tx.FindGroupID(ctx, g.IdentityStoreID, store.GroupLookup{DisplayName: g.DisplayName})
	if err == nil && id != g.GroupID {
		return duplicate("GroupDisplayName", nil)
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	for _, e := range g.ExternalIDs {
		id, err := tx.FindGroupID(ctx, g.IdentityStoreID, store.GroupLookup{ExternalID: &e})
		if err == nil && id != g.GroupID {
			return duplicate("ExternalId", nil)
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return nil
}

// DescribeGroup returns one group.
func (s *Service) DescribeGroup(ctx context.Context, storeID, groupID string) (store.Group, error) {
	var g store.Group
	err := s.view(ctx, "describe group", storeID, func(tx store.Tx) error {
		var err error
		g, err = tx.GetGroup(ctx, storeID, groupID)
		return notFoundAs(err, func() error { return groupNotFound(groupID) })
	})
	return g, err
}

// UpdateGroup applies ops (paths displayName, description) to a group.
func (s *Service) UpdateGroup(ctx context.Context, storeID, groupID string, ops []AttributeOperation, actor string) error {
	if err := checkOperations(ops); err != nil {
		return err
	}
	return s.update(ctx, "update group", storeID, func(tx store.Tx) error {
		g, err := tx.GetGroup(ctx, storeID, groupID)
		if err != nil {
			return notFoundAs(err, func() error { return groupNotFound(groupID) })
		}
		for _, op := range ops {
			if err := applyGroupOp(&g, op); err != nil {
				return err
			}
		}
		g.UpdatedAt, g.UpdatedBy = s.now(), actor
		return s.ReplaceGroup(ctx, tx, g)
	})
}

// DeleteGroup deletes a group and its memberships; its members lose the
// group's role credentials and its assignments are removed (Cleanup).
func (s *Service) DeleteGroup(ctx context.Context, storeID, groupID string) error {
	err := s.update(ctx, "delete group", storeID, func(tx store.Tx) error {
		return s.removeGroup(ctx, tx, storeID, groupID)
	})
	if err == nil {
		s.wake()
	}
	return err
}

// ListGroups pages through the groups ordered by id; at most one legacy
// filter on DisplayName (exact, case-insensitive).
func (s *Service) ListGroups(ctx context.Context, storeID string, filters []Filter, maxResults int, nextToken string) ([]store.Group, string, error) {
	var f store.GroupFilter
	if len(filters) > maxFilters {
		return nil, "", fault.Validationf("Filters must contain at most %d item.", maxFilters)
	}
	for _, fl := range filters {
		if !strings.EqualFold(fl.AttributePath, "DisplayName") {
			return nil, "", fault.Validationf("Invalid filter attribute path: %s. Only DisplayName is supported.", fl.AttributePath)
		}
		if fl.AttributeValue == "" {
			return nil, "", fault.Validationf("Filter AttributeValue is required.")
		}
		f.DisplayName = fl.AttributeValue
	}
	max, err := pageSize(maxResults)
	if err != nil {
		return nil, "", err
	}
	p, limit, err := paging.Page(nextToken, max, maxPageSize)
	if err != nil {
		return nil, "", err
	}
	var groups []store.Group
	err = s.view(ctx, "list groups", storeID, func(tx store.Tx) error {
		var err error
		groups, err = tx.ListGroups(ctx, storeID, f, p)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	groups, next := paging.Trim(groups, limit, func(g store.Group) string { return g.GroupID })
	return groups, next, nil
}

// GetGroupID finds a group by external id or by its displayName.
func (s *Service) GetGroupID(ctx context.Context, storeID string, alt AlternateIdentifier) (string, error) {
	if err := alternateErr(alt); err != nil {
		return "", err
	}
	var l store.GroupLookup
	if alt.ExternalID != nil {
		l.ExternalID = alt.ExternalID
	} else {
		v, err := uniqueString(alt.UniqueAttribute)
		if err != nil {
			return "", err
		}
		if !strings.EqualFold(alt.UniqueAttribute.Path, "displayName") {
			return "", fault.Validationf("Invalid unique attribute path: %s. The supported path is displayName.", alt.UniqueAttribute.Path)
		}
		l.DisplayName = v
	}
	var id string
	err := s.view(ctx, "get group id", storeID, func(tx store.Tx) error {
		var err error
		id, err = tx.FindGroupID(ctx, storeID, l)
		return notFoundAs(err, func() error {
			return fault.NotFoundf(ResourceGroup, "", "No group matches the given identifier.")
		})
	})
	return id, err
}
