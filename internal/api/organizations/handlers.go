package organizations

import (
	"context"
	"time"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/core/org"
	"github.com/idcenter/idcenter/internal/store"
)

// handlers are the operations beyond DescribeOrganization/ListAccounts/DescribeAccount
// that AWS authorises on "*"; those on a resource are in adapter_resources.go.
func (a *Adapter) handlers() map[string]awsproto.Handler {
	return map[string]awsproto.Handler{
		"ListRoots":                           awsproto.Op(a.listRoots),
		"CreateAccount":                       awsproto.Op(a.createAccount),
		"DescribeCreateAccountStatus":         awsproto.Op(a.describeCreateAccountStatus),
		"ListCreateAccountStatus":             awsproto.Op(a.listCreateAccountStatus),
		"CreatePolicy":                        awsproto.Op(a.createPolicy),
		"ListPolicies":                        awsproto.Op(a.listPolicies),
		"EnableAWSServiceAccess":              awsproto.Op(a.enableServiceAccess),
		"DisableAWSServiceAccess":             awsproto.Op(a.disableServiceAccess),
		"ListAWSServiceAccessForOrganization": awsproto.Op(a.listServiceAccess),
		"ListDelegatedAdministrators":         awsproto.Op(a.listDelegatedAdmins),
	}
}

func maxOf(p *int32) int {
	if p == nil {
		return 0
	}
	return int(*p)
}

func ts(t time.Time) *awsproto.Time {
	if t.IsZero() {
		return nil
	}
	return &awsproto.Time{Time: t}
}

func tagsIn(in []Tag) []store.Tag {
	out := make([]store.Tag, 0, len(in))
	for _, t := range in {
		out = append(out, store.Tag{Key: t.Key, Value: t.Value})
	}
	return out
}

func rootOut(r store.OrgRoot) Root {
	out := Root{Id: r.ID, Arn: r.ARN, Name: r.Name, PolicyTypes: []PolicyTypeSummary{}}
	for _, pt := range r.PolicyTypes {
		out.PolicyTypes = append(out.PolicyTypes, PolicyTypeSummary{Type: pt.Type, Status: pt.Status})
	}
	return out
}

func ouOut(u org.OU) *OrganizationalUnit {
	return &OrganizationalUnit{Id: u.ID, Arn: u.ARN, Name: u.Name, Path: u.Path}
}

func statusOut(s store.CreateAccountStatus) CreateAccountStatus {
	return CreateAccountStatus{Id: s.ID, AccountName: s.AccountName, State: s.State, AccountId: s.AccountID,
		FailureReason: s.FailureReason, RequestedTimestamp: ts(s.RequestedAt), CompletedTimestamp: ts(s.CompletedAt)}
}

func summaryOut(p store.OrgPolicy) PolicySummary {
	managed := p.AWSManaged
	return PolicySummary{Id: p.ID, Arn: p.ARN, Name: p.Name, Description: p.Description, Type: p.Type, AwsManaged: &managed}
}

func policyOut(p store.OrgPolicy) *Policy {
	s := summaryOut(p)
	return &Policy{PolicySummary: &s, Content: p.Content}
}

