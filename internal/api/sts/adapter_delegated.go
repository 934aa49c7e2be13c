package sts

import (
	"context"

	"github.com/idcenter/idcenter/internal/api/awsproto"
)

// delegatedHandlers: GetDelegatedAccessToken (signed; the partner exchanges
// the trade-in token of an IAM delegation request for credentials of the
// principal that accepted it). The Service Authorization Reference names no
// resource type for it ("*").
func (a *Adapter) delegatedHandlers() map[string]awsproto.Handler {
	return map[string]awsproto.Handler{
		"GetDelegatedAccessToken": awsproto.Op(a.getDelegatedAccessToken).WithResource(anyResource[GetDelegatedAccessTokenRequest]),
	}
}

// getDelegatedAccessToken leaves PackedPolicySize out: AWS documents it as
// "not populated for GetDelegatedAccessToken".
func (a *Adapter) getDelegatedAccessToken(ctx context.Context, in *GetDelegatedAccessTokenRequest) (*GetDelegatedAccessTokenResponse, error) {
	c, ok := caller(ctx)
	if !ok {
		return nil, missingAuth()
	}
	out, err := a.Core.GetDelegatedAccessToken(ctx, c, in.TradeInToken)
	if err != nil {
		return nil, mapErr(err)
	}
	return &GetDelegatedAccessTokenResponse{Credentials: credentialsOut(out.Credentials), AssumedPrincipal: out.AssumedPrincipal}, nil
}
