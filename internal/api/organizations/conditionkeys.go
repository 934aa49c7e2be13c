package organizations

import (
	"context"
	"strings"

	"github.com/idcenter/idcenter/internal/api/awsproto"
)

// Organizations' service-specific request condition keys, as the Service
// Authorization Reference lists them (aws:RequestTag/… and aws:TagKeys come
// from every input with Tags or TagKeys, awsproto/keys.go):
//
//   - organizations:PolicyType: the policy type a call creates, enables,
//     disables, lists or resolves, or the type of the policy it names by id
//     (Attach/Detach/Describe/Update/DeletePolicy, ListTargetsForPolicy, and
//     Tag/Untag/ListTagsForResource on a policy);
//   - organizations:ServicePrincipal: the service of Enable/
//     DisableAWSServiceAccess, Register/DeregisterDelegatedAdministrator and
//     ListDelegatedAdministrators.
func (a *Adapter) addConditionKeys(h map[string]awsproto.Handler) {
	key := func(name, v string) map[string][]string {
		if v == "" {
			return nil
		}
		return map[string][]string{name: {v}}
	}
	policyType := func(t string) map[string][]string { return key("organizations:PolicyType", t) }
	// The type of an existing policy ("" when there is none: the operation
	// then reports that itself).
	typeOf := func(ctx context.Context, id string) map[string][]string {
		p, err := a.Core.DescribePolicy(ctx, id)
		if err != nil {
			return nil
		}
		return policyType(p.Type)
	}
	principal := func(sp string) map[string][]string { return key("organizations:ServicePrincipal", sp) }

	awsproto.AddKeys(h["CreatePolicy"], func(_ context.Context, in *CreatePolicyRequest) map[string][]string { return policyType(in.Type) })
	awsproto.AddKeys(h["EnablePolicyType"], func(_ context.Context, in *EnablePolicyTypeRequest) map[string][]string {
		return policyType(in.PolicyType)
	})
	awsproto.AddKeys(h["DisablePolicyType"], func(_ context.Context, in *DisablePolicyTypeRequest) map[string][]string {
		return policyType(in.PolicyType)
	})
	awsproto.AddKeys(h["ListPolicies"], func(_ context.Context, in *ListPoliciesRequest) map[string][]string { return policyType(in.Filter) })
	awsproto.AddKeys(h["ListPoliciesForTarget"], func(_ context.Context, in *ListPoliciesForTargetRequest) map[string][]string {
		return policyType(in.Filter)
	})
	awsproto.AddKeys(h["DescribeEffectivePolicy"], func(_ context.Context, in *DescribeEffectivePolicyRequest) map[string][]string {
		return policyType(in.PolicyType)
	})
	awsproto.AddKeys(h["AttachPolicy"], func(ctx context.Context, in *AttachPolicyRequest) map[string][]string {
		return typeOf(ctx, in.PolicyId)
	})
	awsproto.AddKeys(h["DetachPolicy"], func(ctx context.Context, in *DetachPolicyRequest) map[string][]string {
		return typeOf(ctx, in.PolicyId)
	})
	awsproto.AddKeys(h["DescribePolicy"], func(ctx context.Context, in *DescribePolicyRequest) map[string][]string {
		return typeOf(ctx, in.PolicyId)
	})
	awsproto.AddKeys(h["UpdatePolicy"], func(ctx context.Context, in *UpdatePolicyRequest) map[string][]string {
		return typeOf(ctx, in.PolicyId)
	})
	awsproto.AddKeys(h["DeletePolicy"], func(ctx context.Context, in *DeletePolicyRequest) map[string][]string {
		return typeOf(ctx, in.PolicyId)
	})
	awsproto.AddKeys(h["ListTargetsForPolicy"], func(ctx context.Context, in *ListTargetsForPolicyRequest) map[string][]string {
		return typeOf(ctx, in.PolicyId)
	})

	awsproto.AddKeys(h["ListAccountsWithInvalidEffectivePolicy"], func(_ context.Context, in *ListAccountsWithInvalidEffectivePolicyRequest) map[string][]string {
		return policyType(in.PolicyType)
	})
	awsproto.AddKeys(h["ListEffectivePolicyValidationErrors"], func(_ context.Context, in *ListEffectivePolicyValidationErrorsRequest) map[string][]string {
		return policyType(in.PolicyType)
	})
	// Tagging a policy: its type (other resources have none).
	taggedType := func(ctx context.Context, id string) map[string][]string {
		if !strings.HasPrefix(id, "p-") {
			return nil
		}
		return typeOf(ctx, id)
	}
	awsproto.AddKeys(h["TagResource"], func(ctx context.Context, in *TagResourceRequest) map[string][]string {
		return taggedType(ctx, in.ResourceId)
	})
	awsproto.AddKeys(h["UntagResource"], func(ctx context.Context, in *UntagResourceRequest) map[string][]string {
		return taggedType(ctx, in.ResourceId)
	})
	awsproto.AddKeys(h["ListTagsForResource"], func(ctx context.Context, in *ListTagsForResourceRequest) map[string][]string {
		return taggedType(ctx, in.ResourceId)
	})

	awsproto.AddKeys(h["EnableAWSServiceAccess"], func(_ context.Context, in *EnableAWSServiceAccessRequest) map[string][]string {
		return principal(in.ServicePrincipal)
	})
	awsproto.AddKeys(h["DisableAWSServiceAccess"], func(_ context.Context, in *DisableAWSServiceAccessRequest) map[string][]string {
		return principal(in.ServicePrincipal)
	})
	awsproto.AddKeys(h["RegisterDelegatedAdministrator"], func(_ context.Context, in *RegisterDelegatedAdministratorRequest) map[string][]string {
		return principal(in.ServicePrincipal)
	})
	awsproto.AddKeys(h["DeregisterDelegatedAdministrator"], func(_ context.Context, in *DeregisterDelegatedAdministratorRequest) map[string][]string {
		return principal(in.ServicePrincipal)
	})
	awsproto.AddKeys(h["ListDelegatedAdministrators"], func(_ context.Context, in *ListDelegatedAdministratorsRequest) map[string][]string {
		return principal(in.ServicePrincipal)
	})
}
