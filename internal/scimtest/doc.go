// Package scimtest is a small SCIM v2 client that sends the call sequences
// real identity providers send (Okta's look-up-then-create, group member
// PATCHes, PUT updates, PATCH deactivation, DELETE), for idcenter's own tests,
// end-to-end tests and benchmarks. It retries on 429 as IdPs do, honouring
// Retry-After. It is not part of idcenter's server.
package scimtest
