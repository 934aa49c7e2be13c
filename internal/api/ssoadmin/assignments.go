package ssoadmin

import (
	"context"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/core/access"
	"github.com/idcenter/idcenter/internal/store"
)

// assignmentHandlers serves account assignments and provisioning. Calls on
// one permission set name it as their resource, the others the instance.
func (a *Adapter) assignmentHandlers() map[string]awsproto.Handler {
	return map[string]awsproto.Handler{
		"CreateAccountAssignment": awsproto.Op(guarded(a, a.createAccountAssignment)).WithResource(func(_ context.Context, in *CreateAccountAssignmentRequest) string {
			return in.PermissionSetArn
		}),
		"DeleteAccountAssignment": awsproto.Op(guarded(a, a.deleteAccountAssignment)).WithResource(func(_ context.Context, in *DeleteAccountAssignmentRequest) string {
			return in.PermissionSetArn
		}),
		"DescribeAccountAssignmentCreationStatus": awsproto.Op(a.describeAssignmentCreation).WithResource(func(_ context.Context, in *DescribeAccountAssignmentCreationStatusRequest) string {
			return in.InstanceArn
		}),
		"DescribeAccountAssignmentDeletionStatus": awsproto.Op(a.describeAssignmentDeletion).WithResource(func(_ context.Context, in *DescribeAccountAssignmentDeletionStatusRequest) string {
			return in.InstanceArn
		}),
		"ListAccountAssignmentCreationStatus": awsproto.Op(a.listAssignmentCreation).WithResource(func(_ context.Context, in *ListAccountAssignmentCreationStatusRequest) string {
			return in.InstanceArn
		}),
		"ListAccountAssignmentDeletionStatus": awsproto.Op(a.listAssignmentDeletion).WithResource(func(_ context.Context, in *ListAccountAssignmentDeletionStatusRequest) string {
			return in.InstanceArn
		}),
		"ListAccountAssignments": awsproto.Op(a.listAccountAssignments).WithResource(func(_ context.Context, in *ListAccountAssignmentsRequest) string {
			return in.PermissionSetArn
		}),
		"ListAccountAssignmentsForPrincipal": awsproto.Op(a.listAccountAssignmentsForPrincipal).WithResource(func(_ context.Context, in *ListAccountAssignmentsForPrincipalRequest) string {
			return in.InstanceArn
		}),
		"ProvisionPermissionSet": awsproto.Op(guarded(a, a.provisionPermissionSet)).WithResource(func(_ context.Context, in *ProvisionPermissionSetRequest) string {
			return in.PermissionSetArn
		}),
		"DescribePermissionSetProvisioningStatus": awsproto.Op(a.describeProvisioning).WithResource(func(_ context.Context, in *DescribePermissionSetProvisioningStatusRequest) string {
			return in.InstanceArn
		}),
		"ListPermissionSetProvisioningStatus": awsproto.Op(a.listProvisioning).WithResource(func(_ context.Context, in *ListPermissionSetProvisioningStatusRequest) string {
			return in.InstanceArn
		}),
		"ListAccountsForProvisionedPermissionSet": awsproto.Op(a.listAccountsForProvisioned).WithResource(func(_ context.Context, in *ListAccountsForProvisionedPermissionSetRequest) string {
			return in.PermissionSetArn
		}),
		"ListPermissionSetsProvisionedToAccount": awsproto.Op(a.listSetsProvisionedToAccount).WithResource(func(_ context.Context, in *ListPermissionSetsProvisionedToAccountRequest) string {
			return in.InstanceArn
		}),
	}
}

func assignmentStatusOut(r store.SSORequest) *AccountAssignmentOperationStatus {
	created := awsproto.Time{Time: r.CreatedAt}
	return &AccountAssignmentOperationStatus{
		Status: r.Status, RequestId: r.RequestID, FailureReason: r.FailureReason, TargetId: r.TargetID, TargetType: r.TargetType,
		PermissionSetArn: r.PermissionSetARN, PrincipalType: r.PrincipalType, PrincipalId: r.PrincipalID, CreatedDate: &created,
	}
}

func provisioningStatusOut(r store.SSORequest) *PermissionSetProvisioningStatus {
	created := awsproto.Time{Time: r.CreatedAt}
	return &PermissionSetProvisioningStatus{
		Status: r.Status, RequestId: r.RequestID, AccountId: r.TargetID, PermissionSetArn: r.PermissionSetARN,
		FailureReason: r.FailureReason, CreatedDate: &created,
	}
}

