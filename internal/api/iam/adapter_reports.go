package iam

import (
	"context"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/policy"
)

// Reports (access key last used, credential report, service last accessed),
// policy simulation, service-linked roles, centralized root access and the
// remaining account-level operations.

// reportHandlers are the handlers of this file, added to Service's table.
func (a *Adapter) reportHandlers() map[string]awsproto.Handler {
	return map[string]awsproto.Handler{
		// centralized root access
		"EnableOrganizationsRootCredentialsManagement":  op(a.enableRootCredentialsManagement, star[EnableOrganizationsRootCredentialsManagementRequest]),
		"DisableOrganizationsRootCredentialsManagement": op(a.disableRootCredentialsManagement, star[DisableOrganizationsRootCredentialsManagementRequest]),
		"EnableOrganizationsRootSessions":               op(a.enableRootSessions, star[EnableOrganizationsRootSessionsRequest]),
		"DisableOrganizationsRootSessions":              op(a.disableRootSessions, star[DisableOrganizationsRootSessionsRequest]),
		"ListOrganizationsFeatures":                     op(a.listOrganizationsFeatures, star[ListOrganizationsFeaturesRequest]),
		// policy simulation
		"SimulatePrincipalPolicy": op(a.simulatePrincipalPolicy, func(_ context.Context, in *SimulatePrincipalPolicyRequest) string { return in.PolicySourceArn }),
		"SimulateCustomPolicy":    op(a.simulateCustomPolicy, star[SimulateCustomPolicyRequest]),
		"GetContextKeysForPrincipalPolicy": op(a.getContextKeysForPrincipalPolicy, func(_ context.Context, in *GetContextKeysForPrincipalPolicyRequest) string {
			return in.PolicySourceArn
		}),
		"GetContextKeysForCustomPolicy": op(a.getContextKeysForCustomPolicy, star[GetContextKeysForCustomPolicyRequest]),
		// service-linked roles
		"CreateServiceLinkedRole": op(a.createServiceLinkedRole, func(ctx context.Context, in *CreateServiceLinkedRoleRequest) string {
			return res(ctx, "role/aws-service-role/"+in.AWSServiceName+"/", "*")
		}),
		"DeleteServiceLinkedRole": op(a.deleteServiceLinkedRole, func(ctx context.Context, in *DeleteServiceLinkedRoleRequest) string {
			return res(ctx, "role/", in.RoleName)
		}),
		"GetServiceLinkedRoleDeletionStatus": op(a.getServiceLinkedRoleDeletionStatus, star[GetServiceLinkedRoleDeletionStatusRequest]),
		// credential report
		"GenerateCredentialReport": op(a.generateCredentialReport, star[struct{}]),
		"GetCredentialReport":      op(a.getCredentialReport, star[struct{}]),
	}
}

// keyLastUsedOut is GetAccessKeyLastUsed's AccessKeyLastUsed: N/A for a key never used.
func keyLastUsedOut(lu iam.KeyLastUsed) *AccessKeyLastUsed {
	if !lu.Used {
		return &AccessKeyLastUsed{ServiceName: "N/A", Region: "N/A"}
	}
	return &AccessKeyLastUsed{LastUsedDate: awsproto.NewTime(lu.Use.UsedAt), ServiceName: lu.Use.ServiceName, Region: lu.Use.Region}
}

// ---- centralized root access ----

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (a *Adapter) setFeature(ctx context.Context, feature string, enable bool) (string, []string, error) {
	id, f, err := a.Core.SetOrganizationsFeature(ctx, caller(ctx), feature, enable)
	return id, nonNil(f), mapErr(err)
}

func (a *Adapter) enableRootCredentialsManagement(ctx context.Context, _ *EnableOrganizationsRootCredentialsManagementRequest) (*EnableOrganizationsRootCredentialsManagementResponse, error) {
	id, f, err := a.setFeature(ctx, iam.FeatureRootCredentialsManagement, true)
	if err != nil {
		return nil, err
	}
	return &EnableOrganizationsRootCredentialsManagementResponse{OrganizationId: id, EnabledFeatures: f}, nil
}

