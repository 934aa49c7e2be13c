package iam

import (
	"context"
	"net/url"
	"strings"

	"github.com/idcenter/idcenter/internal/api/apierr"
	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/authn"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/store"
)

// Adapter serves the IAM API from the iam core. Operations without a handler
// are answered as not implemented.
type Adapter struct {
	Core *iam.Service
	// authz is the authorisation point Service was given, for the operations
	// that need a second action (iam:PassRole).
	authz awsproto.Authorizer
}

// errorCodes maps fault kinds to IAM's query error codes when the fault
// carries no IAM code of its own in Reason.
var errorCodes = map[fault.Kind]string{
	fault.NotFound:      "NoSuchEntity",
	fault.Conflict:      "EntityAlreadyExists",
	fault.Validation:    "InvalidInput",
	fault.QuotaExceeded: "LimitExceeded",
	fault.AccessDenied:  "AccessDenied",
}

// mapErr converts core faults: the Reason (an IAM code) wins over the kind.
func mapErr(err error) error {
	codes := errorCodes
	if fe := fault.As(err); fe != nil && fe.Reason != "" {
		codes = map[fault.Kind]string{fe.Kind: fe.Reason}
	}
	return apierr.Table{Model: Model, Codes: codes}.Map(err)
}

// caller is the IAM view of the request's principal.
func caller(ctx context.Context) iam.Caller {
	p, ok := authn.PrincipalFrom(ctx)
	if !ok {
		return iam.Caller{}
	}
	c := iam.Caller{AccountID: p.AccountID, ARN: p.ARN, IsRoot: p.Type == authn.TypeAccount}
	if p.Type == authn.TypeUser {
		c.UserName = p.UserName
	}
	return c
}

func account(ctx context.Context) string {
	if p, ok := authn.PrincipalFrom(ctx); ok {
		return p.AccountID
	}
	return ""
}

// res builds a resource ARN of the caller's account: res(ctx, "user/", name).
func res(ctx context.Context, kind, name string) string {
	return "arn:aws:iam::" + account(ctx) + ":" + kind + name
}

// op wraps a handler with its resource ARN function.
func op[In, Out any](fn func(context.Context, *In) (*Out, error), resource func(context.Context, *In) string) awsproto.Handler {
	return awsproto.Op(fn).WithResource(resource)
}

func star[In any](context.Context, *In) string { return "*" }