func (a *Adapter) listRoots(ctx context.Context, _ *ListRootsRequest) (*ListRootsResponse, error) {
	roots, err := a.Core.ListRoots(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &ListRootsResponse{}
	for _, r := range roots {
		out.Roots = append(out.Roots, rootOut(r))
	}
	return out, nil
}

func (a *Adapter) createOU(ctx context.Context, in *CreateOrganizationalUnitRequest) (*CreateOrganizationalUnitResponse, error) {
	u, err := a.Core.CreateOU(ctx, in.ParentId, in.Name, tagsIn(in.Tags))
	if err != nil {
		return nil, mapErr(err)
	}
	return &CreateOrganizationalUnitResponse{OrganizationalUnit: ouOut(u)}, nil
}

func (a *Adapter) describeOU(ctx context.Context, in *DescribeOrganizationalUnitRequest) (*DescribeOrganizationalUnitResponse, error) {
	u, err := a.Core.DescribeOU(ctx, in.OrganizationalUnitId)
	if err != nil {
		return nil, mapErr(err)
	}
	return &DescribeOrganizationalUnitResponse{OrganizationalUnit: ouOut(u)}, nil
}

func (a *Adapter) updateOU(ctx context.Context, in *UpdateOrganizationalUnitRequest) (*UpdateOrganizationalUnitResponse, error) {
	u, err := a.Core.RenameOU(ctx, in.OrganizationalUnitId, in.Name)
	if err != nil {
		return nil, mapErr(err)
	}
	return &UpdateOrganizationalUnitResponse{OrganizationalUnit: ouOut(u)}, nil
}

func (a *Adapter) deleteOU(ctx context.Context, in *DeleteOrganizationalUnitRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteOU(ctx, in.OrganizationalUnitId))
}

