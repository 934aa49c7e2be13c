// Package app is idcenter's composition root: the only package that imports
// everything. It opens the store, runs the bootstrap, writes the credentials
// files, builds the core services and the wire adapters, and serves them on one
// listener with graceful shutdown.
package app
