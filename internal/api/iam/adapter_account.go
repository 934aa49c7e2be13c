package iam

import (
	"context"
	"net/http"
	"strings"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/authn"
	"github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/store"
)

// Account settings, login profiles, virtual MFA devices and the account
// authorization details.

// accountHandlers are the handlers of this file, added to Service's table.
func (a *Adapter) accountHandlers() map[string]awsproto.Handler {
	user := func(ctx context.Context, name string) string { return res(ctx, "user/", name) }
	self := func(ctx context.Context, name string) string {
		if name != "" {
			return user(ctx, name)
		}
		if p, ok := authn.PrincipalFrom(ctx); ok && p.ARN != "" {
			return p.ARN
		}
		return user(ctx, name)
	}
	mfa := func(_ context.Context, serial string) string { return serial }
	return map[string]awsproto.Handler{
		// account settings
		"CreateAccountAlias":          op(a.createAccountAlias, star[CreateAccountAliasRequest]),
		"DeleteAccountAlias":          op(a.deleteAccountAlias, star[DeleteAccountAliasRequest]),
		"ListAccountAliases":          op(a.listAccountAliases, star[ListAccountAliasesRequest]),
		"UpdateAccountPasswordPolicy": op(a.updateAccountPasswordPolicy, star[UpdateAccountPasswordPolicyRequest]),
		"GetAccountPasswordPolicy":    op(a.getAccountPasswordPolicy, star[struct{}]),
		"DeleteAccountPasswordPolicy": op(a.deleteAccountPasswordPolicy, star[struct{}]),
		"GetAccountSummary":           op(a.getAccountSummary, star[struct{}]),
		"GetAccountAuthorizationDetails": op(a.getAccountAuthorizationDetails,
			star[GetAccountAuthorizationDetailsRequest]),
		// login profiles
		"CreateLoginProfile": op(a.createLoginProfile, func(ctx context.Context, in *CreateLoginProfileRequest) string { return self(ctx, in.UserName) }),
		"GetLoginProfile":    op(a.getLoginProfile, func(ctx context.Context, in *GetLoginProfileRequest) string { return self(ctx, in.UserName) }),
		"UpdateLoginProfile": op(a.updateLoginProfile, func(ctx context.Context, in *UpdateLoginProfileRequest) string { return self(ctx, in.UserName) }),
		"DeleteLoginProfile": op(a.deleteLoginProfile, func(ctx context.Context, in *DeleteLoginProfileRequest) string { return self(ctx, in.UserName) }),
		"ChangePassword":     op(a.changePassword, func(ctx context.Context, _ *ChangePasswordRequest) string { return self(ctx, "") }),
		// virtual MFA devices
		"CreateVirtualMFADevice": op(a.createVirtualMFADevice, func(ctx context.Context, in *CreateVirtualMFADeviceRequest) string {
			path := in.Path
			if path == "" {
				path = "/"
			}
			return res(ctx, "mfa", path+in.VirtualMFADeviceName)
		}),
		"EnableMFADevice":        op(a.enableMFADevice, func(ctx context.Context, in *EnableMFADeviceRequest) string { return self(ctx, in.UserName) }),
		"ResyncMFADevice":        op(a.resyncMFADevice, func(ctx context.Context, in *ResyncMFADeviceRequest) string { return self(ctx, in.UserName) }),
		"DeactivateMFADevice":    op(a.deactivateMFADevice, func(ctx context.Context, in *DeactivateMFADeviceRequest) string { return self(ctx, in.UserName) }),
		"DeleteVirtualMFADevice": op(a.deleteVirtualMFADevice, func(ctx context.Context, in *DeleteVirtualMFADeviceRequest) string { return mfa(ctx, in.SerialNumber) }),
		"GetMFADevice":           op(a.getMFADevice, func(ctx context.Context, in *GetMFADeviceRequest) string { return self(ctx, in.UserName) }),
		"ListMFADevices":         op(a.listMFADevices, func(ctx context.Context, in *ListMFADevicesRequest) string { return self(ctx, in.UserName) }),
		"ListVirtualMFADevices":  op(a.listVirtualMFADevices, star[ListVirtualMFADevicesRequest]),
		"TagMFADevice":           op(a.tagMFADevice, func(ctx context.Context, in *TagMFADeviceRequest) string { return mfa(ctx, in.SerialNumber) }),
		"UntagMFADevice":         op(a.untagMFADevice, func(ctx context.Context, in *UntagMFADeviceRequest) string { return mfa(ctx, in.SerialNumber) }),
		"ListMFADeviceTags":      op(a.listMFADeviceTags, func(ctx context.Context, in *ListMFADeviceTagsRequest) string { return mfa(ctx, in.SerialNumber) }),
	}
}

