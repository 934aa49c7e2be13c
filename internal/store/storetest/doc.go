// Package storetest is the conformance suite every store.Store backend runs.
//
// Run executes it in tiers: CRUD (every repository method, not-found cases,
// list paging), Tx (rollback, uniqueness violations reported as
// store.ErrAlreadyExists with the stored data unchanged, cascades) and
// Concurrency (racing writers on a unique key, readers during writes). Each
// subtest gets a fresh, empty store from the backend's open function.
package storetest
