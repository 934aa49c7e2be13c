package iam

import "github.com/idcenter/idcenter/internal/api/awsproto"

// Adapter serves this API. No operation has a handler yet: every modelled
// operation is routed here and answered as not implemented, so clients get a
// clear protocol error instead of landing on another service.
type Adapter struct{}

// Service builds the model-driven service for the router.
func (a *Adapter) Service(authz awsproto.Authorizer) *awsproto.Service {
	return &awsproto.Service{
		Model:      Model,
		IAMPrefix:  "iam",
		Authorizer: authz,
		Handlers:   map[string]awsproto.Handler{},
	}
}
