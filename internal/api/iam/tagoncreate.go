package iam

import "github.com/idcenter/idcenter/internal/api/awsproto"

// tagOnCreate maps IAM's creates that take Tags to the tagging action AWS
// requires too when the request includes tags (IAM User Guide, "Permissions
// required for tagging": creating a user with tags needs iam:CreateUser and
// iam:TagUser, and so on). The tagging action is authorised on the new
// resource's ARN, the operation's own resource.
var tagOnCreate = map[string]string{
	"CreateUser":                  "iam:TagUser",
	"CreateRole":                  "iam:TagRole",
	"CreatePolicy":                "iam:TagPolicy",
	"CreateInstanceProfile":       "iam:TagInstanceProfile",
	"CreateOpenIDConnectProvider": "iam:TagOpenIDConnectProvider",
	"CreateSAMLProvider":          "iam:TagSAMLProvider",
	"CreateVirtualMFADevice":      "iam:TagMFADevice",
	"UploadServerCertificate":     "iam:TagServerCertificate",
}

// requireTagging adds the tagging actions of tagOnCreate
// (awsproto.RequireWhenTagged: only when the request includes tags).
func requireTagging(h map[string]awsproto.Handler) {
	for op, action := range tagOnCreate {
		awsproto.RequireWhenTagged(h[op], action, nil)
	}
}
