package iam

import (
	"context"
	"time"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/policy"
	"github.com/idcenter/idcenter/internal/store"
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
		// service last accessed
		"GenerateServiceLastAccessedDetails": op(a.generateServiceLastAccessedDetails, func(_ context.Context, in *GenerateServiceLastAccessedDetailsRequest) string {
			return in.Arn
		}),
		"GetServiceLastAccessedDetails":             op(a.getServiceLastAccessedDetails, star[GetServiceLastAccessedDetailsRequest]),
		"GetServiceLastAccessedDetailsWithEntities": op(a.getServiceLastAccessedDetailsWithEntities, star[GetServiceLastAccessedDetailsWithEntitiesRequest]),
		"ListPoliciesGrantingServiceAccess": op(a.listPoliciesGrantingServiceAccess, func(_ context.Context, in *ListPoliciesGrantingServiceAccessRequest) string {
			return in.Arn
		}),
		"GenerateOrganizationsAccessReport": op(a.generateOrganizationsAccessReport, star[GenerateOrganizationsAccessReportRequest]),
		"GetOrganizationsAccessReport":      op(a.getOrganizationsAccessReport, star[GetOrganizationsAccessReportRequest]),
		// account features
		"SetSecurityTokenServicePreferences":   op(a.setSecurityTokenServicePreferences, star[SetSecurityTokenServicePreferencesRequest]),
		"EnableOutboundWebIdentityFederation":  op(a.enableOutboundWebIdentityFederation, star[struct{}]),
		"DisableOutboundWebIdentityFederation": op(a.disableOutboundWebIdentityFederation, star[struct{}]),
		"GetOutboundWebIdentityFederationInfo": op(a.getOutboundWebIdentityFederationInfo, star[struct{}]),
		// delegation requests
		"CreateDelegationRequest": op(a.createDelegationRequest, star[CreateDelegationRequestRequest]),
		"GetDelegationRequest": op(a.getDelegationRequest, func(ctx context.Context, in *GetDelegationRequestRequest) string {
			return delegationARN(ctx, in.DelegationRequestId)
		}),
		"ListDelegationRequests": op(a.listDelegationRequests, star[ListDelegationRequestsRequest]),
		"AssociateDelegationRequest": op(a.associateDelegationRequest, func(ctx context.Context, in *AssociateDelegationRequestRequest) string {
			return delegationARN(ctx, in.DelegationRequestId)
		}),
		"UpdateDelegationRequest": op(a.updateDelegationRequest, func(ctx context.Context, in *UpdateDelegationRequestRequest) string {
			return delegationARN(ctx, in.DelegationRequestId)
		}),
		"AcceptDelegationRequest": op(a.acceptDelegationRequest, func(ctx context.Context, in *AcceptDelegationRequestRequest) string {
			return delegationARN(ctx, in.DelegationRequestId)
		}),
		"RejectDelegationRequest": op(a.rejectDelegationRequest, func(ctx context.Context, in *RejectDelegationRequestRequest) string {
			return delegationARN(ctx, in.DelegationRequestId)
		}),
		"SendDelegationToken": op(a.sendDelegationToken, func(ctx context.Context, in *SendDelegationTokenRequest) string {
			return delegationARN(ctx, in.DelegationRequestId)
		}),
		"GetHumanReadableSummary": op(a.getHumanReadableSummary, func(_ context.Context, in *GetHumanReadableSummaryRequest) string { return in.EntityArn }),
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

// roleLastUsedOut is GetRole's RoleLastUsed: empty for a role never used.
func roleLastUsedOut(ctx context.Context, core *iam.Service, r store.IAMRole) (*RoleLastUsed, error) {
	at, region, err := core.RoleLastUsed(ctx, caller(ctx), r)
	if err != nil || at.IsZero() {
		return &RoleLastUsed{}, err
	}
	return &RoleLastUsed{LastUsedDate: awsproto.NewTime(at), Region: region}, nil
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

func statementOut(m iam.MatchedStatement) Statement {
	return Statement{SourcePolicyId: m.SourcePolicyID, SourcePolicyType: m.SourcePolicyType,
		StartPosition: positionOut(m.Start), EndPosition: positionOut(m.End)}
}

func resourceResultOut(r iam.ResourceResult) ResourceSpecificResult {
	out := ResourceSpecificResult{EvalResourceName: r.Resource, EvalResourceDecision: r.Decision,
		MatchedStatements: mapSlice(r.Matched, statementOut), MissingContextValues: nonNil(r.Missing),
		EvalDecisionDetails: r.Details}
	if r.BoundaryAllowed != nil {
		out.PermissionsBoundaryDecisionDetail = &PermissionsBoundaryDecisionDetail{AllowedByPermissionsBoundary: r.BoundaryAllowed}
	}
	return out
}

func evaluationOut(r iam.EvaluationResult) EvaluationResult {
	out := EvaluationResult{EvalActionName: r.Action, EvalResourceName: r.Resource, EvalDecision: r.Decision,
		MatchedStatements:       mapSlice(r.Matched, statementOut),
		MissingContextValues:    nonNil(r.Missing),
		EvalDecisionDetails:     r.Details,
		ResourceSpecificResults: mapSlice(r.PerResource, resourceResultOut)}
	if r.BoundaryAllowed != nil {
		out.PermissionsBoundaryDecisionDetail = &PermissionsBoundaryDecisionDetail{AllowedByPermissionsBoundary: r.BoundaryAllowed}
	}
	if r.OrganizationsAllowed != nil {
		out.OrganizationsDecisionDetail = &OrganizationsDecisionDetail{AllowedByOrganizations: r.OrganizationsAllowed}
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
		Context: contextIn(in.ContextEntries), ResourceHandling: in.ResourceHandlingOption, Marker: in.Marker, MaxItems: maxItems(in.MaxItems)})
}

func (a *Adapter) simulateCustomPolicy(ctx context.Context, in *SimulateCustomPolicyRequest) (*SimulatePolicyResponse, error) {
	return a.simulate(ctx, iam.SimulationInput{Policies: in.PolicyInputList,
		Boundaries: in.PermissionsBoundaryPolicyInputList, Actions: in.ActionNames, Resources: in.ResourceArns,
		ResourcePolicy: in.ResourcePolicy, ResourceOwner: in.ResourceOwner, CallerARN: in.CallerArn,
		Context: contextIn(in.ContextEntries), ResourceHandling: in.ResourceHandlingOption, Marker: in.Marker, MaxItems: maxItems(in.MaxItems)})
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

// ---- service last accessed ----

func timePtr(t time.Time) *awsproto.Time {
	if t.IsZero() {
		return nil
	}
	return awsproto.NewTime(t)
}

func (a *Adapter) generateServiceLastAccessedDetails(ctx context.Context, in *GenerateServiceLastAccessedDetailsRequest) (*GenerateServiceLastAccessedDetailsResponse, error) {
	id, err := a.Core.GenerateServiceLastAccessedDetails(ctx, caller(ctx), in.Arn, in.Granularity)
	if err != nil {
		return nil, mapErr(err)
	}
	return &GenerateServiceLastAccessedDetailsResponse{JobId: id}, nil
}

func (a *Adapter) getServiceLastAccessedDetails(ctx context.Context, in *GetServiceLastAccessedDetailsRequest) (*GetServiceLastAccessedDetailsResponse, error) {
	job, p, err := a.Core.ServiceLastAccessedDetails(ctx, caller(ctx), in.JobId, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &GetServiceLastAccessedDetailsResponse{JobStatus: job.Status, JobType: job.Granularity, JobCreationDate: awsproto.NewTime(job.Created),
		JobCompletionDate: awsproto.NewTime(job.Completed), IsTruncated: truncated(p), Marker: p.Marker,
		ServicesLastAccessed: mapSlice(p.Items, func(s iam.ServiceAccess) ServiceLastAccessed {
			out := ServiceLastAccessed{ServiceName: s.Name, ServiceNamespace: s.Namespace, LastAuthenticated: timePtr(s.LastAuthenticated),
				LastAuthenticatedEntity: s.LastEntity, LastAuthenticatedRegion: s.LastRegion, TotalAuthenticatedEntities: ptr(int32(s.TotalEntities))}
			if job.Granularity == iam.GranularityAction {
				out.TrackedActionsLastAccessed = mapSlice(s.Actions, func(t iam.TrackedAction) TrackedActionLastAccessed {
					return TrackedActionLastAccessed{ActionName: t.Action, LastAccessedEntity: t.Entity, LastAccessedTime: timePtr(t.At), LastAccessedRegion: t.Region}
				})
			}
			return out
		})}, nil
}

func (a *Adapter) getServiceLastAccessedDetailsWithEntities(ctx context.Context, in *GetServiceLastAccessedDetailsWithEntitiesRequest) (*GetServiceLastAccessedDetailsWithEntitiesResponse, error) {
	job, p, err := a.Core.ServiceLastAccessedEntities(ctx, caller(ctx), in.JobId, in.ServiceNamespace, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &GetServiceLastAccessedDetailsWithEntitiesResponse{JobStatus: job.Status, JobCreationDate: awsproto.NewTime(job.Created),
		JobCompletionDate: awsproto.NewTime(job.Completed), IsTruncated: truncated(p), Marker: p.Marker,
		EntityDetailsList: mapSlice(p.Items, func(e iam.EntityAccess) EntityDetails {
			return EntityDetails{EntityInfo: &EntityInfo{Arn: e.ARN, Name: e.Name, Type: e.Type, Id: e.ID, Path: e.Path},
				LastAuthenticated: timePtr(e.LastAuthenticated)}
		})}, nil
}

func (a *Adapter) listPoliciesGrantingServiceAccess(ctx context.Context, in *ListPoliciesGrantingServiceAccessRequest) (*ListPoliciesGrantingServiceAccessResponse, error) {
	grants, err := a.Core.PoliciesGrantingServiceAccess(ctx, caller(ctx), in.Arn, in.ServiceNamespaces)
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListPoliciesGrantingServiceAccessResponse{IsTruncated: ptr(false),
		PoliciesGrantingServiceAccess: mapSlice(grants, func(g iam.ServiceGrants) ListPoliciesGrantingServiceAccessEntry {
			return ListPoliciesGrantingServiceAccessEntry{ServiceNamespace: g.Namespace,
				Policies: mapSlice(g.Policies, func(p iam.PolicyGrant) PolicyGrantingServiceAccess {
					return PolicyGrantingServiceAccess{PolicyName: p.PolicyName, PolicyType: p.PolicyType, PolicyArn: p.PolicyARN,
						EntityType: p.EntityType, EntityName: p.EntityName}
				})}
		})}, nil
}

func (a *Adapter) generateOrganizationsAccessReport(ctx context.Context, in *GenerateOrganizationsAccessReportRequest) (*GenerateOrganizationsAccessReportResponse, error) {
	id, err := a.Core.GenerateOrganizationsAccessReport(ctx, caller(ctx), in.EntityPath, in.OrganizationsPolicyId)
	if err != nil {
		return nil, mapErr(err)
	}
	return &GenerateOrganizationsAccessReportResponse{JobId: id}, nil
}

func (a *Adapter) getOrganizationsAccessReport(ctx context.Context, in *GetOrganizationsAccessReportRequest) (*GetOrganizationsAccessReportResponse, error) {
	r, err := a.Core.OrganizationsAccessReport(ctx, caller(ctx), in.JobId, in.SortKey, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &GetOrganizationsAccessReportResponse{JobStatus: r.Job.Status, JobCreationDate: awsproto.NewTime(r.Job.Created),
		JobCompletionDate: awsproto.NewTime(r.Job.Completed), NumberOfServicesAccessible: ptr(int32(r.Accessible)),
		NumberOfServicesNotAccessed: ptr(int32(r.NotAccessed)), IsTruncated: truncated(r.Details), Marker: r.Details.Marker,
		AccessDetails: mapSlice(r.Details.Items, func(d iam.OrgAccessDetail) AccessDetail {
			return AccessDetail{ServiceName: d.Name, ServiceNamespace: d.Namespace, Region: d.Region, EntityPath: d.EntityPath,
				LastAuthenticatedTime: timePtr(d.LastAuthenticated), TotalAuthenticatedEntities: ptr(int32(d.TotalEntities))}
		})}, nil
}

// ---- account features ----

func (a *Adapter) setSecurityTokenServicePreferences(ctx context.Context, in *SetSecurityTokenServicePreferencesRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.SetSecurityTokenServicePreferences(ctx, caller(ctx), in.GlobalEndpointTokenVersion))
}

func (a *Adapter) enableOutboundWebIdentityFederation(ctx context.Context, _ *struct{}) (*EnableOutboundWebIdentityFederationResponse, error) {
	issuer, err := a.Core.EnableOutboundWebIdentityFederation(ctx, caller(ctx))
	if err != nil {
		return nil, mapErr(err)
	}
	return &EnableOutboundWebIdentityFederationResponse{IssuerIdentifier: issuer}, nil
}

func (a *Adapter) disableOutboundWebIdentityFederation(ctx context.Context, _ *struct{}) (*struct{}, error) {
	return nil, mapErr(a.Core.DisableOutboundWebIdentityFederation(ctx, caller(ctx)))
}

func (a *Adapter) getOutboundWebIdentityFederationInfo(ctx context.Context, _ *struct{}) (*GetOutboundWebIdentityFederationInfoResponse, error) {
	f, err := a.Core.GetOutboundWebIdentityFederationInfo(ctx, caller(ctx))
	if err != nil {
		return nil, mapErr(err)
	}
	return &GetOutboundWebIdentityFederationInfoResponse{IssuerIdentifier: f.IssuerIdentifier, JwtVendingEnabled: ptr(f.Enabled)}, nil
}

// ---- delegation requests ----

func delegationARN(ctx context.Context, id string) string { return res(ctx, "delegation-request/", id) }

func delegationOut(d iam.DelegationRequest) *DelegationRequest {
	out := &DelegationRequest{DelegationRequestId: d.ID, OwnerAccountId: d.OwnerAccountID, Description: d.Description,
		RequestMessage: d.RequestMessage, OwnerId: d.OwnerID, ApproverId: d.ApproverID, State: d.State,
		ExpirationTime: timePtr(d.Expires), RequestorId: d.RequestorID, RequestorName: d.RequestorName,
		CreateDate: timePtr(d.Created), UpdatedTime: timePtr(d.Updated), SessionDuration: ptr(int32(d.SessionDuration)),
		RedirectUrl: d.RedirectURL, Notes: d.Notes, RejectionReason: d.RejectionReason, OnlySendByOwner: ptr(d.OnlySendByOwner),
		Permissions: &DelegationPermission{PolicyTemplateArn: d.PolicyTemplateARN,
			Parameters: mapSlice(d.Parameters, func(p iam.DelegationParameter) PolicyParameter {
				return PolicyParameter{Name: p.Name, Values: p.Values, Type: p.Type}
			})}}
	return out
}

func (a *Adapter) createDelegationRequest(ctx context.Context, in *CreateDelegationRequestRequest) (*CreateDelegationRequestResponse, error) {
	di := iam.DelegationInput{OwnerAccountID: in.OwnerAccountId, Description: in.Description, RequestMessage: in.RequestMessage,
		RequestorWorkflowID: in.RequestorWorkflowId, RedirectURL: in.RedirectUrl, NotificationChannel: in.NotificationChannel,
		SessionDuration: maxItems(in.SessionDuration), OnlySendByOwner: boolVal(in.OnlySendByOwner)}
	if in.Permissions != nil {
		di.PolicyTemplateARN = in.Permissions.PolicyTemplateArn
		di.Parameters = mapSlice(in.Permissions.Parameters, func(p PolicyParameter) iam.DelegationParameter {
			return iam.DelegationParameter{Name: p.Name, Values: p.Values, Type: p.Type}
		})
	}
	d, err := a.Core.CreateDelegationRequest(ctx, caller(ctx), di)
	if err != nil {
		return nil, mapErr(err)
	}
	return &CreateDelegationRequestResponse{DelegationRequestId: d.ID,
		ConsoleDeepLink: "https://console.aws.amazon.com/iam/home#/delegation-requests/" + d.ID}, nil
}

func (a *Adapter) getDelegationRequest(ctx context.Context, in *GetDelegationRequestRequest) (*GetDelegationRequestResponse, error) {
	d, err := a.Core.GetDelegationRequest(ctx, caller(ctx), in.DelegationRequestId)
	if err != nil {
		return nil, mapErr(err)
	}
	return &GetDelegationRequestResponse{DelegationRequest: delegationOut(d)}, nil
}

func (a *Adapter) listDelegationRequests(ctx context.Context, in *ListDelegationRequestsRequest) (*ListDelegationRequestsResponse, error) {
	p, err := a.Core.ListDelegationRequests(ctx, caller(ctx), in.OwnerId, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListDelegationRequestsResponse{IsTruncated: truncated(p), Marker: p.Marker,
		DelegationRequests: mapSlice(p.Items, func(d iam.DelegationRequest) DelegationRequest { return *delegationOut(d) })}, nil
}

func (a *Adapter) associateDelegationRequest(ctx context.Context, in *AssociateDelegationRequestRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.AssociateDelegationRequest(ctx, caller(ctx), in.DelegationRequestId))
}

func (a *Adapter) updateDelegationRequest(ctx context.Context, in *UpdateDelegationRequestRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UpdateDelegationRequest(ctx, caller(ctx), in.DelegationRequestId, in.Notes))
}

func (a *Adapter) acceptDelegationRequest(ctx context.Context, in *AcceptDelegationRequestRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.AcceptDelegationRequest(ctx, caller(ctx), in.DelegationRequestId))
}

func (a *Adapter) rejectDelegationRequest(ctx context.Context, in *RejectDelegationRequestRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.RejectDelegationRequest(ctx, caller(ctx), in.DelegationRequestId, in.Notes))
}

func (a *Adapter) sendDelegationToken(ctx context.Context, in *SendDelegationTokenRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.SendDelegationToken(ctx, caller(ctx), in.DelegationRequestId))
}

func (a *Adapter) getHumanReadableSummary(ctx context.Context, in *GetHumanReadableSummaryRequest) (*GetHumanReadableSummaryResponse, error) {
	sum, err := a.Core.HumanReadableSummary(ctx, caller(ctx), in.EntityArn, in.Locale)
	if err != nil {
		return nil, mapErr(err)
	}
	return &GetHumanReadableSummaryResponse{SummaryContent: sum.Content, Locale: sum.Locale, SummaryState: sum.State}, nil
}
