package ssooidc

import (
	"context"
	"net/http"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/oidc"
)

// Adapter serves sso-oidc: RegisterClient, StartDeviceAuthorization and
// CreateToken, and CreateTokenWithIAM for applications (adapter_iam.go).
type Adapter struct {
	Core *oidc.Service
}

// oauthErrors maps each exception to its OAuth `error` value and status.
var oauthErrors = map[string]struct {
	oauth  string
	status int
}{
	oidc.CodeAccessDenied:          {"access_denied", http.StatusBadRequest},
	oidc.CodeAuthorizationPending:  {"authorization_pending", http.StatusBadRequest},
	oidc.CodeExpiredToken:          {"expired_token", http.StatusBadRequest},
	oidc.CodeInvalidClient:         {"invalid_client", http.StatusUnauthorized},
	oidc.CodeInvalidClientMetadata: {"invalid_client_metadata", http.StatusBadRequest},
	oidc.CodeInvalidGrant:          {"invalid_grant", http.StatusBadRequest},
	oidc.CodeInvalidRedirectURI:    {"invalid_redirect_uri", http.StatusBadRequest},
	oidc.CodeInvalidRequest:        {"invalid_request", http.StatusBadRequest},
	oidc.CodeInvalidScope:          {"invalid_scope", http.StatusBadRequest},
	oidc.CodeSlowDown:              {"slow_down", http.StatusBadRequest},
	oidc.CodeUnauthorizedClient:    {"unauthorized_client", http.StatusBadRequest},
	oidc.CodeUnsupportedGrantType:  {"unsupported_grant_type", http.StatusBadRequest},
}

// apiErr turns a core fault into the OAuth-style error body the CLI reads:
// `__type` (and X-Amzn-ErrorType), `error`, `error_description`, `message`.
func apiErr(err error) error {
	fe := fault.As(err)
	if fe == nil {
		return err
	}
	code := fe.Reason
	if _, ok := oauthErrors[code]; !ok {
		code = oidc.CodeInvalidRequest
	}
	e := oauthErrors[code]
	return &awsproto.Error{Code: code, Status: e.status, Message: fe.Message,
		Fields: map[string]any{"error": e.oauth, "error_description": fe.Message}}
}

// Service builds the model-driven service for the router. Its operations but
// CreateTokenWithIAM are unauthenticated (the client authenticates with its
// id and secret); authz authorises CreateTokenWithIAM.
func (a *Adapter) Service(authz awsproto.Authorizer) *awsproto.Service {
	h := map[string]awsproto.Handler{
		"RegisterClient":           awsproto.Op(a.registerClient),
		"StartDeviceAuthorization": awsproto.Op(a.startDeviceAuthorization),
		"CreateToken":              awsproto.Op(a.createToken),
	}
	for name, op := range a.iamHandlers() { // adapter_iam.go
		h[name] = op
	}
	return &awsproto.Service{
		Model:          Model,
		IAMPrefix:      "sso-oauth",
		Authorizer:     authz,
		ValidationCode: "InvalidRequestException",
		Handlers:       h,
	}
}

func ptr[T any](v T) *T { return &v }

func (a *Adapter) registerClient(ctx context.Context, in *RegisterClientRequest) (*RegisterClientResponse, error) {
	c, err := a.Core.RegisterClient(ctx, oidc.RegisterClientInput{Name: in.ClientName, Type: in.ClientType, Scopes: in.Scopes,
		GrantTypes: in.GrantTypes, RedirectURIs: in.RedirectUris, IssuerURL: in.IssuerUrl})
	if err != nil {
		return nil, apiErr(err)
	}
	return &RegisterClientResponse{ClientId: c.ClientID, ClientSecret: c.ClientSecret,
		ClientIdIssuedAt: ptr(c.IssuedAt.Unix()), ClientSecretExpiresAt: ptr(c.ExpiresAt.Unix()),
		AuthorizationEndpoint: c.AuthorizationEndpoint, TokenEndpoint: c.TokenEndpoint}, nil
}

func (a *Adapter) startDeviceAuthorization(ctx context.Context, in *StartDeviceAuthorizationRequest) (*StartDeviceAuthorizationResponse, error) {
	d, err := a.Core.StartDeviceAuthorization(ctx, in.ClientId, in.ClientSecret, in.StartUrl)
	if err != nil {
		return nil, apiErr(err)
	}
	return &StartDeviceAuthorizationResponse{DeviceCode: d.DeviceCode, UserCode: d.UserCode, VerificationUri: d.VerificationURI,
		VerificationUriComplete: d.VerificationURIComplete, ExpiresIn: ptr(int32(d.ExpiresIn)), Interval: ptr(int32(d.Interval))}, nil
}

func (a *Adapter) createToken(ctx context.Context, in *CreateTokenRequest) (*CreateTokenResponse, error) {
	t, err := a.Core.CreateToken(ctx, oidc.CreateTokenInput{ClientID: in.ClientId, ClientSecret: in.ClientSecret,
		GrantType: in.GrantType, DeviceCode: in.DeviceCode, Code: in.Code, RefreshToken: in.RefreshToken,
		RedirectURI: in.RedirectUri, CodeVerifier: in.CodeVerifier})
	if err != nil {
		return nil, apiErr(err)
	}
	return &CreateTokenResponse{AccessToken: t.AccessToken, TokenType: "Bearer", ExpiresIn: ptr(int32(t.ExpiresIn)),
		RefreshToken: t.RefreshToken}, nil
}
