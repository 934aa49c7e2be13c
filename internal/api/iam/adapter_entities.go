package iam

import (
	"context"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/authn"
	"github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/store"
)

// Instance profiles, permissions boundaries, managed-policy tags, SSH public
// keys, signing and server certificates and service-specific credentials.

// entityHandlers are the handlers of this file, added to Service's table.
// Resource ARNs follow the Service Authorization Reference: instance-profile,
// server-certificate, user, role and policy resources.
func (a *Adapter) entityHandlers() map[string]awsproto.Handler {
	user := func(ctx context.Context, name string) string { return res(ctx, "user/", name) }
	// self is the named user, or the calling principal for operations whose
	// UserName defaults to the caller.
	self := func(ctx context.Context, name string) string {
		if name != "" {
			return user(ctx, name)
		}
		if p, ok := authn.PrincipalFrom(ctx); ok && p.ARN != "" {
			return p.ARN
		}
		return user(ctx, name)
	}
	role := func(ctx context.Context, name string) string { return res(ctx, "role/", name) }
	profile := func(ctx context.Context, name string) string { return res(ctx, "instance-profile/", name) }
	cert := func(ctx context.Context, name string) string { return res(ctx, "server-certificate/", name) }
	withPath := func(path, name string) string {
		if path == "" {
			path = "/"
		}
		return path[1:] + name
	}
	policy := func(_ context.Context, arn string) string { return arn }
	return map[string]awsproto.Handler{
		// instance profiles
		"CreateInstanceProfile": op(a.createInstanceProfile, func(ctx context.Context, in *CreateInstanceProfileRequest) string {
			return profile(ctx, withPath(in.Path, in.InstanceProfileName))
		}),
		"GetInstanceProfile": op(a.getInstanceProfile, func(ctx context.Context, in *GetInstanceProfileRequest) string {
			return profile(ctx, in.InstanceProfileName)
		}),
		"DeleteInstanceProfile": op(a.deleteInstanceProfile, func(ctx context.Context, in *DeleteInstanceProfileRequest) string {
			return profile(ctx, in.InstanceProfileName)
		}),
		"ListInstanceProfiles": op(a.listInstanceProfiles, star[ListInstanceProfilesRequest]),
		"AddRoleToInstanceProfile": op(a.addRoleToInstanceProfile, func(ctx context.Context, in *AddRoleToInstanceProfileRequest) string {
			return profile(ctx, in.InstanceProfileName)
		}),
		"RemoveRoleFromInstanceProfile": op(a.removeRoleFromInstanceProfile, func(ctx context.Context, in *RemoveRoleFromInstanceProfileRequest) string {
			return profile(ctx, in.InstanceProfileName)
		}),
		"ListInstanceProfilesForRole": op(a.listInstanceProfilesForRole, func(ctx context.Context, in *ListInstanceProfilesForRoleRequest) string {
			return role(ctx, in.RoleName)
		}),
		"TagInstanceProfile": op(a.tagInstanceProfile, func(ctx context.Context, in *TagInstanceProfileRequest) string {
			return profile(ctx, in.InstanceProfileName)
		}),
		"UntagInstanceProfile": op(a.untagInstanceProfile, func(ctx context.Context, in *UntagInstanceProfileRequest) string {
			return profile(ctx, in.InstanceProfileName)
		}),
		"ListInstanceProfileTags": op(a.listInstanceProfileTags, func(ctx context.Context, in *ListInstanceProfileTagsRequest) string {
			return profile(ctx, in.InstanceProfileName)
		}),
		// permissions boundaries
		"PutUserPermissionsBoundary": op(a.putUserPermissionsBoundary, func(ctx context.Context, in *PutUserPermissionsBoundaryRequest) string { return user(ctx, in.UserName) }),
		"DeleteUserPermissionsBoundary": op(a.deleteUserPermissionsBoundary, func(ctx context.Context, in *DeleteUserPermissionsBoundaryRequest) string {
			return user(ctx, in.UserName)
		}),
		"PutRolePermissionsBoundary": op(a.putRolePermissionsBoundary, func(ctx context.Context, in *PutRolePermissionsBoundaryRequest) string { return role(ctx, in.RoleName) }),
		"DeleteRolePermissionsBoundary": op(a.deleteRolePermissionsBoundary, func(ctx context.Context, in *DeleteRolePermissionsBoundaryRequest) string {
			return role(ctx, in.RoleName)
		}),
		// managed policy tags
		"TagPolicy":      op(a.tagPolicy, func(ctx context.Context, in *TagPolicyRequest) string { return policy(ctx, in.PolicyArn) }),
		"UntagPolicy":    op(a.untagPolicy, func(ctx context.Context, in *UntagPolicyRequest) string { return policy(ctx, in.PolicyArn) }),
		"ListPolicyTags": op(a.listPolicyTags, func(ctx context.Context, in *ListPolicyTagsRequest) string { return policy(ctx, in.PolicyArn) }),
		// SSH public keys
		"UploadSSHPublicKey": op(a.uploadSSHPublicKey, func(ctx context.Context, in *UploadSSHPublicKeyRequest) string { return user(ctx, in.UserName) }),
		"GetSSHPublicKey":    op(a.getSSHPublicKey, func(ctx context.Context, in *GetSSHPublicKeyRequest) string { return user(ctx, in.UserName) }),
		"ListSSHPublicKeys":  op(a.listSSHPublicKeys, func(ctx context.Context, in *ListSSHPublicKeysRequest) string { return self(ctx, in.UserName) }),
		"UpdateSSHPublicKey": op(a.updateSSHPublicKey, func(ctx context.Context, in *UpdateSSHPublicKeyRequest) string { return user(ctx, in.UserName) }),
		"DeleteSSHPublicKey": op(a.deleteSSHPublicKey, func(ctx context.Context, in *DeleteSSHPublicKeyRequest) string { return user(ctx, in.UserName) }),
		// signing certificates
		"UploadSigningCertificate": op(a.uploadSigningCertificate, func(ctx context.Context, in *UploadSigningCertificateRequest) string { return self(ctx, in.UserName) }),
		"ListSigningCertificates":  op(a.listSigningCertificates, func(ctx context.Context, in *ListSigningCertificatesRequest) string { return self(ctx, in.UserName) }),
		"UpdateSigningCertificate": op(a.updateSigningCertificate, func(ctx context.Context, in *UpdateSigningCertificateRequest) string { return self(ctx, in.UserName) }),
		"DeleteSigningCertificate": op(a.deleteSigningCertificate, func(ctx context.Context, in *DeleteSigningCertificateRequest) string { return self(ctx, in.UserName) }),
		// server certificates
		"UploadServerCertificate": op(a.uploadServerCertificate, func(ctx context.Context, in *UploadServerCertificateRequest) string {
			return cert(ctx, withPath(in.Path, in.ServerCertificateName))
		}),
		"GetServerCertificate": op(a.getServerCertificate, func(ctx context.Context, in *GetServerCertificateRequest) string {
			return cert(ctx, in.ServerCertificateName)
		}),
		"ListServerCertificates": op(a.listServerCertificates, star[ListServerCertificatesRequest]),
		"UpdateServerCertificate": op(a.updateServerCertificate, func(ctx context.Context, in *UpdateServerCertificateRequest) string {
			return cert(ctx, in.ServerCertificateName)
		}),
		"DeleteServerCertificate": op(a.deleteServerCertificate, func(ctx context.Context, in *DeleteServerCertificateRequest) string {
			return cert(ctx, in.ServerCertificateName)
		}),
		"TagServerCertificate": op(a.tagServerCertificate, func(ctx context.Context, in *TagServerCertificateRequest) string {
			return cert(ctx, in.ServerCertificateName)
		}),
		"UntagServerCertificate": op(a.untagServerCertificate, func(ctx context.Context, in *UntagServerCertificateRequest) string {
			return cert(ctx, in.ServerCertificateName)
		}),
		"ListServerCertificateTags": op(a.listServerCertificateTags, func(ctx context.Context, in *ListServerCertificateTagsRequest) string {
			return cert(ctx, in.ServerCertificateName)
		}),
		// service-specific credentials
		"CreateServiceSpecificCredential": op(a.createServiceSpecificCredential, func(ctx context.Context, in *CreateServiceSpecificCredentialRequest) string {
			return user(ctx, in.UserName)
		}),
		"ListServiceSpecificCredentials": op(a.listServiceSpecificCredentials, func(ctx context.Context, in *ListServiceSpecificCredentialsRequest) string {
			if in.AllUsers != nil && *in.AllUsers && in.UserName == "" {
				return user(ctx, "*")
			}
			return self(ctx, in.UserName)
		}),
		"ResetServiceSpecificCredential": op(a.resetServiceSpecificCredential, func(ctx context.Context, in *ResetServiceSpecificCredentialRequest) string {
			return self(ctx, in.UserName)
		}),
		"UpdateServiceSpecificCredential": op(a.updateServiceSpecificCredential, func(ctx context.Context, in *UpdateServiceSpecificCredentialRequest) string {
			return self(ctx, in.UserName)
		}),
		"DeleteServiceSpecificCredential": op(a.deleteServiceSpecificCredential, func(ctx context.Context, in *DeleteServiceSpecificCredentialRequest) string {
			return self(ctx, in.UserName)
		}),
	}
}

