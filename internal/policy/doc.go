// Package policy is the IAM policy language: it parses and validates policy
// documents with the error messages of AWS's MalformedPolicyDocument, compiles
// them once into matchers, and evaluates requests with AWS's documented
// policy evaluation logic (explicit deny, SCPs, RCPs, resource-based
// policies, identity-based policies, permissions boundaries, session
// policies and the root user), explaining which statement or policy type
// decided.
//
// The package imports only the standard library and keeps no global state
// other than read-only tables.
//
// Entry points:
//
//	p, err := policy.Compile(doc, policy.KindIdentity) // *Error on bad documents
//	d := policy.Evaluate(&policy.Request{...}, &policy.PolicySet{Identity: []*policy.Policy{p}})
//	if !d.Allowed { msg := "... is not authorized to perform: " + action + " on resource: " + arn + d.DenialReason(action) }
//
// Semantics notes (where AWS differs by service, the choice made here):
//   - An account principal ("123456789012" or "arn:aws:iam::123456789012:root")
//     in a resource-based policy delegates to the account's identity policies
//     (as KMS key policies do): it never grants on its own.
//   - A same-account resource-based policy naming the caller's user or session
//     ARN (or "*") allows regardless of identity policies, boundaries and
//     session policies; naming the role of an assumed-role session counts as an
//     identity-based allow, still limited by the boundary and session policy.
//   - A SCP statement without Resource applies to every resource.
//
// For IAM's policy simulator and reports, ContextKeys/ContextKeysFor list the
// condition keys a policy uses, StatementSpans locates its statements in the
// source document, and AllowedServices lists the services its Allow
// statements name (introspect.go).
package policy
