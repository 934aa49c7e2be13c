// Package credentials issues and verifies STS temporary credentials:
// AssumeRole (trust policy evaluated by the authorisation point as the role's
// resource-based policy, ExternalId, MFA codes, session policies, tags,
// source identity, duration bounded by the role and by role chaining),
// GetSessionToken (with MFA), GetFederationToken and GetAccessKeyInfo.
// Issued keys are ASIA… keys with a long random session token of which the
// store keeps only a SHA-256; Service implements authn.SessionResolver to
// verify them on later calls.
//
// Federation (federation.go): AssumeRoleWithSAML verifies a SAML response's
// XML signature against the IAM SAML provider's metadata certificates
// (goxmldsig) and AssumeRoleWithWebIdentity a JWT against the IAM OIDC
// provider's JWKS (go-jose, fetched through an injected Fetcher and cached);
// the role's trust policy decides with the provider's condition keys.
// AssumeRoot (root.go) issues a member account's root session limited by a
// root task policy. Server keys made on first use and kept in the store
// (keys.go) seal authorization messages (authzmsg.go) and sign outbound web
// identity tokens (webtoken.go). GetDelegatedAccessToken (delegated.go)
// exchanges an IAM delegation request's trade-in token, spent by the IAM core
// (Service.Delegations), for a session of the principal that accepted the
// request, limited by the request's resolved policy template.
package credentials
