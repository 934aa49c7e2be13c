package credentials

import (
	"context"
	"errors"
	"regexp"
	"time"

	"github.com/idcenter/idcenter/internal/core/authz"
	"github.com/idcenter/idcenter/internal/store"
)

// DelegationGrant is what a delegation request's trade-in token grants
// (IAM temporary delegation): a session of PrincipalARN, the identity that
// accepted the request, in AccountID, limited by the session policy Policy,
// until Expires (the end of the delegation period).
type DelegationGrant struct {
	AccountID    string
	PrincipalARN string
	Policy       string
	Expires      time.Time
}

// DelegationRedeemer spends a trade-in token made by callerAccount's request
// (iam.Service.RedeemDelegationToken): once, within its period; a fault
// with Reason ExpiredTradeInTokenException otherwise.
type DelegationRedeemer func(ctx context.Context, callerAccount, token string) (DelegationGrant, error)

// DelegatedIssued is GetDelegatedAccessToken's result.
type DelegatedIssued struct {
	Credentials      Credentials
	AssumedPrincipal string
	PackedPolicySize int
}

var (
	delegatedUserARN = regexp.MustCompile(`^arn:aws:iam::(\d{12}):user/(?:[\x21-\x7e]*/)?([\w+=,.@-]+)$`)
	delegatedRootARN = regexp.MustCompile(`^arn:aws:iam::(\d{12}):root$`)
	delegatedRoleARN = regexp.MustCompile(`^arn:aws:sts::(\d{12}):assumed-role/([\w+=,.@-]+)/([\w+=,.@-]+)$`)
)

// GetDelegatedAccessToken exchanges a trade-in token for temporary
// credentials of the principal that accepted the delegation request: its
// permissions (an IAM user's, a role's, or the account root's) intersected
// with the request's session policy, until the end of the delegation
// period. The caller is the partner that made the request.
func (s *Service) GetDelegatedAccessToken(ctx context.Context, c authz.Caller, token string) (DelegatedIssued, error) {
	if token == "" {
		return DelegatedIssued{}, validation("1 validation error detected: Value null at 'tradeInToken' failed to satisfy constraint: Member must not be null")
	}
	if s.Delegations == nil {
		return DelegatedIssued{}, validation("Delegation requests are not available.")
	}
	g, err := s.Delegations(ctx, c.AccountID, token)
	if err != nil {
		return DelegatedIssued{}, mapErr("get delegated access token", err)
	}
	packed, err := checkSessionPolicies(SessionPolicies{Policy: g.Policy}, nil)
	if err != nil {
		return DelegatedIssued{}, err
	}
	now := s.now()
	if !now.Before(g.Expires) {
		return DelegatedIssued{}, validation("The delegation period has ended.")
	}
	creds, hash, err := s.newCredentials(g.Expires)
	if err != nil {
		return DelegatedIssued{}, err
	}
	sess := store.Session{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, TokenHash: hash,
		AccountID: g.AccountID, PrincipalARN: g.PrincipalARN, Policies: []string{g.Policy},
		Expiration: creds.Expiration, CreatedAt: now}
	gone := denied("The principal %s that accepted the delegation request no longer exists.", g.PrincipalARN)
	err = s.Store.View(ctx, func(tx store.Tx) error {
		switch m := (struct{ user, root, role []string }{delegatedUserARN.FindStringSubmatch(g.PrincipalARN),
			delegatedRootARN.FindStringSubmatch(g.PrincipalARN), delegatedRoleARN.FindStringSubmatch(g.PrincipalARN)}); {
		case m.root != nil && m.root[1] == g.AccountID:
			sess.Type, sess.UserID = store.SessionToken, g.AccountID
		case m.user != nil && m.user[1] == g.AccountID:
			u, err := tx.GetIAMUser(ctx, g.AccountID, m.user[2])
			if errors.Is(err, store.ErrNotFound) || err == nil && u.ARN != g.PrincipalARN {
				return gone
			}
			if err != nil {
				return err
			}
			sess.Type, sess.UserID, sess.SourceUserName = store.SessionToken, u.UserID, u.UserName
		case m.role != nil && m.role[1] == g.AccountID:
			r, err := tx.GetIAMRole(ctx, g.AccountID, m.role[2])
			if errors.Is(err, store.ErrNotFound) {
				return gone
			}
			if err != nil {
				return err
			}
			sess.Type, sess.RoleARN, sess.RoleID, sess.RoleName, sess.SessionName = store.SessionAssumedRole, r.ARN, r.RoleID, r.RoleName, m.role[3]
			sess.UserID = r.RoleID + ":" + m.role[3]
		default:
			return denied("Delegated credentials cannot be issued for the principal %s.", g.PrincipalARN)
		}
		return nil
	})
	if err != nil {
		return DelegatedIssued{}, mapErr("get delegated access token", err)
	}
	if err := s.create(ctx, sess); err != nil {
		return DelegatedIssued{}, err
	}
	return DelegatedIssued{Credentials: creds, AssumedPrincipal: g.PrincipalARN, PackedPolicySize: packed}, nil
}
