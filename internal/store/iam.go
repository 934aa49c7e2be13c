package store

import (
	"context"
	"time"
)

// IAM entity types, as IAMAttachment.EntityType and IAMInlinePolicy.EntityType name them.
const (
	IAMEntityUser  = "User"
	IAMEntityGroup = "Group"
	IAMEntityRole  = "Role"
)

// IAMUser is an IAM user of an account. (AccountID, lower-case UserName) is unique;
// UserID (AIDA…) is unique across accounts.
type IAMUser struct {
	AccountID string
	UserID    string
	UserName  string
	Path      string
	ARN       string
	// PermissionsBoundary is the ARN of the boundary policy; empty for none.
	PermissionsBoundary string
	Tags                []Tag
	CreatedAt           time.Time
}

// IAMGroup is an IAM group. (AccountID, lower-case GroupName) is unique.
type IAMGroup struct {
	AccountID string
	GroupID   string
	GroupName string
	Path      string
	ARN       string
	CreatedAt time.Time
}

// IAMRole is an IAM role. (AccountID, lower-case RoleName) is unique.
type IAMRole struct {
	AccountID           string
	RoleID              string
	RoleName            string
	Path                string
	ARN                 string
	AssumeRolePolicy    string // the trust policy document, as given
	Description         string
	MaxSessionDuration  int // seconds
	PermissionsBoundary string
	Tags                []Tag
	CreatedAt           time.Time
}

