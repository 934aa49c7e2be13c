package authz

import (
	"context"
	"fmt"
	"strings"

	"github.com/idcenter/idcenter/internal/policy"
)

// ResourceTagSource finds the tags of a tagged resource by its ARN (IAM
// users and roles, Identity Center permission sets, …). ok is false for a
// resource that has no tags or does not exist: aws:ResourceTag keys are then
// absent, as on AWS.
type ResourceTagSource interface {
	ResourceTags(ctx context.Context, resource string) (tags []Tag, ok bool, err error)
}

// Denial describes a denied call for OnDeny.
type Denial struct {
	Caller   Caller
	Action   string
	Resource string
	// Decision names the statement that denied explicitly, or the kind of
	// policy that lacked an allow (Decision.String()).
	Decision policy.Decision
}

// AuthorizeRequest is Authorize with the request's condition keys (from
// the decoded input: aws:RequestTag/…, aws:TagKeys, iam:PermissionsBoundary,
// organizations:PolicyType, …) added to the evaluation context. It is what the
// authorisation point calls for every operation.
func (a *Authorizer) AuthorizeRequest(ctx context.Context, c Caller, action, resource string, keys map[string][]string) error {
	switch action {
	case "sts:GetCallerIdentity", "sts:GetSessionToken":
		return nil // as Authorize: no permission is required
	}
	return a.AuthorizeWithResourcePolicy(ctx, c, action, resource, nil, keys)
}

// addResourceTags sets aws:ResourceTag/<key> for the resource's tags when a
// policy of ps tests such a key (the lookup costs a store read otherwise
// avoided).
func (a *Authorizer) addResourceTags(ctx context.Context, ps *policy.PolicySet, resource string, reqCtx map[string][]string) error {
	if a.ResourceTags == nil || resource == "*" || strings.Contains(resource, "*") {
		return nil
	}
	// IAM users and roles also answer iam:ResourceTag/<key>, IAM's older
	// name for the same tags.
	iamEntity := strings.HasPrefix(resource, "arn:aws:iam::") &&
		(strings.Contains(resource, ":user/") || strings.Contains(resource, ":role/"))
	if !ps.UsesKeyPrefix("aws:resourcetag/") && (!iamEntity || !ps.UsesKeyPrefix("iam:resourcetag/")) {
		return nil
	}
	tags, ok, err := a.ResourceTags.ResourceTags(ctx, resource)
	if err != nil {
		return fmt.Errorf("authz: tags of %s: %w", resource, err)
	}
	if !ok {
		return nil
	}
	for _, t := range tags {
		reqCtx["aws:resourcetag/"+strings.ToLower(t.Key)] = []string{t.Value}
		if iamEntity {
			reqCtx["iam:resourcetag/"+strings.ToLower(t.Key)] = []string{t.Value}
		}
	}
	return nil
}

// addResourceKeys sets the service keys that describe the resource itself
// and follow from its ARN: for any Identity Store resource,
// identitystore:PrimaryRegion (the instances' region); for an Identity
// Center instance, permission set,
// application or trusted token issuer, sso:PrimaryRegion (the region of
// the instances) and, for an application, sso:ApplicationAccount (the
// account that created it, the ARN's account).
func (a *Authorizer) addResourceKeys(resource string, reqCtx map[string][]string) {
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) == 6 && parts[2] == "identitystore" {
		// Every Identity Store resource (store, user, group, membership)
		// lives in its instance's region: identitystore:PrimaryRegion.
		if a.SSOPrimaryRegion != "" {
			reqCtx["identitystore:primaryregion"] = []string{a.SSOPrimaryRegion}
		}
		return
	}
	if len(parts) < 6 || parts[2] != "sso" || parts[4] == "aws" {
		return
	}
	kind, _, _ := strings.Cut(parts[5], "/")
	switch kind {
	case "instance", "permissionSet", "application", "trustedTokenIssuer":
	default:
		return
	}
	if a.SSOPrimaryRegion != "" {
		reqCtx["sso:primaryregion"] = []string{a.SSOPrimaryRegion}
	}
	if kind == "application" && parts[4] != "" {
		reqCtx["sso:applicationaccount"] = []string{parts[4]}
	}
}
