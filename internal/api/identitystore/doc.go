// Package identitystore is the wire adapter for the AWS identitystore API (botocore model "identitystore", json protocol, API
// version 2020-06-15).
//
// zz_generated_types.go holds the generated input/output types (one struct per structure shape, field i
// = model member i) and zz_generated_model.go the generated service model (Model) that
// internal/api/awsproto uses to decode, validate and encode requests. Both are written by tools/apigen
// (go generate); do not edit them. The hand-written part of the package is the handler table that maps
// each modelled operation to the core, plus its error table, and the request condition keys
// (conditionkeys.go: identitystore:UserExternalIdIssuers, identitystore:GroupExternalIdIssuers).
package identitystore