// ---- instance profiles ----

func instanceProfileOut(p iam.InstanceProfile, withTags bool) InstanceProfile {
	out := InstanceProfile{Path: p.Path, InstanceProfileName: p.InstanceProfileName, InstanceProfileId: p.InstanceProfileID,
		Arn: p.ARN, CreateDate: awsproto.NewTime(p.CreatedAt), Roles: []Role{}}
	for _, r := range p.Roles {
		out.Roles = append(out.Roles, roleOut(r, false))
	}
	if withTags {
		out.Tags = tagsOut(p.Tags)
	}
	return out
}

func (a *Adapter) createInstanceProfile(ctx context.Context, in *CreateInstanceProfileRequest) (*CreateInstanceProfileResponse, error) {
	p, err := a.Core.CreateInstanceProfile(ctx, caller(ctx), in.InstanceProfileName, in.Path, tagsIn(in.Tags))
	if err != nil {
		return nil, mapErr(err)
	}
	out := instanceProfileOut(p, true)
	return &CreateInstanceProfileResponse{InstanceProfile: &out}, nil
}

func (a *Adapter) getInstanceProfile(ctx context.Context, in *GetInstanceProfileRequest) (*GetInstanceProfileResponse, error) {
	p, err := a.Core.GetInstanceProfile(ctx, caller(ctx), in.InstanceProfileName)
	if err != nil {
		return nil, mapErr(err)
	}
	out := instanceProfileOut(p, true)
	return &GetInstanceProfileResponse{InstanceProfile: &out}, nil
}

