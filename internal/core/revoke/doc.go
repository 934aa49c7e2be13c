// Package revoke ends what an identity store user is signed in with once the
// user may no longer have it: when a user is deleted or deactivated (SCIM
// active false, Status DISABLED) the user's web access portal sessions,
// sso-oidc tokens (the AWS CLI's SSO sessions) and the role credentials
// issued through the portal stop working; when an account assignment is
// removed (directly, through a group, or by leaving a group) the role
// credentials of that account and permission set stop working.
//
// Its functions run inside the caller's store transaction, so the cores that
// change users, memberships and assignments (identity, scim, access) call
// them with the change itself. Role credentials are ended by deactivating
// their access key: authentication then refuses them as
// InvalidClientTokenId (within the authenticator's key cache, one second).
package revoke