func statusFilter(f *OperationStatusFilter) string {
	if f == nil {
		return ""
	}
	return f.Status
}

func (a *Adapter) createAccountAssignment(ctx context.Context, in *CreateAccountAssignmentRequest) (*CreateAccountAssignmentResponse, error) {
	r, err := a.Core.CreateAccountAssignment(ctx, in.InstanceArn, access.Assignment{TargetID: in.TargetId, TargetType: in.TargetType,
		PermissionSetARN: in.PermissionSetArn, PrincipalType: in.PrincipalType, PrincipalID: in.PrincipalId})
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &CreateAccountAssignmentResponse{AccountAssignmentCreationStatus: assignmentStatusOut(r)}, nil
}

func (a *Adapter) deleteAccountAssignment(ctx context.Context, in *DeleteAccountAssignmentRequest) (*DeleteAccountAssignmentResponse, error) {
	r, err := a.Core.DeleteAccountAssignment(ctx, in.InstanceArn, access.Assignment{TargetID: in.TargetId, TargetType: in.TargetType,
		PermissionSetARN: in.PermissionSetArn, PrincipalType: in.PrincipalType, PrincipalID: in.PrincipalId})
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &DeleteAccountAssignmentResponse{AccountAssignmentDeletionStatus: assignmentStatusOut(r)}, nil
}

func (a *Adapter) describeAssignmentCreation(ctx context.Context, in *DescribeAccountAssignmentCreationStatusRequest) (*DescribeAccountAssignmentCreationStatusResponse, error) {
	r, err := a.Core.DescribeRequest(ctx, in.InstanceArn, store.SSORequestCreateAssignment, in.AccountAssignmentCreationRequestId)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &DescribeAccountAssignmentCreationStatusResponse{AccountAssignmentCreationStatus: assignmentStatusOut(r)}, nil
}

func (a *Adapter) describeAssignmentDeletion(ctx context.Context, in *DescribeAccountAssignmentDeletionStatusRequest) (*DescribeAccountAssignmentDeletionStatusResponse, error) {
	r, err := a.Core.DescribeRequest(ctx, in.InstanceArn, store.SSORequestDeleteAssignment, in.AccountAssignmentDeletionRequestId)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &DescribeAccountAssignmentDeletionStatusResponse{AccountAssignmentDeletionStatus: assignmentStatusOut(r)}, nil
}

func (a *Adapter) listRequestMetadata(ctx context.Context, instanceARN, kind string, f *OperationStatusFilter, max *int32, token string) ([]AccountAssignmentOperationStatusMetadata, string, error) {
	rs, next, err := a.Core.ListRequests(ctx, instanceARN, kind, statusFilter(f), maxResults(max), token)
	if err != nil {
		return nil, "", a.errs.Map(err)
	}
	out := []AccountAssignmentOperationStatusMetadata{}
	for _, r := range rs {
		created := awsproto.Time{Time: r.CreatedAt}
		out = append(out, AccountAssignmentOperationStatusMetadata{Status: r.Status, RequestId: r.RequestID, CreatedDate: &created})
	}
	return out, next, nil
}

