// Package httpx holds the HTTP plumbing shared by every wire adapter: request
// ids, panic recovery, access logging and the bounded body reader. It knows
// nothing of AWS protocols.
package httpx
