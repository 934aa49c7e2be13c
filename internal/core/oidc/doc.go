// Package oidc is the sso-oidc authorization server: OAuth clients registered
// with RegisterClient, the device-code grant (RFC 8628 as the AWS CLI drives
// it), the authorization-code grant with PKCE S256 and loopback redirects on
// any port (RFC 8252), and refresh tokens with rotation. Client secrets,
// device codes, authorization codes and tokens come from the injected random
// source and are stored only as SHA-256 hashes, compared in constant time.
//
// Device codes and authorization codes are approved by a signed-in user
// through the web portal (ApproveDevice, DenyDevice, Authorize); the tokens
// then belong to that user. Every token of one sign-in shares a portal
// session id, so Logout ends the session with its siblings.
package oidc
