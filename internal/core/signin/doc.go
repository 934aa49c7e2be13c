// Package signin signs identity store users in to the web access portal:
// passwords (argon2id hashes, an AWS-like policy, one-time passwords that must
// be changed at the first sign-in, lockout after repeated failures), TOTP
// devices (RFC 6238, ±1 time step, every code single-use), WebAuthn security
// keys and passkeys (webauthn.go: go-webauthn, the relying party from
// PublicURL, the ceremony kept with the web session, the signature counter
// checked) and the portal's web sessions (random ids stored as SHA-256, 8
// hours by default, 15 minutes to 90 days by the instance's settings).
//
// A sign-in is a small state machine on a web session: Begin checks the
// password and creates a session whose Next step is ChangePassword,
// RegisterMFA, MFA or Done; the web layer shows the page of that step and
// calls ChangePassword, RegisterTOTP/RegisterWebAuthn or VerifyMFA/VerifyWebAuthn
// until Next is Done. Only a
// Done session is signed in. The instance's MFA settings decide when a
// second factor is needed (ALWAYS by default, CONTEXT_CHANGE — a known-context
// cookie bound to the browser's user agent and address —, NEVER), which MFA
// types are allowed (TOTP, WEBAUTHN) and what happens to a user without a
// device (REGISTER by default, BLOCK, or ALLOW).
//
// After signing in, users list, register, rename and delete their own MFA devices
// (devices.go) unless the instance's Settings.DevicesAdminOnly is set (AWS's
// "Users can add and manage their own MFA devices", on by default): changes
// need a session that passed MFA, and the last device cannot be deleted
// when users without one are blocked.
//
// Users are found by UserName in the instance's identity store; DISABLED
// users cannot sign in and their sessions stop working.
//
// With an external identity source (a SAML IdP, internal/core/federation)
// passwords are not used: Begin answers ErrExternalSource, and
// BeginExternal opens a signed-in session for a user the IdP vouched for
// (its MFA is the IdP's); such sessions are valid only while the source
// stays external.
package signin
