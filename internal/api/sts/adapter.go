package sts

import (
	"context"
	"net/http"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/authn"
)

// Adapter serves the STS API.
type Adapter struct{}

// Service builds the model-driven service for the router.
func (a *Adapter) Service(authz awsproto.Authorizer) *awsproto.Service {
	return &awsproto.Service{
		Model:      Model,
		IAMPrefix:  "sts",
		Authorizer: authz,
		Handlers: map[string]awsproto.Handler{
			"GetCallerIdentity": awsproto.Op(a.getCallerIdentity),
		},
	}
}

func (a *Adapter) getCallerIdentity(ctx context.Context, _ *GetCallerIdentityRequest) (*GetCallerIdentityResponse, error) {
	p, ok := authn.PrincipalFrom(ctx)
	if !ok {
		return nil, &awsproto.Error{Code: "MissingAuthenticationToken", Status: http.StatusForbidden, Message: "Request is missing Authentication Token"}
	}
	return &GetCallerIdentityResponse{UserId: p.UserID, Account: p.AccountID, Arn: p.ARN}, nil
}
