// Package bootstrap creates, exactly once, the world a fresh idcenter starts
// with: the organization and its management account, the IAM Identity Center
// instance with its identity store, and the root access key of the management
// account. Later starts find the marker and return what was created.
package bootstrap