// Service builds the model-driven service for the router.
func (a *Adapter) Service(authz awsproto.Authorizer) *awsproto.Service {
	a.authz = authz
	user := func(ctx context.Context, name string) string { return res(ctx, "user/", name) }
	group := func(ctx context.Context, name string) string { return res(ctx, "group/", name) }
	role := func(ctx context.Context, name string) string { return res(ctx, "role/", name) }
	policy := func(_ context.Context, arn string) string { return arn }
	svc := &awsproto.Service{
		Model:      Model,
		IAMPrefix:  "iam",
		Authorizer: authz,
		Handlers: map[string]awsproto.Handler{
			// users
			"CreateUser":   op(a.createUser, func(ctx context.Context, in *CreateUserRequest) string { return user(ctx, in.UserName) }),
			"GetUser":      op(a.getUser, func(ctx context.Context, in *GetUserRequest) string { return user(ctx, in.UserName) }),
			"ListUsers":    op(a.listUsers, star[ListUsersRequest]),
			"UpdateUser":   op(a.updateUser, func(ctx context.Context, in *UpdateUserRequest) string { return user(ctx, in.UserName) }),
			"DeleteUser":   op(a.deleteUser, func(ctx context.Context, in *DeleteUserRequest) string { return user(ctx, in.UserName) }),
			"TagUser":      op(a.tagUser, func(ctx context.Context, in *TagUserRequest) string { return user(ctx, in.UserName) }),
			"UntagUser":    op(a.untagUser, func(ctx context.Context, in *UntagUserRequest) string { return user(ctx, in.UserName) }),
			"ListUserTags": op(a.listUserTags, func(ctx context.Context, in *ListUserTagsRequest) string { return user(ctx, in.UserName) }),
			// access keys
			"CreateAccessKey":      op(a.createAccessKey, func(ctx context.Context, in *CreateAccessKeyRequest) string { return user(ctx, in.UserName) }),
			"ListAccessKeys":       op(a.listAccessKeys, func(ctx context.Context, in *ListAccessKeysRequest) string { return user(ctx, in.UserName) }),
			"UpdateAccessKey":      op(a.updateAccessKey, func(ctx context.Context, in *UpdateAccessKeyRequest) string { return user(ctx, in.UserName) }),
			"DeleteAccessKey":      op(a.deleteAccessKey, func(ctx context.Context, in *DeleteAccessKeyRequest) string { return user(ctx, in.UserName) }),
			"GetAccessKeyLastUsed": op(a.getAccessKeyLastUsed, star[GetAccessKeyLastUsedRequest]),
			// groups
			"CreateGroup":         op(a.createGroup, func(ctx context.Context, in *CreateGroupRequest) string { return group(ctx, in.GroupName) }),
			"GetGroup":            op(a.getGroup, func(ctx context.Context, in *GetGroupRequest) string { return group(ctx, in.GroupName) }),
			"ListGroups":          op(a.listGroups, star[ListGroupsRequest]),
			"UpdateGroup":         op(a.updateGroup, func(ctx context.Context, in *UpdateGroupRequest) string { return group(ctx, in.GroupName) }),
			"DeleteGroup":         op(a.deleteGroup, func(ctx context.Context, in *DeleteGroupRequest) string { return group(ctx, in.GroupName) }),
			"AddUserToGroup":      op(a.addUserToGroup, func(ctx context.Context, in *AddUserToGroupRequest) string { return group(ctx, in.GroupName) }),
			"RemoveUserFromGroup": op(a.removeUserFromGroup, func(ctx context.Context, in *RemoveUserFromGroupRequest) string { return group(ctx, in.GroupName) }),
			"ListGroupsForUser":   op(a.listGroupsForUser, func(ctx context.Context, in *ListGroupsForUserRequest) string { return user(ctx, in.UserName) }),
			// roles
			"CreateRole":             op(a.createRole, func(ctx context.Context, in *CreateRoleRequest) string { return role(ctx, in.RoleName) }),
			"GetRole":                op(a.getRole, func(ctx context.Context, in *GetRoleRequest) string { return role(ctx, in.RoleName) }),
			"ListRoles":              op(a.listRoles, star[ListRolesRequest]),
			"UpdateRole":             op(a.updateRole, func(ctx context.Context, in *UpdateRoleRequest) string { return role(ctx, in.RoleName) }),
			"UpdateRoleDescription":  op(a.updateRoleDescription, func(ctx context.Context, in *UpdateRoleDescriptionRequest) string { return role(ctx, in.RoleName) }),
			"UpdateAssumeRolePolicy": op(a.updateAssumeRolePolicy, func(ctx context.Context, in *UpdateAssumeRolePolicyRequest) string { return role(ctx, in.RoleName) }),
			"DeleteRole":             op(a.deleteRole, func(ctx context.Context, in *DeleteRoleRequest) string { return role(ctx, in.RoleName) }),
			"TagRole":                op(a.tagRole, func(ctx context.Context, in *TagRoleRequest) string { return role(ctx, in.RoleName) }),
			"UntagRole":              op(a.untagRole, func(ctx context.Context, in *UntagRoleRequest) string { return role(ctx, in.RoleName) }),
			"ListRoleTags":           op(a.listRoleTags, func(ctx context.Context, in *ListRoleTagsRequest) string { return role(ctx, in.RoleName) }),
			// managed policies
			"CreatePolicy":            op(a.createPolicy, func(ctx context.Context, in *CreatePolicyRequest) string { return res(ctx, "policy/", in.PolicyName) }),
			"GetPolicy":               op(a.getPolicy, func(ctx context.Context, in *GetPolicyRequest) string { return policy(ctx, in.PolicyArn) }),
			"ListPolicies":            op(a.listPolicies, star[ListPoliciesRequest]),
			"DeletePolicy":            op(a.deletePolicy, func(ctx context.Context, in *DeletePolicyRequest) string { return policy(ctx, in.PolicyArn) }),
			"CreatePolicyVersion":     op(a.createPolicyVersion, func(ctx context.Context, in *CreatePolicyVersionRequest) string { return policy(ctx, in.PolicyArn) }),
			"GetPolicyVersion":        op(a.getPolicyVersion, func(ctx context.Context, in *GetPolicyVersionRequest) string { return policy(ctx, in.PolicyArn) }),
			"ListPolicyVersions":      op(a.listPolicyVersions, func(ctx context.Context, in *ListPolicyVersionsRequest) string { return policy(ctx, in.PolicyArn) }),
			"DeletePolicyVersion":     op(a.deletePolicyVersion, func(ctx context.Context, in *DeletePolicyVersionRequest) string { return policy(ctx, in.PolicyArn) }),
			"SetDefaultPolicyVersion": op(a.setDefaultPolicyVersion, func(ctx context.Context, in *SetDefaultPolicyVersionRequest) string { return policy(ctx, in.PolicyArn) }),
			"ListEntitiesForPolicy":   op(a.listEntitiesForPolicy, func(ctx context.Context, in *ListEntitiesForPolicyRequest) string { return policy(ctx, in.PolicyArn) }),
			// attachments
			"AttachUserPolicy":         op(a.attachUserPolicy, func(ctx context.Context, in *AttachUserPolicyRequest) string { return user(ctx, in.UserName) }),
			"AttachGroupPolicy":        op(a.attachGroupPolicy, func(ctx context.Context, in *AttachGroupPolicyRequest) string { return group(ctx, in.GroupName) }),
			"AttachRolePolicy":         op(a.attachRolePolicy, func(ctx context.Context, in *AttachRolePolicyRequest) string { return role(ctx, in.RoleName) }),
			"DetachUserPolicy":         op(a.detachUserPolicy, func(ctx context.Context, in *DetachUserPolicyRequest) string { return user(ctx, in.UserName) }),
			"DetachGroupPolicy":        op(a.detachGroupPolicy, func(ctx context.Context, in *DetachGroupPolicyRequest) string { return group(ctx, in.GroupName) }),
			"DetachRolePolicy":         op(a.detachRolePolicy, func(ctx context.Context, in *DetachRolePolicyRequest) string { return role(ctx, in.RoleName) }),
			"ListAttachedUserPolicies": op(a.listAttachedUserPolicies, func(ctx context.Context, in *ListAttachedUserPoliciesRequest) string { return user(ctx, in.UserName) }),
			"ListAttachedGroupPolicies": op(a.listAttachedGroupPolicies, func(ctx context.Context, in *ListAttachedGroupPoliciesRequest) string {
				return group(ctx, in.GroupName)
			}),
			"ListAttachedRolePolicies": op(a.listAttachedRolePolicies, func(ctx context.Context, in *ListAttachedRolePoliciesRequest) string { return role(ctx, in.RoleName) }),
			// inline policies
			"PutUserPolicy":     op(a.putUserPolicy, func(ctx context.Context, in *PutUserPolicyRequest) string { return user(ctx, in.UserName) }),
			"PutGroupPolicy":    op(a.putGroupPolicy, func(ctx context.Context, in *PutGroupPolicyRequest) string { return group(ctx, in.GroupName) }),
			"PutRolePolicy":     op(a.putRolePolicy, func(ctx context.Context, in *PutRolePolicyRequest) string { return role(ctx, in.RoleName) }),
			"GetUserPolicy":     op(a.getUserPolicy, func(ctx context.Context, in *GetUserPolicyRequest) string { return user(ctx, in.UserName) }),
			"GetGroupPolicy":    op(a.getGroupPolicy, func(ctx context.Context, in *GetGroupPolicyRequest) string { return group(ctx, in.GroupName) }),
			"GetRolePolicy":     op(a.getRolePolicy, func(ctx context.Context, in *GetRolePolicyRequest) string { return role(ctx, in.RoleName) }),
			"DeleteUserPolicy":  op(a.deleteUserPolicy, func(ctx context.Context, in *DeleteUserPolicyRequest) string { return user(ctx, in.UserName) }),
			"DeleteGroupPolicy": op(a.deleteGroupPolicy, func(ctx context.Context, in *DeleteGroupPolicyRequest) string { return group(ctx, in.GroupName) }),
			"DeleteRolePolicy":  op(a.deleteRolePolicy, func(ctx context.Context, in *DeleteRolePolicyRequest) string { return role(ctx, in.RoleName) }),
			"ListUserPolicies":  op(a.listUserPolicies, func(ctx context.Context, in *ListUserPoliciesRequest) string { return user(ctx, in.UserName) }),
			"ListGroupPolicies": op(a.listGroupPolicies, func(ctx context.Context, in *ListGroupPoliciesRequest) string { return group(ctx, in.GroupName) }),
			"ListRolePolicies":  op(a.listRolePolicies, func(ctx context.Context, in *ListRolePoliciesRequest) string { return role(ctx, in.RoleName) }),
		},
	}
	for name, h := range a.accountHandlers() { // adapter_account.go
		svc.Handlers[name] = h
	}
	for name, h := range a.entityHandlers() { // adapter_entities.go
		svc.Handlers[name] = h
	}
	for name, h := range a.reportHandlers() { // adapter_reports.go
		svc.Handlers[name] = h
	}
	for name, h := range a.providerHandlers() { // adapter_providers.go
		svc.Handlers[name] = h
	}
	a.addConditionKeys(svc.Handlers)  // conditionkeys.go: iam:PermissionsBoundary, iam:PolicyARN, …
	a.addDelegationKeys(svc.Handlers) // conditionkeys_delegation.go: iam:TemplateArn, iam:DelegationDuration, …
	requireTagging(svc.Handlers)      // tagoncreate.go: iam:Tag… when a create includes tags
	return svc
}

