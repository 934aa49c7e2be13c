package store

import "context"

// Instance statuses (sso-admin InstanceStatus).
const (
	InstanceCreateInProgress = "CREATE_IN_PROGRESS"
	InstanceDeleteInProgress = "DELETE_IN_PROGRESS"
	InstanceActive           = "ACTIVE"
)

// InstanceLifecycleRepo changes and removes instances (sso-admin
// CreateInstance / DeleteInstance). Part of InstanceRepo.
type InstanceLifecycleRepo interface {
	// SetInstanceStatus changes an instance's status; ErrNotFound when absent.
	SetInstanceStatus(ctx context.Context, arn, status string) error
	// DeleteInstance removes an instance with everything that belongs to it:
	// its permission sets, assignments, requests, provisioning records,
	// applications, settings and tags, and its identity store's users,
	// groups, memberships, sign-in records and SCIM tokens. ErrNotFound when
	// absent. (The IAM roles provisioned in accounts are the caller's business.)
	DeleteInstance(ctx context.Context, arn string) error
}
