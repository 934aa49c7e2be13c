// Package portal is the AWS access portal's core: the accounts and roles
// (permission sets) assigned to an Identity Center user, directly or through
// groups, and short-term credentials of the provisioned AWSReservedSSO_…
// role of an assignment. The portal API (ListAccounts, ListAccountRoles,
// GetRoleCredentials, Logout) and the web portal both use it.
package portal
