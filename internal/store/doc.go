// Package store is the storage contract of idcenter: record types, sentinel
// errors and the transaction interfaces every backend implements.
//
// The core (internal/core/...) talks only to these interfaces. Backends
// (internal/store/sqlite, later internal/store/postgres) turn driver errors
// into the sentinels below at their boundary, and every backend runs the one
// conformance suite in internal/store/storetest.
package store