func (a *Adapter) deleteInstanceProfile(ctx context.Context, in *DeleteInstanceProfileRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteInstanceProfile(ctx, caller(ctx), in.InstanceProfileName))
}

func profilesOut(ps []iam.InstanceProfile) []InstanceProfile {
	return mapSlice(ps, func(p iam.InstanceProfile) InstanceProfile { return instanceProfileOut(p, false) })
}

func (a *Adapter) listInstanceProfiles(ctx context.Context, in *ListInstanceProfilesRequest) (*ListInstanceProfilesResponse, error) {
	p, err := a.Core.ListInstanceProfiles(ctx, caller(ctx), in.PathPrefix, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListInstanceProfilesResponse{InstanceProfiles: profilesOut(p.Items), IsTruncated: truncated(p), Marker: p.Marker}, nil
}

func (a *Adapter) listInstanceProfilesForRole(ctx context.Context, in *ListInstanceProfilesForRoleRequest) (*ListInstanceProfilesForRoleResponse, error) {
	p, err := a.Core.ListInstanceProfilesForRole(ctx, caller(ctx), in.RoleName, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListInstanceProfilesForRoleResponse{InstanceProfiles: profilesOut(p.Items), IsTruncated: truncated(p), Marker: p.Marker}, nil
}

// addRoleToInstanceProfile passes the role to whatever uses the profile, so
// AWS also requires iam:PassRole on the role.
func (a *Adapter) addRoleToInstanceProfile(ctx context.Context, in *AddRoleToInstanceProfileRequest) (*struct{}, error) {
	if err := a.passRole(ctx, in.RoleName); err != nil {
		return nil, err
	}
	return nil, mapErr(a.Core.AddRoleToInstanceProfile(ctx, caller(ctx), in.InstanceProfileName, in.RoleName))
}

// passRole authorises iam:PassRole on the named role of the caller's account
// (its ARN with path); an unknown role is left to the operation's own error.
func (a *Adapter) passRole(ctx context.Context, roleName string) error {
	if a.authz == nil {
		return nil
	}
	r, err := a.Core.GetRole(ctx, caller(ctx), roleName)
	if err != nil {
		return mapErr(err)
	}
	// Instance profiles are for EC2: AWS sets iam:PassedToService to its
	// service and iam:AssociatedResourceArn to every EC2 instance of the
	// caller's account in any region (arn:aws:ec2:*:<account>:instance/*, the
	// value AWS documents for AddRoleToInstanceProfile).
	ctx = awsproto.WithRequestKeys(ctx, map[string][]string{
		"iam:PassedToService":       {"ec2.amazonaws.com"},
		"iam:AssociatedResourceArn": {"arn:aws:ec2:*:" + caller(ctx).AccountID + ":instance/*"},
	})
	return a.authz.Authorize(ctx, "iam:PassRole", r.ARN)
}

func (a *Adapter) removeRoleFromInstanceProfile(ctx context.Context, in *RemoveRoleFromInstanceProfileRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.RemoveRoleFromInstanceProfile(ctx, caller(ctx), in.InstanceProfileName, in.RoleName))
}

func (a *Adapter) tagInstanceProfile(ctx context.Context, in *TagInstanceProfileRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.TagInstanceProfile(ctx, caller(ctx), in.InstanceProfileName, tagsIn(in.Tags)))
}

