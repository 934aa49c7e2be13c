package store

import (
	"context"
	"time"
)

// AccessRepo holds IAM Identity Center administration records: permission
// sets with their policies, and the tags of instances and permission sets
// (and, later, account assignments and provisioning requests).
type AccessRepo interface {
	ApplicationRepo

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

	// CreateAccountAssignment: ErrAlreadyExists when the same assignment
	// exists, ErrNotFound when the instance or the permission set does not.
	CreateAccountAssignment(ctx context.Context, a AccountAssignment) error
	// DeleteAccountAssignment: ErrNotFound when there is no such assignment.
	DeleteAccountAssignment(ctx context.Context, a AccountAssignment) error
	// ListAccountAssignments pages an instance's assignments matching f in
	// AccountAssignment.Key order.
	ListAccountAssignments(ctx context.Context, instanceARN string, f AssignmentFilter, p Page) ([]AccountAssignment, error)

	// CreateSSORequest stores a new asynchronous request (its Seq is assigned
	// by the store, after every existing request); ErrAlreadyExists on a
	// duplicate RequestID.
	CreateSSORequest(ctx context.Context, r SSORequest) error
	// GetSSORequest finds a request of an instance by kind and id.
	GetSSORequest(ctx context.Context, instanceARN, kind, requestID string) (SSORequest, error)
	// SetSSORequestStatus records a request's outcome; ErrNotFound when absent.
	SetSSORequestStatus(ctx context.Context, requestID, status, failureReason string) error
	// ListSSORequests pages an instance's requests of a kind by request id;
	// status "" lists every status.
	ListSSORequests(ctx context.Context, instanceARN, kind, status string, p Page) ([]SSORequest, error)
	// ListPendingSSORequests lists up to limit IN_PROGRESS requests of every
	// instance, oldest (lowest Seq) first.
	ListPendingSSORequests(ctx context.Context, limit int) ([]SSORequest, error)

	// PutProvisioned records (creates or replaces) that a set is provisioned
	// to an account.
	PutProvisioned(ctx context.Context, p Provisioned) error
	// DeleteProvisioned: ErrNotFound when the set is not provisioned there.
	DeleteProvisioned(ctx context.Context, permissionSetARN, accountID string) error
	// ListProvisioned pages an instance's provisionings matching f in
	// Provisioned.Key order.
	ListProvisioned(ctx context.Context, instanceARN string, f ProvisionedFilter, p Page) ([]Provisioned, error)
}

// AccountAssignment grants a principal (user or group of the instance's
// identity store) a permission set in an account.
type AccountAssignment struct {
	InstanceARN      string
	PermissionSetARN string
	AccountID        string
	PrincipalType    string // USER, GROUP
	PrincipalID      string
	CreatedAt        time.Time
}

// Key is the assignment's list order: account, set, principal type and id.
func (a AccountAssignment) Key() string {
	return a.AccountID + " " + a.PermissionSetARN + " " + a.PrincipalType + " " + a.PrincipalID
}

// AssignmentFilter selects assignments; empty fields do not filter.
type AssignmentFilter struct {
	PermissionSetARN string
	AccountID        string
	PrincipalType    string
	PrincipalID      string
}

// Kinds of SSORequest.
const (
	SSORequestCreateAssignment = "CREATE_ASSIGNMENT"
	SSORequestDeleteAssignment = "DELETE_ASSIGNMENT"
	SSORequestProvision        = "PROVISION"
)

// SSORequest is an asynchronous sso-admin request: an account assignment's
// creation or deletion, or a permission set's provisioning.
type SSORequest struct {
	RequestID     string // lower-case UUID
	Seq           int64  // processing order, assigned by the store
	Kind          string // SSORequestCreateAssignment, …
	InstanceARN   string
	Status        string // IN_PROGRESS, SUCCEEDED, FAILED
	FailureReason string
	// TargetID is the account; empty for a provisioning to
	// ALL_PROVISIONED_ACCOUNTS.
	TargetID         string
	TargetType       string // AWS_ACCOUNT, ALL_PROVISIONED_ACCOUNTS
	PermissionSetARN string
	PrincipalType    string // assignments only
	PrincipalID      string // assignments only
	CreatedAt        time.Time
}

// Provisioned records that a permission set's role exists in an account.
type Provisioned struct {
	InstanceARN      string
	PermissionSetARN string
	AccountID        string
	RoleName         string
	// SetChangedAt is the set's ChangedAt that was provisioned: the account
	// is out of date when the set's ChangedAt is after it.
	SetChangedAt  time.Time
	ProvisionedAt time.Time
}

// Key is the provisioning's list order: account, then set.
func (p Provisioned) Key() string { return p.AccountID + " " + p.PermissionSetARN }

