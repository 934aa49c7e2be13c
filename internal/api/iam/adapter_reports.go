package iam

import (
	"context"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/core/iam"
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
