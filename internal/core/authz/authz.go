package authz

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/policy"
)

// Caller is who makes a call, as authentication established it.
type Caller struct {
	AccountID string
	ARN       string
	// Type is "Account" for an account's root user, "User", "AssumedRole", "FederatedUser".
	Type     string
	UserID   string
	UserName string
	// AccessKeyID is the key that signed the request; for temporary (ASIA…)
	// keys it finds the STS session and its policies.
	AccessKeyID string
	// Request facts for the global condition keys.
	SourceIP        string
	SecureTransport bool
	MFAPresent      bool
	// MFAAuthTime is when the MFA was verified (aws:MultiFactorAuthAge).
	MFAAuthTime time.Time
	Region      string
	// IdentityStoreUserID is the Identity Center user a portal role session
	// acts for (identitystore:UserId).
	IdentityStoreUserID string
	// IdentityStoreARN is that user's identity store
	// (identitystore:IdentityStoreArn).
	IdentityStoreARN string
}

// NamedDocument is a policy document and the name explanations use for it.
type NamedDocument struct {
	Name     string
	Document string
}

// CallerPolicies are the policies that apply to a caller.
type CallerPolicies struct {
	// Identity: the user's inline and attached policies and those of its
	// groups (or a role's policies).
	Identity []NamedDocument
	// Boundary is the permissions boundary, nil when there is none.
	Boundary *NamedDocument
	// HasSession says the caller is limited by session policies (Session):
	// an STS session created with session policies, or a federated user,
	// which has no permissions beyond its session policies.
	HasSession bool
	Session    []NamedDocument
	// RoleARN is the role of an assumed-role session.
	RoleARN string
	// PrincipalTags are the tags of the caller (a user's tags, a session's tags).
	PrincipalTags []Tag
}

// Tag is a principal tag.
type Tag struct{ Key, Value string }

// PolicySource finds the policies of non-root callers (the IAM store).
type PolicySource interface {
	PoliciesFor(ctx context.Context, c Caller) (CallerPolicies, error)
}

// Authorizer decides calls with the IAM policy engine.
type Authorizer struct {
	// ManagementAccountID is the organization's management account.
	ManagementAccountID string
	// Policies finds identity policies; nil means no caller has any (only
	// root users are then allowed).
	Policies PolicySource
	// Cache compiles each distinct document once; nil compiles every time.
	Cache *policy.Cache
	// Now is the clock for aws:CurrentTime; nil means time.Now.
	Now func() time.Time
	// SCPs returns, for a caller's account, the service control policies of
	// each level from the root through its OUs to the account (nil when SCPs
	// do not apply, as for the management account). nil means no SCPs.
	SCPs func(ctx context.Context, accountID string) ([][]NamedDocument, error)
	// ImplicitAllow, when set, grants what AWS grants without any policy
	// (PasswordSelfService); it is asked only when identity-based policies
	// were all that was missing (no explicit deny, no SCP or boundary gap).
	ImplicitAllow func(ctx context.Context, c Caller, action, resource string) (bool, error)
	// ResourceOwner names the account that owns an Identity Center resource
	// whose ARN carries no account (an instance, permission set,
	// application, identity store user, group or membership): the owner of
	// its instance; "" when it cannot tell. nil means the management account
	// owns them all (the organization instance is the only one).
	ResourceOwner func(ctx context.Context, resource string) (string, error)
	// DelegatedAdmin reports whether an account is registered as the
	// delegated administrator of IAM Identity Center: its principals then
	// administer the organization instance (sso and identitystore actions)
	// as if it were their own account's. nil means no account is.
	DelegatedAdmin func(ctx context.Context, accountID string) (bool, error)
	// ResourceTags gives the tags of the resource a call is on, for
	// aws:ResourceTag/${TagKey}; asked only when a policy tests such a key
	// (request.go). nil means no resource has tags.
	ResourceTags ResourceTagSource
	// SSOPrimaryRegion is the region of the Identity Center instances, for
	// sso:PrimaryRegion on their resources ("" sets no such key).
	SSOPrimaryRegion string
	// OnDeny, when set, is told of every denial with the decision's
	// explanation (the server logs it: "Why was my call denied?").
	OnDeny func(ctx context.Context, d Denial)
	// LazyKeys gives the call's request condition keys that cost a store
	// read, by name, each computed only when a policy tests it
	// (lazykeys.go; awsproto.LazyRequestKeys). nil means none.
	LazyKeys func(ctx context.Context) map[string]func() []string
}

