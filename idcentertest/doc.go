// Package idcentertest starts an in-process idcenter inside a Go test: a real
// server (SQLite store in the test's temporary folder, SigV4 verification,
// the same handlers as `idcenter serve`) on a loopback port, stopped when the
// test ends.
//
//	srv := idcentertest.Start(t)
//	client := identitystore.NewFromConfig(srv.AWSConfig())
//	client.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &srv.IdentityStoreID})
//
// WithWorld starts it from a world file (docs/world.md): the organization,
// IAM, identity store, permission sets and provisioned assignments a suite
// expects. Reset returns to the exact starting state (same ids) in a few
// milliseconds, so a suite can call it before every test.
package idcentertest