func intPtr(p *int32) *int {
	if p == nil {
		return nil
	}
	v := int(*p)
	return &v
}

func boolVal(p *bool) bool { return p != nil && *p }

// ---- account settings ----

// aliasPatternError is the model's pattern violation (the pattern's
// look-ahead is beyond the generic validator, so it is checked here).
func aliasPatternError(alias string) error {
	if iam.ValidAlias(alias) {
		return nil
	}
	return &awsproto.Error{Code: "ValidationError", Status: http.StatusBadRequest, Message: "1 validation error detected: Value '" + alias +
		"' at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: " + iam.AliasPattern}
}

func (a *Adapter) createAccountAlias(ctx context.Context, in *CreateAccountAliasRequest) (*struct{}, error) {
	if err := aliasPatternError(in.AccountAlias); err != nil {
		return nil, err
	}
	return nil, mapErr(a.Core.CreateAccountAlias(ctx, caller(ctx), in.AccountAlias))
}

func (a *Adapter) deleteAccountAlias(ctx context.Context, in *DeleteAccountAliasRequest) (*struct{}, error) {
	if err := aliasPatternError(in.AccountAlias); err != nil {
		return nil, err
	}
	return nil, mapErr(a.Core.DeleteAccountAlias(ctx, caller(ctx), in.AccountAlias))
}

func (a *Adapter) listAccountAliases(ctx context.Context, in *ListAccountAliasesRequest) (*ListAccountAliasesResponse, error) {
	p, err := a.Core.ListAccountAliases(ctx, caller(ctx), in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	aliases := p.Items
	if aliases == nil {
		aliases = []string{}
	}
	return &ListAccountAliasesResponse{AccountAliases: aliases, IsTruncated: truncated(p), Marker: p.Marker}, nil
}

func (a *Adapter) updateAccountPasswordPolicy(ctx context.Context, in *UpdateAccountPasswordPolicyRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UpdateAccountPasswordPolicy(ctx, caller(ctx), iam.PasswordPolicyInput{
		MinimumPasswordLength: intPtr(in.MinimumPasswordLength), RequireSymbols: boolVal(in.RequireSymbols),
		RequireNumbers: boolVal(in.RequireNumbers), RequireUppercaseCharacters: boolVal(in.RequireUppercaseCharacters),
		RequireLowercaseCharacters: boolVal(in.RequireLowercaseCharacters), AllowUsersToChangePassword: boolVal(in.AllowUsersToChangePassword),
		MaxPasswordAge: intPtr(in.MaxPasswordAge), PasswordReusePrevention: intPtr(in.PasswordReusePrevention), HardExpiry: boolVal(in.HardExpiry)}))
}

func (a *Adapter) getAccountPasswordPolicy(ctx context.Context, _ *struct{}) (*GetAccountPasswordPolicyResponse, error) {
	p, err := a.Core.GetAccountPasswordPolicy(ctx, caller(ctx))
	if err != nil {
		return nil, mapErr(err)
	}
	out := &PasswordPolicy{MinimumPasswordLength: ptr(int32(p.MinimumPasswordLength)), RequireSymbols: ptr(p.RequireSymbols),
		RequireNumbers: ptr(p.RequireNumbers), RequireUppercaseCharacters: ptr(p.RequireUppercaseCharacters),
		RequireLowercaseCharacters: ptr(p.RequireLowercaseCharacters), AllowUsersToChangePassword: ptr(p.AllowUsersToChangePassword),
		ExpirePasswords: ptr(p.MaxPasswordAge > 0)}
	if p.MaxPasswordAge > 0 {
		out.MaxPasswordAge = ptr(int32(p.MaxPasswordAge))
		out.HardExpiry = ptr(p.HardExpiry)
	}
	if p.PasswordReusePrevention > 0 {
		out.PasswordReusePrevention = ptr(int32(p.PasswordReusePrevention))
	}
	return &GetAccountPasswordPolicyResponse{PasswordPolicy: out}, nil
}

