package awsproto

import "context"

// Several resources: an action AWS authorises on more than one resource
// (organizations:AttachPolicy on the policy and on its target root, OU or
// account; MoveAccount on the account and both parents) names them all with
// WithResources. Serve asks the Authorizer once per resource, in order, and
// the call goes ahead only when every one is allowed; the first denial is the
// answer (its message names that resource).

// MultiOp is a TypedOp authorised on several resources (made by WithResources).
type MultiOp[In, Out any] struct {
	*TypedOp[In, Out]
	resources func(ctx context.Context, in *In) []string
}

// WithResources sets the function giving every resource ARN this call is
// authorised on (none: "*"). It replaces WithResource.
func (o *TypedOp[In, Out]) WithResources(f func(ctx context.Context, in *In) []string) *MultiOp[In, Out] {
	return &MultiOp[In, Out]{TypedOp: o, resources: f}
}

func (o *MultiOp[In, Out]) resourcesOf(ctx context.Context, in any) []string {
	rs := o.resources(ctx, in.(*In))
	if len(rs) == 0 {
		return []string{"*"}
	}
	return rs
}

// resourceOf is the first resource (for callers that ask for one).
func (o *MultiOp[In, Out]) resourceOf(ctx context.Context, in any) string {
	return o.resourcesOf(ctx, in)[0]
}

func (o *MultiOp[In, Out]) hasResource() bool { return true }

// resourcesOf lists the resources handler h authorises input in on.
func resourcesOf(ctx context.Context, h Handler, in any) []string {
	if m, ok := h.(interface {
		resourcesOf(context.Context, any) []string
	}); ok {
		return m.resourcesOf(ctx, in)
	}
	return []string{h.resourceOf(ctx, in)}
}

// WithKeys is TypedOp.WithKeys keeping the several resources (the promoted
// method would return the inner TypedOp and lose them).
func (o *MultiOp[In, Out]) WithKeys(f func(ctx context.Context, in *In) map[string][]string) *MultiOp[In, Out] {
	o.TypedOp.WithKeys(f)
	return o
}
