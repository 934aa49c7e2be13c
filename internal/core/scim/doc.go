// Package scim is the domain side of inbound SCIM v2 provisioning (RFC 7643,
// RFC 7644): bearer tokens of an identity store, and SCIM Users and Groups
// mapped onto the identity store's own records (store.User, store.Group,
// store.Membership), so that what an identity provider provisions is what the
// identitystore API returns. Every write goes through the identity core
// (Service.Identity): its rules for user names, display names, lengths,
// attributes and uniqueness apply as they do to the identitystore API, and
// its deletions end the principal's sign-ins and remove its assignments.
//
// Resources travel as decoded JSON documents (map[string]any): the adapter
// decodes the body, this package validates and maps it, and the adapter
// encodes the document returned. PATCH works on that document form: the
// stored record is turned into its SCIM document, the operations are applied
// the way real identity providers send them (case-insensitive op, sub-attribute
// paths, value filters, the enterprise URN prefix, path-less object values with
// dotted keys, string booleans, read-only attributes ignored), and the result
// is mapped back and stored in the same transaction, or nothing is.
//
// Mapping: externalId is kept as the store.ExternalID whose issuer is
// Service.Issuer ("SCIM" by default) and other issuers are preserved; active
// is Status ENABLED/DISABLED; the enterprise extension is stored as the
// identity store extension "aws:identitystore:enterprise". Multi-valued
// attributes keep one value (the primary one, else the first), as the
// identity store allows one. Failures are *fault.Error; Reason carries the
// SCIM error type (ScimType*) where one applies.
package scim
