package ssoportal

import (
	"context"
	"net/http"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/oidc"
	"github.com/idcenter/idcenter/internal/core/portal"
)

// Adapter serves the portal API with the bearer token of x-amz-sso_bearer_token.
type Adapter struct {
	Core *portal.Service
}

// apiErr maps core faults: a bad or expired token is UnauthorizedException
// (401), an unassigned role AWS's unmodelled ForbiddenException "No access".
func apiErr(err error) error {
	fe := fault.As(err)
	if fe == nil {
		return err
	}
	switch {
	case fe.Reason == oidc.CodeUnauthorized:
		return &awsproto.Error{Code: "UnauthorizedException", Status: http.StatusUnauthorized, Message: fe.Message}
	case fe.Reason == portal.CodeForbidden:
		return &awsproto.Error{Code: portal.CodeForbidden, Status: http.StatusForbidden, Message: fe.Message}
	case fe.Kind == fault.NotFound:
		return &awsproto.Error{Code: "ResourceNotFoundException", Status: http.StatusNotFound, Message: fe.Message}
	}
	return &awsproto.Error{Code: "InvalidRequestException", Status: http.StatusBadRequest, Message: fe.Message}
}

// Service builds the model-driven service for the router.
func (a *Adapter) Service(authz awsproto.Authorizer) *awsproto.Service {
	return &awsproto.Service{
		Model:          lenientModel,
		IAMPrefix:      "sso",
		Authorizer:     authz,
		ValidationCode: "InvalidRequestException",
		Handlers: map[string]awsproto.Handler{
			"ListAccounts":       awsproto.Op(a.listAccounts),
			"ListAccountRoles":   awsproto.Op(a.listAccountRoles),
			"GetRoleCredentials": awsproto.Op(a.getRoleCredentials),
			"Logout":             awsproto.Op(a.logout),
		},
	}
}

// maxPage is the model's largest max_result: larger requests are clamped to it.
const maxPage = 100

// lenientModel is Model with no upper bound on MaxResultType (the max_result of
// ListAccounts and ListAccountRoles, its only users), so that max_result=1000,
// which aws-sso-cli sends, is not refused by the codec's validation; the
// handlers clamp it to maxPage (see max) as AWS does. Everything else, the
// lower bound included, is validated as modelled.
var lenientModel = func() *awsproto.Model {
	shapes := append([]awsproto.Shape(nil), Model.Shapes...)
	for i := range shapes {
		if shapes[i].Name == "MaxResultType" {
			shapes[i].HasMax = false
		}
	}
	return &awsproto.Model{ServiceID: Model.ServiceID, Protocol: Model.Protocol, APIVersion: Model.APIVersion,
		TargetPrefix: Model.TargetPrefix, JSONVersion: Model.JSONVersion, SigningName: Model.SigningName,
		EndpointPrefix: Model.EndpointPrefix, XMLNamespace: Model.XMLNamespace, Operations: Model.Operations, Shapes: shapes}
}()

// max is a requested page size clamped to maxPage (0 when absent: the default).
func max(p *int32) int {
	if p == nil {
		return 0
	}
	return min(int(*p), maxPage)
}

func (a *Adapter) listAccounts(ctx context.Context, in *ListAccountsRequest) (*ListAccountsResponse, error) {
	accts, next, err := a.Core.ListAccounts(ctx, in.AccessToken, in.NextToken, max(in.MaxResults))
	if err != nil {
		return nil, apiErr(err)
	}
	out := &ListAccountsResponse{NextToken: next, AccountList: []AccountInfo{}}
	for _, x := range accts {
		out.AccountList = append(out.AccountList, AccountInfo{AccountId: x.AccountID, AccountName: x.AccountName, EmailAddress: x.EmailAddress})
	}
	return out, nil
}

func (a *Adapter) listAccountRoles(ctx context.Context, in *ListAccountRolesRequest) (*ListAccountRolesResponse, error) {
	roles, next, err := a.Core.ListAccountRoles(ctx, in.AccessToken, in.AccountId, in.NextToken, max(in.MaxResults))
	if err != nil {
		return nil, apiErr(err)
	}
	out := &ListAccountRolesResponse{NextToken: next, RoleList: []RoleInfo{}}
	for _, r := range roles {
		out.RoleList = append(out.RoleList, RoleInfo{RoleName: r, AccountId: in.AccountId})
	}
	return out, nil
}

func (a *Adapter) getRoleCredentials(ctx context.Context, in *GetRoleCredentialsRequest) (*GetRoleCredentialsResponse, error) {
	c, err := a.Core.GetRoleCredentials(ctx, in.AccessToken, in.AccountId, in.RoleName)
	if err != nil {
		return nil, apiErr(err)
	}
	exp := c.Expiration.UnixMilli()
	return &GetRoleCredentialsResponse{RoleCredentials: &RoleCredentials{AccessKeyId: c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: &exp}}, nil
}

func (a *Adapter) logout(ctx context.Context, in *LogoutRequest) (*struct{}, error) {
	if err := a.Core.Logout(ctx, in.AccessToken); err != nil {
		return nil, apiErr(err)
	}
	return &struct{}{}, nil
}
