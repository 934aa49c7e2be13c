package credentials

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/core/authz"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/store"
)

// AssumeRoleInput is an AssumeRole request.
type AssumeRoleInput struct {
	RoleARN         string
	RoleSessionName string
	DurationSeconds int // 0 = default
	ExternalID      string
	SessionPolicies
	Tags              []store.Tag
	TransitiveTagKeys []string
	SourceIdentity    string
	// SerialNumber and TokenCode are an MFA device's serial and code.
	SerialNumber, TokenCode string
}

var sessionNameRE = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

var roleARNRE = regexp.MustCompile(`^arn:aws:iam::(\d{12}):role/(?:[\x21-\x7e]*/)?([\w+=,.@-]+)$`)

// isSession reports whether the caller signed with temporary credentials.
func isSession(c authz.Caller) bool {
	return strings.HasPrefix(c.AccessKeyID, "ASIA") || c.Type == "AssumedRole" || c.Type == "FederatedUser"
}

// AssumeRole issues credentials for a role session. The role must exist and
// its trust policy must allow the caller (a same-account trust policy naming
// only the account also needs the caller's identity-based permission);
// otherwise AWS's AccessDenied, also when the role does not exist.
func (s *Service) AssumeRole(ctx context.Context, c authz.Caller, in AssumeRoleInput) (Issued, error) {
	if !sessionNameRE.MatchString(in.RoleSessionName) {
		return Issued{}, validation("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*", in.RoleSessionName)
	}
	chained := c.Type == "AssumedRole"
	duration := in.DurationSeconds
	if duration == 0 {
		duration = DefaultRoleDuration
	}
	if duration < MinDuration {
		return Issued{}, validation("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to %d", duration, MinDuration)
	}
	if chained && duration > ChainedMaxDuration {
		return Issued{}, validation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	}
	if c.Type == "FederatedUser" {
		return Issued{}, denied("User: %s is not authorized to perform: sts:AssumeRole on resource: %s", c.ARN, in.RoleARN)
	}
	packed, err := checkSessionPolicies(in.SessionPolicies, in.Tags)
	if err != nil {
		return Issued{}, err
	}
	notAuthorized := denied("User: %s is not authorized to perform: sts:AssumeRole on resource: %s", c.ARN, in.RoleARN)
	m := roleARNRE.FindStringSubmatch(in.RoleARN)
	if m == nil {
		return Issued{}, validation("%s is invalid", in.RoleARN)
	}

	// The caller's own session, for role chaining (transitive tags, source identity).
	var parent store.Session
	var role store.IAMRole
	err = s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		role, err = tx.GetIAMRole(ctx, m[1], m[2])
		if errors.Is(err, store.ErrNotFound) || err == nil && role.ARN != in.RoleARN {
			return notAuthorized
		}
		if err != nil {
			return err
		}
		if isSession(c) {
			parent, err = tx.GetSession(ctx, c.AccessKeyID)
			if errors.Is(err, store.ErrNotFound) {
				return notAuthorized
			}
		}
		return err
	})
	if err != nil {
		return Issued{}, mapErr("assume role", err)
	}
	maxDur := role.MaxSessionDuration
	if maxDur == 0 {
		maxDur = DefaultRoleDuration
	}
	if duration > maxDur {
		return Issued{}, validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}

	// Tags: transitive tags of the caller's session pass on and may not be overridden.
	tags := append([]store.Tag(nil), in.Tags...)
	transitive := append([]string(nil), in.TransitiveTagKeys...)
	for _, k := range parent.TransitiveTagKeys {
		for _, t := range parent.Tags {
			if !strings.EqualFold(t.Key, k) {
				continue
			}
			for _, nt := range in.Tags {
				if strings.EqualFold(nt.Key, k) {
					return Issued{}, validation("One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.")
				}
			}
			tags = append(tags, t)
			transitive = append(transitive, t.Key)
		}
	}
	for _, k := range in.TransitiveTagKeys {
		found := false
		for _, t := range in.Tags {
			found = found || strings.EqualFold(t.Key, k)
		}
		if !found {
			return Issued{}, validation("The specified transitive tag key must be included in the requested tags.")
		}
	}
	sourceIdentity := in.SourceIdentity
	if parent.SourceIdentity != "" {
		if sourceIdentity != "" && sourceIdentity != parent.SourceIdentity {
			return Issued{}, denied("User: %s is not authorized to perform: sts:SetSourceIdentity on resource: %s because the source identity of the calling session cannot be changed", c.ARN, in.RoleARN)
		}
		sourceIdentity = parent.SourceIdentity
	}

	// The trust policy decides, with the request's condition keys.
	extra := map[string][]string{"sts:rolesessionname": {in.RoleSessionName}}
	if in.ExternalID != "" {
		extra["sts:externalid"] = []string{in.ExternalID}
	}
	if sourceIdentity != "" {
		extra["sts:sourceidentity"] = []string{sourceIdentity}
	}
	if len(tags) > 0 {
		keys := make([]string, 0, len(tags))
		for _, t := range tags {
			extra["aws:requesttag/"+strings.ToLower(t.Key)] = []string{t.Value}
			keys = append(keys, t.Key)
		}
		extra["aws:tagkeys"] = keys
	}
	if len(transitive) > 0 {
		extra["sts:transitivetagkeys"] = transitive
	}
	// An MFA code passed with the request counts for the trust policy
	// (aws:MultiFactorAuthPresent) and for the session.
	mfaAt, mfaPresent := time.Time{}, false
	switch {
	case in.SerialNumber != "" || in.TokenCode != "":
		user := c.UserName
		switch c.Type {
		case "User":
		case "Account":
			user = iam.RootMFAUser // the root user's own device (iam/root_mfa.go)
		default:
			user = parent.SourceUserName
		}
		if err := s.useMFA(ctx, c.AccountID, user, in.SerialNumber, in.TokenCode); err != nil {
			return Issued{}, err
		}
		mfaAt, mfaPresent = s.now(), true
		c.MFAPresent, c.MFAAuthTime = true, mfaAt
	case parent.MFAPresent:
		mfaAt, mfaPresent = parent.MFAAuthTime, true
	case c.MFAPresent && !chained:
		mfaAt, mfaPresent = c.MFAAuthTime, true
	}
	trust := &authz.NamedDocument{Name: "trust policy of " + role.ARN, Document: role.AssumeRolePolicy}
	actions := []string{"sts:AssumeRole"}
	if len(in.Tags) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	if in.SourceIdentity != "" {
		actions = append(actions, "sts:SetSourceIdentity")
	}
	for _, action := range actions {
		if err := s.Authz.AuthorizeWithResourcePolicy(ctx, c, action, role.ARN, trust, extra); err != nil {
			if fe := fault.As(err); fe != nil && fe.Kind == fault.AccessDenied {
				return Issued{}, denied("User: %s is not authorized to perform: %s on resource: %s", c.ARN, action, role.ARN)
			}
			return Issued{}, mapErr("assume role: authorise", err)
		}
	}

	now := s.now()
	creds, hash, err := s.newCredentials(now.Add(time.Duration(duration) * time.Second))
	if err != nil {
		return Issued{}, err
	}
	sess := store.Session{
		AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, TokenHash: hash,
		Type: store.SessionAssumedRole, AccountID: role.AccountID,
		PrincipalARN: "arn:aws:sts::" + role.AccountID + ":assumed-role/" + role.RoleName + "/" + in.RoleSessionName,
		UserID:       role.RoleID + ":" + in.RoleSessionName,
		RoleARN:      role.ARN, RoleID: role.RoleID, RoleName: role.RoleName, SessionName: in.RoleSessionName,
		Tags: tags, TransitiveTagKeys: transitive, SourceIdentity: sourceIdentity,
		MFAPresent: mfaPresent, MFAAuthTime: mfaAt, Chained: chained,
		Expiration: creds.Expiration, CreatedAt: now,
	}
	if in.Policy != "" {
		sess.Policies = []string{in.Policy}
	}
	sess.PolicyARNs = in.PolicyARNs
	if err := s.create(ctx, sess); err != nil {
		return Issued{}, err
	}
	return Issued{Credentials: creds, ARN: sess.PrincipalARN, ID: sess.UserID, PackedPolicySize: packed, SourceIdentity: sourceIdentity}, nil
}

