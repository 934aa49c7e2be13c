// Package iam is the domain of AWS IAM inside one account: users and their
// access keys, groups, roles, customer managed policies with their versions,
// inline policies, attachments and tags; instance profiles (one role each),
// permissions boundaries, users' SSH public keys (ssh-rsa, OpenSSH or PEM, MD5
// fingerprints), signing certificates and service-specific credentials (only
// the password's SHA-256 is kept: it is random and shown once), and server
// certificates with their private keys (stored, never returned). Records are
// per account (the caller's); names are unique per account regardless of case;
// unique ids carry AWS's prefixes (AIDA, AGPA, AROA, ANPA, AIPA, APKA, ASCA,
// ACCA). Failures are fault.Errors whose Reason is the IAM error code
// (NoSuchEntity, EntityAlreadyExists, DeleteConflict, LimitExceeded,
// MalformedPolicyDocument, InvalidInput, UnmodifiableEntity for Identity
// Center's AWSReservedSSO_ roles, MalformedCertificate, KeyPairMismatch, …).
//
// Policy documents are checked only for well-formed JSON with a Statement and
// for AWS's size quotas; the policy language itself is internal/policy's.
// AWS managed policies: only AdministratorAccess is known until a bundled
// catalog arrives.
package iam
