package store

import (
	"context"
	"time"
)

// IAMKeyUsage is the last recorded use of a long-term access key
// (GetAccessKeyLastUsed, the credential report).
type IAMKeyUsage struct {
	AccessKeyID string
	AccountID   string
	UsedAt      time.Time
	ServiceName string // the IAM service prefix: iam, sts, sso, …
	Region      string
}

// IAMServiceUse is the last time a principal was authenticated to call a
// service (service last accessed reports). PrincipalARN is the caller's ARN as
// authenticated (an IAM user, the root, an sts assumed-role session).
type IAMServiceUse struct {
	AccountID        string
	PrincipalARN     string
	ServiceNamespace string
	// Action is the last action called (ACTION_LEVEL details).
	Action   string
	Region   string
	LastUsed time.Time
}

// IAMReportJob is a requested report (service last accessed, organizations
// access): JobID is unique. Params is the job's request, as its kind encodes it.
type IAMReportJob struct {
	JobID     string
	AccountID string
	Kind      string
	Params    string
	CreatedAt time.Time
}

// IAMDeletionTask is the deletion of a service-linked role. TaskID is unique.
type IAMDeletionTask struct {
	TaskID    string
	AccountID string
	RoleName  string
	Status    string // SUCCEEDED, IN_PROGRESS, FAILED, NOT_STARTED
	Reason    string
	CreatedAt time.Time
}

// IAMDelegationRequest is a delegation request. RequestID is unique; Body is
// the request's fields as the core encodes them.
type IAMDelegationRequest struct {
	RequestID      string
	AccountID      string // the requestor's account
	OwnerAccountID string
	State          string
	Body           string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// IAMReportsRepo holds what IAM's reports are made of: access key and service
// use, per-account settings (feature flags, report dates), report jobs,
// service-linked role deletions and delegation requests.
type IAMReportsRepo interface {
	// PutIAMKeyUsage records uses of access keys; a use older than the stored
	// one is ignored.
	PutIAMKeyUsage(ctx context.Context, uses []IAMKeyUsage) error
	// GetIAMKeyUsage: ErrNotFound when the key was never used.
	GetIAMKeyUsage(ctx context.Context, accessKeyID string) (IAMKeyUsage, error)
	// PutIAMServiceUse records service uses; one older than the stored one
	// for the same principal and namespace is ignored.
	PutIAMServiceUse(ctx context.Context, uses []IAMServiceUse) error
	// ListRootAccessKeys lists the access keys of an account's root user
	// (principal arn:aws:iam::<account>:root), oldest first.
	ListRootAccessKeys(ctx context.Context, accountID string) ([]AccessKey, error)
	// ListIAMServiceUse lists an account's service uses by principal ARN then namespace.
	ListIAMServiceUse(ctx context.Context, accountID string) ([]IAMServiceUse, error)

	// PutIAMSetting creates or replaces a named per-account value.
	PutIAMSetting(ctx context.Context, accountID, name, value string) error
	// GetIAMSetting: ErrNotFound when not set.
	GetIAMSetting(ctx context.Context, accountID, name string) (string, error)
	// DeleteIAMSetting removes a value (no error when absent).
	DeleteIAMSetting(ctx context.Context, accountID, name string) error

	// CreateIAMReportJob: ErrAlreadyExists on a duplicate JobID.
	CreateIAMReportJob(ctx context.Context, j IAMReportJob) error
	// GetIAMReportJob: ErrNotFound when absent.
	GetIAMReportJob(ctx context.Context, jobID string) (IAMReportJob, error)

	// CreateIAMDeletionTask: ErrAlreadyExists on a duplicate TaskID.
	CreateIAMDeletionTask(ctx context.Context, d IAMDeletionTask) error
	// GetIAMDeletionTask: ErrNotFound when absent.
	GetIAMDeletionTask(ctx context.Context, taskID string) (IAMDeletionTask, error)

	// CreateIAMDelegationRequest: ErrAlreadyExists on a duplicate RequestID.
	CreateIAMDelegationRequest(ctx context.Context, r IAMDelegationRequest) error
	// GetIAMDelegationRequest: ErrNotFound when absent.
	GetIAMDelegationRequest(ctx context.Context, requestID string) (IAMDelegationRequest, error)
	// ReplaceIAMDelegationRequest overwrites State, Body, OwnerAccountID and
	// UpdatedAt; ErrNotFound when absent.
	ReplaceIAMDelegationRequest(ctx context.Context, r IAMDelegationRequest) error
	// ListIAMDelegationRequests lists the requests made by or owned by an
	// account, by RequestID.
	ListIAMDelegationRequests(ctx context.Context, accountID string) ([]IAMDelegationRequest, error)
}