// create stores a session, purging expired ones on the way.
func (s *Service) create(ctx context.Context, sess store.Session) error {
	return mapErr("store session", s.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.DeleteExpiredSessions(ctx, sess.CreatedAt.Add(-time.Hour)); err != nil {
			return err
		}
		return tx.CreateSession(ctx, sess)
	}))
}

// GetSessionToken issues credentials with the caller's own permissions (an
// IAM user's or root's); it cannot be called with session credentials.
func (s *Service) GetSessionToken(ctx context.Context, c authz.Caller, durationSeconds int, serial, code string) (Credentials, error) {
	if isSession(c) {
		return Credentials{}, denied("Cannot call GetSessionToken with session credentials")
	}
	d, err := tokenDuration(c, durationSeconds)
	if err != nil {
		return Credentials{}, err
	}
	mfaPresent, mfaAt := c.MFAPresent, c.MFAAuthTime
	if serial != "" || code != "" {
		user := ""
		switch c.Type {
		case "User":
			user = c.UserName
		case "Account":
			user = iam.RootMFAUser // the root user's own device (iam/root_mfa.go)
		}
		if err := s.useMFA(ctx, c.AccountID, user, serial, code); err != nil {
			return Credentials{}, err
		}
		mfaPresent, mfaAt = true, s.now()
	}
	now := s.now()
	creds, hash, err := s.newCredentials(now.Add(time.Duration(d) * time.Second))
	if err != nil {
		return Credentials{}, err
	}
	sess := store.Session{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, TokenHash: hash,
		Type: store.SessionToken, AccountID: c.AccountID, PrincipalARN: c.ARN, UserID: c.UserID,
		MFAPresent: mfaPresent, MFAAuthTime: mfaAt, Expiration: creds.Expiration, CreatedAt: now}
	if c.Type == "User" {
		sess.SourceUserName = c.UserName
	}
	return creds, s.create(ctx, sess)
}