// ProvisionedFilter selects provisionings; empty fields do not filter.
type ProvisionedFilter struct {
	PermissionSetARN string
	AccountID        string
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

// ApplicationRepo holds the instance settings, applications, application
// assignments and trusted token issuers of IAM Identity Center.
type ApplicationRepo interface {
	// SetInstanceName renames an instance; ErrNotFound when absent.
	SetInstanceName(ctx context.Context, arn, name string) error

	// CreateApplication: ErrAlreadyExists on a duplicate ARN, ErrNotFound
	// when the instance does not exist.
	CreateApplication(ctx context.Context, app Application) error
	GetApplication(ctx context.Context, arn string) (Application, error)
	// ReplaceApplication overwrites everything but InstanceARN, ARN,
	// ProviderARN, Account and CreatedAt; ErrNotFound when absent.
	ReplaceApplication(ctx context.Context, app Application) error
	// DeleteApplication removes an application with its assignments, settings
	// and tags; ErrNotFound when absent.
	DeleteApplication(ctx context.Context, arn string) error
	// ListApplications pages an instance's applications matching f by ARN.
	ListApplications(ctx context.Context, instanceARN string, f ApplicationFilter, p Page) ([]Application, error)

	// CreateApplicationAssignment: ErrAlreadyExists when the principal is
	// already assigned, ErrNotFound when the application does not exist.
	CreateApplicationAssignment(ctx context.Context, a ApplicationAssignment) error
	// DeleteApplicationAssignment: ErrNotFound when there is no such assignment.
	DeleteApplicationAssignment(ctx context.Context, a ApplicationAssignment) error
	// ListApplicationAssignments pages an instance's application assignments
	// matching f in ApplicationAssignment.Key order.
	ListApplicationAssignments(ctx context.Context, instanceARN string, f ApplicationAssignmentFilter, p Page) ([]ApplicationAssignment, error)

	// PutSSOSetting creates or replaces a setting; ErrNotFound when the
	// instance does not exist.
	PutSSOSetting(ctx context.Context, s SSOSetting) error
	GetSSOSetting(ctx context.Context, resourceARN, kind, key string) (SSOSetting, error)
	// DeleteSSOSetting: ErrNotFound when absent.
	DeleteSSOSetting(ctx context.Context, resourceARN, kind, key string) error
	// ListSSOSettings pages a resource's settings of a kind by key.
	ListSSOSettings(ctx context.Context, resourceARN, kind string, p Page) ([]SSOSetting, error)

	// CreateTrustedTokenIssuer: ErrAlreadyExists on a duplicate ARN or a name
	// already used in the instance (case-insensitively); ErrNotFound when the
	// instance does not exist.
	CreateTrustedTokenIssuer(ctx context.Context, t TrustedTokenIssuer) error
	GetTrustedTokenIssuer(ctx context.Context, arn string) (TrustedTokenIssuer, error)
	// ReplaceTrustedTokenIssuer overwrites Name and the configuration;
	// ErrNotFound when absent, ErrAlreadyExists on a name already used.
	ReplaceTrustedTokenIssuer(ctx context.Context, t TrustedTokenIssuer) error
	// DeleteTrustedTokenIssuer removes an issuer with its tags; ErrNotFound
	// when absent.
	DeleteTrustedTokenIssuer(ctx context.Context, arn string) error
	// ListTrustedTokenIssuers pages an instance's issuers by ARN.
	ListTrustedTokenIssuers(ctx context.Context, instanceARN string, p Page) ([]TrustedTokenIssuer, error)
}

// Application is an application of an instance (a SAML 2.0 or OAuth
// application of a provider of the catalog).
type Application struct {
	InstanceARN string
	ARN         string // arn:aws:sso::<account>:application/ssoins-<16>/apl-<16 hex>
	ProviderARN string // arn:aws:sso::aws:applicationProvider/<name>
	Name        string
	Description string
	Account     string // the account owning the application
	Status      string // ENABLED, DISABLED
	// Visibility and the sign-in options are the portal options; empty when
	// not given.
	Visibility     string // ENABLED, DISABLED
	SignInOrigin   string // IDENTITY_CENTER, APPLICATION
	ApplicationURL string
	// AssignmentRequired: only assigned principals may use the application.
	AssignmentRequired bool
	CreatedAt          time.Time
}

// ApplicationFilter selects applications; empty fields do not filter.
type ApplicationFilter struct {
	Account     string
	ProviderARN string
}

// ApplicationAssignment gives a principal access to an application.
type ApplicationAssignment struct {
	InstanceARN    string
	ApplicationARN string
	PrincipalType  string // USER, GROUP
	PrincipalID    string
	CreatedAt      time.Time
}

// Key is the assignment's list order: application, principal type and id.
func (a ApplicationAssignment) Key() string {
	return a.ApplicationARN + " " + a.PrincipalType + " " + a.PrincipalID
}

// ApplicationAssignmentFilter selects application assignments; empty fields
// do not filter.
type ApplicationAssignmentFilter struct {
	ApplicationARN string
	PrincipalType  string
	PrincipalID    string
}

// Kinds of SSOSetting.
const (
	SettingAccessControlAttributes = "ACCESS_CONTROL_ATTRIBUTES" // of an instance, key ""
	SettingAccessScope             = "ACCESS_SCOPE"              // of an application, key: the scope
	SettingGrant                   = "GRANT"                     // of an application, key: the grant type
	SettingAuthenticationMethod    = "AUTHENTICATION_METHOD"     // of an application, key: the method type
	SettingSession                 = "SESSION"                   // of an application, key ""
)

// SSOSetting is a configuration document (JSON, as the core encodes it)
// attached to an instance or an application.
type SSOSetting struct {
	InstanceARN string
	ResourceARN string
	Kind        string
	Key         string
	Value       string
	UpdatedAt   time.Time
}

// TrustedTokenIssuer is an external OIDC issuer whose tokens applications
// may exchange. (InstanceARN, Name) is unique, case-insensitively.
type TrustedTokenIssuer struct {
	InstanceARN string
	ARN         string // arn:aws:sso::<account>:trustedTokenIssuer/ssoins-<16>/tti-<uuid>
	Name        string
	Type        string // OIDC_JWT
	// OIDC JWT configuration.
	IssuerURL                  string
	ClaimAttributePath         string
	IdentityStoreAttributePath string
	JWKSRetrievalOption        string // OPEN_ID_DISCOVERY
	CreatedAt                  time.Time
}
