// Package authn owns turning a request into a Principal: it parses and
// verifies the request's SigV4 signature (internal/sigv4), finds the access
// key in the store, applies the key's status and session-token rules, and
// classifies every failure as a typed *Error. CodeFor maps those failures to
// the error code and HTTP status AWS answers with in each wire protocol.
//
// The Principal travels to handlers in the request context (WithPrincipal,
// PrincipalFrom): it is request data, not a dependency.
package authn
