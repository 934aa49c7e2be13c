package store

import (
	"context"
	"time"
)

// Organizations target types, as OrgPolicyTarget.TargetType names them.
const (
	OrgTargetRoot    = "ROOT"
	OrgTargetOU      = "ORGANIZATIONAL_UNIT"
	OrgTargetAccount = "ACCOUNT"
)

// OrgRoot is the root of the organization's tree (one per organization).
type OrgRoot struct {
	ID   string // r-xxxx
	ARN  string
	Name string // Root
	// PolicyTypes are the policy types enabled in the root, in the order enabled.
	PolicyTypes []OrgPolicyType
}

// OrgPolicyType is a policy type's status in a root.
type OrgPolicyType struct {
	Type   string
	Status string // ENABLED, PENDING_ENABLE, PENDING_DISABLE
}

// OrgUnit is an organizational unit. ID is unique; (ParentID, lower-case Name) is unique.
type OrgUnit struct {
	ID       string // ou-<root4>-<8>
	ARN      string
	Name     string
	ParentID string // a root or an OU
}

// CreateAccountStatus is the record of one CreateAccount request.
type CreateAccountStatus struct {
	ID            string // car-<32 hex>
	AccountName   string
	State         string // IN_PROGRESS, SUCCEEDED, FAILED
	AccountID     string
	FailureReason string
	RequestedAt   time.Time
	CompletedAt   time.Time
}

// OrgPolicy is an Organizations policy (SCP, tag policy, …). ID is unique.
type OrgPolicy struct {
	ID          string // p-…
	ARN         string
	Name        string
	Description string
	Type        string // SERVICE_CONTROL_POLICY, TAG_POLICY, …
	Content     string
	AWSManaged  bool
}

// OrgPolicyTarget attaches a policy to a root, an OU or an account.
// (PolicyID, TargetID) is unique.
type OrgPolicyTarget struct {
	PolicyID   string
	TargetID   string
	TargetType string // OrgTargetRoot, OrgTargetOU, OrgTargetAccount
}

// OrgServiceAccess is a service principal with trusted access to the organization.
type OrgServiceAccess struct {
	ServicePrincipal string
	EnabledAt        time.Time
}

// OrgDelegatedAdmin registers a member account as delegated administrator of a
// service. (AccountID, ServicePrincipal) is unique.
type OrgDelegatedAdmin struct {
	AccountID        string
	ServicePrincipal string
	DelegatedAt      time.Time
}

// OrgExtRepo holds the organization's tree, policies, account-creation
// requests, tags, trusted services and delegated administrators.
type OrgExtRepo interface {
	// CreateOrgRoot: ErrAlreadyExists when a root exists.
	CreateOrgRoot(ctx context.Context, r OrgRoot) error
	// GetOrgRoot: ErrNotFound when there is none yet.
	GetOrgRoot(ctx context.Context) (OrgRoot, error)
	// ReplaceOrgRoot overwrites the root with r.ID; ErrNotFound when absent.
	ReplaceOrgRoot(ctx context.Context, r OrgRoot) error

	// CreateOrgUnit: ErrAlreadyExists on a duplicate id or name under the same parent.
	CreateOrgUnit(ctx context.Context, u OrgUnit) error
	GetOrgUnit(ctx context.Context, id string) (OrgUnit, error)
	// ReplaceOrgUnit: ErrNotFound, ErrAlreadyExists as CreateOrgUnit.
	ReplaceOrgUnit(ctx context.Context, u OrgUnit) error
	// DeleteOrgUnit removes the OU, its policy attachments and tags; ErrNotFound when absent.
	DeleteOrgUnit(ctx context.Context, id string) error
	// ListOrgUnits lists the OUs directly under parentID, by id.
	ListOrgUnits(ctx context.Context, parentID string, p Page) ([]OrgUnit, error)

	// GetAccountParent returns the id of the account's parent: the root's id
	// when none was recorded. ErrNotFound when the account does not exist.
	GetAccountParent(ctx context.Context, accountID string) (string, error)
	// SetAccountParent records the account's parent; ErrNotFound when the account does not exist.
	SetAccountParent(ctx context.Context, accountID, parentID string) error
	// ListAccountsForParent lists the accounts directly under parentID (accounts
	// with no recorded parent are under the root), by id.
	ListAccountsForParent(ctx context.Context, parentID string, p Page) ([]Account, error)

	// CreateAccountStatus: ErrAlreadyExists on a duplicate id.
	CreateAccountStatus(ctx context.Context, s CreateAccountStatus) error
	GetAccountStatus(ctx context.Context, id string) (CreateAccountStatus, error)
	ReplaceAccountStatus(ctx context.Context, s CreateAccountStatus) error
	// ListAccountStatuses lists requests in the given states (all when empty), by id.
	ListAccountStatuses(ctx context.Context, states []string, p Page) ([]CreateAccountStatus, error)

	// CreateOrgPolicy: ErrAlreadyExists on a duplicate id.
	CreateOrgPolicy(ctx context.Context, pol OrgPolicy) error
	GetOrgPolicy(ctx context.Context, id string) (OrgPolicy, error)
	ReplaceOrgPolicy(ctx context.Context, pol OrgPolicy) error
	// DeleteOrgPolicy removes the policy and its tags; ErrNotFound when absent.
	DeleteOrgPolicy(ctx context.Context, id string) error
	// ListOrgPolicies lists the policies of a type (all when empty), by id.
	ListOrgPolicies(ctx context.Context, policyType string, p Page) ([]OrgPolicy, error)

	// AttachOrgPolicy: ErrAlreadyExists when attached; ErrNotFound when the policy does not exist.
	AttachOrgPolicy(ctx context.Context, a OrgPolicyTarget) error
	// DetachOrgPolicy: ErrNotFound when not attached.
	DetachOrgPolicy(ctx context.Context, policyID, targetID string) error
	// ListOrgPolicyTargets lists a policy's attachments, by target id.
	ListOrgPolicyTargets(ctx context.Context, policyID string) ([]OrgPolicyTarget, error)
	// ListOrgTargetPolicies lists a target's attachments, by policy id.
	ListOrgTargetPolicies(ctx context.Context, targetID string) ([]OrgPolicyTarget, error)

	// GetOrgTags returns a resource's tags sorted by key (nil when none).
	GetOrgTags(ctx context.Context, resourceID string) ([]Tag, error)
	// PutOrgTags replaces a resource's tags.
	PutOrgTags(ctx context.Context, resourceID string, tags []Tag) error

	// PutOrgServiceAccess enables trusted access (keeping the first EnabledAt).
	PutOrgServiceAccess(ctx context.Context, a OrgServiceAccess) error
	// DeleteOrgServiceAccess: ErrNotFound when not enabled.
	DeleteOrgServiceAccess(ctx context.Context, servicePrincipal string) error
	// ListOrgServiceAccess lists the enabled services by principal.
	ListOrgServiceAccess(ctx context.Context) ([]OrgServiceAccess, error)

	// CreateOrgDelegatedAdmin: ErrAlreadyExists when registered.
	CreateOrgDelegatedAdmin(ctx context.Context, d OrgDelegatedAdmin) error
	// DeleteOrgDelegatedAdmin: ErrNotFound when not registered.
	DeleteOrgDelegatedAdmin(ctx context.Context, accountID, servicePrincipal string) error
	// ListOrgDelegatedAdmins lists registrations by account id then principal.
	ListOrgDelegatedAdmins(ctx context.Context) ([]OrgDelegatedAdmin, error)
}