func (a *Adapter) disableRootCredentialsManagement(ctx context.Context, _ *DisableOrganizationsRootCredentialsManagementRequest) (*DisableOrganizationsRootCredentialsManagementResponse, error) {
	id, f, err := a.setFeature(ctx, iam.FeatureRootCredentialsManagement, false)
	if err != nil {
		return nil, err
	}
	return &DisableOrganizationsRootCredentialsManagementResponse{OrganizationId: id, EnabledFeatures: f}, nil
}

func (a *Adapter) enableRootSessions(ctx context.Context, _ *EnableOrganizationsRootSessionsRequest) (*EnableOrganizationsRootSessionsResponse, error) {
	id, f, err := a.setFeature(ctx, iam.FeatureRootSessions, true)
	if err != nil {
		return nil, err
	}
	return &EnableOrganizationsRootSessionsResponse{OrganizationId: id, EnabledFeatures: f}, nil
}

func (a *Adapter) disableRootSessions(ctx context.Context, _ *DisableOrganizationsRootSessionsRequest) (*DisableOrganizationsRootSessionsResponse, error) {
	id, f, err := a.setFeature(ctx, iam.FeatureRootSessions, false)
	if err != nil {
		return nil, err
	}
	return &DisableOrganizationsRootSessionsResponse{OrganizationId: id, EnabledFeatures: f}, nil
}

func (a *Adapter) listOrganizationsFeatures(ctx context.Context, _ *ListOrganizationsFeaturesRequest) (*ListOrganizationsFeaturesResponse, error) {
	id, f, err := a.Core.ListOrganizationsFeatures(ctx, caller(ctx))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListOrganizationsFeaturesResponse{OrganizationId: id, EnabledFeatures: nonNil(f)}, nil
}

// ---- credential report ----

func (a *Adapter) generateCredentialReport(ctx context.Context, _ *struct{}) (*GenerateCredentialReportResponse, error) {
	state, err := a.Core.GenerateCredentialReport(ctx, caller(ctx))
	if err != nil {
		return nil, mapErr(err)
	}
	out := &GenerateCredentialReportResponse{State: state}
	if state == iam.ReportStarted {
		out.Description = "No report exists. Starting a new report generation task"
	}
	return out, nil
}

func (a *Adapter) getCredentialReport(ctx context.Context, _ *struct{}) (*GetCredentialReportResponse, error) {
	r, err := a.Core.GetCredentialReport(ctx, caller(ctx))
	if err != nil {
		return nil, mapErr(err)
	}
	return &GetCredentialReportResponse{Content: r.Content, ReportFormat: "text/csv", GeneratedTime: awsproto.NewTime(r.Generated)}, nil
}

// ---- policy simulation ----

func contextIn(entries []ContextEntry) []iam.ContextEntry {
	return mapSlice(entries, func(e ContextEntry) iam.ContextEntry {
		return iam.ContextEntry{Name: e.ContextKeyName, Type: e.ContextKeyType, Values: e.ContextKeyValues}
	})
}

func positionOut(p policy.Position) *Position {
	if p.Line == 0 {
		return nil
	}
	return &Position{Line: ptr(int32(p.Line)), Column: ptr(int32(p.Column))}
}

func evaluationOut(r iam.EvaluationResult) EvaluationResult {
	out := EvaluationResult{EvalActionName: r.Action, EvalResourceName: r.Resource, EvalDecision: r.Decision,
		MatchedStatements: mapSlice(r.Matched, func(m iam.MatchedStatement) Statement {
			return Statement{SourcePolicyId: m.SourcePolicyID, SourcePolicyType: m.SourcePolicyType,
				StartPosition: positionOut(m.Start), EndPosition: positionOut(m.End)}
		}),
		MissingContextValues: nonNil(r.Missing)}
	if r.BoundaryAllowed != nil {
		out.PermissionsBoundaryDecisionDetail = &PermissionsBoundaryDecisionDetail{AllowedByPermissionsBoundary: r.BoundaryAllowed}
	}
	return out
}

