package store

import (
	"context"
	"time"
)

// AccessRepo holds IAM Identity Center administration records: permission
// sets with their policies, and the tags of instances and permission sets
// (and, later, account assignments and provisioning requests).
type AccessRepo interface {
	// CreatePermissionSet: ErrAlreadyExists on a duplicate ARN or a name
	// already used in the instance (case-insensitively); ErrNotFound when the
	// instance does not exist.
	CreatePermissionSet(ctx context.Context, ps PermissionSet) error
	// GetPermissionSet finds a permission set of an instance.
	GetPermissionSet(ctx context.Context, instanceARN, arn string) (PermissionSet, error)
	// ReplacePermissionSet overwrites the mutable fields (everything but
	// InstanceARN, ARN, Name and CreatedAt) of a stored permission set.
	ReplacePermissionSet(ctx context.Context, ps PermissionSet) error
	// DeletePermissionSet removes a permission set with its managed policy
	// attachments, customer managed policy references and tags.
	DeletePermissionSet(ctx context.Context, instanceARN, arn string) error
	// ListPermissionSets pages an instance's permission sets by ARN.
	ListPermissionSets(ctx context.Context, instanceARN string, p Page) ([]PermissionSet, error)
	CountPermissionSets(ctx context.Context, instanceARN string) (int, error)

	// AttachManagedPolicy: ErrAlreadyExists when already attached, ErrNotFound
	// when the permission set does not exist.
	AttachManagedPolicy(ctx context.Context, permissionSetARN, policyARN string) error
	// DetachManagedPolicy: ErrNotFound when not attached.
	DetachManagedPolicy(ctx context.Context, permissionSetARN, policyARN string) error
	// ListManagedPolicies pages a permission set's AWS managed policy ARNs in
	// ARN order.
	ListManagedPolicies(ctx context.Context, permissionSetARN string, p Page) ([]string, error)

	// AttachCustomerManagedPolicy: ErrAlreadyExists when the same Path+Name is
	// attached, ErrNotFound when the permission set does not exist.
	AttachCustomerManagedPolicy(ctx context.Context, permissionSetARN string, ref PolicyReference) error
	// DetachCustomerManagedPolicy: ErrNotFound when not attached.
	DetachCustomerManagedPolicy(ctx context.Context, permissionSetARN string, ref PolicyReference) error
	// ListCustomerManagedPolicies pages the references in PolicyReference.Key
	// order.
	ListCustomerManagedPolicies(ctx context.Context, permissionSetARN string, p Page) ([]PolicyReference, error)

	// PutTags adds tags to a resource of an instance (the instance itself or
	// one of its permission sets), replacing the values of existing keys.
	// ErrNotFound when the instance does not exist.
	PutTags(ctx context.Context, instanceARN, resourceARN string, tags []Tag) error
	// DeleteTags removes the given keys; absent keys are ignored.
	DeleteTags(ctx context.Context, resourceARN string, keys []string) error
	// ListTags pages a resource's tags by key.
	ListTags(ctx context.Context, resourceARN string, p Page) ([]Tag, error)
}

// PermissionSet is an IAM Identity Center permission set. (InstanceARN, Name)
// is unique, case-insensitively.
type PermissionSet struct {
	InstanceARN     string
	ARN             string // arn:aws:sso:::permissionSet/ssoins-<16>/ps-<16 hex>
	Name            string
	Description     string
	SessionDuration string // ISO-8601, exactly as given
	RelayState      string
	// InlinePolicy is the inline policy document; empty when there is none.
	InlinePolicy string
	// Boundary is the permissions boundary; nil when there is none.
	Boundary  *PermissionsBoundary
	CreatedAt time.Time
	// ChangedAt is the last change of anything provisioned into accounts
	// (attributes, policies, boundary): accounts provisioned before it are
	// out of date.
	ChangedAt time.Time
}

// PolicyReference names a customer managed policy by name and path.
type PolicyReference struct {
	Name string
	Path string // "/" by default
}

// Key is the reference's unique form: the path followed by the name.
func (r PolicyReference) Key() string { return r.Path + r.Name }

// PermissionsBoundary is either an AWS managed policy ARN or a customer managed
// policy reference (exactly one is set).
type PermissionsBoundary struct {
	ManagedPolicyARN string
	CustomerManaged  *PolicyReference
}

// Tag is a key-value pair on a resource.
type Tag struct {
	Key   string
	Value string
}