// IAMPolicy is a customer managed policy. ARN is unique; (AccountID,
// lower-case PolicyName) is unique.
type IAMPolicy struct {
	AccountID        string
	PolicyID         string
	PolicyName       string
	Path             string
	ARN              string
	Description      string
	DefaultVersionID string
	// LastVersion is the number of the most recently created version (v<N>);
	// version numbers are never reused.
	LastVersion int
	Tags        []Tag
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// IAMPolicyVersion is one version of a customer managed policy. (PolicyARN,
// VersionID) is unique; the policy must exist (ErrNotFound otherwise).
type IAMPolicyVersion struct {
	PolicyARN string
	VersionID string // v1, v2, …
	Document  string
	CreatedAt time.Time
}

// IAMInlinePolicy is a policy embedded in a user, group or role. (EntityID,
// lower-case PolicyName) is unique.
type IAMInlinePolicy struct {
	EntityType string // IAMEntityUser, IAMEntityGroup, IAMEntityRole
	EntityID   string // the user, group or role id
	PolicyName string
	Document   string
}

// IAMAttachment attaches a managed policy (customer or AWS managed, by ARN) to
// a user, group or role. (EntityID, PolicyARN) is unique.
type IAMAttachment struct {
	AccountID  string
	EntityType string
	EntityID   string
	// EntityName is filled in by ListIAMPolicyAttachments (the entity's current name).
	EntityName string
	PolicyARN  string
}

// IAMListFilter selects IAM entities in the List methods; empty fields do not filter.
type IAMListFilter struct {
	PathPrefix string // entities whose path starts with this
}

// IAMRepo holds IAM records of every account: users, groups, roles, managed
// and inline policies, their attachments, and the IAM view of access keys.
//
// Users, groups, roles and policies are looked up by name case-insensitively
// (IAM names are unique regardless of case). Lists page by lower-case name.
// Deleting a user, group, role or policy does not check its dependents (the
// caller does, to report DeleteConflict) but removes its own rows.
type IAMRepo interface {
	IAMAccountRepo  // account settings, login profiles, MFA devices
	IAMProviderRepo // iam_providers.go: SAML and OIDC identity providers
	IAMEntityRepo   // iam_entities.go: instance profiles, SSH keys, certificates, service credentials

	// CreateIAMUser: ErrAlreadyExists when the name or id is taken.
	CreateIAMUser(ctx context.Context, u IAMUser) error
	// GetIAMUser finds a user by name; ErrNotFound when absent.
	GetIAMUser(ctx context.Context, accountID, userName string) (IAMUser, error)
	// ReplaceIAMUser overwrites the user with u.UserID (a rename included) and
	// rewrites the UserName and PrincipalARN of the user's access keys to match.
	// ErrNotFound, ErrAlreadyExists as CreateIAMUser.
	ReplaceIAMUser(ctx context.Context, u IAMUser) error
	// DeleteIAMUser removes the user by id; ErrNotFound when absent.
	DeleteIAMUser(ctx context.Context, accountID, userID string) error
	ListIAMUsers(ctx context.Context, accountID string, f IAMListFilter, p Page) ([]IAMUser, error)

	CreateIAMGroup(ctx context.Context, g IAMGroup) error
	GetIAMGroup(ctx context.Context, accountID, groupName string) (IAMGroup, error)
	ReplaceIAMGroup(ctx context.Context, g IAMGroup) error
	DeleteIAMGroup(ctx context.Context, accountID, groupID string) error
	ListIAMGroups(ctx context.Context, accountID string, f IAMListFilter, p Page) ([]IAMGroup, error)

	// AddIAMGroupMember: ErrAlreadyExists when already a member; ErrNotFound
	// when the group or the user does not exist.
	AddIAMGroupMember(ctx context.Context, groupID, userID string) error
	// RemoveIAMGroupMember: ErrNotFound when not a member.
	RemoveIAMGroupMember(ctx context.Context, groupID, userID string) error
	// ListIAMGroupMembers lists the group's users by lower-case name.
	ListIAMGroupMembers(ctx context.Context, groupID string) ([]IAMUser, error)
	// ListIAMGroupsForUser lists the user's groups by lower-case name.
	ListIAMGroupsForUser(ctx context.Context, userID string) ([]IAMGroup, error)

	CreateIAMRole(ctx context.Context, r IAMRole) error
	GetIAMRole(ctx context.Context, accountID, roleName string) (IAMRole, error)
	ReplaceIAMRole(ctx context.Context, r IAMRole) error
	DeleteIAMRole(ctx context.Context, accountID, roleID string) error
	ListIAMRoles(ctx context.Context, accountID string, f IAMListFilter, p Page) ([]IAMRole, error)

	// CreateIAMPolicy: ErrAlreadyExists on a duplicate ARN or name.
	CreateIAMPolicy(ctx context.Context, p IAMPolicy) error
	GetIAMPolicy(ctx context.Context, arn string) (IAMPolicy, error)
	ReplaceIAMPolicy(ctx context.Context, p IAMPolicy) error
	// DeleteIAMPolicy removes the policy and its versions.
	DeleteIAMPolicy(ctx context.Context, arn string) error
	ListIAMPolicies(ctx context.Context, accountID string, f IAMListFilter, p Page) ([]IAMPolicy, error)

	CreateIAMPolicyVersion(ctx context.Context, v IAMPolicyVersion) error
	GetIAMPolicyVersion(ctx context.Context, policyARN, versionID string) (IAMPolicyVersion, error)
	DeleteIAMPolicyVersion(ctx context.Context, policyARN, versionID string) error
	// ListIAMPolicyVersions lists a policy's versions, newest first.
	ListIAMPolicyVersions(ctx context.Context, policyARN string) ([]IAMPolicyVersion, error)

	// AttachIAMPolicy: ErrAlreadyExists when already attached.
	AttachIAMPolicy(ctx context.Context, a IAMAttachment) error
	// DetachIAMPolicy: ErrNotFound when not attached.
	DetachIAMPolicy(ctx context.Context, entityID, policyARN string) error
	// ListIAMAttachedPolicies lists the ARNs attached to an entity, sorted.
	ListIAMAttachedPolicies(ctx context.Context, entityID string) ([]string, error)
	// ListIAMPolicyAttachments lists the entities of accountID a policy is
	// attached to (with their names), by entity type then lower-case name.
	ListIAMPolicyAttachments(ctx context.Context, accountID, policyARN string) ([]IAMAttachment, error)

	// PutIAMInlinePolicy creates or replaces an inline policy.
	PutIAMInlinePolicy(ctx context.Context, p IAMInlinePolicy) error
	GetIAMInlinePolicy(ctx context.Context, entityID, policyName string) (IAMInlinePolicy, error)
	DeleteIAMInlinePolicy(ctx context.Context, entityID, policyName string) error
	// ListIAMInlinePolicies lists an entity's inline policies by lower-case name.
	ListIAMInlinePolicies(ctx context.Context, entityID string) ([]IAMInlinePolicy, error)

	// ListUserAccessKeys lists the access keys of an IAM user (by account and
	// user name), oldest first.
	ListUserAccessKeys(ctx context.Context, accountID, userName string) ([]AccessKey, error)
	// DeleteAccessKey removes a key; ErrNotFound when absent.
	DeleteAccessKey(ctx context.Context, accessKeyID string) error
}

// IAMPasswordPolicy is an account's custom password policy (one per account).
// Zero MaxPasswordAge and PasswordReusePrevention mean "not set".
type IAMPasswordPolicy struct {
	AccountID                  string
	MinimumPasswordLength      int
	RequireSymbols             bool
	RequireNumbers             bool
	RequireUppercaseCharacters bool
	RequireLowercaseCharacters bool
	AllowUsersToChangePassword bool
	MaxPasswordAge             int // days
	PasswordReusePrevention    int
	HardExpiry                 bool
}

// IAMLoginProfile is an IAM user's console password: only its memory-hard
// hash is stored. One per user; it goes with the user.
type IAMLoginProfile struct {
	AccountID             string
	UserID                string
	PasswordHash          string
	PasswordResetRequired bool
	CreatedAt             time.Time
	// PasswordChangedAt is when the password was last set.
	PasswordChangedAt time.Time
}

// IAMMFADevice is a virtual MFA device. SerialNumber (its ARN) is unique;
// (AccountID, lower-case DeviceName) is unique. Secret is the base32 TOTP seed,
// kept to verify codes. UserID is empty while the device is not assigned.
// Root is true for a device assigned to the account's root user (UserID is
// then empty).
type IAMMFADevice struct {
	SerialNumber string
	AccountID    string
	DeviceName   string
	Path         string
	Secret       string
	UserID       string
	Root         bool
	// UserName and UserARN are filled in by the reads (the assigned user's
	// current name and ARN).
	UserName  string
	UserARN   string
	EnabledAt time.Time
	// LastUsedStep is the last TOTP time step accepted (codes are not reused).
	LastUsedStep int64
	Tags         []Tag
	CreatedAt    time.Time
}

// IAMAccountCounts are the counts of an account's IAM records, for GetAccountSummary.
type IAMAccountCounts struct {
	Users, Groups, Roles, Policies int
	// PolicyVersionsInUse counts managed policy attachments.
	PolicyVersionsInUse int
	MFADevices          int
	MFADevicesInUse     int
	// RootAccessKeys counts the access keys of the account's root user.
	RootAccessKeys int
	// RootMFADevices counts the MFA devices assigned to the root user.
	RootMFADevices int
}

// IAMAccountRepo holds per-account IAM settings, login profiles and virtual
// MFA devices.
type IAMAccountRepo interface {
	// SetIAMAccountAlias sets the account's one alias, replacing any other;
	// ErrAlreadyExists when another account has it.
	SetIAMAccountAlias(ctx context.Context, accountID, alias string) error
	// GetIAMAccountAlias: ErrNotFound when the account has none.
	GetIAMAccountAlias(ctx context.Context, accountID string) (string, error)
	// DeleteIAMAccountAlias: ErrNotFound when the account does not have it.
	DeleteIAMAccountAlias(ctx context.Context, accountID, alias string) error

	// PutIAMPasswordPolicy creates or replaces the account's policy.
	PutIAMPasswordPolicy(ctx context.Context, p IAMPasswordPolicy) error
	// GetIAMPasswordPolicy: ErrNotFound when none is set.
	GetIAMPasswordPolicy(ctx context.Context, accountID string) (IAMPasswordPolicy, error)
	DeleteIAMPasswordPolicy(ctx context.Context, accountID string) error

	// CreateIAMLoginProfile: ErrAlreadyExists when the user has one;
	// ErrNotFound when the user does not exist.
	CreateIAMLoginProfile(ctx context.Context, p IAMLoginProfile) error
	GetIAMLoginProfile(ctx context.Context, userID string) (IAMLoginProfile, error)
	ReplaceIAMLoginProfile(ctx context.Context, p IAMLoginProfile) error
	DeleteIAMLoginProfile(ctx context.Context, userID string) error

	// CreateIAMMFADevice: ErrAlreadyExists on a duplicate serial number or name.
	CreateIAMMFADevice(ctx context.Context, d IAMMFADevice) error
	GetIAMMFADevice(ctx context.Context, serialNumber string) (IAMMFADevice, error)
	// ReplaceIAMMFADevice overwrites the assignment, enable date, last used
	// step and tags of the device.
	ReplaceIAMMFADevice(ctx context.Context, d IAMMFADevice) error
	DeleteIAMMFADevice(ctx context.Context, serialNumber string) error
	// ListIAMMFADevices lists the account's devices by serial number.
	ListIAMMFADevices(ctx context.Context, accountID string) ([]IAMMFADevice, error)
	// ListIAMMFADevicesForUser lists the devices assigned to a user by serial number.
	ListIAMMFADevicesForUser(ctx context.Context, userID string) ([]IAMMFADevice, error)

	// CountIAMAccount counts the account's IAM records.
	CountIAMAccount(ctx context.Context, accountID string) (IAMAccountCounts, error)
}
