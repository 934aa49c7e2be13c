// Package world reads a declarative world file (YAML: the organization with
// its OUs, member accounts, SCPs, trusted services and delegated
// administrators; each account's IAM users, groups, roles, customer managed
// policies, pinned access keys, instance profiles, SAML and OIDC providers,
// alias and password policy; identity store users with their attributes,
// external ids, initial passwords and TOTP secrets, groups and memberships;
// permission sets and account assignments; SCIM tokens; instance settings;
// trusted token issuers and applications with their assignments and
// grants; an external SAML identity source),
// validates it as a whole, applies it through the core services,
// idempotently, and exports a store's state as a world file.
//
// Parse decodes and validates; every error names the file, the line and the
// field (FILE:LINE: field: message), and ${NAME} in a value is read from the
// environment. Apply creates what is missing, leaves what exists under the
// same name (bringing policies and attributes to the file's), and waits for
// the assignments' provisioning. Apply is atomic when its Target's services
// are built on a store.Bind of one transaction, as the composition root
// does: an error anywhere leaves the store as it was. Export reads the state
// in one read transaction; secrets that are stored hashed (passwords, SCIM
// tokens) are not exported, recoverable ones (access key and TOTP secrets)
// become ${ENV} references unless asked for.
package world
