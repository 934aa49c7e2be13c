package identitystore

import (
	"context"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/store"
)

// Identity Store's service-specific request condition keys, as the Service
// Authorization Reference lists them:
//
//   - identitystore:UserExternalIdIssuers on DescribeUser, UpdateUser and
//     DeleteUser, and identitystore:GroupExternalIdIssuers on DescribeGroup,
//     UpdateGroup and DeleteGroup: the issuers of the existing user's or
//     group's ExternalIds (absent when it has none or does not exist — the
//     operation then reports that itself). ExternalIds are set by SCIM
//     provisioning, whose issuer is the SCIM service's (core/scim), not an
//     ARN as on AWS; CreateUser and CreateGroup take no ExternalIds in the
//     Identity Store API, so the keys are absent there.
//   - identitystore:PrimaryRegion on every resource of the service: set by
//     the authoriser from the resource ARN (core/authz, request.go).
//
// identitystore:UserId and identitystore:IdentityStoreArn describe the
// caller (an Identity Center session), not the request: core/authz.
func (a *Adapter) addConditionKeys(h map[string]awsproto.Handler) {
	// The issuers cost a read of the user or group: they are computed only
	// when a policy of the call tests the key (awsproto.AddLazyKey).
	const userKey, groupKey = "identitystore:UserExternalIdIssuers", "identitystore:GroupExternalIdIssuers"
	userIssuers := func(ctx context.Context, storeID, userID string) []string {
		u, err := a.Core.DescribeUser(ctx, storeID, userID)
		if err != nil {
			return nil
		}
		return issuers(userKey, u.ExternalIDs)[userKey]
	}
	groupIssuers := func(ctx context.Context, storeID, groupID string) []string {
		g, err := a.Core.DescribeGroup(ctx, storeID, groupID)
		if err != nil {
			return nil
		}
		return issuers(groupKey, g.ExternalIDs)[groupKey]
	}
	awsproto.AddLazyKey(h["DescribeUser"], userKey, func(ctx context.Context, in *DescribeUserRequest) []string {
		return userIssuers(ctx, in.IdentityStoreId, in.UserId)
	})
	awsproto.AddLazyKey(h["UpdateUser"], userKey, func(ctx context.Context, in *UpdateUserRequest) []string {
		return userIssuers(ctx, in.IdentityStoreId, in.UserId)
	})
	awsproto.AddLazyKey(h["DeleteUser"], userKey, func(ctx context.Context, in *DeleteUserRequest) []string {
		return userIssuers(ctx, in.IdentityStoreId, in.UserId)
	})
	awsproto.AddLazyKey(h["DescribeGroup"], groupKey, func(ctx context.Context, in *DescribeGroupRequest) []string {
		return groupIssuers(ctx, in.IdentityStoreId, in.GroupId)
	})
	awsproto.AddLazyKey(h["UpdateGroup"], groupKey, func(ctx context.Context, in *UpdateGroupRequest) []string {
		return groupIssuers(ctx, in.IdentityStoreId, in.GroupId)
	})
	awsproto.AddLazyKey(h["DeleteGroup"], groupKey, func(ctx context.Context, in *DeleteGroupRequest) []string {
		return groupIssuers(ctx, in.IdentityStoreId, in.GroupId)
	})
}

// issuers is key set to the distinct issuers of ids (nil when there are none).
func issuers(key string, ids []store.ExternalID) map[string][]string {
	var out []string
	seen := map[string]bool{}
	for _, e := range ids {
		if !seen[e.Issuer] {
			seen[e.Issuer] = true
			out = append(out, e.Issuer)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return map[string][]string{key: out}
}
