// Package credentials issues and verifies STS temporary credentials:
// AssumeRole (trust policy evaluated by the authorisation point as the role's
// resource-based policy, ExternalId, session policies, tags, source identity,
// duration bounded by the role and by role chaining), GetSessionToken,
// GetFederationToken and GetAccessKeyInfo. Issued keys are ASIA… keys with a
// long random session token of which the store keeps only a SHA-256; Service
// implements authn.SessionResolver to verify them on later calls.
package credentials
