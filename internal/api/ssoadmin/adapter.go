package ssoadmin

import (
	"context"

	"github.com/idcenter/idcenter/internal/api/apierr"
	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/core/access"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// Adapter serves the sso-admin API from the access core.
type Adapter struct {
	Core *access.Service
	errs apierr.Table
}

// errorCodes maps core faults to sso-admin's modelled errors.
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
	svc := &awsproto.Service{
		Model:      Model,
		IAMPrefix:  "sso",
		Authorizer: authz,
		Handlers: map[string]awsproto.Handler{
			"ListInstances": awsproto.Op(a.listInstances).WithResource(func(context.Context, *ListInstancesRequest) string { return "arn:aws:sso:::instance/*" }),
			"DescribeInstance": awsproto.Op(a.describeInstance).WithResource(func(_ context.Context, in *DescribeInstanceRequest) string {
				return in.InstanceArn
			}),
			// Permission sets: the instance ARN for calls on the instance, the
			// permission set ARN for calls on one set (Service Authorization
			// Reference, sso: actions).
			"CreatePermissionSet": awsproto.Op(orgInstanceOnly(a, a.createPermissionSet, func(in *CreatePermissionSetRequest) string { return in.InstanceArn })).WithResource(func(_ context.Context, in *CreatePermissionSetRequest) string { return in.InstanceArn }),
			"ListPermissionSets":  awsproto.Op(a.listPermissionSets).WithResource(func(_ context.Context, in *ListPermissionSetsRequest) string { return in.InstanceArn }),
			"DescribePermissionSet": awsproto.Op(a.describePermissionSet).WithResource(func(_ context.Context, in *DescribePermissionSetRequest) string {
				return in.PermissionSetArn
			}),
			"UpdatePermissionSet": awsproto.Op(guarded(a, a.updatePermissionSet)).WithResource(func(_ context.Context, in *UpdatePermissionSetRequest) string {
				return in.PermissionSetArn
			}),
			"DeletePermissionSet": awsproto.Op(guarded(a, a.deletePermissionSet)).WithResource(func(_ context.Context, in *DeletePermissionSetRequest) string {
				return in.PermissionSetArn
			}),
			"PutInlinePolicyToPermissionSet": awsproto.Op(guarded(a, a.putInlinePolicy)).WithResource(func(_ context.Context, in *PutInlinePolicyToPermissionSetRequest) string {
				return in.PermissionSetArn
			}),
			"GetInlinePolicyForPermissionSet": awsproto.Op(a.getInlinePolicy).WithResource(func(_ context.Context, in *GetInlinePolicyForPermissionSetRequest) string {
				return in.PermissionSetArn
			}),
			"DeleteInlinePolicyFromPermissionSet": awsproto.Op(guarded(a, a.deleteInlinePolicy)).WithResource(func(_ context.Context, in *DeleteInlinePolicyFromPermissionSetRequest) string {
				return in.PermissionSetArn
			}),
			"AttachManagedPolicyToPermissionSet": awsproto.Op(guarded(a, a.attachManagedPolicy)).WithResource(func(_ context.Context, in *AttachManagedPolicyToPermissionSetRequest) string {
				return in.PermissionSetArn
			}),
			"DetachManagedPolicyFromPermissionSet": awsproto.Op(guarded(a, a.detachManagedPolicy)).WithResource(func(_ context.Context, in *DetachManagedPolicyFromPermissionSetRequest) string {
				return in.PermissionSetArn
			}),
			"ListManagedPoliciesInPermissionSet": awsproto.Op(a.listManagedPolicies).WithResource(func(_ context.Context, in *ListManagedPoliciesInPermissionSetRequest) string {
				return in.PermissionSetArn
			}),
			"AttachCustomerManagedPolicyReferenceToPermissionSet": awsproto.Op(guarded(a, a.attachCustomerManagedPolicy)).WithResource(func(_ context.Context, in *AttachCustomerManagedPolicyReferenceToPermissionSetRequest) string {
				return in.PermissionSetArn
			}),
			"DetachCustomerManagedPolicyReferenceFromPermissionSet": awsproto.Op(guarded(a, a.detachCustomerManagedPolicy)).WithResource(func(_ context.Context, in *DetachCustomerManagedPolicyReferenceFromPermissionSetRequest) string {
				return in.PermissionSetArn
			}),
			"ListCustomerManagedPolicyReferencesInPermissionSet": awsproto.Op(a.listCustomerManagedPolicies).WithResource(func(_ context.Context, in *ListCustomerManagedPolicyReferencesInPermissionSetRequest) string {
				return in.PermissionSetArn
			}),
			"PutPermissionsBoundaryToPermissionSet": awsproto.Op(guarded(a, a.putPermissionsBoundary)).WithResource(func(_ context.Context, in *PutPermissionsBoundaryToPermissionSetRequest) string {
				return in.PermissionSetArn
			}),
			"GetPermissionsBoundaryForPermissionSet": awsproto.Op(a.getPermissionsBoundary).WithResource(func(_ context.Context, in *GetPermissionsBoundaryForPermissionSetRequest) string {
				return in.PermissionSetArn
			}),
			"DeletePermissionsBoundaryFromPermissionSet": awsproto.Op(guarded(a, a.deletePermissionsBoundary)).WithResource(func(_ context.Context, in *DeletePermissionsBoundaryFromPermissionSetRequest) string {
				return in.PermissionSetArn
			}),
			"TagResource":         awsproto.Op(guarded(a, a.tagResource)).WithResource(func(_ context.Context, in *TagResourceRequest) string { return in.ResourceArn }),
			"UntagResource":       awsproto.Op(guarded(a, a.untagResource)).WithResource(func(_ context.Context, in *UntagResourceRequest) string { return in.ResourceArn }),
			"ListTagsForResource": awsproto.Op(a.listTags).WithResource(func(_ context.Context, in *ListTagsForResourceRequest) string { return in.ResourceArn }),
		},
	}
	for op, h := range a.assignmentHandlers() {
		svc.Handlers[op] = h
	}
	for op, h := range a.applicationHandlers() {
		svc.Handlers[op] = h
	}
	for op, h := range a.instanceHandlers() {
		svc.Handlers[op] = h
	}
	requireTagging(svc.Handlers) // tagoncreate.go: sso:TagResource when a create includes tags
	return svc
}

