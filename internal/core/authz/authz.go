package authz

import (
	"context"
	"fmt"

	"github.com/idcenter/idcenter/internal/core/fault"
)

// Caller is who makes a call, as authentication established it.
type Caller struct {
	AccountID string
	ARN       string
	// Type is "Account" for an account's root user, "User", "AssumedRole", "FederatedUser".
	Type string
}

// Authorizer decides calls.
type Authorizer struct {
	// ManagementAccountID is the organization's management account.
	ManagementAccountID string
}

// Authorize returns nil when c may perform action on resource, and a
// fault.AccessDenied error worded as AWS words it otherwise.
func (a *Authorizer) Authorize(_ context.Context, c Caller, action, resource string) error {
	if action == "sts:GetCallerIdentity" {
		// AWS: no permission is required, and even an explicit deny does not block it.
		return nil
	}
	if c.Type == "Account" && c.AccountID == a.ManagementAccountID {
		return nil
	}
	if resource == "" {
		resource = "*"
	}
	return &fault.Error{
		Kind: fault.AccessDenied,
		Message: fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action",
			c.ARN, action, resource, action),
	}
}