func (a *Adapter) simulate(ctx context.Context, in iam.SimulationInput) (*SimulatePolicyResponse, error) {
	p, err := a.Core.Simulate(ctx, caller(ctx), in)
	if err != nil {
		return nil, mapErr(err)
	}
	return &SimulatePolicyResponse{EvaluationResults: mapSlice(p.Items, evaluationOut), IsTruncated: truncated(p), Marker: p.Marker}, nil
}

func (a *Adapter) simulatePrincipalPolicy(ctx context.Context, in *SimulatePrincipalPolicyRequest) (*SimulatePolicyResponse, error) {
	return a.simulate(ctx, iam.SimulationInput{PolicySourceARN: in.PolicySourceArn, Policies: in.PolicyInputList,
		Boundaries: in.PermissionsBoundaryPolicyInputList, Actions: in.ActionNames, Resources: in.ResourceArns,
		ResourcePolicy: in.ResourcePolicy, ResourceOwner: in.ResourceOwner, CallerARN: in.CallerArn,
		Context: contextIn(in.ContextEntries), Marker: in.Marker, MaxItems: maxItems(in.MaxItems)})
}

func (a *Adapter) simulateCustomPolicy(ctx context.Context, in *SimulateCustomPolicyRequest) (*SimulatePolicyResponse, error) {
	return a.simulate(ctx, iam.SimulationInput{Policies: in.PolicyInputList,
		Boundaries: in.PermissionsBoundaryPolicyInputList, Actions: in.ActionNames, Resources: in.ResourceArns,
		ResourcePolicy: in.ResourcePolicy, ResourceOwner: in.ResourceOwner, CallerARN: in.CallerArn,
		Context: contextIn(in.ContextEntries), Marker: in.Marker, MaxItems: maxItems(in.MaxItems)})
}

func (a *Adapter) getContextKeysForPrincipalPolicy(ctx context.Context, in *GetContextKeysForPrincipalPolicyRequest) (*GetContextKeysForPolicyResponse, error) {
	keys, err := a.Core.ContextKeys(ctx, caller(ctx), in.PolicySourceArn, in.PolicyInputList)
	if err != nil {
		return nil, mapErr(err)
	}
	return &GetContextKeysForPolicyResponse{ContextKeyNames: keys}, nil
}

func (a *Adapter) getContextKeysForCustomPolicy(ctx context.Context, in *GetContextKeysForCustomPolicyRequest) (*GetContextKeysForPolicyResponse, error) {
	keys, err := a.Core.ContextKeys(ctx, caller(ctx), "", in.PolicyInputList)
	if err != nil {
		return nil, mapErr(err)
	}
	return &GetContextKeysForPolicyResponse{ContextKeyNames: keys}, nil
}

// ---- service-linked roles ----

func (a *Adapter) createServiceLinkedRole(ctx context.Context, in *CreateServiceLinkedRoleRequest) (*CreateServiceLinkedRoleResponse, error) {
	r, err := a.Core.CreateServiceLinkedRole(ctx, caller(ctx), in.AWSServiceName, in.Description, in.CustomSuffix)
	if err != nil {
		return nil, mapErr(err)
	}
	out := roleOut(r, false)
	return &CreateServiceLinkedRoleResponse{Role: &out}, nil
}

func (a *Adapter) deleteServiceLinkedRole(ctx context.Context, in *DeleteServiceLinkedRoleRequest) (*DeleteServiceLinkedRoleResponse, error) {
	id, err := a.Core.DeleteServiceLinkedRole(ctx, caller(ctx), in.RoleName)
	if err != nil {
		return nil, mapErr(err)
	}
	return &DeleteServiceLinkedRoleResponse{DeletionTaskId: id}, nil
}

func (a *Adapter) getServiceLinkedRoleDeletionStatus(ctx context.Context, in *GetServiceLinkedRoleDeletionStatusRequest) (*GetServiceLinkedRoleDeletionStatusResponse, error) {
	t, err := a.Core.ServiceLinkedRoleDeletionStatus(ctx, caller(ctx), in.DeletionTaskId)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &GetServiceLinkedRoleDeletionStatusResponse{Status: t.Status}
	if t.Reason != "" {
		out.Reason = &DeletionTaskFailureReasonType{Reason: t.Reason, RoleUsageList: []RoleUsageType{}}
	}
	return out, nil
}
