package app

import (
	"context"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/authn"
	"github.com/idcenter/idcenter/internal/core/authz"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/httpx"
)

// logDenial writes the server's explanation of a denied call, one line at
// level info: who, what, on which resource, which statement of which policy
// denied (or which kind of policy allowed nothing), and the request id the
// client saw. No credential or policy text is logged. A closed account's
// principals are refused before any evaluation, with that as the reason.
func (s *Server) logDenial(ctx context.Context, d authz.Denial) {
	s.logAccessDenied(ctx, d.Caller.ARN, d.Action, d.Resource, d.Decision.String())
}

// logRefusal logs err when it refuses the call before any policy is
// evaluated (a closed account's principal), and returns it.
func (s *Server) logRefusal(ctx context.Context, principal, action, resource string, err error) error {
	if fe := fault.As(err); fe != nil && fe.Kind == fault.AccessDenied {
		s.logAccessDenied(ctx, principal, action, resource, fe.Message)
	}
	return err
}

// logUnloggedRefusal logs an AccessDenied answer decided after the
// authorisation point (the Organizations gate, sso-admin's delegated
// administrator rules, the credentials core's own refusals): awsproto tells
// of each one nobody logged (awsproto/refusals.go), with the operation's
// action and first resource; the reason is the answer's message.
func (s *Server) logUnloggedRefusal(ctx context.Context, action, resource, message string) {
	principal := ""
	if p, ok := authn.PrincipalFrom(ctx); ok {
		principal = p.ARN
	}
	s.logAccessDenied(ctx, principal, action, resource, message)
}

func (s *Server) logAccessDenied(ctx context.Context, principal, action, resource, reason string) {
	awsproto.RefusalLogged(ctx) // logged once (awsproto/refusals.go)
	id := awsproto.RequestID(ctx)
	if id == "" {
		id = httpx.RequestID(ctx)
	}
	s.Log.InfoContext(ctx, "access denied",
		"principal", principal,
		"action", action,
		"resource", resource,
		"reason", reason,
		"request_id", id)
}
