package store

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors. Backends wrap them (errors.Is works) and never leak driver errors
// for these conditions.
var (
	// ErrNotFound: the record asked for does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrAlreadyExists: a uniqueness constraint of the database was violated.
	ErrAlreadyExists = errors.New("store: already exists")
	// ErrConflict: a concurrent transaction changed the same data; the caller may retry.
	ErrConflict = errors.New("store: conflict")
)

// Store is a transactional store. Update runs fn in one read-write transaction and
// commits when fn returns nil (rolls back otherwise); View runs a read-only one.
// The Tx must not be used after fn returns.
type Store interface {
	Update(ctx context.Context, fn func(Tx) error) error
	View(ctx context.Context, fn func(Tx) error) error
	Close() error
}

// Tx is everything a transaction can do, grouped by domain.
type Tx interface {
	MetaRepo
	OrgRepo
	OrgExtRepo       // org.go
	OrgHandshakeRepo // org_handshakes.go
	InstanceRepo
	AccessKeyRepo
	UserRepo
	GroupRepo
	MembershipRepo
	AccessRepo // access.go
	IAMRepo    // iam.go
	SCIMRepo   // scim.go
	ResetRepo
	SnapshotRepo       // snapshot.go
	SessionRepo        // sessions.go
	SignInRepo         // signin.go
	OIDCRepo           // oidc.go
	WebAuthnRepo       // webauthn.go
	IAMReportsRepo     // iam_reports.go
	IdentitySourceRepo // identitysource.go
}

// ResetRepo empties the store (for test fixtures' fast reset).
type ResetRepo interface {
	// DeleteEverything removes every record of every kind; the schema stays.
	// Run in the same transaction as the re-creation of a starting state, a
	// reset is atomic.
	DeleteEverything(ctx context.Context) error
}

// Page asks for one page of a list ordered by the record's primary key:
// records whose key is strictly greater than After, at most Limit of them
// (Limit <= 0 means no limit).
type Page struct {
	After string
	Limit int
}

// MetaRepo keeps small named values (bootstrap markers, settings).
type MetaRepo interface {
	// GetMeta returns ErrNotFound when the key is absent.
	GetMeta(ctx context.Context, key string) (string, error)
	PutMeta(ctx context.Context, key, value string) error
}

// Organization is the AWS Organizations organization idcenter hosts.
type Organization struct {
	ID                  string // o-xxxxxxxxxx
	ARN                 string
	ManagementAccountID string
	ManagementEmail     string
	FeatureSet          string // ALL
	CreatedAt           time.Time
}

// Account is an AWS account in the organization.
type Account struct {
	ID           string // 12 digits
	ARN          string
	Name         string
	Email        string
	Status       string // ACTIVE, SUSPENDED, PENDING_CLOSURE
	JoinedMethod string // INVITED, CREATED
	JoinedAt     time.Time
}

type OrgRepo interface {
	// CreateOrganization fails with ErrAlreadyExists if one exists.
	CreateOrganization(ctx context.Context, o Organization) error
	// GetOrganization returns ErrNotFound when there is none.
	GetOrganization(ctx context.Context) (Organization, error)
	// CreateAccount: ErrAlreadyExists on a duplicate ID or e-mail.
	CreateAccount(ctx context.Context, a Account) error
	GetAccount(ctx context.Context, id string) (Account, error)
	ListAccounts(ctx context.Context, p Page) ([]Account, error)
}

// Instance is an IAM Identity Center instance.
type Instance struct {
	ARN             string // arn:aws:sso:::instance/ssoins-<16 hex>
	IdentityStoreID string // d-<10 hex>
	OwnerAccountID  string
	Name            string
	Status          string // ACTIVE
	Region          string
	CreatedAt       time.Time
}

