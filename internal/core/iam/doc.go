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
// Policy documents are validated by internal/policy (the engine the
// authorisation point uses) and checked for AWS's size quotas; AWS managed
// policies come from a bundled catalog.
//
// Reports come from use: UsageRecorder keeps, in memory, the last use of each
// long-term access key and of each service by each principal, and writes them
// in one transaction at most once a minute and before every read (usage.go).
// On them rest GetAccessKeyLastUsed, the credential report (credreport.go),
// RoleLastUsed, service last accessed details and the Organizations access
// report (servicelast.go, orgreport.go). The policy simulator (simulate.go)
// evaluates with internal/policy over the policies authz.IAMPolicies collects
// for the authorisation point; simulate_inputs.go validates its optional
// inputs and builds EvalDecisionDetails and ResourceSpecificResults. Also here: service-linked roles (slr.go),
// centralized root access features for sts:AssumeRoot (rootaccess.go:
// RootSessionsEnabled), STS preferences and outbound web identity federation
// settings (accountfeatures.go) and delegation requests (delegation.go) with
// their trade-in tokens: issued by SendDelegationToken into an outbox the
// operator reads once, exchanged once by STS GetDelegatedAccessToken
// (delegation_token.go).
package iam
