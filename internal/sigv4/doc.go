// Package sigv4 owns AWS Signature Version 4 (AWS4-HMAC-SHA256) for non-S3
// services: parsing what a request claims (Authorization header or presigned
// query parameters), verifying it against a secret key with AWS's
// canonicalisation rules, and signing/presigning requests for tests, tools and
// benchmarks.
//
// Failures are *Error values whose Kind says what went wrong and whose Message
// is worded as AWS words it; mapping a Kind to a wire error code is the
// caller's business (see internal/authn). The package imports only the
// standard library.
package sigv4
