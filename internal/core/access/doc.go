// Package access is the IAM Identity Center administration domain: instances,
// permission sets with their inline policy, AWS managed policies, customer
// managed policy references and permissions boundary, and the tags of
// instances and permission sets (and, in later work, account assignments,
// provisioning and applications).
package access
