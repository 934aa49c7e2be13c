// Package samltest runs a real SAML 2.0 identity provider inside tests:
// github.com/crewjam/saml's samlidp server (in-memory users, sessions and
// service providers, a login form with user and password fields) on an
// httptest server, for idcenter's SAML sign-in tests (internal/app,
// test/browser, test/e2e). It also crafts responses — signed by the IdP's
// key, by another key, unsigned, for another audience, issued in the past —
// for the negative tests of the assertion consumer service.
//
// It is imported by tests only.
package samltest
