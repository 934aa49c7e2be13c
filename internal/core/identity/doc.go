// Package identity is the identity store domain: users, groups and group
// memberships with AWS Identity Store (identitystore) semantics, on top of
// store.Store. It knows nothing of HTTP or SQL: the identitystore wire
// adapter (and later SCIM) map their types onto Service's methods, and every
// domain failure is a *fault.Error (NotFound with ResourceType USER, GROUP,
// GROUP_MEMBERSHIP or IDENTITY_STORE; Conflict with Reason
// UNIQUENESS_CONSTRAINT_VIOLATION; Validation).
//
// Ids are "<10 hex of the d-xxxxxxxxxx store id>-<UUIDv4>" drawn from the
// injected Rand; timestamps come from the injected Now. Each operation runs
// in one store transaction, so a failed operation leaves the store unchanged.
package identity