func (a *Adapter) untagInstanceProfile(ctx context.Context, in *UntagInstanceProfileRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UntagInstanceProfile(ctx, caller(ctx), in.InstanceProfileName, in.TagKeys))
}

func (a *Adapter) listInstanceProfileTags(ctx context.Context, in *ListInstanceProfileTagsRequest) (*ListInstanceProfileTagsResponse, error) {
	p, err := a.Core.ListInstanceProfileTags(ctx, caller(ctx), in.InstanceProfileName, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	tags, tr, m := tagsPageOut(p)
	return &ListInstanceProfileTagsResponse{Tags: tags, IsTruncated: tr, Marker: m}, nil
}

// ---- permissions boundaries ----

func (a *Adapter) putUserPermissionsBoundary(ctx context.Context, in *PutUserPermissionsBoundaryRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.PutUserPermissionsBoundary(ctx, caller(ctx), in.UserName, in.PermissionsBoundary))
}

func (a *Adapter) deleteUserPermissionsBoundary(ctx context.Context, in *DeleteUserPermissionsBoundaryRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteUserPermissionsBoundary(ctx, caller(ctx), in.UserName))
}

func (a *Adapter) putRolePermissionsBoundary(ctx context.Context, in *PutRolePermissionsBoundaryRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.PutRolePermissionsBoundary(ctx, caller(ctx), in.RoleName, in.PermissionsBoundary))
}

func (a *Adapter) deleteRolePermissionsBoundary(ctx context.Context, in *DeleteRolePermissionsBoundaryRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteRolePermissionsBoundary(ctx, caller(ctx), in.RoleName))
}

// ---- managed policy tags ----

func (a *Adapter) tagPolicy(ctx context.Context, in *TagPolicyRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.TagPolicy(ctx, caller(ctx), in.PolicyArn, tagsIn(in.Tags)))
}

