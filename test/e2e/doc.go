// Package e2e holds black-box end-to-end tests of idcenter.
//
// TestMain builds the idcenter binary once into a temporary folder; each test starts it as a
// subprocess on a loopback port with a temporary data folder and pinned root keys, waits for its
// "ready" line, and talks to it only through real clients: the Debian AWS CLI v2
// (/usr/bin/aws; the tests skip when it is missing, but fail when the CI environment variable
// is set) and plain HTTP.
//
// Run: go test ./test/e2e (scripts/test.sh installs the CLI first).
package e2e
