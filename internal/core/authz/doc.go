// Package authz is the single authorisation point every API call passes
// through: it receives the caller, the IAM action ("identitystore:CreateUser")
// and the resource ARN of the call and allows or denies it with the IAM policy
// engine (internal/policy).
//
// It assembles the policy set of a call: root users in their own account;
// IAM users' inline, attached and group policies and permissions boundary;
// role sessions' role policies, boundary and session policies (IAMPolicies
// reads them from the store); a trust policy as the resource policy for
// sts:AssumeRole (AuthorizeWithResourcePolicy). Denials are fault.AccessDenied
// errors worded as AWS words them. Identity Center ARNs carry no account:
// ResourceOwner names the owner of their instance, and DelegatedAdmin lets the
// delegated administrator of IAM Identity Center act on the organization
// instance as in its own account. OwnerCache keeps found owners for a short
// time (1 s in internal/app) so that sso and identitystore calls do not read
// the store for them on every request (ownercache.go).
//
// AuthorizeRequest adds the request's condition keys, computed by the wire
// codec from the decoded input; the authoriser adds those that follow from
// the resource (aws:ResourceTag/… through ResourceTagSource, read only when a
// policy tests them; sso:PrimaryRegion, sso:ApplicationAccount,
// identitystore:PrimaryRegion) and those that describe the caller (the
// global aws: keys; identitystore:UserId and identitystore:IdentityStoreArn
// for portal role sessions). Every denial
// is reported to OnDeny with the decision that explains it (request.go).
//
// EntityPolicies and ManagedDocument expose the same policy collection to
// IAM's policy simulator and service last accessed reports.
package authz