// Authorize returns nil when c may perform action on resource, and a
// fault.AccessDenied error worded as AWS words it otherwise ("User: ARN is not
// authorized to perform: ACTION on resource: ARN because no identity-based
// policy allows the ACTION action"). Other errors are internal failures.
func (a *Authorizer) Authorize(ctx context.Context, c Caller, action, resource string) error {
	switch action {
	case "sts:GetCallerIdentity", "sts:GetSessionToken":
		// AWS: no permission is required (GetSessionToken is authentication,
		// not controlled by policies), and even an explicit deny does not block it.
		return nil
	}
	return a.AuthorizeWithResourcePolicy(ctx, c, action, resource, nil, nil)
}

// AuthorizeWithResourcePolicy is Authorize with the resource's resource-based
// policy (a role's trust policy for sts:AssumeRole, compiled as KindTrust) and
// request-specific condition keys (sts:ExternalId, aws:RequestTag/…) added to
// the context. The caller's identity policies, boundary and session policies
// apply as for Authorize, with AWS's same-account and cross-account rules: a
// same-account trust policy naming the caller (or its role) allows on its
// own, one naming only the account needs an identity-based allow too.
func (a *Authorizer) AuthorizeWithResourcePolicy(ctx context.Context, c Caller, action, resource string, resourcePolicy *NamedDocument, extra map[string][]string) error {
	if resource == "" {
		resource = "*"
	}
	// The root user bypasses identity policies on its own account's
	// resources, but not a resource policy that decides who may use it.
	ps := &policy.PolicySet{IsRoot: c.Type == "Account" && resourcePolicy == nil}
	var cp CallerPolicies
	// A root session of sts:AssumeRoot (temporary credentials of an account's
	// root) is limited by its task policy, a session policy.
	rootSession := c.Type == "Account" && strings.HasPrefix(c.AccessKeyID, "ASIA")
	if (c.Type != "Account" || rootSession) && a.Policies != nil {
		var err error
		cp, err = a.Policies.PoliciesFor(ctx, c)
		if rootSession && err == nil && cp.HasSession {
			ps.IsRoot = false
			ps.Identity = append(ps.Identity, rootIdentity)
		}
		if err != nil {
			return fmt.Errorf("authz: policies of %s: %w", c.ARN, err)
		}
		for _, d := range cp.Identity {
			p, err := a.compile(d, policy.KindIdentity)
			if err != nil {
				return err
			}
			ps.Identity = append(ps.Identity, p)
		}
		if cp.Boundary != nil {
			p, err := a.compile(*cp.Boundary, policy.KindIdentity)
			if err != nil {
				return err
			}
			ps.Boundary = []*policy.Policy{p}
		}
		if cp.HasSession {
			ps.Session = make([]*policy.Policy, 0, len(cp.Session))
			for _, d := range cp.Session {
				p, err := a.compile(d, policy.KindIdentity)
				if err != nil {
					return err
				}
				ps.Session = append(ps.Session, p)
			}
		}
	}
	if a.SCPs != nil && c.AccountID != "" && c.AccountID != a.ManagementAccountID {
		levels, err := a.SCPs(ctx, c.AccountID)
		if err != nil {
			return fmt.Errorf("authz: SCPs of account %s: %w", c.AccountID, err)
		}
		for _, lvl := range levels {
			compiled := make([]*policy.Policy, 0, len(lvl))
			for _, d := range lvl {
				p, err := a.compile(d, policy.KindSCP)
				if err != nil {
					return err
				}
				compiled = append(compiled, p)
			}
			ps.SCPs = append(ps.SCPs, compiled)
		}
	}
	resourceAccount, err := a.resourceAccount(ctx, resource, c.AccountID)
	if err != nil {
		return err
	}
	if resourcePolicy != nil && c.Type == "Account" && resourceAccount != c.AccountID {
		// Cross-account, the root user's implicit permissions are its
		// identity-based side; the resource policy must still allow it.
		ps.Identity = []*policy.Policy{rootIdentity}
	}
	if resourcePolicy != nil {
		p, err := a.compile(*resourcePolicy, policy.KindTrust)
		if err != nil {
			return err
		}
		ps.Resource = p
	}
	reqCtx := a.context(c)
	if owner := orgResourceAccount(resource); owner != "" {
		reqCtx["aws:resourceaccount"] = []string{owner} // orgresources.go
	}
	for _, t := range cp.PrincipalTags {
		reqCtx["aws:principaltag/"+strings.ToLower(t.Key)] = []string{t.Value}
	}
	if err := a.addResourceTags(ctx, ps, resource, reqCtx); err != nil {
		return err
	}
	a.addResourceKeys(resource, reqCtx) // request.go: sso:PrimaryRegion, sso:ApplicationAccount
	a.addLazyKeys(ctx, ps, reqCtx)      // lazykeys.go: store-backed keys a policy tests
	for k, v := range extra {
		reqCtx[strings.ToLower(k)] = v
	}
	req := &policy.Request{
		Action:           action,
		Resource:         resource,
		PrincipalARN:     c.ARN,
		PrincipalAccount: c.AccountID,
		RoleARN:          cp.RoleARN,
		ResourceAccount:  resourceAccount,
		Context:          reqCtx,
	}
	d := policy.Evaluate(req, ps)
	if d.Allowed && ps.Resource != nil {
		// A trust policy must allow the caller itself: unlike other
		// resource-based policies, a same-account identity-based allow does
		// not stand in for it. Evaluated as if cross-account (where the
		// resource side must allow) with every identity permission granted.
		trustReq := *req
		trustReq.ResourceAccount = "trust-policy"
		trustReq.Context["aws:resourceaccount"] = []string{req.ResourceAccount}
		d = policy.Evaluate(&trustReq, &policy.PolicySet{Resource: ps.Resource, Identity: []*policy.Policy{rootIdentity}})
	}
	if d.Allowed {
		return nil
	}
	if a.ImplicitAllow != nil && resourcePolicy == nil && d.Effect == policy.EffectImplicitDeny && d.Reason == policy.TypeIdentity {
		ok, err := a.ImplicitAllow(ctx, c, action, resource)
		if err != nil {
			return fmt.Errorf("authz: implicit permissions of %s: %w", c.ARN, err)
		}
		if ok {
			return nil
		}
	}
	if a.OnDeny != nil {
		a.OnDeny(ctx, Denial{Caller: c, Action: action, Resource: resource, Decision: d})
	}
	return &fault.Error{
		Kind: fault.AccessDenied,
		Message: fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s%s",
			c.ARN, action, resource, d.DenialReason(action)),
	}
}