// ---- conversions ----

func maxItems(p *int32) int {
	if p == nil {
		return 0
	}
	return int(*p)
}

func ptr[T any](v T) *T { return &v }

func truncated[T any](p iam.Page[T]) *bool { return ptr(p.IsTruncated()) }

func mapSlice[A, B any](in []A, f func(A) B) []B {
	out := make([]B, 0, len(in))
	for _, v := range in {
		out = append(out, f(v))
	}
	return out
}

func tagsIn(tags []Tag) []store.Tag {
	return mapSlice(tags, func(t Tag) store.Tag { return store.Tag{Key: t.Key, Value: t.Value} })
}

func tagsOut(tags []store.Tag) []Tag {
	if len(tags) == 0 {
		return nil
	}
	return mapSlice(tags, func(t store.Tag) Tag { return Tag{Key: t.Key, Value: t.Value} })
}

func timeOut(t interface{ IsZero() bool }) bool { return !t.IsZero() }

// encodeDoc URL-encodes a policy document as IAM returns it (RFC 3986).
func encodeDoc(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}

func boundaryOut(arn string) *AttachedPermissionsBoundary {
	if arn == "" {
		return nil
	}
	return &AttachedPermissionsBoundary{PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: arn}
}

func userOut(u store.IAMUser, withTags bool) User {
	out := User{Path: u.Path, UserName: u.UserName, UserId: u.UserID, Arn: u.ARN, PermissionsBoundary: boundaryOut(u.PermissionsBoundary)}
	if timeOut(u.CreatedAt) {
		out.CreateDate = awsproto.NewTime(u.CreatedAt)
	}
	if withTags {
		out.Tags = tagsOut(u.Tags)
	}
	return out
}