func (a *Adapter) deleteAccountPasswordPolicy(ctx context.Context, _ *struct{}) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteAccountPasswordPolicy(ctx, caller(ctx)))
}

func (a *Adapter) getAccountSummary(ctx context.Context, _ *struct{}) (*GetAccountSummaryResponse, error) {
	m, err := a.Core.GetAccountSummary(ctx, caller(ctx))
	if err != nil {
		return nil, mapErr(err)
	}
	out := make(map[string]int32, len(m))
	for k, v := range m {
		out[k] = int32(v)
	}
	return &GetAccountSummaryResponse{SummaryMap: out}, nil
}

// ---- account authorization details ----

func inlineOut(ps []store.IAMInlinePolicy) []PolicyDetail {
	return mapSlice(ps, func(p store.IAMInlinePolicy) PolicyDetail {
		return PolicyDetail{PolicyName: p.PolicyName, PolicyDocument: encodeDoc(p.Document)}
	})
}

func attachedOut(ps []iam.AttachedPolicy) []AttachedPolicy {
	return mapSlice(ps, func(p iam.AttachedPolicy) AttachedPolicy { return AttachedPolicy{PolicyName: p.Name, PolicyArn: p.ARN} })
}

func (a *Adapter) getAccountAuthorizationDetails(ctx context.Context, in *GetAccountAuthorizationDetailsRequest) (*GetAccountAuthorizationDetailsResponse, error) {
	d, err := a.Core.GetAccountAuthorizationDetails(ctx, caller(ctx), in.Filter, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	out := &GetAccountAuthorizationDetailsResponse{IsTruncated: ptr(d.Marker != ""), Marker: d.Marker}
	for _, u := range d.Users {
		groups := u.Groups
		if groups == nil {
			groups = []string{}
		}
		out.UserDetailList = append(out.UserDetailList, UserDetail{Path: u.User.Path, UserName: u.User.UserName, UserId: u.User.UserID,
			Arn: u.User.ARN, CreateDate: awsproto.NewTime(u.User.CreatedAt), UserPolicyList: inlineOut(u.Inline), GroupList: groups,
			AttachedManagedPolicies: attachedOut(u.Attached), PermissionsBoundary: boundaryOut(u.User.PermissionsBoundary),
			Tags: tagsOut(u.User.Tags)})
	}
	for _, g := range d.Groups {
		out.GroupDetailList = append(out.GroupDetailList, GroupDetail{Path: g.Group.Path, GroupName: g.Group.GroupName,
			GroupId: g.Group.GroupID, Arn: g.Group.ARN, CreateDate: awsproto.NewTime(g.Group.CreatedAt),
			GroupPolicyList: inlineOut(g.Inline), AttachedManagedPolicies: attachedOut(g.Attached)})
	}
	for _, r := range d.Roles {
		out.RoleDetailList = append(out.RoleDetailList, RoleDetail{Path: r.Role.Path, RoleName: r.Role.RoleName, RoleId: r.Role.RoleID,
			Arn: r.Role.ARN, CreateDate: awsproto.NewTime(r.Role.CreatedAt), AssumeRolePolicyDocument: encodeDoc(r.Role.AssumeRolePolicy),
			InstanceProfileList: profilesOut(r.InstanceProfiles), RolePolicyList: inlineOut(r.Inline), AttachedManagedPolicies: attachedOut(r.Attached),
			PermissionsBoundary: boundaryOut(r.Role.PermissionsBoundary), Tags: tagsOut(r.Role.Tags), RoleLastUsed: &RoleLastUsed{}})
	}
	for _, p := range d.Policies {
		out.Policies = append(out.Policies, ManagedPolicyDetail{PolicyName: p.Policy.PolicyName, PolicyId: p.Policy.PolicyID,
			Arn: p.Policy.ARN, Path: p.Policy.Path, DefaultVersionId: p.Policy.DefaultVersionID,
			AttachmentCount: ptr(int32(p.Policy.AttachmentCount)), PermissionsBoundaryUsageCount: ptr(int32(0)), IsAttachable: ptr(true),
			Description: p.Policy.Description, CreateDate: awsproto.NewTime(p.Policy.CreatedAt), UpdateDate: awsproto.NewTime(p.Policy.UpdatedAt),
			PolicyVersionList: mapSlice(p.Versions, func(v iam.PolicyVersion) PolicyVersion { return versionOut(v, true) })})
	}
	return out, nil
}

// ---- login profiles ----

func loginProfileOut(lp store.IAMLoginProfile, userName string) *LoginProfile {
	return &LoginProfile{UserName: userName, CreateDate: awsproto.NewTime(lp.CreatedAt), PasswordResetRequired: ptr(lp.PasswordResetRequired)}
}

func (a *Adapter) createLoginProfile(ctx context.Context, in *CreateLoginProfileRequest) (*CreateLoginProfileResponse, error) {
	lp, name, err := a.Core.CreateLoginProfile(ctx, caller(ctx), in.UserName, in.Password, boolVal(in.PasswordResetRequired))
	if err != nil {
		return nil, mapErr(err)
	}
	return &CreateLoginProfileResponse{LoginProfile: loginProfileOut(lp, name)}, nil
}

func (a *Adapter) getLoginProfile(ctx context.Context, in *GetLoginProfileRequest) (*GetLoginProfileResponse, error) {
	lp, name, err := a.Core.GetLoginProfile(ctx, caller(ctx), in.UserName)
	if err != nil {
		return nil, mapErr(err)
	}
	return &GetLoginProfileResponse{LoginProfile: loginProfileOut(lp, name)}, nil
}

func (a *Adapter) updateLoginProfile(ctx context.Context, in *UpdateLoginProfileRequest) (*struct{}, error) {
	var pw *string
	if in.Password != "" {
		pw = &in.Password
	}
	return nil, mapErr(a.Core.UpdateLoginProfile(ctx, caller(ctx), in.UserName, pw, in.PasswordResetRequired))
}

func (a *Adapter) deleteLoginProfile(ctx context.Context, in *DeleteLoginProfileRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteLoginProfile(ctx, caller(ctx), in.UserName))
}