func tokenDuration(c authz.Caller, d int) (int, error) {
	max := MaxSessionTokenDuration
	if c.Type == "Account" {
		max = RootMaxDuration
		if d == 0 {
			d = RootMaxDuration
		}
	}
	if d == 0 {
		d = DefaultSessionDuration
	}
	if d < MinDuration || d > max {
		return 0, validation("The requested DurationSeconds exceeds the allowed range: it must be between %d and %d seconds.", MinDuration, max)
	}
	return d, nil
}

var federatedNameRE = regexp.MustCompile(`^[\w+=,.@-]{2,32}$`)

// GetFederationToken issues credentials for a federated user: the calling IAM
// user's permissions limited by the session policies (none without them).
func (s *Service) GetFederationToken(ctx context.Context, c authz.Caller, name string, durationSeconds int, p SessionPolicies, tags []store.Tag) (Issued, error) {
	if isSession(c) {
		return Issued{}, denied("Cannot call GetFederationToken with session credentials")
	}
	if !federatedNameRE.MatchString(name) {
		return Issued{}, validation("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*", name)
	}
	d, err := tokenDuration(c, durationSeconds)
	if err != nil {
		return Issued{}, err
	}
	packed, err := checkSessionPolicies(p, tags)
	if err != nil {
		return Issued{}, err
	}
	now := s.now()
	creds, hash, err := s.newCredentials(now.Add(time.Duration(d) * time.Second))
	if err != nil {
		return Issued{}, err
	}
	sess := store.Session{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, TokenHash: hash,
		Type: store.SessionFederatedUser, AccountID: c.AccountID,
		PrincipalARN: "arn:aws:sts::" + c.AccountID + ":federated-user/" + name, UserID: c.AccountID + ":" + name,
		SessionName: name, PolicyARNs: p.PolicyARNs, Tags: tags, Expiration: creds.Expiration, CreatedAt: now}
	if c.Type == "User" {
		sess.SourceUserName = c.UserName
	}
	if p.Policy != "" {
		sess.Policies = []string{p.Policy}
	}
	if err := s.create(ctx, sess); err != nil {
		return Issued{}, err
	}
	return Issued{Credentials: creds, ARN: sess.PrincipalARN, ID: sess.UserID, PackedPolicySize: packed}, nil
}

// GetAccessKeyInfo returns the account an access key (long-term or temporary) belongs to.
func (s *Service) GetAccessKeyInfo(ctx context.Context, accessKeyID string) (string, error) {
	var k store.AccessKey
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		k, err = tx.GetAccessKey(ctx, accessKeyID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return "", validation("The access key ID %s is not valid.", accessKeyID)
	}
	if err != nil {
		return "", mapErr("get access key info", err)
	}
	return k.AccountID, nil
}

// useMFA verifies and consumes an MFA code of the IAM user's device (or the
// root user's, userName iam.RootMFAUser). Roles have none.
func (s *Service) useMFA(ctx context.Context, account, userName, serial, code string) error {
	if serial == "" || code == "" || userName == "" || s.MFA == nil {
		return denied("MultiFactorAuthentication failed, unable to validate MFA code.")
	}
	err := s.MFA.UseMFACode(ctx, account, userName, serial, code)
	if fe := fault.As(err); fe != nil && fe.Kind == fault.AccessDenied {
		return denied("%s", fe.Message)
	}
	return mapErr("verify mfa code", err)
}