// rootIdentity stands for the root user's implicit permissions.
var rootIdentity = mustCompile(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`).WithName("root user")

func mustCompile(doc string) *policy.Policy {
	p, err := policy.Compile(doc, policy.KindIdentity)
	if err != nil {
		panic(err)
	}
	return p
}

// resourceAccount is the account that owns resource: the ARN's account field;
// for Identity Center resources, whose ARNs carry none (instances, permission
// sets, identity store users and groups), the owner of their instance
// (ResourceOwner; the management account when it cannot tell, the caller's
// account for a wildcard such as instance/*); for "*", the caller's own
// account. The organization instance counts as the caller's own for the
// principals of the delegated administrator account.
func (a *Authorizer) resourceAccount(ctx context.Context, resource, callerAccount string) (string, error) {
	if resource == "*" {
		return callerAccount, nil
	}
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) < 6 {
		return callerAccount, nil
	}
	if parts[2] == "organizations" {
		// Organizations resources all name the management account, yet
		// other accounts' principals act on them (handshakes sent to them,
		// their effective policies, delegated administration): their
		// identity policies must allow the action on the resource, and the
		// organization decides whether it lets them in (the Organizations
		// adapter's gate, org.Service.MayCall, evaluates the organization's
		// resource policy), so only the caller's identity side is evaluated here.
		return callerAccount, nil
	}
	if parts[2] != "sso" && parts[2] != "identitystore" {
		if parts[4] != "" && parts[4] != "aws" {
			return parts[4], nil
		}
		return callerAccount, nil
	}
	if parts[4] == "aws" {
		return callerAccount, nil // AWS-owned: application providers
	}
	owner := parts[4]
	if owner == "" && a.ResourceOwner != nil {
		var err error
		if owner, err = a.ResourceOwner(ctx, resource); err != nil {
			return "", fmt.Errorf("authz: owner of %s: %w", resource, err)
		}
	}
	if owner == "" && a.ResourceOwner != nil {
		// No such resource (or a wildcard): the caller's own account; the
		// operation then reports what does not exist.
		return callerAccount, nil
	}
	if owner == "" {
		if strings.HasSuffix(resource, "/*") {
			// A wildcard names no one's resource: the caller's own.
			return callerAccount, nil
		}
		owner = a.ManagementAccountID
	}
	if owner == a.ManagementAccountID && callerAccount != owner && callerAccount != "" && a.DelegatedAdmin != nil {
		ok, err := a.DelegatedAdmin(ctx, callerAccount)
		if err != nil {
			return "", fmt.Errorf("authz: delegated administrator %s: %w", callerAccount, err)
		}
		if ok {
			return callerAccount, nil
		}
	}
	return owner, nil
}

func (a *Authorizer) compile(d NamedDocument, kind policy.Kind) (*policy.Policy, error) {
	var p *policy.Policy
	var err error
	if a.Cache != nil {
		p, err = a.Cache.Compile(d.Document, kind)
	} else {
		p, err = policy.Compile(d.Document, kind)
	}
	if err != nil {
		// Stored documents were validated when written; one that no longer
		// compiles is a bug, not the caller's fault.
		return nil, fmt.Errorf("authz: stored policy %s does not compile: %w", d.Name, err)
	}
	return p.WithName(d.Name), nil
}

// context builds the global condition keys AWS sets on every request.
func (a *Authorizer) context(c Caller) map[string][]string {
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	t := now().UTC()
	ctx := map[string][]string{
		"aws:currenttime":            {t.Format(time.RFC3339)},
		"aws:epochtime":              {strconv.FormatInt(t.Unix(), 10)},
		"aws:securetransport":        {strconv.FormatBool(c.SecureTransport)},
		"aws:multifactorauthpresent": {strconv.FormatBool(c.MFAPresent)},
		"aws:principaltype":          {c.Type},
	}
	if c.MFAPresent && !c.MFAAuthTime.IsZero() {
		age := int64(t.Sub(c.MFAAuthTime) / time.Second)
		ctx["aws:multifactorauthage"] = []string{strconv.FormatInt(max(age, 0), 10)}
	}
	if c.UserID != "" {
		ctx["aws:userid"] = []string{c.UserID}
	}
	if c.UserName != "" && c.Type == "User" {
		ctx["aws:username"] = []string{c.UserName}
	}
	if c.SourceIP != "" {
		ctx["aws:sourceip"] = []string{c.SourceIP}
	}
	if c.Region != "" {
		ctx["aws:requestedregion"] = []string{c.Region}
	}
	if c.IdentityStoreUserID != "" {
		ctx["identitystore:userid"] = []string{c.IdentityStoreUserID}
	}
	if c.IdentityStoreARN != "" {
		ctx["identitystore:identitystorearn"] = []string{c.IdentityStoreARN}
	}
	return ctx
}