func (a *Adapter) changePassword(ctx context.Context, in *ChangePasswordRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.ChangePassword(ctx, caller(ctx), in.OldPassword, in.NewPassword))
}

// ---- virtual MFA devices ----

func virtualMFAOut(d store.IAMMFADevice) VirtualMFADevice {
	out := VirtualMFADevice{SerialNumber: d.SerialNumber, Tags: tagsOut(d.Tags)}
	if d.UserID != "" {
		out.User = &User{UserName: d.UserName, UserId: d.UserID, Arn: d.UserARN, Path: userPath(d.UserARN)}
		out.EnableDate = awsproto.NewTime(d.EnabledAt)
	}
	if d.Root { // the root user's device (core/iam/root_mfa.go): the root user, by ARN and account id
		acct := d.AccountID
		out.User = &User{UserId: acct, Arn: "arn:aws:iam::" + acct + ":root", Path: "/"}
		out.EnableDate = awsproto.NewTime(d.EnabledAt)
	}
	return out
}

// userPath is the path of a user ARN (arn:aws:iam::<acct>:user<path><name>).
func userPath(arn string) string {
	i := strings.Index(arn, ":user/")
	if i < 0 {
		return "/"
	}
	res := arn[i+len(":user"):]
	return res[:strings.LastIndexByte(res, '/')+1]
}

