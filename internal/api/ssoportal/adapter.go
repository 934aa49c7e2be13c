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
		Model:          Model,
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

func max(p *int32) int {
	if p == nil {
		return 0
	}
	return int(*p)
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
