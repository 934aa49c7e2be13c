package authz

import "strings"

// orgResourceAccount is the account an Organizations ARN names (the
// management account; "" for AWS-managed policies and other ARNs). It is
// the aws:ResourceAccount of a call on that resource, although the
// evaluation treats the resource as the caller's own (resourceAccount).
func orgResourceAccount(resource string) string {
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) < 6 || parts[2] != "organizations" || parts[4] == "aws" {
		return ""
	}
	return parts[4]
}
