// Package web is the AWS access portal's web side: server-rendered pages
// under /start (sign in, one-time password change, MFA challenge, TOTP
// registration, accounts and roles with command line access, device code
// confirmation, sign out, the user's own MFA devices at /start/mfa-devices —
// devices.go) and the PKCE authorisation page /authorize.
//
// Every form is a plain HTML form posting application/x-www-form-urlencoded
// with a hidden csrf_token (double-submit: it must equal the idc_csrf
// cookie), so the pages work without JavaScript and scripts can drive them:
// the sign-in fields are username and password, the MFA field code, the
// device confirmation field user_code. The handler only decodes forms, calls
// the sign-in core (internal/core/signin), the sso-oidc service and the
// portal service (small interfaces defined here) and renders
// html/template pages embedded in the binary. A visit to a page that needs
// a signed-in user goes through the sign-in and comes back (next=).
//
// When the instance's identity source is an external SAML 2.0 IdP
// (internal/core/federation), the sign-in page sends the browser to the IdP
// instead of showing the password form, and saml.go serves the service
// provider's /saml/metadata, /saml/login and /saml/acs (the IdP's POST,
// exempt from the CSRF check: the signed response stands for it).
package web
