// Package access is the IAM Identity Center administration domain: instances
// (and, in later work, permission sets, account assignments, provisioning and
// applications).
package access
