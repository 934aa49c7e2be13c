package ssooidc

import (
	"context"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/core/oidc"
)

// iamHandlers are the SigV4-signed operations: the router authenticates the
// caller and the authorisation point checks sso-oauth:CreateTokenWithIAM on
// the application (the clientId is its ARN).
func (a *Adapter) iamHandlers() map[string]awsproto.Handler {
	return map[string]awsproto.Handler{
		"CreateTokenWithIAM": awsproto.Op(a.createTokenWithIAM).WithResource(func(_ context.Context, in *CreateTokenWithIAMRequest) string {
			return in.ClientId
		}),
	}
}

func (a *Adapter) createTokenWithIAM(ctx context.Context, in *CreateTokenWithIAMRequest) (*CreateTokenWithIAMResponse, error) {
	t, err := a.Core.CreateTokenWithIAM(ctx, oidc.IAMTokenInput{ClientID: in.ClientId, GrantType: in.GrantType,
		Code: in.Code, RedirectURI: in.RedirectUri, CodeVerifier: in.CodeVerifier, RefreshToken: in.RefreshToken,
		Assertion: in.Assertion, SubjectToken: in.SubjectToken, SubjectTokenType: in.SubjectTokenType,
		RequestedTokenType: in.RequestedTokenType, Scopes: in.Scope})
	if err != nil {
		return nil, apiErr(err)
	}
	return &CreateTokenWithIAMResponse{AccessToken: t.AccessToken, TokenType: "Bearer", ExpiresIn: ptr(int32(t.ExpiresIn)),
		RefreshToken: t.RefreshToken, IdToken: t.IDToken, IssuedTokenType: t.IssuedTokenType, Scope: t.Scopes}, nil
}
