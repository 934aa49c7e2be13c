// Package access is the IAM Identity Center administration domain: instances,
// permission sets with their inline policy, AWS managed policies, customer
// managed policy references and permissions boundary, the tags of instances
// and permission sets, account assignments and provisioning.
//
// Account assignment creation and deletion and permission set provisioning
// are asynchronous as in AWS: the call stores an IN_PROGRESS request and a
// Worker processes it from the database (so a restart loses nothing),
// creating, updating or removing the AWSReservedSSO_<set>_<hex> IAM role in
// the target account, and marks it SUCCEEDED or FAILED with a reason.
package access
