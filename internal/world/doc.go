// Package world reads a declarative world file (YAML: identity store users,
// groups and memberships, permission sets and account assignments), validates
// it as a whole and applies it through the core services, idempotently.
//
// Parse decodes and validates; every error names the file, the line and the
// field (FILE:LINE: field: message). Apply first checks what only the store
// can tell (that assigned accounts exist), then creates what is missing,
// leaves what already exists under the same name (updating a permission set's
// description, session duration and policies), and waits for the account
// assignments' provisioning. Apply is not one transaction: a failure part-way
// leaves what was applied before it.
package world
