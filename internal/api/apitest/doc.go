// Package apitest holds test helpers shared by the wire adapters' tests.
package apitest