func groupOut(g store.IAMGroup) Group {
	return Group{Path: g.Path, GroupName: g.GroupName, GroupId: g.GroupID, Arn: g.ARN, CreateDate: awsproto.NewTime(g.CreatedAt)}
}

func roleOut(r store.IAMRole, full bool) Role {
	out := Role{Path: r.Path, RoleName: r.RoleName, RoleId: r.RoleID, Arn: r.ARN, CreateDate: awsproto.NewTime(r.CreatedAt),
		AssumeRolePolicyDocument: encodeDoc(r.AssumeRolePolicy), Description: r.Description, MaxSessionDuration: ptr(int32(r.MaxSessionDuration))}
	if full {
		out.PermissionsBoundary = boundaryOut(r.PermissionsBoundary)
		out.Tags = tagsOut(r.Tags)
		out.RoleLastUsed = &RoleLastUsed{}
	}
	return out
}

func policyOut(p iam.ManagedPolicy, full bool) Policy {
	out := Policy{PolicyName: p.PolicyName, PolicyId: p.PolicyID, Arn: p.ARN, Path: p.Path, DefaultVersionId: p.DefaultVersionID,
		AttachmentCount: ptr(int32(p.AttachmentCount)), PermissionsBoundaryUsageCount: ptr(int32(0)), IsAttachable: ptr(true),
		CreateDate: awsproto.NewTime(p.CreatedAt), UpdateDate: awsproto.NewTime(p.UpdatedAt)}
	if full {
		out.Description = p.Description
		out.Tags = tagsOut(p.Tags)
	}
	return out
}

func versionOut(v iam.PolicyVersion, withDoc bool) PolicyVersion {
	out := PolicyVersion{VersionId: v.VersionID, IsDefaultVersion: ptr(v.IsDefault), CreateDate: awsproto.NewTime(v.CreatedAt)}
	if withDoc {
		out.Document = encodeDoc(v.Document)
	}
	return out
}

func tagsPageOut(p iam.Page[store.Tag]) ([]Tag, *bool, string) {
	tags := tagsOut(p.Items)
	if tags == nil {
		tags = []Tag{}
	}
	return tags, truncated(p), p.Marker
}

// ---- users ----

func (a *Adapter) createUser(ctx context.Context, in *CreateUserRequest) (*CreateUserResponse, error) {
	u, err := a.Core.CreateUser(ctx, caller(ctx), in.UserName, in.Path, in.PermissionsBoundary, tagsIn(in.Tags))
	if err != nil {
		return nil, mapErr(err)
	}
	out := userOut(u, true)
	return &CreateUserResponse{User: &out}, nil
}

func (a *Adapter) getUser(ctx context.Context, in *GetUserRequest) (*GetUserResponse, error) {
	u, err := a.Core.GetUser(ctx, caller(ctx), in.UserName)
	if err != nil {
		return nil, mapErr(err)
	}
	out := userOut(u, true)
	return &GetUserResponse{User: &out}, nil
}

func (a *Adapter) listUsers(ctx context.Context, in *ListUsersRequest) (*ListUsersResponse, error) {
	p, err := a.Core.ListUsers(ctx, caller(ctx), in.PathPrefix, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListUsersResponse{Users: mapSlice(p.Items, func(u store.IAMUser) User { return userOut(u, false) }),
		IsTruncated: truncated(p), Marker: p.Marker}, nil
}

func (a *Adapter) updateUser(ctx context.Context, in *UpdateUserRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UpdateUser(ctx, caller(ctx), in.UserName, in.NewUserName, in.NewPath))
}

func (a *Adapter) deleteUser(ctx context.Context, in *DeleteUserRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteUser(ctx, caller(ctx), in.UserName))
}

func (a *Adapter) tagUser(ctx context.Context, in *TagUserRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.TagUser(ctx, caller(ctx), in.UserName, tagsIn(in.Tags)))
}

func (a *Adapter) untagUser(ctx context.Context, in *UntagUserRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UntagUser(ctx, caller(ctx), in.UserName, in.TagKeys))
}

func (a *Adapter) listUserTags(ctx context.Context, in *ListUserTagsRequest) (*ListUserTagsResponse, error) {
	p, err := a.Core.ListUserTags(ctx, caller(ctx), in.UserName, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	tags, tr, m := tagsPageOut(p)
	return &ListUserTagsResponse{Tags: tags, IsTruncated: tr, Marker: m}, nil
}

// ---- access keys ----

func (a *Adapter) createAccessKey(ctx context.Context, in *CreateAccessKeyRequest) (*CreateAccessKeyResponse, error) {
	k, err := a.Core.CreateAccessKey(ctx, caller(ctx), in.UserName)
	if err != nil {
		return nil, mapErr(err)
	}
	return &CreateAccessKeyResponse{AccessKey: &AccessKey{UserName: k.UserName, AccessKeyId: k.AccessKeyID, Status: k.Status,
		SecretAccessKey: k.SecretAccessKey, CreateDate: awsproto.NewTime(k.CreatedAt)}}, nil
}

func (a *Adapter) listAccessKeys(ctx context.Context, in *ListAccessKeysRequest) (*ListAccessKeysResponse, error) {
	p, err := a.Core.ListAccessKeys(ctx, caller(ctx), in.UserName, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListAccessKeysResponse{AccessKeyMetadata: mapSlice(p.Items, func(k store.AccessKey) AccessKeyMetadata {
		return AccessKeyMetadata{UserName: k.UserName, AccessKeyId: k.AccessKeyID, Status: k.Status, CreateDate: awsproto.NewTime(k.CreatedAt)}
	}), IsTruncated: truncated(p), Marker: p.Marker}, nil
}

func (a *Adapter) updateAccessKey(ctx context.Context, in *UpdateAccessKeyRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UpdateAccessKey(ctx, caller(ctx), in.UserName, in.AccessKeyId, in.Status))
}

func (a *Adapter) deleteAccessKey(ctx context.Context, in *DeleteAccessKeyRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteAccessKey(ctx, caller(ctx), in.UserName, in.AccessKeyId))
}