func (a *Adapter) createVirtualMFADevice(ctx context.Context, in *CreateVirtualMFADeviceRequest) (*CreateVirtualMFADeviceResponse, error) {
	d, err := a.Core.CreateVirtualMFADevice(ctx, caller(ctx), in.VirtualMFADeviceName, in.Path, tagsIn(in.Tags))
	if err != nil {
		return nil, mapErr(err)
	}
	out := VirtualMFADevice{SerialNumber: d.Device.SerialNumber, Base32StringSeed: []byte(d.Seed), QRCodePNG: d.QRCodePNG,
		Tags: tagsOut(d.Device.Tags)}
	return &CreateVirtualMFADeviceResponse{VirtualMFADevice: &out}, nil
}

func (a *Adapter) enableMFADevice(ctx context.Context, in *EnableMFADeviceRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.EnableMFADevice(ctx, caller(ctx), in.UserName, in.SerialNumber, in.AuthenticationCode1, in.AuthenticationCode2))
}

func (a *Adapter) resyncMFADevice(ctx context.Context, in *ResyncMFADeviceRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.ResyncMFADevice(ctx, caller(ctx), in.UserName, in.SerialNumber, in.AuthenticationCode1, in.AuthenticationCode2))
}

func (a *Adapter) deactivateMFADevice(ctx context.Context, in *DeactivateMFADeviceRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeactivateMFADevice(ctx, caller(ctx), in.UserName, in.SerialNumber))
}

func (a *Adapter) deleteVirtualMFADevice(ctx context.Context, in *DeleteVirtualMFADeviceRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteVirtualMFADevice(ctx, caller(ctx), in.SerialNumber))
}

func (a *Adapter) getMFADevice(ctx context.Context, in *GetMFADeviceRequest) (*GetMFADeviceResponse, error) {
	d, err := a.Core.GetMFADevice(ctx, caller(ctx), in.UserName, in.SerialNumber)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &GetMFADeviceResponse{UserName: d.UserName, SerialNumber: d.SerialNumber}
	if !d.EnabledAt.IsZero() {
		out.EnableDate = awsproto.NewTime(d.EnabledAt)
	}
	return out, nil
}

func (a *Adapter) listMFADevices(ctx context.Context, in *ListMFADevicesRequest) (*ListMFADevicesResponse, error) {
	p, err := a.Core.ListMFADevices(ctx, caller(ctx), in.UserName, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListMFADevicesResponse{MFADevices: mapSlice(p.Items, func(d store.IAMMFADevice) MFADevice {
		return MFADevice{UserName: d.UserName, SerialNumber: d.SerialNumber, EnableDate: awsproto.NewTime(d.EnabledAt)}
	}), IsTruncated: truncated(p), Marker: p.Marker}, nil
}

func (a *Adapter) listVirtualMFADevices(ctx context.Context, in *ListVirtualMFADevicesRequest) (*ListVirtualMFADevicesResponse, error) {
	p, err := a.Core.ListVirtualMFADevices(ctx, caller(ctx), in.AssignmentStatus, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListVirtualMFADevicesResponse{VirtualMFADevices: mapSlice(p.Items, virtualMFAOut), IsTruncated: truncated(p), Marker: p.Marker}, nil
}

func (a *Adapter) tagMFADevice(ctx context.Context, in *TagMFADeviceRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.TagMFADevice(ctx, caller(ctx), in.SerialNumber, tagsIn(in.Tags)))
}

func (a *Adapter) untagMFADevice(ctx context.Context, in *UntagMFADeviceRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UntagMFADevice(ctx, caller(ctx), in.SerialNumber, in.TagKeys))
}

func (a *Adapter) listMFADeviceTags(ctx context.Context, in *ListMFADeviceTagsRequest) (*ListMFADeviceTagsResponse, error) {
	p, err := a.Core.ListMFADeviceTags(ctx, caller(ctx), in.SerialNumber, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	tags, tr, m := tagsPageOut(p)
	return &ListMFADeviceTagsResponse{Tags: tags, IsTruncated: tr, Marker: m}, nil
}