func (a *Adapter) untagPolicy(ctx context.Context, in *UntagPolicyRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UntagPolicy(ctx, caller(ctx), in.PolicyArn, in.TagKeys))
}

func (a *Adapter) listPolicyTags(ctx context.Context, in *ListPolicyTagsRequest) (*ListPolicyTagsResponse, error) {
	p, err := a.Core.ListPolicyTags(ctx, caller(ctx), in.PolicyArn, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	tags, tr, m := tagsPageOut(p)
	return &ListPolicyTagsResponse{Tags: tags, IsTruncated: tr, Marker: m}, nil
}

// ---- SSH public keys ----

func sshKeyOut(k iam.SSHPublicKey, body string) SSHPublicKey {
	return SSHPublicKey{UserName: k.UserName, SSHPublicKeyId: k.KeyID, Fingerprint: k.Fingerprint, SSHPublicKeyBody: body,
		Status: k.Status, UploadDate: awsproto.NewTime(k.UploadedAt)}
}

func (a *Adapter) uploadSSHPublicKey(ctx context.Context, in *UploadSSHPublicKeyRequest) (*UploadSSHPublicKeyResponse, error) {
	k, err := a.Core.UploadSSHPublicKey(ctx, caller(ctx), in.UserName, in.SSHPublicKeyBody)
	if err != nil {
		return nil, mapErr(err)
	}
	out := sshKeyOut(k, k.Body)
	return &UploadSSHPublicKeyResponse{SSHPublicKey: &out}, nil
}

func (a *Adapter) getSSHPublicKey(ctx context.Context, in *GetSSHPublicKeyRequest) (*GetSSHPublicKeyResponse, error) {
	k, err := a.Core.GetSSHPublicKey(ctx, caller(ctx), in.UserName, in.SSHPublicKeyId)
	if err != nil {
		return nil, mapErr(err)
	}
	body := k.Body
	if in.Encoding == "PEM" {
		if body, err = iam.SSHKeyPEM(k.Body); err != nil {
			return nil, err
		}
	}
	out := sshKeyOut(k, body)
	return &GetSSHPublicKeyResponse{SSHPublicKey: &out}, nil
}

func (a *Adapter) listSSHPublicKeys(ctx context.Context, in *ListSSHPublicKeysRequest) (*ListSSHPublicKeysResponse, error) {
	p, err := a.Core.ListSSHPublicKeys(ctx, caller(ctx), in.UserName, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListSSHPublicKeysResponse{SSHPublicKeys: mapSlice(p.Items, func(k iam.SSHPublicKey) SSHPublicKeyMetadata {
		return SSHPublicKeyMetadata{UserName: k.UserName, SSHPublicKeyId: k.KeyID, Status: k.Status, UploadDate: awsproto.NewTime(k.UploadedAt)}
	}), IsTruncated: truncated(p), Marker: p.Marker}, nil
}

func (a *Adapter) updateSSHPublicKey(ctx context.Context, in *UpdateSSHPublicKeyRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UpdateSSHPublicKey(ctx, caller(ctx), in.UserName, in.SSHPublicKeyId, in.Status))
}

func (a *Adapter) deleteSSHPublicKey(ctx context.Context, in *DeleteSSHPublicKeyRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteSSHPublicKey(ctx, caller(ctx), in.UserName, in.SSHPublicKeyId))
}

// ---- signing certificates ----

func signingCertOut(c iam.SigningCertificate) SigningCertificate {
	return SigningCertificate{UserName: c.UserName, CertificateId: c.CertificateID, CertificateBody: c.Body, Status: c.Status,
		UploadDate: awsproto.NewTime(c.UploadedAt)}
}

func (a *Adapter) uploadSigningCertificate(ctx context.Context, in *UploadSigningCertificateRequest) (*UploadSigningCertificateResponse, error) {
	c, err := a.Core.UploadSigningCertificate(ctx, caller(ctx), in.UserName, in.CertificateBody)
	if err != nil {
		return nil, mapErr(err)
	}
	out := signingCertOut(c)
	return &UploadSigningCertificateResponse{Certificate: &out}, nil
}

