// Package authz is the single authorisation point every API call passes
// through: it receives the caller, the IAM action ("identitystore:CreateUser")
// and the resource ARN of the call and allows or denies it.
//
// Today the rule is the bootstrap rule: the root user of the management
// account may do everything and every other caller is denied. The IAM policy
// engine (internal/policy) plugs in here.
package authz