func maxResults(p *int32) int {
	if p == nil {
		return 0
	}
	return int(*p)
}

func (a *Adapter) listInstances(ctx context.Context, in *ListInstancesRequest) (*ListInstancesResponse, error) {
	max := 0
	if in.MaxResults != nil {
		max = int(*in.MaxResults)
	}
	acct, _ := caller(ctx)
	ins, next, err := a.Core.ListInstancesFor(ctx, acct, max, in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := &ListInstancesResponse{NextToken: next}
	for _, i := range ins {
		out.Instances = append(out.Instances, instanceOut(i))
	}
	return out, nil
}

func (a *Adapter) describeInstance(ctx context.Context, in *DescribeInstanceRequest) (*DescribeInstanceResponse, error) {
	i, err := a.Core.DescribeInstance(ctx, in.InstanceArn)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	m := instanceOut(i)
	return &DescribeInstanceResponse{
		InstanceArn: m.InstanceArn, IdentityStoreId: m.IdentityStoreId, OwnerAccountId: m.OwnerAccountId,
		Name: m.Name, CreatedDate: m.CreatedDate, Status: m.Status,
		EncryptionConfigurationDetails: &EncryptionConfigurationDetails{KeyType: "AWS_OWNED_KMS_KEY", EncryptionStatus: "ENABLED"},
	}, nil
}

func instanceOut(i store.Instance) InstanceMetadata {
	created := awsproto.Time{Time: i.CreatedAt}
	return InstanceMetadata{
		InstanceArn:     i.ARN,
		IdentityStoreId: i.IdentityStoreID,
		OwnerAccountId:  i.OwnerAccountID,
		Name:            i.Name,
		CreatedDate:     &created,
		Status:          i.Status,
	}
}

// ---- permission sets ----

func permissionSetOut(ps store.PermissionSet) *PermissionSet {
	created := awsproto.Time{Time: ps.CreatedAt}
	return &PermissionSet{
		Name:             ps.Name,
		PermissionSetArn: ps.ARN,
		Description:      ps.Description,
		CreatedDate:      &created,
		SessionDuration:  ps.SessionDuration,
		RelayState:       ps.RelayState,
	}
}

func tagsIn(tags []Tag) []store.Tag {
	out := make([]store.Tag, len(tags))
	for i, t := range tags {
		out[i] = store.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

func refIn(r *CustomerManagedPolicyReference) store.PolicyReference {
	if r == nil {
		return store.PolicyReference{}
	}
	return store.PolicyReference{Name: r.Name, Path: r.Path}
}

func (a *Adapter) createPermissionSet(ctx context.Context, in *CreatePermissionSetRequest) (*CreatePermissionSetResponse, error) {
	ps, err := a.Core.CreatePermissionSet(ctx, in.InstanceArn, access.NewPermissionSet{
		Name: in.Name, Description: in.Description, SessionDuration: in.SessionDuration, RelayState: in.RelayState,
		Tags: tagsIn(in.Tags),
	})
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &CreatePermissionSetResponse{PermissionSet: permissionSetOut(ps)}, nil
}

func (a *Adapter) describePermissionSet(ctx context.Context, in *DescribePermissionSetRequest) (*DescribePermissionSetResponse, error) {
	ps, err := a.Core.DescribePermissionSet(ctx, in.InstanceArn, in.PermissionSetArn)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &DescribePermissionSetResponse{PermissionSet: permissionSetOut(ps)}, nil
}

func (a *Adapter) listPermissionSets(ctx context.Context, in *ListPermissionSetsRequest) (*ListPermissionSetsResponse, error) {
	arns, next, err := a.Core.ListPermissionSets(ctx, in.InstanceArn, maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &ListPermissionSetsResponse{PermissionSets: arns, NextToken: next}, nil
}

func (a *Adapter) updatePermissionSet(ctx context.Context, in *UpdatePermissionSetRequest) (*UpdatePermissionSetResponse, error) {
	err := a.Core.UpdatePermissionSet(ctx, in.InstanceArn, in.PermissionSetArn, access.PermissionSetUpdate{
		Description: in.Description, SessionDuration: in.SessionDuration, RelayState: in.RelayState,
	})
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &UpdatePermissionSetResponse{}, nil
}

func (a *Adapter) deletePermissionSet(ctx context.Context, in *DeletePermissionSetRequest) (*DeletePermissionSetResponse, error) {
	if err := a.Core.DeletePermissionSet(ctx, in.InstanceArn, in.PermissionSetArn); err != nil {
		return nil, a.errs.Map(err)
	}
	return &DeletePermissionSetResponse{}, nil
}

// ---- inline policy ----

func (a *Adapter) putInlinePolicy(ctx context.Context, in *PutInlinePolicyToPermissionSetRequest) (*PutInlinePolicyToPermissionSetResponse, error) {
	if err := a.Core.PutInlinePolicy(ctx, in.InstanceArn, in.PermissionSetArn, in.InlinePolicy); err != nil {
		return nil, a.errs.Map(err)
	}
	return &PutInlinePolicyToPermissionSetResponse{}, nil
}

func (a *Adapter) getInlinePolicy(ctx context.Context, in *GetInlinePolicyForPermissionSetRequest) (*GetInlinePolicyForPermissionSetResponse, error) {
	doc, err := a.Core.GetInlinePolicy(ctx, in.InstanceArn, in.PermissionSetArn)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &GetInlinePolicyForPermissionSetResponse{InlinePolicy: doc}, nil
}

func (a *Adapter) deleteInlinePolicy(ctx context.Context, in *DeleteInlinePolicyFromPermissionSetRequest) (*DeleteInlinePolicyFromPermissionSetResponse, error) {
	if err := a.Core.DeleteInlinePolicy(ctx, in.InstanceArn, in.PermissionSetArn); err != nil {
		return nil, a.errs.Map(err)
	}
	return &DeleteInlinePolicyFromPermissionSetResponse{}, nil
}

// ---- managed policies ----

func (a *Adapter) attachManagedPolicy(ctx context.Context, in *AttachManagedPolicyToPermissionSetRequest) (*AttachManagedPolicyToPermissionSetResponse, error) {
	if err := a.Core.AttachManagedPolicy(ctx, in.InstanceArn, in.PermissionSetArn, in.ManagedPolicyArn); err != nil {
		return nil, a.errs.Map(err)
	}
	return &AttachManagedPolicyToPermissionSetResponse{}, nil
}

func (a *Adapter) detachManagedPolicy(ctx context.Context, in *DetachManagedPolicyFromPermissionSetRequest) (*DetachManagedPolicyFromPermissionSetResponse, error) {
	if err := a.Core.DetachManagedPolicy(ctx, in.InstanceArn, in.PermissionSetArn, in.ManagedPolicyArn); err != nil {
		return nil, a.errs.Map(err)
	}
	return &DetachManagedPolicyFromPermissionSetResponse{}, nil
}

func (a *Adapter) listManagedPolicies(ctx context.Context, in *ListManagedPoliciesInPermissionSetRequest) (*ListManagedPoliciesInPermissionSetResponse, error) {
	ps, next, err := a.Core.ListManagedPolicies(ctx, in.InstanceArn, in.PermissionSetArn, maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := &ListManagedPoliciesInPermissionSetResponse{NextToken: next, AttachedManagedPolicies: []AttachedManagedPolicy{}}
	for _, p := range ps {
		out.AttachedManagedPolicies = append(out.AttachedManagedPolicies, AttachedManagedPolicy{Name: p.Name, Arn: p.ARN})
	}
	return out, nil
}

// ---- customer managed policy references ----

func (a *Adapter) attachCustomerManagedPolicy(ctx context.Context, in *AttachCustomerManagedPolicyReferenceToPermissionSetRequest) (*AttachCustomerManagedPolicyReferenceToPermissionSetResponse, error) {
	if err := a.Core.AttachCustomerManagedPolicy(ctx, in.InstanceArn, in.PermissionSetArn, refIn(in.CustomerManagedPolicyReference)); err != nil {
		return nil, a.errs.Map(err)
	}
	return &AttachCustomerManagedPolicyReferenceToPermissionSetResponse{}, nil
}

func (a *Adapter) detachCustomerManagedPolicy(ctx context.Context, in *DetachCustomerManagedPolicyReferenceFromPermissionSetRequest) (*DetachCustomerManagedPolicyReferenceFromPermissionSetResponse, error) {
	if err := a.Core.DetachCustomerManagedPolicy(ctx, in.InstanceArn, in.PermissionSetArn, refIn(in.CustomerManagedPolicyReference)); err != nil {
		return nil, a.errs.Map(err)
	}
	return &DetachCustomerManagedPolicyReferenceFromPermissionSetResponse{}, nil
}

func (a *Adapter) listCustomerManagedPolicies(ctx context.Context, in *ListCustomerManagedPolicyReferencesInPermissionSetRequest) (*ListCustomerManagedPolicyReferencesInPermissionSetResponse, error) {
	refs, next, err := a.Core.ListCustomerManagedPolicies(ctx, in.InstanceArn, in.PermissionSetArn, maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := &ListCustomerManagedPolicyReferencesInPermissionSetResponse{NextToken: next, CustomerManagedPolicyReferences: []CustomerManagedPolicyReference{}}
	for _, r := range refs {
		out.CustomerManagedPolicyReferences = append(out.CustomerManagedPolicyReferences, CustomerManagedPolicyReference{Name: r.Name, Path: r.Path})
	}
	return out, nil
}

// ---- permissions boundary ----

func (a *Adapter) putPermissionsBoundary(ctx context.Context, in *PutPermissionsBoundaryToPermissionSetRequest) (*PutPermissionsBoundaryToPermissionSetResponse, error) {
	var b store.PermissionsBoundary
	if in.PermissionsBoundary != nil {
		b.ManagedPolicyARN = in.PermissionsBoundary.ManagedPolicyArn
		if r := in.PermissionsBoundary.CustomerManagedPolicyReference; r != nil {
			ref := refIn(r)
			b.CustomerManaged = &ref
		}
	}
	if err := a.Core.PutPermissionsBoundary(ctx, in.InstanceArn, in.PermissionSetArn, b); err != nil {
		return nil, a.errs.Map(err)
	}
	return &PutPermissionsBoundaryToPermissionSetResponse{}, nil
}

func (a *Adapter) getPermissionsBoundary(ctx context.Context, in *GetPermissionsBoundaryForPermissionSetRequest) (*GetPermissionsBoundaryForPermissionSetResponse, error) {
	b, err := a.Core.GetPermissionsBoundary(ctx, in.InstanceArn, in.PermissionSetArn)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := &PermissionsBoundary{ManagedPolicyArn: b.ManagedPolicyARN}
	if b.CustomerManaged != nil {
		out.CustomerManagedPolicyReference = &CustomerManagedPolicyReference{Name: b.CustomerManaged.Name, Path: b.CustomerManaged.Path}
	}
	return &GetPermissionsBoundaryForPermissionSetResponse{PermissionsBoundary: out}, nil
}

func (a *Adapter) deletePermissionsBoundary(ctx context.Context, in *DeletePermissionsBoundaryFromPermissionSetRequest) (*DeletePermissionsBoundaryFromPermissionSetResponse, error) {
	if err := a.Core.DeletePermissionsBoundary(ctx, in.InstanceArn, in.PermissionSetArn); err != nil {
		return nil, a.errs.Map(err)
	}
	return &DeletePermissionsBoundaryFromPermissionSetResponse{}, nil
}

// ---- tags ----

func (a *Adapter) tagResource(ctx context.Context, in *TagResourceRequest) (*TagResourceResponse, error) {
	if err := a.Core.TagResource(ctx, in.InstanceArn, in.ResourceArn, tagsIn(in.Tags)); err != nil {
		return nil, a.errs.Map(err)
	}
	return &TagResourceResponse{}, nil
}

func (a *Adapter) untagResource(ctx context.Context, in *UntagResourceRequest) (*UntagResourceResponse, error) {
	if err := a.Core.UntagResource(ctx, in.InstanceArn, in.ResourceArn, in.TagKeys); err != nil {
		return nil, a.errs.Map(err)
	}
	return &UntagResourceResponse{}, nil
}

func (a *Adapter) listTags(ctx context.Context, in *ListTagsForResourceRequest) (*ListTagsForResourceResponse, error) {
	tags, next, err := a.Core.ListTags(ctx, in.InstanceArn, in.ResourceArn, in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := &ListTagsForResourceResponse{NextToken: next, Tags: []Tag{}}
	for _, t := range tags {
		out.Tags = append(out.Tags, Tag{Key: t.Key, Value: t.Value})
	}
	return out, nil
}