func (a *Adapter) listSigningCertificates(ctx context.Context, in *ListSigningCertificatesRequest) (*ListSigningCertificatesResponse, error) {
	p, err := a.Core.ListSigningCertificates(ctx, caller(ctx), in.UserName, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListSigningCertificatesResponse{Certificates: mapSlice(p.Items, signingCertOut), IsTruncated: truncated(p), Marker: p.Marker}, nil
}

func (a *Adapter) updateSigningCertificate(ctx context.Context, in *UpdateSigningCertificateRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UpdateSigningCertificate(ctx, caller(ctx), in.UserName, in.CertificateId, in.Status))
}

func (a *Adapter) deleteSigningCertificate(ctx context.Context, in *DeleteSigningCertificateRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteSigningCertificate(ctx, caller(ctx), in.UserName, in.CertificateId))
}

// ---- server certificates ----

func serverCertMetaOut(c store.IAMServerCertificate) ServerCertificateMetadata {
	out := ServerCertificateMetadata{Path: c.Path, ServerCertificateName: c.Name, ServerCertificateId: c.CertificateID, Arn: c.ARN,
		UploadDate: awsproto.NewTime(c.UploadedAt)}
	if !c.Expiration.IsZero() {
		out.Expiration = awsproto.NewTime(c.Expiration)
	}
	return out
}

func (a *Adapter) uploadServerCertificate(ctx context.Context, in *UploadServerCertificateRequest) (*UploadServerCertificateResponse, error) {
	c, err := a.Core.UploadServerCertificate(ctx, caller(ctx), iam.ServerCertificateInput{Name: in.ServerCertificateName, Path: in.Path,
		Body: in.CertificateBody, PrivateKey: in.PrivateKey, Chain: in.CertificateChain, Tags: tagsIn(in.Tags)})
	if err != nil {
		return nil, mapErr(err)
	}
	meta := serverCertMetaOut(c)
	return &UploadServerCertificateResponse{ServerCertificateMetadata: &meta, Tags: tagsOut(c.Tags)}, nil
}

func (a *Adapter) getServerCertificate(ctx context.Context, in *GetServerCertificateRequest) (*GetServerCertificateResponse, error) {
	c, err := a.Core.GetServerCertificate(ctx, caller(ctx), in.ServerCertificateName)
	if err != nil {
		return nil, mapErr(err)
	}
	meta := serverCertMetaOut(c)
	// The private key is never returned.
	return &GetServerCertificateResponse{ServerCertificate: &ServerCertificate{ServerCertificateMetadata: &meta,
		CertificateBody: c.Body, CertificateChain: c.Chain, Tags: tagsOut(c.Tags)}}, nil
}

func (a *Adapter) listServerCertificates(ctx context.Context, in *ListServerCertificatesRequest) (*ListServerCertificatesResponse, error) {
	p, err := a.Core.ListServerCertificates(ctx, caller(ctx), in.PathPrefix, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListServerCertificatesResponse{ServerCertificateMetadataList: mapSlice(p.Items, serverCertMetaOut),
		IsTruncated: truncated(p), Marker: p.Marker}, nil
}

func (a *Adapter) updateServerCertificate(ctx context.Context, in *UpdateServerCertificateRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UpdateServerCertificate(ctx, caller(ctx), in.ServerCertificateName, in.NewServerCertificateName, in.NewPath))
}

func (a *Adapter) deleteServerCertificate(ctx context.Context, in *DeleteServerCertificateRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteServerCertificate(ctx, caller(ctx), in.ServerCertificateName))
}

func (a *Adapter) tagServerCertificate(ctx context.Context, in *TagServerCertificateRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.TagServerCertificate(ctx, caller(ctx), in.ServerCertificateName, tagsIn(in.Tags)))
}

func (a *Adapter) untagServerCertificate(ctx context.Context, in *UntagServerCertificateRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UntagServerCertificate(ctx, caller(ctx), in.ServerCertificateName, in.TagKeys))
}