type InstanceRepo interface {
	// CreateInstance: ErrAlreadyExists on a duplicate ARN or identity store id.
	CreateInstance(ctx context.Context, in Instance) error
	GetInstance(ctx context.Context, arn string) (Instance, error)
	// GetInstanceByIdentityStore finds the instance owning an identity store.
	GetInstanceByIdentityStore(ctx context.Context, identityStoreID string) (Instance, error)
	ListInstances(ctx context.Context, p Page) ([]Instance, error)
	InstanceLifecycleRepo // instances.go
}

// AccessKey is a long-term or session access key. The secret must be recoverable
// (SigV4 verification needs it), so it is stored as given.
type AccessKey struct {
	AccessKeyID     string
	SecretAccessKey string
	AccountID       string
	// PrincipalARN is the ARN of the owner: arn:aws:iam::<acct>:root, an IAM user, …
	PrincipalARN string
	// UserName is the IAM user name; empty for the root user.
	UserName  string
	Status    string // Active, Inactive
	CreatedAt time.Time
	// UserID is the owning IAM user's unique id (AIDA…), filled in by
	// GetAccessKey from the user record (not stored on the key: it follows the
	// user); empty for root and session keys.
	UserID string
}

type AccessKeyRepo interface {
	// CreateAccessKey: ErrAlreadyExists on a duplicate AccessKeyID.
	CreateAccessKey(ctx context.Context, k AccessKey) error
	GetAccessKey(ctx context.Context, id string) (AccessKey, error)
	// SetAccessKeyStatus changes a key's Status (Active, Inactive); ErrNotFound
	// when there is no such key.
	SetAccessKeyStatus(ctx context.Context, id, status string) error
}

// ---- Identity store ----

// Name is a user's structured name.
type Name struct {
	Formatted       string `json:",omitempty"`
	FamilyName      string `json:",omitempty"`
	GivenName       string `json:",omitempty"`
	MiddleName      string `json:",omitempty"`
	HonorificPrefix string `json:",omitempty"`
	HonorificSuffix string `json:",omitempty"`
}

// Email, Address, PhoneNumber, Photo and Role are the multi-valued user attributes.
type Email struct {
	Value   string `json:",omitempty"`
	Type    string `json:",omitempty"`
	Primary *bool  `json:",omitempty"`
}

type Address struct {
	StreetAddress string `json:",omitempty"`
	Locality      string `json:",omitempty"`
	Region        string `json:",omitempty"`
	PostalCode    string `json:",omitempty"`
	Country       string `json:",omitempty"`
	Formatted     string `json:",omitempty"`
	Type          string `json:",omitempty"`
	Primary       *bool  `json:",omitempty"`
}

type PhoneNumber struct {
	Value   string `json:",omitempty"`
	Type    string `json:",omitempty"`
	Primary *bool  `json:",omitempty"`
}

type Photo struct {
	Value   string `json:",omitempty"`
	Type    string `json:",omitempty"`
	Display string `json:",omitempty"`
	Primary *bool  `json:",omitempty"`
}

type Role struct {
	Value   string `json:",omitempty"`
	Type    string `json:",omitempty"`
	Primary *bool  `json:",omitempty"`
}

// ExternalID identifies a user or group in an external identity provider.
type ExternalID struct {
	Issuer string
	ID     string
}

// UserAttributes are the user's attributes as the identitystore API models them.
// Extensions maps "aws:identitystore:enterprise" (etc.) to a JSON document.
type UserAttributes struct {
	DisplayName       string            `json:",omitempty"`
	Name              *Name             `json:",omitempty"`
	NickName          string            `json:",omitempty"`
	ProfileURL        string            `json:",omitempty"`
	Emails            []Email           `json:",omitempty"`
	Addresses         []Address         `json:",omitempty"`
	PhoneNumbers      []PhoneNumber     `json:",omitempty"`
	UserType          string            `json:",omitempty"`
	Title             string            `json:",omitempty"`
	PreferredLanguage string            `json:",omitempty"`
	Locale            string            `json:",omitempty"`
	Timezone          string            `json:",omitempty"`
	Photos            []Photo           `json:",omitempty"`
	Website           string            `json:",omitempty"`
	Birthdate         string            `json:",omitempty"`
	Roles             []Role            `json:",omitempty"`
	Extensions        map[string][]byte `json:",omitempty"`
}

