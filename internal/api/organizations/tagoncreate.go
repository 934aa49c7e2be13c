package organizations

import "github.com/idcenter/idcenter/internal/api/awsproto"

// taggedCreates are the operations that create a resource (or handshake) with
// the request's Tags. The API reference says of each: "If the request
// includes tags, then the requester must have the organizations:TagResource
// permission." The new resource has no ARN before the call, so TagResource is
// authorised on the operation's own resource: "*" for CreateAccount,
// CreateGovCloudAccount, CreatePolicy and the invitations, the parent root or
// OU for CreateOrganizationalUnit, the resource policy for PutResourcePolicy.
var taggedCreates = []string{
	"CreateAccount", "CreateGovCloudAccount", "CreateOrganizationalUnit", "CreatePolicy",
	"InviteAccountToOrganization", "InviteOrganizationToTransferResponsibility", "PutResourcePolicy",
}

// requireTagging adds organizations:TagResource to the tagged creates
// (awsproto.RequireWhenTagged: only when the request includes tags).
func requireTagging(h map[string]awsproto.Handler) {
	for _, op := range taggedCreates {
		awsproto.RequireWhenTagged(h[op], "organizations:TagResource", nil)
	}
}
