package identitystore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/idcenter/idcenter/internal/api/apierr"
	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/authn"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/identity"
	"github.com/idcenter/idcenter/internal/store"
)

// Adapter serves the identitystore API from the identity core.
type Adapter struct {
	Core *identity.Service
	// AccountID owns the identity stores (the instance's owner account), used in resource ARNs.
	AccountID string
	// StoreOwner, when set, names the account owning an identity store (its
	// instance's owner: an account instance belongs to a member account);
	// "" falls back to AccountID.
	StoreOwner func(ctx context.Context, storeID string) string
	errs       apierr.Table
}

// errorCodes maps core faults to identitystore's modelled errors.
var errorCodes = map[fault.Kind]string{
	fault.NotFound:      "ResourceNotFoundException",
	fault.Conflict:      "ConflictException",
	fault.Validation:    "ValidationException",
	fault.QuotaExceeded: "ServiceQuotaExceededException",
	fault.AccessDenied:  "AccessDeniedException",
}

// Service builds the model-driven service for the router.
func (a *Adapter) Service(authz awsproto.Authorizer) *awsproto.Service {
	a.errs = apierr.Table{Model: Model, Codes: errorCodes}
	storeARN := func(ctx context.Context, id string) string {
		owner := a.AccountID
		if a.StoreOwner != nil {
			if o := a.StoreOwner(ctx, id); o != "" {
				owner = o
			}
		}
		return fmt.Sprintf("arn:aws:identitystore::%s:identitystore/%s", owner, id)
	}
	userARN := func(id string) string { return "arn:aws:identitystore:::user/" + id }
	groupARN := func(id string) string { return "arn:aws:identitystore:::group/" + id }
	membershipARN := func(id string) string { return "arn:aws:identitystore:::membership/" + id }
	svc := &awsproto.Service{
		Model:      Model,
		IAMPrefix:  "identitystore",
		Authorizer: authz,
		Handlers: map[string]awsproto.Handler{
			"CreateUser":            awsproto.Op(a.createUser).WithResource(func(ctx context.Context, in *CreateUserRequest) string { return storeARN(ctx, in.IdentityStoreId) }),
			"DescribeUser":          awsproto.Op(a.describeUser).WithResource(func(_ context.Context, in *DescribeUserRequest) string { return userARN(in.UserId) }),
			"UpdateUser":            awsproto.Op(a.updateUser).WithResource(func(_ context.Context, in *UpdateUserRequest) string { return userARN(in.UserId) }),
			"DeleteUser":            awsproto.Op(a.deleteUser).WithResource(func(_ context.Context, in *DeleteUserRequest) string { return userARN(in.UserId) }),
			"ListUsers":             awsproto.Op(a.listUsers).WithResource(func(ctx context.Context, in *ListUsersRequest) string { return storeARN(ctx, in.IdentityStoreId) }),
			"GetUserId":             awsproto.Op(a.getUserID).WithResource(func(ctx context.Context, in *GetUserIdRequest) string { return storeARN(ctx, in.IdentityStoreId) }),
			"CreateGroup":           awsproto.Op(a.createGroup).WithResource(func(ctx context.Context, in *CreateGroupRequest) string { return storeARN(ctx, in.IdentityStoreId) }),
			"DescribeGroup":         awsproto.Op(a.describeGroup).WithResource(func(_ context.Context, in *DescribeGroupRequest) string { return groupARN(in.GroupId) }),
			"UpdateGroup":           awsproto.Op(a.updateGroup).WithResource(func(_ context.Context, in *UpdateGroupRequest) string { return groupARN(in.GroupId) }),
			"DeleteGroup":           awsproto.Op(a.deleteGroup).WithResource(func(_ context.Context, in *DeleteGroupRequest) string { return groupARN(in.GroupId) }),
			"ListGroups":            awsproto.Op(a.listGroups).WithResource(func(ctx context.Context, in *ListGroupsRequest) string { return storeARN(ctx, in.IdentityStoreId) }),
			"GetGroupId":            awsproto.Op(a.getGroupID).WithResource(func(ctx context.Context, in *GetGroupIdRequest) string { return storeARN(ctx, in.IdentityStoreId) }),
			"CreateGroupMembership": awsproto.Op(a.createMembership).WithResource(func(_ context.Context, in *CreateGroupMembershipRequest) string { return groupARN(in.GroupId) }),
			"DescribeGroupMembership": awsproto.Op(a.describeMembership).WithResource(func(_ context.Context, in *DescribeGroupMembershipRequest) string {
				return membershipARN(in.MembershipId)
			}),
			"DeleteGroupMembership": awsproto.Op(a.deleteMembership).WithResource(func(_ context.Context, in *DeleteGroupMembershipRequest) string {
				return membershipARN(in.MembershipId)
			}),
			"GetGroupMembershipId": awsproto.Op(a.getMembershipID).WithResource(func(_ context.Context, in *GetGroupMembershipIdRequest) string { return groupARN(in.GroupId) }),
			"ListGroupMemberships": awsproto.Op(a.listMemberships).WithResource(func(_ context.Context, in *ListGroupMembershipsRequest) string { return groupARN(in.GroupId) }),
			"ListGroupMembershipsForMember": awsproto.Op(a.listMembershipsForMember).WithResource(func(ctx context.Context, in *ListGroupMembershipsForMemberRequest) string {
				return storeARN(ctx, in.IdentityStoreId)
			}),
			"IsMemberInGroups": awsproto.Op(a.isMemberInGroups).WithResource(func(ctx context.Context, in *IsMemberInGroupsRequest) string {
				return storeARN(ctx, in.IdentityStoreId)
			}),
		},
	}
	a.addConditionKeys(svc.Handlers) // conditionkeys.go: identitystore:UserExternalIdIssuers, …
	return svc
}