func (a *Adapter) getAccessKeyLastUsed(ctx context.Context, in *GetAccessKeyLastUsedRequest) (*GetAccessKeyLastUsedResponse, error) {
	lu, err := a.Core.AccessKeyLastUsed(ctx, caller(ctx), in.AccessKeyId)
	if err != nil {
		return nil, mapErr(err)
	}
	return &GetAccessKeyLastUsedResponse{UserName: lu.Key.UserName, AccessKeyLastUsed: keyLastUsedOut(lu)}, nil // adapter_reports.go
}

// ---- groups ----

func (a *Adapter) createGroup(ctx context.Context, in *CreateGroupRequest) (*CreateGroupResponse, error) {
	g, err := a.Core.CreateGroup(ctx, caller(ctx), in.GroupName, in.Path)
	if err != nil {
		return nil, mapErr(err)
	}
	out := groupOut(g)
	return &CreateGroupResponse{Group: &out}, nil
}

func (a *Adapter) getGroup(ctx context.Context, in *GetGroupRequest) (*GetGroupResponse, error) {
	g, p, err := a.Core.GetGroup(ctx, caller(ctx), in.GroupName, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	out := groupOut(g)
	return &GetGroupResponse{Group: &out, Users: mapSlice(p.Items, func(u store.IAMUser) User { return userOut(u, false) }),
		IsTruncated: truncated(p), Marker: p.Marker}, nil
}

func (a *Adapter) listGroups(ctx context.Context, in *ListGroupsRequest) (*ListGroupsResponse, error) {
	p, err := a.Core.ListGroups(ctx, caller(ctx), in.PathPrefix, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListGroupsResponse{Groups: mapSlice(p.Items, groupOut), IsTruncated: truncated(p), Marker: p.Marker}, nil
}

func (a *Adapter) updateGroup(ctx context.Context, in *UpdateGroupRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UpdateGroup(ctx, caller(ctx), in.GroupName, in.NewGroupName, in.NewPath))
}

func (a *Adapter) deleteGroup(ctx context.Context, in *DeleteGroupRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteGroup(ctx, caller(ctx), in.GroupName))
}

func (a *Adapter) addUserToGroup(ctx context.Context, in *AddUserToGroupRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.AddUserToGroup(ctx, caller(ctx), in.GroupName, in.UserName))
}

func (a *Adapter) removeUserFromGroup(ctx context.Context, in *RemoveUserFromGroupRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.RemoveUserFromGroup(ctx, caller(ctx), in.GroupName, in.UserName))
}

func (a *Adapter) listGroupsForUser(ctx context.Context, in *ListGroupsForUserRequest) (*ListGroupsForUserResponse, error) {
	p, err := a.Core.ListGroupsForUser(ctx, caller(ctx), in.UserName, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListGroupsForUserResponse{Groups: mapSlice(p.Items, groupOut), IsTruncated: truncated(p), Marker: p.Marker}, nil
}

// ---- roles ----

func (a *Adapter) createRole(ctx context.Context, in *CreateRoleRequest) (*CreateRoleResponse, error) {
	r, err := a.Core.CreateRole(ctx, caller(ctx), iam.RoleInput{Name: in.RoleName, Path: in.Path, AssumeRolePolicy: in.AssumeRolePolicyDocument,
		Description: in.Description, PermissionsBoundary: in.PermissionsBoundary, MaxSessionDuration: maxItems(in.MaxSessionDuration), Tags: tagsIn(in.Tags)})
	if err != nil {
		return nil, mapErr(err)
	}
	out := roleOut(r, false)
	out.PermissionsBoundary = boundaryOut(r.PermissionsBoundary)
	out.Tags = tagsOut(r.Tags)
	return &CreateRoleResponse{Role: &out}, nil
}

func (a *Adapter) getRole(ctx context.Context, in *GetRoleRequest) (*GetRoleResponse, error) {
	r, err := a.Core.GetRole(ctx, caller(ctx), in.RoleName)
	if err != nil {
		return nil, mapErr(err)
	}
	out := roleOut(r, true)
	if out.RoleLastUsed, err = roleLastUsedOut(ctx, a.Core, r); err != nil { // adapter_reports.go
		return nil, mapErr(err)
	}
	return &GetRoleResponse{Role: &out}, nil
}

func (a *Adapter) listRoles(ctx context.Context, in *ListRolesRequest) (*ListRolesResponse, error) {
	p, err := a.Core.ListRoles(ctx, caller(ctx), in.PathPrefix, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListRolesResponse{Roles: mapSlice(p.Items, func(r store.IAMRole) Role { return roleOut(r, false) }),
		IsTruncated: truncated(p), Marker: p.Marker}, nil
}

func (a *Adapter) updateRole(ctx context.Context, in *UpdateRoleRequest) (*UpdateRoleResponse, error) {
	if err := a.Core.UpdateRole(ctx, caller(ctx), in.RoleName, in.Description, maxItems(in.MaxSessionDuration)); err != nil {
		return nil, mapErr(err)
	}
	return &UpdateRoleResponse{}, nil
}

func (a *Adapter) updateRoleDescription(ctx context.Context, in *UpdateRoleDescriptionRequest) (*UpdateRoleDescriptionResponse, error) {
	r, err := a.Core.UpdateRoleDescription(ctx, caller(ctx), in.RoleName, in.Description)
	if err != nil {
		return nil, mapErr(err)
	}
	out := roleOut(r, true)
	return &UpdateRoleDescriptionResponse{Role: &out}, nil
}

func (a *Adapter) updateAssumeRolePolicy(ctx context.Context, in *UpdateAssumeRolePolicyRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UpdateAssumeRolePolicy(ctx, caller(ctx), in.RoleName, in.PolicyDocument))
}

func (a *Adapter) deleteRole(ctx context.Context, in *DeleteRoleRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteRole(ctx, caller(ctx), in.RoleName))
}

