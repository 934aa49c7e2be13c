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
	userIssuers := func(ctx context.Context, storeID, userID string) map[string][]string {
		u, err := a.Core.DescribeUser(ctx, storeID, userID)
		if err != nil {
			return nil
		}
		return issuers("identitystore:UserExternalIdIssuers", u.ExternalIDs)
	}
	groupIssuers := func(ctx context.Context, storeID, groupID string) map[string][]string {
		g, err := a.Core.DescribeGroup(ctx, storeID, groupID)
		if err != nil {
			return nil
		}
		return issuers("identitystore:GroupExternalIdIssuers", g.ExternalIDs)
	}
	awsproto.AddKeys(h["DescribeUser"], func(ctx context.Context, in *DescribeUserRequest) map[string][]string {
		return userIssuers(ctx, in.IdentityStoreId, in.UserId)
	})
	awsproto.AddKeys(h["UpdateUser"], func(ctx context.Context, in *UpdateUserRequest) map[string][]string {
		return userIssuers(ctx, in.IdentityStoreId, in.UserId)
	})
	awsproto.AddKeys(h["DeleteUser"], func(ctx context.Context, in *DeleteUserRequest) map[string][]string {
		return userIssuers(ctx, in.IdentityStoreId, in.UserId)
	})
	awsproto.AddKeys(h["DescribeGroup"], func(ctx context.Context, in *DescribeGroupRequest) map[string][]string {
		return groupIssuers(ctx, in.IdentityStoreId, in.GroupId)
	})
	awsproto.AddKeys(h["UpdateGroup"], func(ctx context.Context, in *UpdateGroupRequest) map[string][]string {
		return groupIssuers(ctx, in.IdentityStoreId, in.GroupId)
	})
	awsproto.AddKeys(h["DeleteGroup"], func(ctx context.Context, in *DeleteGroupRequest) map[string][]string {
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