// actor is the caller's ARN, recorded as CreatedBy/UpdatedBy.
func actor(ctx context.Context) string {
	if p, ok := authn.PrincipalFrom(ctx); ok {
		return p.ARN
	}
	return ""
}

func maxResults(p *int32) int {
	if p == nil {
		return 0
	}
	return int(*p)
}

func memberUserID(m *MemberId) string {
	if m == nil {
		return ""
	}
	return m.UserId
}

// ---- users ----

func (a *Adapter) createUser(ctx context.Context, in *CreateUserRequest) (*CreateUserResponse, error) {
	u := store.User{
		UserName: in.UserName,
		Attributes: store.UserAttributes{
			DisplayName:       in.DisplayName,
			Name:              (*store.Name)(in.Name),
			NickName:          in.NickName,
			ProfileURL:        in.ProfileUrl,
			Emails:            mapSlice(in.Emails, func(e Email) store.Email { return store.Email(e) }),
			Addresses:         mapSlice(in.Addresses, func(e Address) store.Address { return store.Address(e) }),
			PhoneNumbers:      mapSlice(in.PhoneNumbers, func(e PhoneNumber) store.PhoneNumber { return store.PhoneNumber(e) }),
			UserType:          in.UserType,
			Title:             in.Title,
			PreferredLanguage: in.PreferredLanguage,
			Locale:            in.Locale,
			Timezone:          in.Timezone,
			Photos:            mapSlice(in.Photos, func(e Photo) store.Photo { return store.Photo(e) }),
			Website:           in.Website,
			Birthdate:         in.Birthdate,
			Roles:             mapSlice(in.Roles, func(e Role) store.Role { return store.Role(e) }),
			Extensions:        extensionsIn(in.Extensions),
		},
	}
	created, err := a.Core.CreateUser(ctx, in.IdentityStoreId, u, actor(ctx))
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &CreateUserResponse{IdentityStoreId: created.IdentityStoreID, UserId: created.UserID}, nil
}

