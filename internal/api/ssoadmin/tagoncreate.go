package ssoadmin

import "github.com/idcenter/idcenter/internal/api/awsproto"

// taggedCreates are sso-admin's operations that create a resource with the
// request's Tags; as on AWS (Service Authorization Reference: sso:TagResource
// is a dependent action of these creates), a request with tags needs
// sso:TagResource too. It is authorised on the operation's own resource (the
// instance ARN for CreatePermissionSet, CreateApplication and
// CreateTrustedTokenIssuer; CreateInstance's own resource), since the new
// resource has no ARN before the call.
var taggedCreates = []string{"CreatePermissionSet", "CreateApplication", "CreateInstance", "CreateTrustedTokenIssuer"}

// requireTagging adds sso:TagResource to the tagged creates
// (awsproto.RequireWhenTagged: only when the request includes tags).
func requireTagging(h map[string]awsproto.Handler) {
	for _, op := range taggedCreates {
		awsproto.RequireWhenTagged(h[op], "sso:TagResource", nil)
	}
}
