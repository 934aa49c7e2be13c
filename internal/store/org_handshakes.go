package store

import (
	"context"
	"time"
)

// OrgHandshake is an Organizations handshake: an invitation to join, a
// request to enable all features, or a responsibility transfer. ID is unique.
type OrgHandshake struct {
	ID        string // h-<10-32 lower-case letters or digits>
	ARN       string
	Action    string // INVITE, ENABLE_ALL_FEATURES, APPROVE_ALL_FEATURES, TRANSFER_RESPONSIBILITY
	State     string // REQUESTED, OPEN, CANCELED, ACCEPTED, DECLINED, EXPIRED
	Parties   []OrgHandshakeParty
	Resources []OrgHandshakeResource
	// ParentID is the handshake this one was sent for (empty when none).
	ParentID    string
	RequestedAt time.Time
	ExpiresAt   time.Time
	// StateChangedAt is when the state last changed (zero while never).
	StateChangedAt time.Time
}

// OrgHandshakeParty is one party of a handshake.
type OrgHandshakeParty struct {
	ID   string
	Type string // ACCOUNT, ORGANIZATION, EMAIL
}

// OrgHandshakeResource is one piece of information a handshake carries.
type OrgHandshakeResource struct {
	Type      string
	Value     string
	Resources []OrgHandshakeResource `json:",omitempty"`
}

// OrgResourcePolicy is the organization's resource policy (at most one).
type OrgResourcePolicy struct {
	ID      string // rp-<8 lower-case letters or digits>
	ARN     string
	Content string
}

// OrgTransfer is a responsibility transfer between two management accounts.
// ID is unique.
type OrgTransfer struct {
	ID                           string // rt-<…>
	ARN                          string
	Name                         string
	Type                         string // BILLING
	Status                       string // REQUESTED, DECLINED, CANCELED, EXPIRED, ACCEPTED, WITHDRAWN
	SourceAccountID, SourceEmail string
	TargetAccountID, TargetEmail string
	StartAt, EndAt               time.Time
	HandshakeID                  string
}

// OrgHandshakeRepo holds handshakes, the resource policy, responsibility
// transfers and the accounts' life beyond the tree: removal from the
// organization (former accounts), closure and deleting the organization.
type OrgHandshakeRepo interface {
	// CreateOrgHandshake: ErrAlreadyExists on a duplicate id.
	CreateOrgHandshake(ctx context.Context, h OrgHandshake) error
	GetOrgHandshake(ctx context.Context, id string) (OrgHandshake, error)
	// ReplaceOrgHandshake: ErrNotFound when absent.
	ReplaceOrgHandshake(ctx context.Context, h OrgHandshake) error
	// ListOrgHandshakes lists every handshake by id.
	ListOrgHandshakes(ctx context.Context) ([]OrgHandshake, error)

	// GetOrgResourcePolicy: ErrNotFound when there is none.
	GetOrgResourcePolicy(ctx context.Context) (OrgResourcePolicy, error)
	// PutOrgResourcePolicy creates or replaces the resource policy.
	PutOrgResourcePolicy(ctx context.Context, p OrgResourcePolicy) error
	// DeleteOrgResourcePolicy: ErrNotFound when there is none.
	DeleteOrgResourcePolicy(ctx context.Context) error

	// CreateOrgTransfer: ErrAlreadyExists on a duplicate id.
	CreateOrgTransfer(ctx context.Context, tr OrgTransfer) error
	GetOrgTransfer(ctx context.Context, id string) (OrgTransfer, error)
	// ReplaceOrgTransfer: ErrNotFound when absent.
	ReplaceOrgTransfer(ctx context.Context, tr OrgTransfer) error
	// ListOrgTransfers lists every transfer by id.
	ListOrgTransfers(ctx context.Context) ([]OrgTransfer, error)

	// ReplaceOrganization overwrites the organization (id, feature set, …); ErrNotFound when there is none.
	ReplaceOrganization(ctx context.Context, o Organization) error
	// SetAccountStatus changes an account's status; ErrNotFound when absent.
	SetAccountStatus(ctx context.Context, accountID, status string) error
	// RemoveOrgAccount takes an account out of the organization: the account,
	// its parent, policy attachments, tags and delegated-administrator
	// registrations go, and it is kept as a former account (left at leftAt).
	// ErrNotFound when the account is not in the organization.
	RemoveOrgAccount(ctx context.Context, accountID string, leftAt time.Time) error
	// GetOrgFormerAccount returns an account that left; ErrNotFound otherwise.
	GetOrgFormerAccount(ctx context.Context, accountID string) (Account, error)
	// ListOrgFormerAccounts lists the accounts that left, by id.
	ListOrgFormerAccounts(ctx context.Context) ([]Account, error)
	// DeleteOrgFormerAccount forgets a former account (it rejoined); ErrNotFound when absent.
	DeleteOrgFormerAccount(ctx context.Context, accountID string) error
	// PutOrgAccountClosure records when an account was closed.
	PutOrgAccountClosure(ctx context.Context, accountID string, closedAt time.Time) error
	// CountOrgAccountClosures counts the closures at or after since.
	CountOrgAccountClosures(ctx context.Context, since time.Time) (int, error)
	// DeleteOrgData removes the organization's tree, policies, attachments,
	// tags, account-creation requests, trusted services, delegated
	// administrators, handshakes, resource policy, transfers and closures (the
	// organization and account records stay).
	DeleteOrgData(ctx context.Context) error
}