// User is an identity store user. (IdentityStoreID, UserName) is unique;
// (IdentityStoreID, Issuer, ID) of every external id is unique.
type User struct {
	IdentityStoreID string
	UserID          string
	UserName        string
	ExternalIDs     []ExternalID
	Attributes      UserAttributes
	Status          string // ENABLED, DISABLED
	CreatedAt       time.Time
	CreatedBy       string
	UpdatedAt       time.Time
	UpdatedBy       string
}

// UserFilter selects users in ListUsers; empty fields do not filter.
type UserFilter struct {
	UserName string // exact, case-insensitive as AWS treats user names
}

// UserLookup names one user by a unique attribute; exactly one field is set.
type UserLookup struct {
	UserName   string
	Email      string // emails.value
	ExternalID *ExternalID
}

type UserRepo interface {
	// CreateUser: ErrAlreadyExists when the user name or an external id is taken.
	CreateUser(ctx context.Context, u User) error
	GetUser(ctx context.Context, storeID, userID string) (User, error)
	// ReplaceUser overwrites a stored user (matched by store and id): ErrNotFound,
	// ErrAlreadyExists as CreateUser.
	ReplaceUser(ctx context.Context, u User) error
	// DeleteUser removes the user and its group memberships.
	DeleteUser(ctx context.Context, storeID, userID string) error
	// ListUsers pages by UserID.
	ListUsers(ctx context.Context, storeID string, f UserFilter, p Page) ([]User, error)
	// FindUserID: ErrNotFound when no user matches.
	FindUserID(ctx context.Context, storeID string, l UserLookup) (string, error)
	CountUsers(ctx context.Context, storeID string) (int, error)
}

// Group is an identity store group. (IdentityStoreID, DisplayName) is unique.
type Group struct {
	IdentityStoreID string
	GroupID         string
	DisplayName     string
	Description     string
	ExternalIDs     []ExternalID
	CreatedAt       time.Time
	CreatedBy       string
	UpdatedAt       time.Time
	UpdatedBy       string
}

type GroupFilter struct {
	DisplayName string // exact, case-insensitive
}

type GroupLookup struct {
	DisplayName string
	ExternalID  *ExternalID
}

type GroupRepo interface {
	CreateGroup(ctx context.Context, g Group) error
	GetGroup(ctx context.Context, storeID, groupID string) (Group, error)
	ReplaceGroup(ctx context.Context, g Group) error
	// DeleteGroup removes the group and its memberships.
	DeleteGroup(ctx context.Context, storeID, groupID string) error
	ListGroups(ctx context.Context, storeID string, f GroupFilter, p Page) ([]Group, error)
	FindGroupID(ctx context.Context, storeID string, l GroupLookup) (string, error)
	CountGroups(ctx context.Context, storeID string) (int, error)
}

// Membership puts a user in a group. (IdentityStoreID, GroupID, UserID) is unique;
// the group and the user must exist (ErrNotFound otherwise).
type Membership struct {
	IdentityStoreID string
	MembershipID    string
	GroupID         string
	UserID          string
	CreatedAt       time.Time
	CreatedBy       string
	UpdatedAt       time.Time
	UpdatedBy       string
}

type MembershipRepo interface {
	CreateMembership(ctx context.Context, m Membership) error
	GetMembership(ctx context.Context, storeID, membershipID string) (Membership, error)
	DeleteMembership(ctx context.Context, storeID, membershipID string) error
	// FindMembership finds the membership of a user in a group.
	FindMembership(ctx context.Context, storeID, groupID, userID string) (Membership, error)
	// ListMembershipsByGroup pages by MembershipID.
	ListMembershipsByGroup(ctx context.Context, storeID, groupID string, p Page) ([]Membership, error)
	// ListMembershipsByUser pages by MembershipID.
	ListMembershipsByUser(ctx context.Context, storeID, userID string, p Page) ([]Membership, error)
}
