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
	// Request facts for the global condition keys.
	SourceIP        string
	SecureTransport bool
	MFAPresent      bool
	Region          string
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
}

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
}

// Authorize returns nil when c may perform action on resource, and a
// fault.AccessDenied error worded as AWS words it otherwise ("User: ARN is not
// authorized to perform: ACTION on resource: ARN because no identity-based
// policy allows the ACTION action"). Other errors are internal failures.
func (a *Authorizer) Authorize(ctx context.Context, c Caller, action, resource string) error {
	if action == "sts:GetCallerIdentity" {
		// AWS: no permission is required, and even an explicit deny does not block it.
		return nil
	}
	if resource == "" {
		resource = "*"
	}
	ps := &policy.PolicySet{IsRoot: c.Type == "Account"}
	if !ps.IsRoot && a.Policies != nil {
		cp, err := a.Policies.PoliciesFor(ctx, c)
		if err != nil {
			return fmt.Errorf("authz: policies of %s: %w", c.ARN, err)
		}
		for _, d := range cp.Identity {
			p, err := a.compile(d)
			if err != nil {
				return err
			}
			ps.Identity = append(ps.Identity, p)
		}
		if cp.Boundary != nil {
			p, err := a.compile(*cp.Boundary)
			if err != nil {
				return err
			}
			ps.Boundary = []*policy.Policy{p}
		}
	}
	req := &policy.Request{
		Action:           action,
		Resource:         resource,
		PrincipalARN:     c.ARN,
		PrincipalAccount: c.AccountID,
		ResourceAccount:  a.resourceAccount(resource, c.AccountID),
		Context:          a.context(c),
	}
	d := policy.Evaluate(req, ps)
	if d.Allowed {
		return nil
	}
	return &fault.Error{
		Kind: fault.AccessDenied,
		Message: fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s%s",
			c.ARN, action, resource, d.DenialReason(action)),
	}
}

// resourceAccount is the account that owns resource: the ARN's account field;
// for Identity Center resources, whose ARNs carry none (permission sets,
// identity store users and groups), the instance's owner, which is the
// management account; for "*", the caller's own account.
func (a *Authorizer) resourceAccount(resource, callerAccount string) string {
	if resource == "*" {
		return callerAccount
	}
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) < 6 {
		return callerAccount
	}
	if parts[4] != "" && parts[4] != "aws" {
		return parts[4]
	}
	switch parts[2] {
	case "sso", "identitystore":
		return a.ManagementAccountID
	}
	return callerAccount
}

func (a *Authorizer) compile(d NamedDocument) (*policy.Policy, error) {
	var p *policy.Policy
	var err error
	if a.Cache != nil {
		p, err = a.Cache.Compile(d.Document, policy.KindIdentity)
	} else {
		p, err = policy.Compile(d.Document, policy.KindIdentity)
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
	return ctx
}