func (a *Adapter) listServerCertificateTags(ctx context.Context, in *ListServerCertificateTagsRequest) (*ListServerCertificateTagsResponse, error) {
	p, err := a.Core.ListServerCertificateTags(ctx, caller(ctx), in.ServerCertificateName, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	tags, tr, m := tagsPageOut(p)
	return &ListServerCertificateTagsResponse{Tags: tags, IsTruncated: tr, Marker: m}, nil
}

// ---- service-specific credentials ----

// serviceCredOut is the full credential of Create and Reset: API-key services
// (Amazon Bedrock, CloudWatch Logs) take an alias and secret, the others a
// user name and password.
func serviceCredOut(c iam.ServiceCredential) ServiceSpecificCredential {
	out := ServiceSpecificCredential{CreateDate: awsproto.NewTime(c.CreatedAt), ServiceName: c.ServiceName,
		ServiceSpecificCredentialId: c.CredentialID, UserName: c.UserName, Status: c.Status}
	if c.APIKey {
		out.ServiceCredentialAlias, out.ServiceCredentialSecret = c.ServiceUserName, c.Password
	} else {
		out.ServiceUserName, out.ServicePassword = c.ServiceUserName, c.Password
	}
	if !c.ExpiresAt.IsZero() {
		out.ExpirationDate = awsproto.NewTime(c.ExpiresAt)
	}
	return out
}

func (a *Adapter) createServiceSpecificCredential(ctx context.Context, in *CreateServiceSpecificCredentialRequest) (*CreateServiceSpecificCredentialResponse, error) {
	c, err := a.Core.CreateServiceSpecificCredential(ctx, caller(ctx), in.UserName, in.ServiceName, maxItems(in.CredentialAgeDays))
	if err != nil {
		return nil, mapErr(err)
	}
	out := serviceCredOut(c)
	return &CreateServiceSpecificCredentialResponse{ServiceSpecificCredential: &out}, nil
}

func (a *Adapter) listServiceSpecificCredentials(ctx context.Context, in *ListServiceSpecificCredentialsRequest) (*ListServiceSpecificCredentialsResponse, error) {
	p, err := a.Core.ListServiceSpecificCredentials(ctx, caller(ctx), in.UserName, in.ServiceName, boolVal(in.AllUsers), in.Marker,
		maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListServiceSpecificCredentialsResponse{ServiceSpecificCredentials: mapSlice(p.Items, func(c iam.ServiceCredential) ServiceSpecificCredentialMetadata {
		full := serviceCredOut(c)
		return ServiceSpecificCredentialMetadata{UserName: full.UserName, Status: full.Status, ServiceUserName: full.ServiceUserName,
			ServiceCredentialAlias: full.ServiceCredentialAlias, CreateDate: full.CreateDate, ExpirationDate: full.ExpirationDate,
			ServiceSpecificCredentialId: full.ServiceSpecificCredentialId, ServiceName: full.ServiceName}
	}), IsTruncated: truncated(p), Marker: p.Marker}, nil
}

func (a *Adapter) resetServiceSpecificCredential(ctx context.Context, in *ResetServiceSpecificCredentialRequest) (*ResetServiceSpecificCredentialResponse, error) {
	c, err := a.Core.ResetServiceSpecificCredential(ctx, caller(ctx), in.UserName, in.ServiceSpecificCredentialId)
	if err != nil {
		return nil, mapErr(err)
	}
	out := serviceCredOut(c)
	return &ResetServiceSpecificCredentialResponse{ServiceSpecificCredential: &out}, nil
}

func (a *Adapter) updateServiceSpecificCredential(ctx context.Context, in *UpdateServiceSpecificCredentialRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UpdateServiceSpecificCredential(ctx, caller(ctx), in.UserName, in.ServiceSpecificCredentialId, in.Status))
}

func (a *Adapter) deleteServiceSpecificCredential(ctx context.Context, in *DeleteServiceSpecificCredentialRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteServiceSpecificCredential(ctx, caller(ctx), in.UserName, in.ServiceSpecificCredentialId))
}
