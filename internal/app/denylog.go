package app

import (
	"context"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/core/authz"
	"github.com/idcenter/idcenter/internal/httpx"
)

// logDenial writes the server's explanation of a denied call, one line at
// level info: who, what, on which resource, which statement of which policy
// denied (or which kind of policy allowed nothing), and the request id the
// client saw. No credential or policy text is logged.
func (s *Server) logDenial(ctx context.Context, d authz.Denial) {
	id := awsproto.RequestID(ctx)
	if id == "" {
		id = httpx.RequestID(ctx)
	}
	s.Log.InfoContext(ctx, "access denied",
		"principal", d.Caller.ARN,
		"action", d.Action,
		"resource", d.Resource,
		"reason", d.Decision.String(),
		"request_id", id)
}