func (a *Adapter) listAssignmentCreation(ctx context.Context, in *ListAccountAssignmentCreationStatusRequest) (*ListAccountAssignmentCreationStatusResponse, error) {
	out, next, err := a.listRequestMetadata(ctx, in.InstanceArn, store.SSORequestCreateAssignment, in.Filter, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &ListAccountAssignmentCreationStatusResponse{AccountAssignmentsCreationStatus: out, NextToken: next}, nil
}

func (a *Adapter) listAssignmentDeletion(ctx context.Context, in *ListAccountAssignmentDeletionStatusRequest) (*ListAccountAssignmentDeletionStatusResponse, error) {
	out, next, err := a.listRequestMetadata(ctx, in.InstanceArn, store.SSORequestDeleteAssignment, in.Filter, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &ListAccountAssignmentDeletionStatusResponse{AccountAssignmentsDeletionStatus: out, NextToken: next}, nil
}

func (a *Adapter) listAccountAssignments(ctx context.Context, in *ListAccountAssignmentsRequest) (*ListAccountAssignmentsResponse, error) {
	as, next, err := a.Core.ListAccountAssignments(ctx, in.InstanceArn, in.AccountId, in.PermissionSetArn, maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := &ListAccountAssignmentsResponse{NextToken: next, AccountAssignments: []AccountAssignment{}}
	for _, x := range as {
		out.AccountAssignments = append(out.AccountAssignments, AccountAssignment{AccountId: x.AccountID, PermissionSetArn: x.PermissionSetARN,
			PrincipalType: x.PrincipalType, PrincipalId: x.PrincipalID})
	}
	return out, nil
}

func (a *Adapter) listAccountAssignmentsForPrincipal(ctx context.Context, in *ListAccountAssignmentsForPrincipalRequest) (*ListAccountAssignmentsForPrincipalResponse, error) {
	account := ""
	if in.Filter != nil {
		account = in.Filter.AccountId
	}
	as, next, err := a.Core.ListAccountAssignmentsForPrincipal(ctx, in.InstanceArn, in.PrincipalType, in.PrincipalId, account, maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := &ListAccountAssignmentsForPrincipalResponse{NextToken: next, AccountAssignments: []AccountAssignmentForPrincipal{}}
	for _, x := range as {
		out.AccountAssignments = append(out.AccountAssignments, AccountAssignmentForPrincipal{AccountId: x.AccountID, PermissionSetArn: x.PermissionSetARN,
			PrincipalType: x.PrincipalType, PrincipalId: x.PrincipalID})
	}
	return out, nil
}

func (a *Adapter) provisionPermissionSet(ctx context.Context, in *ProvisionPermissionSetRequest) (*ProvisionPermissionSetResponse, error) {
	r, err := a.Core.ProvisionPermissionSet(ctx, in.InstanceArn, in.PermissionSetArn, in.TargetType, in.TargetId)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &ProvisionPermissionSetResponse{PermissionSetProvisioningStatus: provisioningStatusOut(r)}, nil
}

func (a *Adapter) describeProvisioning(ctx context.Context, in *DescribePermissionSetProvisioningStatusRequest) (*DescribePermissionSetProvisioningStatusResponse, error) {
	r, err := a.Core.DescribeRequest(ctx, in.InstanceArn, store.SSORequestProvision, in.ProvisionPermissionSetRequestId)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &DescribePermissionSetProvisioningStatusResponse{PermissionSetProvisioningStatus: provisioningStatusOut(r)}, nil
}

func (a *Adapter) listProvisioning(ctx context.Context, in *ListPermissionSetProvisioningStatusRequest) (*ListPermissionSetProvisioningStatusResponse, error) {
	rs, next, err := a.Core.ListRequests(ctx, in.InstanceArn, store.SSORequestProvision, statusFilter(in.Filter), maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := &ListPermissionSetProvisioningStatusResponse{NextToken: next, PermissionSetsProvisioningStatus: []PermissionSetProvisioningStatusMetadata{}}
	for _, r := range rs {
		created := awsproto.Time{Time: r.CreatedAt}
		out.PermissionSetsProvisioningStatus = append(out.PermissionSetsProvisioningStatus,
			PermissionSetProvisioningStatusMetadata{Status: r.Status, RequestId: r.RequestID, CreatedDate: &created})
	}
	return out, nil
}

func (a *Adapter) listAccountsForProvisioned(ctx context.Context, in *ListAccountsForProvisionedPermissionSetRequest) (*ListAccountsForProvisionedPermissionSetResponse, error) {
	ids, next, err := a.Core.ListAccountsForProvisionedPermissionSet(ctx, in.InstanceArn, in.PermissionSetArn, in.ProvisioningStatus, maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	if ids == nil {
		ids = []string{}
	}
	return &ListAccountsForProvisionedPermissionSetResponse{AccountIds: ids, NextToken: next}, nil
}

func (a *Adapter) listSetsProvisionedToAccount(ctx context.Context, in *ListPermissionSetsProvisionedToAccountRequest) (*ListPermissionSetsProvisionedToAccountResponse, error) {
	arns, next, err := a.Core.ListPermissionSetsProvisionedToAccount(ctx, in.InstanceArn, in.AccountId, in.ProvisioningStatus, maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	if arns == nil {
		arns = []string{}
	}
	return &ListPermissionSetsProvisionedToAccountResponse{PermissionSets: arns, NextToken: next}, nil
}
