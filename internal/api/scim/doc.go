// Package scim is the HTTP adapter of inbound SCIM v2 (RFC 7644): it serves
// /scim/v2/ and AWS's form /<tenant>/scim/v2/ (tenant: the identity store id,
// e.g. d-1234567890), authenticates every call with a bearer token, decodes
// application/scim+json bodies (bounded), calls internal/core/scim and encodes
// resources, list responses and SCIM error bodies. It holds no domain logic.
package scim
