// Package identity is the identity store domain: users, groups and group
// memberships with AWS Identity Store (identitystore) semantics, on top of
// store.Store. It knows nothing of HTTP or SQL: the identitystore wire
// adapter maps its types onto Service's methods, and SCIM (internal/core/scim)
// writes through the same rules with the transaction-scoped InsertUser,
// ReplaceUser, InsertGroup, ReplaceGroup, AddMember and RemoveMember and the
// deletions DeleteUser and DeleteGroup (directory.go), so there is one set of
// rules for one directory. Deleting a user or group ends its sign-ins
// (internal/core/revoke) and removes its account assignments through
// Cleanup (the access core) in the same transaction. Every
// domain failure is a *fault.Error (NotFound with ResourceType USER, GROUP,
// GROUP_MEMBERSHIP or IDENTITY_STORE; Conflict with Reason
// UNIQUENESS_CONSTRAINT_VIOLATION; Validation).
//
// Ids are "<10 hex of the d-xxxxxxxxxx store id>-<UUIDv4>" drawn from the
// injected Rand; timestamps come from the injected Now. Each operation runs
// in one store transaction, so a failed operation leaves the store unchanged.
package identity
