package authz

import (
	"context"
	"fmt"
	"strings"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/policy"
)

// AuthorizeFederated decides whether a principal federated by an identity
// provider (a SAML provider's or OIDC provider's ARN, as a trust policy's
// "Federated" principal names it) may perform action (sts:AssumeRoleWithSAML,
// sts:AssumeRoleWithWebIdentity, sts:TagSession …) on the role roleARN. Only
// the role's trust policy decides: the caller has no identity policies.
// extra holds the provider's condition keys (saml:aud, <provider>:sub …).
func (a *Authorizer) AuthorizeFederated(ctx context.Context, federated, action, roleARN string, trust NamedDocument, extra map[string][]string) error {
	p, err := a.compile(trust, policy.KindTrust)
	if err != nil {
		return err
	}
	reqCtx := a.context(Caller{Type: "WebIdentityUser"})
	delete(reqCtx, "aws:principaltype")
	for k, v := range extra {
		reqCtx[strings.ToLower(k)] = v
	}
	req := &policy.Request{
		Action:   action,
		Resource: roleARN,
		// Cross-account in form: the trust policy alone must allow.
		Federated:       federated,
		ResourceAccount: "trust-policy",
		Context:         reqCtx,
	}
	acct, err := a.resourceAccount(ctx, roleARN, "")
	if err != nil {
		return err
	}
	reqCtx["aws:resourceaccount"] = []string{acct}
	d := policy.Evaluate(req, &policy.PolicySet{Resource: p, Identity: []*policy.Policy{rootIdentity}})
	if d.Allowed {
		return nil
	}
	return &fault.Error{Kind: fault.AccessDenied, Message: fmt.Sprintf("Not authorized to perform %s", action)}
}
