// Package fault defines the typed errors the core returns to the wire adapters.
// Every core package reports domain failures as *fault.Error; each adapter maps a
// Kind onto its own protocol's error code (ResourceNotFoundException,
// NoSuchEntity, …) in one table. Errors that are not *fault.Error are internal
// failures and become the protocol's 500.
package fault
