package organizations

import (
	"context"

	"github.com/idcenter/idcenter/internal/api/awsproto"
)

// resourceHandlers are the operations of handlers.go's kind that act on a
// resource, with the resources AWS's Service Authorization Reference
// authorises them on: each names the ARN of the account, root, OU, policy or
// resource policy it acts on (org.Service.ARNOf). Where AWS lists several
// resource types for one call — a policy and its target (AttachPolicy,
// DetachPolicy), an account and its parents (MoveAccount) — every one must be
// allowed (awsproto.WithResources). Operations for which AWS lists no
// resource type (CreateAccount, CreatePolicy, ListAccounts, ListPolicies,
// ListRoots, Enable/DisableAWSServiceAccess, …) stay authorised on "*".
//
// Principals of other accounts are authorised on the same ARNs: their
// identity policies must allow the action on the management account's
// resource, and the organization must let them in (gate, org.Service.MayCall:
// member operations, delegated administrators, the resource policy).
func (a *Adapter) resourceHandlers() map[string]awsproto.Handler {
	arn := a.Core.ARNOf
	return map[string]awsproto.Handler{
		// organizationalunit / root
		"CreateOrganizationalUnit": awsproto.Op(a.createOU).WithResource(func(ctx context.Context, in *CreateOrganizationalUnitRequest) string {
			return arn(ctx, in.ParentId)
		}),
		"DescribeOrganizationalUnit": awsproto.Op(a.describeOU).WithResource(func(ctx context.Context, in *DescribeOrganizationalUnitRequest) string {
			return arn(ctx, in.OrganizationalUnitId)
		}),
		"UpdateOrganizationalUnit": awsproto.Op(a.updateOU).WithResource(func(ctx context.Context, in *UpdateOrganizationalUnitRequest) string {
			return arn(ctx, in.OrganizationalUnitId)
		}),
		"DeleteOrganizationalUnit": awsproto.Op(a.deleteOU).WithResource(func(ctx context.Context, in *DeleteOrganizationalUnitRequest) string {
			return arn(ctx, in.OrganizationalUnitId)
		}),
		"ListOrganizationalUnitsForParent": awsproto.Op(a.listOUsForParent).WithResource(func(ctx context.Context, in *ListOrganizationalUnitsForParentRequest) string {
			return arn(ctx, in.ParentId)
		}),
		"ListChildren": awsproto.Op(a.listChildren).WithResource(func(ctx context.Context, in *ListChildrenRequest) string {
			return arn(ctx, in.ParentId)
		}),
		"ListAccountsForParent": awsproto.Op(a.listAccountsForParent).WithResource(func(ctx context.Context, in *ListAccountsForParentRequest) string {
			return arn(ctx, in.ParentId)
		}),
		// account / organizationalunit (the child)
		"ListParents": awsproto.Op(a.listParents).WithResource(func(ctx context.Context, in *ListParentsRequest) string {
			return arn(ctx, in.ChildId)
		}),
		// account*, and the source and destination root or OU
		"MoveAccount": awsproto.Op(a.moveAccount).WithResources(func(ctx context.Context, in *MoveAccountRequest) []string {
			return a.Core.ARNsOf(ctx, in.AccountId, in.SourceParentId, in.DestinationParentId)
		}),
		// account / organizationalunit / policy / resourcepolicy / root
		"TagResource": awsproto.Op(a.tagResource).WithResource(func(ctx context.Context, in *TagResourceRequest) string {
			return arn(ctx, in.ResourceId)
		}),
		"UntagResource": awsproto.Op(a.untagResource).WithResource(func(ctx context.Context, in *UntagResourceRequest) string {
			return arn(ctx, in.ResourceId)
		}),
		"ListTagsForResource": awsproto.Op(a.listTagsForResource).WithResource(func(ctx context.Context, in *ListTagsForResourceRequest) string {
			return arn(ctx, in.ResourceId)
		}),
		// policy*
		"DescribePolicy": awsproto.Op(a.describePolicy).WithResource(func(ctx context.Context, in *DescribePolicyRequest) string {
			return arn(ctx, in.PolicyId)
		}),
		"UpdatePolicy": awsproto.Op(a.updatePolicy).WithResource(func(ctx context.Context, in *UpdatePolicyRequest) string {
			return arn(ctx, in.PolicyId)
		}),
		"DeletePolicy": awsproto.Op(a.deletePolicy).WithResource(func(ctx context.Context, in *DeletePolicyRequest) string {
			return arn(ctx, in.PolicyId)
		}),
		"ListTargetsForPolicy": awsproto.Op(a.listTargetsForPolicy).WithResource(func(ctx context.Context, in *ListTargetsForPolicyRequest) string {
			return arn(ctx, in.PolicyId)
		}),
		// policy*, and the target account / organizationalunit / root
		"AttachPolicy": awsproto.Op(a.attachPolicy).WithResources(func(ctx context.Context, in *AttachPolicyRequest) []string {
			return a.Core.ARNsOf(ctx, in.PolicyId, in.TargetId)
		}),
		"DetachPolicy": awsproto.Op(a.detachPolicy).WithResources(func(ctx context.Context, in *DetachPolicyRequest) []string {
			return a.Core.ARNsOf(ctx, in.PolicyId, in.TargetId)
		}),
		// account / organizationalunit / root (the target)
		"ListPoliciesForTarget": awsproto.Op(a.listPoliciesForTarget).WithResource(func(ctx context.Context, in *ListPoliciesForTargetRequest) string {
			return arn(ctx, in.TargetId)
		}),
		// root*
		"EnablePolicyType": awsproto.Op(a.enablePolicyType).WithResource(func(ctx context.Context, in *EnablePolicyTypeRequest) string {
			return arn(ctx, in.RootId)
		}),
		"DisablePolicyType": awsproto.Op(a.disablePolicyType).WithResource(func(ctx context.Context, in *DisablePolicyTypeRequest) string {
			return arn(ctx, in.RootId)
		}),
		// account*
		"RegisterDelegatedAdministrator": awsproto.Op(a.registerDelegatedAdmin).WithResource(func(ctx context.Context, in *RegisterDelegatedAdministratorRequest) string {
			return arn(ctx, in.AccountId)
		}),
		"DeregisterDelegatedAdministrator": awsproto.Op(a.deregisterDelegatedAdmin).WithResource(func(ctx context.Context, in *DeregisterDelegatedAdministratorRequest) string {
			return arn(ctx, in.AccountId)
		}),
		"ListDelegatedServicesForAccount": awsproto.Op(a.listDelegatedServices).WithResource(func(ctx context.Context, in *ListDelegatedServicesForAccountRequest) string {
			return arn(ctx, in.AccountId)
		}),
		// resourcepolicy (replacing an existing one; "*" when there is none yet)
		"PutResourcePolicy": awsproto.Op(a.putResourcePolicy).WithResource(func(ctx context.Context, _ *PutResourcePolicyRequest) string {
			return arn(ctx, "rp")
		}),
	}
}
