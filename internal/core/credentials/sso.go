package credentials

import (
	"context"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// IssueSSORoleSession issues credentials for a session of a provisioned
// AWSReservedSSO_… role on behalf of an Identity Center user (the portal's
// GetRoleCredentials): no trust policy is evaluated (the portal has checked
// the user's assignment), the session is named after the user and lasts
// duration (the permission set's session duration). The session then acts
// with the role's policies, as every role session does.
func (s *Service) IssueSSORoleSession(ctx context.Context, role store.IAMRole, sessionName string, duration time.Duration) (Issued, error) {
	if !sessionNameRE.MatchString(sessionName) {
		return Issued{}, validation("The session name %q is not a valid role session name.", sessionName)
	}
	if duration <= 0 {
		duration = DefaultRoleDuration * time.Second
	}
	now := s.now()
	creds, hash, err := s.newCredentials(now.Add(duration))
	if err != nil {
		return Issued{}, err
	}
	sess := store.Session{
		AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, TokenHash: hash,
		Type: store.SessionAssumedRole, AccountID: role.AccountID,
		PrincipalARN: "arn:aws:sts::" + role.AccountID + ":assumed-role/" + role.RoleName + "/" + sessionName,
		UserID:       role.RoleID + ":" + sessionName,
		RoleARN:      role.ARN, RoleID: role.RoleID, RoleName: role.RoleName, SessionName: sessionName,
		Expiration: creds.Expiration, CreatedAt: now,
	}
	if err := s.create(ctx, sess); err != nil {
		return Issued{}, err
	}
	return Issued{Credentials: creds, ARN: sess.PrincipalARN, ID: sess.UserID, PackedPolicySize: -1}, nil
}
