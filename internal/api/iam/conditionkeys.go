package iam

import (
	"context"
	"strconv"

	"github.com/idcenter/idcenter/internal/api/awsproto"
)

// IAM's service-specific request condition keys, as the Service
// Authorization Reference lists them (aws:RequestTag/… and aws:TagKeys come
// from every input with Tags or TagKeys, awsproto/keys.go):
//
//   - iam:PermissionsBoundary: the boundary being set (CreateUser, CreateRole,
//     Put{User,Role}PermissionsBoundary) or, for the operations that change
//     the permissions of an entity with a boundary (Attach/Detach/Put/Delete
//     {User,Role}Policy, Delete{User,Role}PermissionsBoundary), the entity's
//     current boundary;
//   - iam:PolicyARN: the managed policy of Attach/Detach{User,Group,Role}Policy;
//   - iam:AWSServiceName: CreateServiceLinkedRole's service;
//   - iam:OrganizationsPolicyId: GenerateOrganizationsAccessReport's policy;
//   - iam:PassedToService and iam:AssociatedResourceArn: on iam:PassRole
//     (passRole, adapter_entities.go);
//   - the delegation-request keys (conditionkeys_delegation.go);
//   - iam:ServiceSpecificCredentialServiceName (and, on create,
//     iam:ServiceSpecificCredentialAgeDays) for service-specific credentials.
//
// GetRole, DeleteRole, UpdateRole, UpdateRoleDescription and
// UpdateAssumeRolePolicy carry the role's current boundary too.
func (a *Adapter) addConditionKeys(h map[string]awsproto.Handler) {
	boundary := func(arn string) map[string][]string {
		if arn == "" {
			return nil
		}
		return map[string][]string{"iam:PermissionsBoundary": {arn}}
	}
	// The current boundary of an existing user or role ("" when it has none
	// or does not exist: the operation then reports that itself).
	userBoundary := func(ctx context.Context, name string) map[string][]string {
		u, err := a.Core.GetUser(ctx, caller(ctx), name)
		if err != nil {
			return nil
		}
		return boundary(u.PermissionsBoundary)
	}
	roleBoundary := func(ctx context.Context, name string) map[string][]string {
		r, err := a.Core.GetRole(ctx, caller(ctx), name)
		if err != nil {
			return nil
		}
		return boundary(r.PermissionsBoundary)
	}
	policyARN := func(arn string, more map[string][]string) map[string][]string {
		if more == nil {
			more = map[string][]string{}
		}
		more["iam:PolicyARN"] = []string{arn}
		return more
	}
	awsproto.AddKeys(h["CreateUser"], func(_ context.Context, in *CreateUserRequest) map[string][]string {
		return boundary(in.PermissionsBoundary)
	})
	awsproto.AddKeys(h["CreateRole"], func(_ context.Context, in *CreateRoleRequest) map[string][]string {
		return boundary(in.PermissionsBoundary)
	})
	awsproto.AddKeys(h["PutUserPermissionsBoundary"], func(_ context.Context, in *PutUserPermissionsBoundaryRequest) map[string][]string {
		return boundary(in.PermissionsBoundary)
	})
	awsproto.AddKeys(h["PutRolePermissionsBoundary"], func(_ context.Context, in *PutRolePermissionsBoundaryRequest) map[string][]string {
		return boundary(in.PermissionsBoundary)
	})
	awsproto.AddKeys(h["DeleteUserPermissionsBoundary"], func(ctx context.Context, in *DeleteUserPermissionsBoundaryRequest) map[string][]string {
		return userBoundary(ctx, in.UserName)
	})
	awsproto.AddKeys(h["DeleteRolePermissionsBoundary"], func(ctx context.Context, in *DeleteRolePermissionsBoundaryRequest) map[string][]string {
		return roleBoundary(ctx, in.RoleName)
	})
	awsproto.AddKeys(h["PutUserPolicy"], func(ctx context.Context, in *PutUserPolicyRequest) map[string][]string {
		return userBoundary(ctx, in.UserName)
	})
	awsproto.AddKeys(h["PutRolePolicy"], func(ctx context.Context, in *PutRolePolicyRequest) map[string][]string {
		return roleBoundary(ctx, in.RoleName)
	})
	awsproto.AddKeys(h["DeleteUserPolicy"], func(ctx context.Context, in *DeleteUserPolicyRequest) map[string][]string {
		return userBoundary(ctx, in.UserName)
	})
	awsproto.AddKeys(h["DeleteRolePolicy"], func(ctx context.Context, in *DeleteRolePolicyRequest) map[string][]string {
		return roleBoundary(ctx, in.RoleName)
	})
	awsproto.AddKeys(h["AttachUserPolicy"], func(ctx context.Context, in *AttachUserPolicyRequest) map[string][]string {
		return policyARN(in.PolicyArn, userBoundary(ctx, in.UserName))
	})
	awsproto.AddKeys(h["DetachUserPolicy"], func(ctx context.Context, in *DetachUserPolicyRequest) map[string][]string {
		return policyARN(in.PolicyArn, userBoundary(ctx, in.UserName))
	})
	awsproto.AddKeys(h["AttachRolePolicy"], func(ctx context.Context, in *AttachRolePolicyRequest) map[string][]string {
		return policyARN(in.PolicyArn, roleBoundary(ctx, in.RoleName))
	})
	awsproto.AddKeys(h["DetachRolePolicy"], func(ctx context.Context, in *DetachRolePolicyRequest) map[string][]string {
		return policyARN(in.PolicyArn, roleBoundary(ctx, in.RoleName))
	})
	awsproto.AddKeys(h["AttachGroupPolicy"], func(_ context.Context, in *AttachGroupPolicyRequest) map[string][]string {
		return policyARN(in.PolicyArn, nil)
	})
	awsproto.AddKeys(h["DetachGroupPolicy"], func(_ context.Context, in *DetachGroupPolicyRequest) map[string][]string {
		return policyARN(in.PolicyArn, nil)
	})
	// The role operations AWS also lists with the role's current boundary.
	awsproto.AddKeys(h["GetRole"], func(ctx context.Context, in *GetRoleRequest) map[string][]string {
		return roleBoundary(ctx, in.RoleName)
	})
	awsproto.AddKeys(h["DeleteRole"], func(ctx context.Context, in *DeleteRoleRequest) map[string][]string {
		return roleBoundary(ctx, in.RoleName)
	})
	awsproto.AddKeys(h["UpdateRole"], func(ctx context.Context, in *UpdateRoleRequest) map[string][]string {
		return roleBoundary(ctx, in.RoleName)
	})
	awsproto.AddKeys(h["UpdateRoleDescription"], func(ctx context.Context, in *UpdateRoleDescriptionRequest) map[string][]string {
		return roleBoundary(ctx, in.RoleName)
	})
	awsproto.AddKeys(h["UpdateAssumeRolePolicy"], func(ctx context.Context, in *UpdateAssumeRolePolicyRequest) map[string][]string {
		return roleBoundary(ctx, in.RoleName)
	})
	// Service-specific credentials: the service (from the request, or the
	// credential's) and, on create, the requested age in days.
	credService := func(ctx context.Context, user, id string) map[string][]string {
		page, err := a.Core.ListServiceSpecificCredentials(ctx, caller(ctx), user, "", false, "", 0)
		if err != nil {
			return nil
		}
		for _, c := range page.Items {
			if c.CredentialID == id {
				return map[string][]string{"iam:ServiceSpecificCredentialServiceName": {c.ServiceName}}
			}
		}
		return nil
	}
	awsproto.AddKeys(h["CreateServiceSpecificCredential"], func(_ context.Context, in *CreateServiceSpecificCredentialRequest) map[string][]string {
		k := map[string][]string{"iam:ServiceSpecificCredentialServiceName": {in.ServiceName}}
		if in.CredentialAgeDays != nil {
			k["iam:ServiceSpecificCredentialAgeDays"] = []string{strconv.Itoa(int(*in.CredentialAgeDays))}
		}
		return k
	})
	awsproto.AddKeys(h["DeleteServiceSpecificCredential"], func(ctx context.Context, in *DeleteServiceSpecificCredentialRequest) map[string][]string {
		return credService(ctx, in.UserName, in.ServiceSpecificCredentialId)
	})
	awsproto.AddKeys(h["ResetServiceSpecificCredential"], func(ctx context.Context, in *ResetServiceSpecificCredentialRequest) map[string][]string {
		return credService(ctx, in.UserName, in.ServiceSpecificCredentialId)
	})
	awsproto.AddKeys(h["UpdateServiceSpecificCredential"], func(ctx context.Context, in *UpdateServiceSpecificCredentialRequest) map[string][]string {
		return credService(ctx, in.UserName, in.ServiceSpecificCredentialId)
	})
	awsproto.AddKeys(h["CreateServiceLinkedRole"], func(_ context.Context, in *CreateServiceLinkedRoleRequest) map[string][]string {
		return map[string][]string{"iam:AWSServiceName": {in.AWSServiceName}}
	})
	awsproto.AddKeys(h["GenerateOrganizationsAccessReport"], func(_ context.Context, in *GenerateOrganizationsAccessReportRequest) map[string][]string {
		if in.OrganizationsPolicyId == "" {
			return nil
		}
		return map[string][]string{"iam:OrganizationsPolicyId": {in.OrganizationsPolicyId}}
	})
}