func (a *Adapter) describeUser(ctx context.Context, in *DescribeUserRequest) (*DescribeUserResponse, error) {
	u, err := a.Core.DescribeUser(ctx, in.IdentityStoreId, in.UserId)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := DescribeUserResponse(userOut(u, in.Extensions))
	return &out, nil
}

func (a *Adapter) updateUser(ctx context.Context, in *UpdateUserRequest) (*UpdateUserResponse, error) {
	if err := a.Core.UpdateUser(ctx, in.IdentityStoreId, in.UserId, attributeOps(in.Operations), actor(ctx)); err != nil {
		return nil, a.errs.Map(err)
	}
	return &UpdateUserResponse{}, nil
}

func (a *Adapter) deleteUser(ctx context.Context, in *DeleteUserRequest) (*DeleteUserResponse, error) {
	if err := a.Core.DeleteUser(ctx, in.IdentityStoreId, in.UserId); err != nil {
		return nil, a.errs.Map(err)
	}
	return &DeleteUserResponse{}, nil
}

func (a *Adapter) listUsers(ctx context.Context, in *ListUsersRequest) (*ListUsersResponse, error) {
	users, next, err := a.Core.ListUsers(ctx, in.IdentityStoreId, filters(in.Filters), maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &ListUsersResponse{
		Users:     mapSlice(users, func(u store.User) User { return userOut(u, in.Extensions) }),
		NextToken: next,
	}, nil
}

func (a *Adapter) getUserID(ctx context.Context, in *GetUserIdRequest) (*GetUserIdResponse, error) {
	id, err := a.Core.GetUserID(ctx, in.IdentityStoreId, alternate(in.AlternateIdentifier))
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &GetUserIdResponse{IdentityStoreId: in.IdentityStoreId, UserId: id}, nil
}

// ---- groups ----

func (a *Adapter) createGroup(ctx context.Context, in *CreateGroupRequest) (*CreateGroupResponse, error) {
	g, err := a.Core.CreateGroup(ctx, in.IdentityStoreId, store.Group{DisplayName: in.DisplayName, Description: in.Description}, actor(ctx))
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &CreateGroupResponse{IdentityStoreId: g.IdentityStoreID, GroupId: g.GroupID}, nil
}

func (a *Adapter) describeGroup(ctx context.Context, in *DescribeGroupRequest) (*DescribeGroupResponse, error) {
	g, err := a.Core.DescribeGroup(ctx, in.IdentityStoreId, in.GroupId)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := DescribeGroupResponse(groupOut(g))
	return &out, nil
}

func (a *Adapter) updateGroup(ctx context.Context, in *UpdateGroupRequest) (*UpdateGroupResponse, error) {
	if err := a.Core.UpdateGroup(ctx, in.IdentityStoreId, in.GroupId, attributeOps(in.Operations), actor(ctx)); err != nil {
		return nil, a.errs.Map(err)
	}
	return &UpdateGroupResponse{}, nil
}

func (a *Adapter) deleteGroup(ctx context.Context, in *DeleteGroupRequest) (*DeleteGroupResponse, error) {
	if err := a.Core.DeleteGroup(ctx, in.IdentityStoreId, in.GroupId); err != nil {
		return nil, a.errs.Map(err)
	}
	return &DeleteGroupResponse{}, nil
}

func (a *Adapter) listGroups(ctx context.Context, in *ListGroupsRequest) (*ListGroupsResponse, error) {
	groups, next, err := a.Core.ListGroups(ctx, in.IdentityStoreId, filters(in.Filters), maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &ListGroupsResponse{Groups: mapSlice(groups, groupOut), NextToken: next}, nil
}

func (a *Adapter) getGroupID(ctx context.Context, in *GetGroupIdRequest) (*GetGroupIdResponse, error) {
	id, err := a.Core.GetGroupID(ctx, in.IdentityStoreId, alternate(in.AlternateIdentifier))
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &GetGroupIdResponse{IdentityStoreId: in.IdentityStoreId, GroupId: id}, nil
}

// ---- memberships ----

func (a *Adapter) createMembership(ctx context.Context, in *CreateGroupMembershipRequest) (*CreateGroupMembershipResponse, error) {
	id, err := a.Core.CreateGroupMembership(ctx, in.IdentityStoreId, in.GroupId, memberUserID(in.MemberId))
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &CreateGroupMembershipResponse{IdentityStoreId: in.IdentityStoreId, MembershipId: id}, nil
}

func (a *Adapter) describeMembership(ctx context.Context, in *DescribeGroupMembershipRequest) (*DescribeGroupMembershipResponse, error) {
	m, err := a.Core.DescribeGroupMembership(ctx, in.IdentityStoreId, in.MembershipId)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := DescribeGroupMembershipResponse(membershipOut(m))
	return &out, nil
}

func (a *Adapter) deleteMembership(ctx context.Context, in *DeleteGroupMembershipRequest) (*DeleteGroupMembershipResponse, error) {
	if err := a.Core.DeleteGroupMembership(ctx, in.IdentityStoreId, in.MembershipId); err != nil {
		return nil, a.errs.Map(err)
	}
	return &DeleteGroupMembershipResponse{}, nil
}

func (a *Adapter) getMembershipID(ctx context.Context, in *GetGroupMembershipIdRequest) (*GetGroupMembershipIdResponse, error) {
	id, err := a.Core.GetGroupMembershipID(ctx, in.IdentityStoreId, in.GroupId, memberUserID(in.MemberId))
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &GetGroupMembershipIdResponse{IdentityStoreId: in.IdentityStoreId, MembershipId: id}, nil
}

func (a *Adapter) listMemberships(ctx context.Context, in *ListGroupMembershipsRequest) (*ListGroupMembershipsResponse, error) {
	ms, next, err := a.Core.ListGroupMemberships(ctx, in.IdentityStoreId, in.GroupId, maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &ListGroupMembershipsResponse{GroupMemberships: mapSlice(ms, membershipOut), NextToken: next}, nil
}

func (a *Adapter) listMembershipsForMember(ctx context.Context, in *ListGroupMembershipsForMemberRequest) (*ListGroupMembershipsForMemberResponse, error) {
	ms, next, err := a.Core.ListGroupMembershipsForMember(ctx, in.IdentityStoreId, memberUserID(in.MemberId), maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &ListGroupMembershipsForMemberResponse{GroupMemberships: mapSlice(ms, membershipOut), NextToken: next}, nil
}

func (a *Adapter) isMemberInGroups(ctx context.Context, in *IsMemberInGroupsRequest) (*IsMemberInGroupsResponse, error) {
	res, err := a.Core.IsMemberInGroups(ctx, in.IdentityStoreId, memberUserID(in.MemberId), in.GroupIds)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &IsMemberInGroupsResponse{Results: mapSlice(res, func(r identity.MembershipExistence) GroupMembershipExistenceResult {
		exists := r.Exists
		return GroupMembershipExistenceResult{GroupId: r.GroupID, MemberId: &MemberId{UserId: r.UserID}, MembershipExists: &exists}
	})}, nil
}

// ---- conversions ----

func mapSlice[From, To any](in []From, f func(From) To) []To {
	if len(in) == 0 {
		return nil
	}
	out := make([]To, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

func externalIDsOut(ids []store.ExternalID) []ExternalId {
	return mapSlice(ids, func(e store.ExternalID) ExternalId { return ExternalId{Issuer: e.Issuer, Id: e.ID} })
}

func extensionsIn(in map[string]awsproto.Document) map[string][]byte {
	if len(in) == 0 {
		return nil
	}
	out := make(map[string][]byte, len(in))
	for k, v := range in {
		out[k] = []byte(v)
	}
	return out
}

// extensionsOut returns the stored extensions the caller asked for by name.
func extensionsOut(stored map[string][]byte, requested []string) map[string]awsproto.Document {
	if len(stored) == 0 || len(requested) == 0 {
		return nil
	}
	out := map[string]awsproto.Document{}
	for _, name := range requested {
		if v, ok := stored[name]; ok {
			out[name] = awsproto.Document(v)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func timePtr(t store.User) (*awsproto.Time, *awsproto.Time) {
	c, u := awsproto.Time{Time: t.CreatedAt}, awsproto.Time{Time: t.UpdatedAt}
	return &c, &u
}

func userOut(u store.User, extensions []string) User {
	created, updated := timePtr(u)
	at := u.Attributes
	return User{
		IdentityStoreId:   u.IdentityStoreID,
		UserId:            u.UserID,
		UserName:          u.UserName,
		ExternalIds:       externalIDsOut(u.ExternalIDs),
		Name:              (*Name)(at.Name),
		DisplayName:       at.DisplayName,
		NickName:          at.NickName,
		ProfileUrl:        at.ProfileURL,
		Emails:            mapSlice(at.Emails, func(e store.Email) Email { return Email(e) }),
		Addresses:         mapSlice(at.Addresses, func(e store.Address) Address { return Address(e) }),
		PhoneNumbers:      mapSlice(at.PhoneNumbers, func(e store.PhoneNumber) PhoneNumber { return PhoneNumber(e) }),
		UserType:          at.UserType,
		Title:             at.Title,
		PreferredLanguage: at.PreferredLanguage,
		Locale:            at.Locale,
		Timezone:          at.Timezone,
		UserStatus:        u.Status,
		Photos:            mapSlice(at.Photos, func(e store.Photo) Photo { return Photo(e) }),
		Website:           at.Website,
		Birthdate:         at.Birthdate,
		Roles:             mapSlice(at.Roles, func(e store.Role) Role { return Role(e) }),
		CreatedAt:         created,
		CreatedBy:         u.CreatedBy,
		UpdatedAt:         updated,
		UpdatedBy:         u.UpdatedBy,
		Extensions:        extensionsOut(at.Extensions, extensions),
	}
}

func groupOut(g store.Group) Group {
	c, u := awsproto.Time{Time: g.CreatedAt}, awsproto.Time{Time: g.UpdatedAt}
	return Group{
		GroupId:         g.GroupID,
		DisplayName:     g.DisplayName,
		ExternalIds:     externalIDsOut(g.ExternalIDs),
		Description:     g.Description,
		CreatedAt:       &c,
		UpdatedAt:       &u,
		CreatedBy:       g.CreatedBy,
		UpdatedBy:       g.UpdatedBy,
		IdentityStoreId: g.IdentityStoreID,
	}
}

func membershipOut(m store.Membership) GroupMembership {
	c := awsproto.Time{Time: m.CreatedAt}
	return GroupMembership{
		IdentityStoreId: m.IdentityStoreID,
		MembershipId:    m.MembershipID,
		GroupId:         m.GroupID,
		MemberId:        &MemberId{UserId: m.UserID},
		CreatedAt:       &c,
	}
}

func attributeOps(ops []AttributeOperation) []identity.AttributeOperation {
	return mapSlice(ops, func(o AttributeOperation) identity.AttributeOperation {
		return identity.AttributeOperation{Path: o.AttributePath, Value: json.RawMessage(o.AttributeValue)}
	})
}

func filters(fs []Filter) []identity.Filter {
	return mapSlice(fs, func(f Filter) identity.Filter {
		return identity.Filter{AttributePath: f.AttributePath, AttributeValue: f.AttributeValue}
	})
}

func alternate(a *AlternateIdentifier) identity.AlternateIdentifier {
	var out identity.AlternateIdentifier
	if a == nil {
		return out
	}
	if a.ExternalId != nil {
		out.ExternalID = &store.ExternalID{Issuer: a.ExternalId.Issuer, ID: a.ExternalId.Id}
	}
	if a.UniqueAttribute != nil {
		out.UniqueAttribute = &identity.UniqueAttribute{Path: a.UniqueAttribute.AttributePath, Value: json.RawMessage(a.UniqueAttribute.AttributeValue)}
	}
	return out
}
