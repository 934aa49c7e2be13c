package credentials

import (
	"context"
	"errors"
	"regexp"
	"time"

	"github.com/idcenter/idcenter/internal/core/authz"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/store"
)

// RootSessionsState says whether centralized root sessions are enabled
// (iam.Service.RootSessionsEnabled).
type RootSessionsState interface {
	RootSessionsEnabled(ctx context.Context) (bool, error)
}

// AssumeRoot durations, in seconds, as AWS bounds them.
const (
	RootSessionDuration = 900
)

var (
	targetAccountRE = regexp.MustCompile(`^(?:arn:aws:iam::)?(\d{12})(?::root)?$`)
	rootTaskARNRE   = regexp.MustCompile(`^arn:aws:iam::aws:policy/root-task/[\w+=,.@-]+$`)
)

// AssumeRoot issues a privileged root session of a member account, limited
// to one root task policy. The caller must be an IAM principal (not a root
// user) of the organization's management account or of IAM's delegated
// administrator, centralized root sessions must be enabled, and its
// policies must allow sts:AssumeRoot on the member's root
// (arn:aws:iam::<member>:root), with sts:TaskPolicyArn in the context.
func (s *Service) AssumeRoot(ctx context.Context, c authz.Caller, targetPrincipal, taskPolicyARN string, durationSeconds int) (Issued, error) {
	const action = "sts:AssumeRoot"
	m := targetAccountRE.FindStringSubmatch(targetPrincipal)
	if m == nil {
		return Issued{}, validation("TargetPrincipal %s is not an account id or an account's root ARN.", targetPrincipal)
	}
	target := m[1]
	resource := "arn:aws:iam::" + target + ":root"
	notAuthorized := denied("User: %s is not authorized to perform: %s on resource: %s", c.ARN, action, resource)
	if c.Type == "Account" {
		return Issued{}, denied("User: %s is not authorized to perform: %s on resource: %s because root user credentials cannot call AssumeRoot", c.ARN, action, resource)
	}
	if !rootTaskARNRE.MatchString(taskPolicyARN) {
		return Issued{}, validation("TaskPolicyArn %s is not a root task policy (arn:aws:iam::aws:policy/root-task/...).", taskPolicyARN)
	}
	if _, ok := iam.RootTaskPolicyDocument(taskPolicyARN); !ok {
		return Issued{}, validation("TaskPolicyArn %s is not a root task policy.", taskPolicyARN)
	}
	if durationSeconds == 0 {
		durationSeconds = RootSessionDuration
	}
	if durationSeconds < 0 || durationSeconds > RootSessionDuration {
		return Issued{}, validation("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to %d", durationSeconds, RootSessionDuration)
	}
	if s.RootSessions == nil {
		return Issued{}, notAuthorized
	}
	on, err := s.RootSessions.RootSessionsEnabled(ctx)
	if err != nil {
		return Issued{}, mapErr("assume root: root sessions", err)
	}
	if !on {
		return Issued{}, denied("User: %s is not authorized to perform: %s on resource: %s because centralized root access (root sessions) is not enabled for the organization", c.ARN, action, resource)
	}
	err = s.Store.View(ctx, func(tx store.Tx) error {
		o, err := tx.GetOrganization(ctx)
		if errors.Is(err, store.ErrNotFound) {
			return notAuthorized
		}
		if err != nil {
			return err
		}
		if target == o.ManagementAccountID {
			return denied("User: %s is not authorized to perform: %s on resource: %s because the target is the management account", c.ARN, action, resource)
		}
		if _, err := tx.GetAccount(ctx, target); errors.Is(err, store.ErrNotFound) {
			return notAuthorized
		} else if err != nil {
			return err
		}
		if c.AccountID == o.ManagementAccountID {
			return nil
		}
		admins, err := tx.ListOrgDelegatedAdmins(ctx)
		if err != nil {
			return err
		}
		for _, d := range admins {
			if d.AccountID == c.AccountID && d.ServicePrincipal == iam.IAMServicePrincipal {
				return nil
			}
		}
		return notAuthorized
	})
	if err != nil {
		return Issued{}, mapErr("assume root", err)
	}
	// The member account's root trusts the management account and IAM's
	// delegated administrator (checked above); the caller's own policies
	// must allow sts:AssumeRoot, so the account is named, not the caller.
	trust := &authz.NamedDocument{Name: "centralized root access of " + target,
		Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + c.AccountID + `:root"},"Action":"sts:AssumeRoot"}]}`}
	extra := map[string][]string{"sts:taskpolicyarn": {taskPolicyARN}}
	if err := s.Authz.AuthorizeWithResourcePolicy(ctx, c, action, resource, trust, extra); err != nil {
		if fe := fault.As(err); fe != nil && fe.Kind == fault.AccessDenied {
			return Issued{}, denied("%s", fe.Message)
		}
		return Issued{}, mapErr("assume root: authorise", err)
	}
	var parent store.Session
	if isSession(c) {
		_ = s.Store.View(ctx, func(tx store.Tx) error {
			var err error
			parent, err = tx.GetSession(ctx, c.AccessKeyID)
			return err
		})
	}
	now := s.now()
	creds, hash, err := s.newCredentials(now.Add(time.Duration(durationSeconds) * time.Second))
	if err != nil {
		return Issued{}, err
	}
	sess := store.Session{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, TokenHash: hash,
		Type: store.SessionRoot, AccountID: target, PrincipalARN: resource, UserID: target,
		PolicyARNs: []string{taskPolicyARN}, SourceIdentity: parent.SourceIdentity,
		Expiration: creds.Expiration, CreatedAt: now}
	if err := s.create(ctx, sess); err != nil {
		return Issued{}, err
	}
	return Issued{Credentials: creds, ARN: resource, ID: target, PackedPolicySize: -1, SourceIdentity: parent.SourceIdentity}, nil
}