func (a *Adapter) listOUsForParent(ctx context.Context, in *ListOrganizationalUnitsForParentRequest) (*ListOrganizationalUnitsForParentResponse, error) {
	ous, next, err := a.Core.ListOUsForParent(ctx, in.ParentId, maxOf(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &ListOrganizationalUnitsForParentResponse{NextToken: next}
	for _, u := range ous {
		out.OrganizationalUnits = append(out.OrganizationalUnits, *ouOut(u))
	}
	return out, nil
}

func (a *Adapter) listChildren(ctx context.Context, in *ListChildrenRequest) (*ListChildrenResponse, error) {
	kids, next, err := a.Core.ListChildren(ctx, in.ParentId, in.ChildType, maxOf(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &ListChildrenResponse{NextToken: next}
	for _, k := range kids {
		out.Children = append(out.Children, Child{Id: k.ID, Type: k.Type})
	}
	return out, nil
}

func (a *Adapter) listParents(ctx context.Context, in *ListParentsRequest) (*ListParentsResponse, error) {
	ps, err := a.Core.ListParents(ctx, in.ChildId)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &ListParentsResponse{}
	for _, p := range ps {
		out.Parents = append(out.Parents, Parent{Id: p.ID, Type: p.Type})
	}
	return out, nil
}

func (a *Adapter) listAccountsForParent(ctx context.Context, in *ListAccountsForParentRequest) (*ListAccountsForParentResponse, error) {
	accts, next, err := a.Core.ListAccountsForParent(ctx, in.ParentId, maxOf(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &ListAccountsForParentResponse{NextToken: next}
	for _, acct := range accts {
		out.Accounts = append(out.Accounts, accountOut(acct))
	}
	return out, nil
}

func (a *Adapter) moveAccount(ctx context.Context, in *MoveAccountRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.MoveAccount(ctx, in.AccountId, in.SourceParentId, in.DestinationParentId))
}

func (a *Adapter) createAccount(ctx context.Context, in *CreateAccountRequest) (*CreateAccountResponse, error) {
	st, err := a.Core.CreateAccount(ctx, org.CreateAccountInput{Email: in.Email, AccountName: in.AccountName,
		RoleName: in.RoleName, Tags: tagsIn(in.Tags)})
	if err != nil {
		return nil, mapErr(err)
	}
	out := statusOut(st)
	return &CreateAccountResponse{CreateAccountStatus: &out}, nil
}

func (a *Adapter) describeCreateAccountStatus(ctx context.Context, in *DescribeCreateAccountStatusRequest) (*DescribeCreateAccountStatusResponse, error) {
	st, err := a.Core.DescribeCreateAccountStatus(ctx, in.CreateAccountRequestId)
	if err != nil {
		return nil, mapErr(err)
	}
	out := statusOut(st)
	return &DescribeCreateAccountStatusResponse{CreateAccountStatus: &out}, nil
}

func (a *Adapter) listCreateAccountStatus(ctx context.Context, in *ListCreateAccountStatusRequest) (*ListCreateAccountStatusResponse, error) {
	sts, next, err := a.Core.ListCreateAccountStatus(ctx, in.States, maxOf(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &ListCreateAccountStatusResponse{NextToken: next}
	for _, st := range sts {
		out.CreateAccountStatuses = append(out.CreateAccountStatuses, statusOut(st))
	}
	return out, nil
}

func (a *Adapter) tagResource(ctx context.Context, in *TagResourceRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.TagResource(ctx, in.ResourceId, tagsIn(in.Tags)))
}

func (a *Adapter) untagResource(ctx context.Context, in *UntagResourceRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UntagResource(ctx, in.ResourceId, in.TagKeys))
}

func (a *Adapter) listTagsForResource(ctx context.Context, in *ListTagsForResourceRequest) (*ListTagsForResourceResponse, error) {
	tags, next, err := a.Core.ListTagsForResource(ctx, in.ResourceId, in.NextToken)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &ListTagsForResourceResponse{NextToken: next, Tags: []Tag{}}
	for _, t := range tags {
		out.Tags = append(out.Tags, Tag{Key: t.Key, Value: t.Value})
	}
	return out, nil
}

func (a *Adapter) createPolicy(ctx context.Context, in *CreatePolicyRequest) (*CreatePolicyResponse, error) {
	p, err := a.Core.CreatePolicy(ctx, org.PolicyInput{Name: in.Name, Description: in.Description, Type: in.Type,
		Content: in.Content, Tags: tagsIn(in.Tags)})
	if err != nil {
		return nil, mapErr(err)
	}
	return &CreatePolicyResponse{Policy: policyOut(p)}, nil
}

func (a *Adapter) describePolicy(ctx context.Context, in *DescribePolicyRequest) (*DescribePolicyResponse, error) {
	p, err := a.Core.DescribePolicy(ctx, in.PolicyId)
	if err != nil {
		return nil, mapErr(err)
	}
	return &DescribePolicyResponse{Policy: policyOut(p)}, nil
}

func (a *Adapter) updatePolicy(ctx context.Context, in *UpdatePolicyRequest) (*UpdatePolicyResponse, error) {
	p, err := a.Core.UpdatePolicy(ctx, in.PolicyId, in.Name, in.Description, in.Content, in.Description != "")
	if err != nil {
		return nil, mapErr(err)
	}
	return &UpdatePolicyResponse{Policy: policyOut(p)}, nil
}

func (a *Adapter) deletePolicy(ctx context.Context, in *DeletePolicyRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeletePolicy(ctx, in.PolicyId))
}

func (a *Adapter) listPolicies(ctx context.Context, in *ListPoliciesRequest) (*ListPoliciesResponse, error) {
	ps, next, err := a.Core.ListPolicies(ctx, in.Filter, maxOf(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &ListPoliciesResponse{NextToken: next}
	for _, p := range ps {
		out.Policies = append(out.Policies, summaryOut(p))
	}
	return out, nil
}

func (a *Adapter) attachPolicy(ctx context.Context, in *AttachPolicyRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.AttachPolicy(ctx, in.PolicyId, in.TargetId))
}

func (a *Adapter) detachPolicy(ctx context.Context, in *DetachPolicyRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DetachPolicy(ctx, in.PolicyId, in.TargetId))
}

func (a *Adapter) listPoliciesForTarget(ctx context.Context, in *ListPoliciesForTargetRequest) (*ListPoliciesForTargetResponse, error) {
	ps, next, err := a.Core.ListPoliciesForTarget(ctx, in.TargetId, in.Filter, maxOf(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &ListPoliciesForTargetResponse{NextToken: next}
	for _, p := range ps {
		out.Policies = append(out.Policies, summaryOut(p))
	}
	return out, nil
}

func (a *Adapter) listTargetsForPolicy(ctx context.Context, in *ListTargetsForPolicyRequest) (*ListTargetsForPolicyResponse, error) {
	ts, next, err := a.Core.ListTargetsForPolicy(ctx, in.PolicyId, maxOf(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &ListTargetsForPolicyResponse{NextToken: next}
	for _, t := range ts {
		out.Targets = append(out.Targets, PolicyTargetSummary{TargetId: t.ID, Arn: t.ARN, Name: t.Name, Type: t.Type})
	}
	return out, nil
}

func (a *Adapter) enablePolicyType(ctx context.Context, in *EnablePolicyTypeRequest) (*EnablePolicyTypeResponse, error) {
	r, err := a.Core.EnablePolicyType(ctx, in.RootId, in.PolicyType)
	if err != nil {
		return nil, mapErr(err)
	}
	out := rootOut(r)
	return &EnablePolicyTypeResponse{Root: &out}, nil
}

func (a *Adapter) disablePolicyType(ctx context.Context, in *DisablePolicyTypeRequest) (*DisablePolicyTypeResponse, error) {
	r, err := a.Core.DisablePolicyType(ctx, in.RootId, in.PolicyType)
	if err != nil {
		return nil, mapErr(err)
	}
	out := rootOut(r)
	return &DisablePolicyTypeResponse{Root: &out}, nil
}

func (a *Adapter) enableServiceAccess(ctx context.Context, in *EnableAWSServiceAccessRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.EnableServiceAccess(ctx, in.ServicePrincipal))
}

func (a *Adapter) disableServiceAccess(ctx context.Context, in *DisableAWSServiceAccessRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DisableServiceAccess(ctx, in.ServicePrincipal))
}

func (a *Adapter) listServiceAccess(ctx context.Context, in *ListAWSServiceAccessForOrganizationRequest) (*ListAWSServiceAccessForOrganizationResponse, error) {
	all, next, err := a.Core.ListServiceAccess(ctx, maxOf(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &ListAWSServiceAccessForOrganizationResponse{NextToken: next}
	for _, s := range all {
		out.EnabledServicePrincipals = append(out.EnabledServicePrincipals, EnabledServicePrincipal{ServicePrincipal: s.ServicePrincipal, DateEnabled: ts(s.EnabledAt)})
	}
	return out, nil
}

func (a *Adapter) registerDelegatedAdmin(ctx context.Context, in *RegisterDelegatedAdministratorRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.RegisterDelegatedAdmin(ctx, in.AccountId, in.ServicePrincipal))
}

func (a *Adapter) deregisterDelegatedAdmin(ctx context.Context, in *DeregisterDelegatedAdministratorRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeregisterDelegatedAdmin(ctx, in.AccountId, in.ServicePrincipal))
}

func (a *Adapter) listDelegatedAdmins(ctx context.Context, in *ListDelegatedAdministratorsRequest) (*ListDelegatedAdministratorsResponse, error) {
	ds, next, err := a.Core.ListDelegatedAdmins(ctx, in.ServicePrincipal, maxOf(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &ListDelegatedAdministratorsResponse{NextToken: next}
	for _, d := range ds {
		out.DelegatedAdministrators = append(out.DelegatedAdministrators, DelegatedAdministrator{
			Id: d.Account.ID, Arn: d.Account.ARN, Email: d.Account.Email, Name: d.Account.Name, Status: d.Account.Status,
			State: d.Account.Status, JoinedMethod: d.Account.JoinedMethod, JoinedTimestamp: ts(d.Account.JoinedAt),
			DelegationEnabledDate: ts(d.DelegatedAt)})
	}
	return out, nil
}

func (a *Adapter) listDelegatedServices(ctx context.Context, in *ListDelegatedServicesForAccountRequest) (*ListDelegatedServicesForAccountResponse, error) {
	ds, next, err := a.Core.ListDelegatedServices(ctx, in.AccountId, maxOf(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &ListDelegatedServicesForAccountResponse{NextToken: next}
	for _, d := range ds {
		out.DelegatedServices = append(out.DelegatedServices, DelegatedService{ServicePrincipal: d.ServicePrincipal, DelegationEnabledDate: ts(d.DelegatedAt)})
	}
	return out, nil
}
