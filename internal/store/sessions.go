package store

import (
	"context"
	"time"
)

// Session types: what kind of temporary credentials a Session is.
const (
	SessionAssumedRole   = "AssumedRole"   // sts:AssumeRole
	SessionFederatedUser = "FederatedUser" // sts:GetFederationToken
	SessionToken         = "SessionToken"  // sts:GetSessionToken (a user's or root's own permissions)
	SessionRoot          = "Root"          // sts:AssumeRoot (a member account's root, limited by a task policy)
)

// Session is a set of temporary credentials issued by STS. AccessKeyID
// (ASIA…) is unique. The session owns an AccessKey of the same id (created
// with it, deleted with it) so that authentication finds its secret; the
// session token itself is kept only as its SHA-256.
type Session struct {
	AccessKeyID     string
	SecretAccessKey string
	TokenHash       []byte // SHA-256 of the session token
	Type            string // SessionAssumedRole, SessionFederatedUser, SessionToken
	AccountID       string
	// PrincipalARN is who the credentials act as: the assumed-role session
	// ARN (arn:aws:sts::<acct>:assumed-role/<role>/<session>), the
	// federated-user ARN, or the user's / root's own ARN for GetSessionToken.
	PrincipalARN string
	// UserID is what GetCallerIdentity reports: AROA…:<session>, <acct>:<name>, AIDA…, <acct>.
	UserID string
	// RoleARN, RoleID and RoleName name the assumed role (AssumedRole only).
	RoleARN, RoleID, RoleName string
	// SessionName is the role session name or the federated user's name.
	SessionName string
	// SourceUserName is the IAM user who called GetSessionToken or
	// GetFederationToken (empty for root and for role sessions).
	SourceUserName string
	// Policies are the inline session policy documents; PolicyARNs the
	// managed policies passed as session policies. A session with either
	// is limited to what they allow.
	Policies   []string
	PolicyARNs []string
	// Tags are the session tags; TransitiveTagKeys those passed on by role chaining.
	Tags              []Tag
	TransitiveTagKeys []string
	SourceIdentity    string
	MFAPresent        bool
	// MFAAuthTime is when the MFA behind MFAPresent was verified (zero without).
	MFAAuthTime time.Time
	// Chained is true for a role session whose caller was itself a role session.
	Chained    bool
	Expiration time.Time
	CreatedAt  time.Time
}

// HasSessionPolicies reports whether the session is limited by session policies.
func (s Session) HasSessionPolicies() bool { return len(s.Policies) > 0 || len(s.PolicyARNs) > 0 }

// SessionRepo keeps STS sessions.
type SessionRepo interface {
	// CreateSession stores s and its AccessKey (Status Active, PrincipalARN
	// s.PrincipalARN, no user name); ErrAlreadyExists on a duplicate key id.
	CreateSession(ctx context.Context, s Session) error
	// GetSession returns the session of a temporary access key id; ErrNotFound when absent.
	GetSession(ctx context.Context, accessKeyID string) (Session, error)
	// DeleteExpiredSessions removes the sessions (and their access keys)
	// that expired at or before t, and returns how many it removed.
	DeleteExpiredSessions(ctx context.Context, t time.Time) (int, error)
}
