// Package access is the IAM Identity Center administration domain: instances,
// permission sets with their inline policy, AWS managed policies, customer
// managed policy references and permissions boundary, the tags of instances
// and permission sets, account assignments and provisioning.
//
// Account assignment creation and deletion and permission set provisioning
// are asynchronous as in AWS: the call stores an IN_PROGRESS request and a
// Worker processes it from the database (so a restart loses nothing),
// creating, updating or removing the AWSReservedSSO_<set>_<hex> IAM role in
// the target account, and marks it SUCCEEDED or FAILED with a reason. A user
// or group deleted from the identity store loses its assignments through
// RemovePrincipalAssignments, called by the identity core in the deleting
// transaction: the records go at once and DELETE_ASSIGNMENT requests are
// queued for the Worker, which removes the role with the set's last
// assignment in an account.
//
// Instances: the organization instance belongs to the management account;
// CreateInstance makes an account instance (its own identity store, no
// permission sets) in a member account. Creation and deletion are completed by
// the same Worker (CREATE_IN_PROGRESS → ACTIVE; DELETE_IN_PROGRESS → removed
// with its sets, assignments, provisioned roles and identity store data).
// ResourceOwner and IsDelegatedAdmin tell the authorisation point whose an
// Identity Center resource is and who administers the organization instance
// by delegation; CheckDelegatedAdministration keeps the delegated
// administrator from assignments in, and sets provisioned to, the management
// account.
package access