func (a *Adapter) tagRole(ctx context.Context, in *TagRoleRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.TagRole(ctx, caller(ctx), in.RoleName, tagsIn(in.Tags)))
}

func (a *Adapter) untagRole(ctx context.Context, in *UntagRoleRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UntagRole(ctx, caller(ctx), in.RoleName, in.TagKeys))
}

func (a *Adapter) listRoleTags(ctx context.Context, in *ListRoleTagsRequest) (*ListRoleTagsResponse, error) {
	p, err := a.Core.ListRoleTags(ctx, caller(ctx), in.RoleName, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	tags, tr, m := tagsPageOut(p)
	return &ListRoleTagsResponse{Tags: tags, IsTruncated: tr, Marker: m}, nil
}

// ---- managed policies ----

func (a *Adapter) createPolicy(ctx context.Context, in *CreatePolicyRequest) (*CreatePolicyResponse, error) {
	p, err := a.Core.CreatePolicy(ctx, caller(ctx), in.PolicyName, in.Path, in.Description, in.PolicyDocument, tagsIn(in.Tags))
	if err != nil {
		return nil, mapErr(err)
	}
	out := policyOut(p, false)
	out.Tags = tagsOut(p.Tags)
	return &CreatePolicyResponse{Policy: &out}, nil
}

func (a *Adapter) getPolicy(ctx context.Context, in *GetPolicyRequest) (*GetPolicyResponse, error) {
	p, err := a.Core.GetPolicy(ctx, caller(ctx), in.PolicyArn)
	if err != nil {
		return nil, mapErr(err)
	}
	out := policyOut(p, true)
	return &GetPolicyResponse{Policy: &out}, nil
}

func (a *Adapter) listPolicies(ctx context.Context, in *ListPoliciesRequest) (*ListPoliciesResponse, error) {
	p, err := a.Core.ListPolicies(ctx, caller(ctx), iam.ListPoliciesInput{Scope: in.Scope, OnlyAttached: in.OnlyAttached != nil && *in.OnlyAttached,
		PathPrefix: in.PathPrefix, Marker: in.Marker, MaxItems: maxItems(in.MaxItems)})
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListPoliciesResponse{Policies: mapSlice(p.Items, func(x iam.ManagedPolicy) Policy { return policyOut(x, false) }),
		IsTruncated: truncated(p), Marker: p.Marker}, nil
}

func (a *Adapter) deletePolicy(ctx context.Context, in *DeletePolicyRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeletePolicy(ctx, caller(ctx), in.PolicyArn))
}

func (a *Adapter) createPolicyVersion(ctx context.Context, in *CreatePolicyVersionRequest) (*CreatePolicyVersionResponse, error) {
	v, err := a.Core.CreatePolicyVersion(ctx, caller(ctx), in.PolicyArn, in.PolicyDocument, in.SetAsDefault != nil && *in.SetAsDefault)
	if err != nil {
		return nil, mapErr(err)
	}
	out := versionOut(v, false)
	return &CreatePolicyVersionResponse{PolicyVersion: &out}, nil
}

func (a *Adapter) getPolicyVersion(ctx context.Context, in *GetPolicyVersionRequest) (*GetPolicyVersionResponse, error) {
	v, err := a.Core.GetPolicyVersion(ctx, caller(ctx), in.PolicyArn, in.VersionId)
	if err != nil {
		return nil, mapErr(err)
	}
	out := versionOut(v, true)
	return &GetPolicyVersionResponse{PolicyVersion: &out}, nil
}

func (a *Adapter) listPolicyVersions(ctx context.Context, in *ListPolicyVersionsRequest) (*ListPolicyVersionsResponse, error) {
	p, err := a.Core.ListPolicyVersions(ctx, caller(ctx), in.PolicyArn, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListPolicyVersionsResponse{Versions: mapSlice(p.Items, func(v iam.PolicyVersion) PolicyVersion { return versionOut(v, false) }),
		IsTruncated: truncated(p), Marker: p.Marker}, nil
}

func (a *Adapter) deletePolicyVersion(ctx context.Context, in *DeletePolicyVersionRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeletePolicyVersion(ctx, caller(ctx), in.PolicyArn, in.VersionId))
}

func (a *Adapter) setDefaultPolicyVersion(ctx context.Context, in *SetDefaultPolicyVersionRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.SetDefaultPolicyVersion(ctx, caller(ctx), in.PolicyArn, in.VersionId))
}

func (a *Adapter) listEntitiesForPolicy(ctx context.Context, in *ListEntitiesForPolicyRequest) (*ListEntitiesForPolicyResponse, error) {
	p, err := a.Core.ListEntitiesForPolicy(ctx, caller(ctx), in.PolicyArn, in.EntityFilter, in.PathPrefix, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	out := &ListEntitiesForPolicyResponse{PolicyGroups: []PolicyGroup{}, PolicyUsers: []PolicyUser{}, PolicyRoles: []PolicyRole{},
		IsTruncated: truncated(p), Marker: p.Marker}
	for _, e := range p.Items {
		switch e.EntityType {
		case store.IAMEntityUser:
			out.PolicyUsers = append(out.PolicyUsers, PolicyUser{UserName: e.EntityName, UserId: e.EntityID})
		case store.IAMEntityGroup:
			out.PolicyGroups = append(out.PolicyGroups, PolicyGroup{GroupName: e.EntityName, GroupId: e.EntityID})
		case store.IAMEntityRole:
			out.PolicyRoles = append(out.PolicyRoles, PolicyRole{RoleName: e.EntityName, RoleId: e.EntityID})
		}
	}
	return out, nil
}

// ---- attachments ----

func (a *Adapter) attach(ctx context.Context, typ, name, arn string) (*struct{}, error) {
	return nil, mapErr(a.Core.AttachPolicy(ctx, caller(ctx), typ, name, arn))
}

func (a *Adapter) detach(ctx context.Context, typ, name, arn string) (*struct{}, error) {
	return nil, mapErr(a.Core.DetachPolicy(ctx, caller(ctx), typ, name, arn))
}

func (a *Adapter) attachUserPolicy(ctx context.Context, in *AttachUserPolicyRequest) (*struct{}, error) {
	return a.attach(ctx, store.IAMEntityUser, in.UserName, in.PolicyArn)
}

func (a *Adapter) attachGroupPolicy(ctx context.Context, in *AttachGroupPolicyRequest) (*struct{}, error) {
	return a.attach(ctx, store.IAMEntityGroup, in.GroupName, in.PolicyArn)
}

func (a *Adapter) attachRolePolicy(ctx context.Context, in *AttachRolePolicyRequest) (*struct{}, error) {
	return a.attach(ctx, store.IAMEntityRole, in.RoleName, in.PolicyArn)
}

func (a *Adapter) detachUserPolicy(ctx context.Context, in *DetachUserPolicyRequest) (*struct{}, error) {
	return a.detach(ctx, store.IAMEntityUser, in.UserName, in.PolicyArn)
}

func (a *Adapter) detachGroupPolicy(ctx context.Context, in *DetachGroupPolicyRequest) (*struct{}, error) {
	return a.detach(ctx, store.IAMEntityGroup, in.GroupName, in.PolicyArn)
}

func (a *Adapter) detachRolePolicy(ctx context.Context, in *DetachRolePolicyRequest) (*struct{}, error) {
	return a.detach(ctx, store.IAMEntityRole, in.RoleName, in.PolicyArn)
}

func (a *Adapter) listAttached(ctx context.Context, typ, name, prefix, marker string, max *int32) ([]AttachedPolicy, *bool, string, error) {
	p, err := a.Core.ListAttachedPolicies(ctx, caller(ctx), typ, name, prefix, marker, maxItems(max))
	if err != nil {
		return nil, nil, "", mapErr(err)
	}
	return mapSlice(p.Items, func(x iam.AttachedPolicy) AttachedPolicy { return AttachedPolicy{PolicyName: x.Name, PolicyArn: x.ARN} }),
		truncated(p), p.Marker, nil
}

func (a *Adapter) listAttachedUserPolicies(ctx context.Context, in *ListAttachedUserPoliciesRequest) (*ListAttachedUserPoliciesResponse, error) {
	ps, tr, m, err := a.listAttached(ctx, store.IAMEntityUser, in.UserName, in.PathPrefix, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &ListAttachedUserPoliciesResponse{AttachedPolicies: ps, IsTruncated: tr, Marker: m}, nil
}

func (a *Adapter) listAttachedGroupPolicies(ctx context.Context, in *ListAttachedGroupPoliciesRequest) (*ListAttachedGroupPoliciesResponse, error) {
	ps, tr, m, err := a.listAttached(ctx, store.IAMEntityGroup, in.GroupName, in.PathPrefix, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &ListAttachedGroupPoliciesResponse{AttachedPolicies: ps, IsTruncated: tr, Marker: m}, nil
}

func (a *Adapter) listAttachedRolePolicies(ctx context.Context, in *ListAttachedRolePoliciesRequest) (*ListAttachedRolePoliciesResponse, error) {
	ps, tr, m, err := a.listAttached(ctx, store.IAMEntityRole, in.RoleName, in.PathPrefix, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &ListAttachedRolePoliciesResponse{AttachedPolicies: ps, IsTruncated: tr, Marker: m}, nil
}

// ---- inline policies ----

func (a *Adapter) putInline(ctx context.Context, typ, name, policyName, doc string) (*struct{}, error) {
	return nil, mapErr(a.Core.PutInlinePolicy(ctx, caller(ctx), typ, name, policyName, doc))
}

func (a *Adapter) deleteInline(ctx context.Context, typ, name, policyName string) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteInlinePolicy(ctx, caller(ctx), typ, name, policyName))
}

func (a *Adapter) getInline(ctx context.Context, typ, name, policyName string) (string, string, error) {
	p, err := a.Core.GetInlinePolicy(ctx, caller(ctx), typ, name, policyName)
	if err != nil {
		return "", "", mapErr(err)
	}
	return p.PolicyName, encodeDoc(p.Document), nil
}

func (a *Adapter) listInline(ctx context.Context, typ, name, marker string, max *int32) ([]string, *bool, string, error) {
	p, err := a.Core.ListInlinePolicies(ctx, caller(ctx), typ, name, marker, maxItems(max))
	if err != nil {
		return nil, nil, "", mapErr(err)
	}
	names := p.Items
	if names == nil {
		names = []string{}
	}
	return names, truncated(p), p.Marker, nil
}

func (a *Adapter) putUserPolicy(ctx context.Context, in *PutUserPolicyRequest) (*struct{}, error) {
	return a.putInline(ctx, store.IAMEntityUser, in.UserName, in.PolicyName, in.PolicyDocument)
}

func (a *Adapter) putGroupPolicy(ctx context.Context, in *PutGroupPolicyRequest) (*struct{}, error) {
	return a.putInline(ctx, store.IAMEntityGroup, in.GroupName, in.PolicyName, in.PolicyDocument)
}

func (a *Adapter) putRolePolicy(ctx context.Context, in *PutRolePolicyRequest) (*struct{}, error) {
	return a.putInline(ctx, store.IAMEntityRole, in.RoleName, in.PolicyName, in.PolicyDocument)
}

func (a *Adapter) deleteUserPolicy(ctx context.Context, in *DeleteUserPolicyRequest) (*struct{}, error) {
	return a.deleteInline(ctx, store.IAMEntityUser, in.UserName, in.PolicyName)
}

func (a *Adapter) deleteGroupPolicy(ctx context.Context, in *DeleteGroupPolicyRequest) (*struct{}, error) {
	return a.deleteInline(ctx, store.IAMEntityGroup, in.GroupName, in.PolicyName)
}

func (a *Adapter) deleteRolePolicy(ctx context.Context, in *DeleteRolePolicyRequest) (*struct{}, error) {
	return a.deleteInline(ctx, store.IAMEntityRole, in.RoleName, in.PolicyName)
}

func (a *Adapter) getUserPolicy(ctx context.Context, in *GetUserPolicyRequest) (*GetUserPolicyResponse, error) {
	n, d, err := a.getInline(ctx, store.IAMEntityUser, in.UserName, in.PolicyName)
	if err != nil {
		return nil, err
	}
	return &GetUserPolicyResponse{UserName: in.UserName, PolicyName: n, PolicyDocument: d}, nil
}

func (a *Adapter) getGroupPolicy(ctx context.Context, in *GetGroupPolicyRequest) (*GetGroupPolicyResponse, error) {
	n, d, err := a.getInline(ctx, store.IAMEntityGroup, in.GroupName, in.PolicyName)
	if err != nil {
		return nil, err
	}
	return &GetGroupPolicyResponse{GroupName: in.GroupName, PolicyName: n, PolicyDocument: d}, nil
}

func (a *Adapter) getRolePolicy(ctx context.Context, in *GetRolePolicyRequest) (*GetRolePolicyResponse, error) {
	n, d, err := a.getInline(ctx, store.IAMEntityRole, in.RoleName, in.PolicyName)
	if err != nil {
		return nil, err
	}
	return &GetRolePolicyResponse{RoleName: in.RoleName, PolicyName: n, PolicyDocument: d}, nil
}

func (a *Adapter) listUserPolicies(ctx context.Context, in *ListUserPoliciesRequest) (*ListUserPoliciesResponse, error) {
	n, tr, m, err := a.listInline(ctx, store.IAMEntityUser, in.UserName, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &ListUserPoliciesResponse{PolicyNames: n, IsTruncated: tr, Marker: m}, nil
}

func (a *Adapter) listGroupPolicies(ctx context.Context, in *ListGroupPoliciesRequest) (*ListGroupPoliciesResponse, error) {
	n, tr, m, err := a.listInline(ctx, store.IAMEntityGroup, in.GroupName, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &ListGroupPoliciesResponse{PolicyNames: n, IsTruncated: tr, Marker: m}, nil
}

func (a *Adapter) listRolePolicies(ctx context.Context, in *ListRolePoliciesRequest) (*ListRolePoliciesResponse, error) {
	n, tr, m, err := a.listInline(ctx, store.IAMEntityRole, in.RoleName, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &ListRolePoliciesResponse{PolicyNames: n, IsTruncated: tr, Marker: m}, nil
}
