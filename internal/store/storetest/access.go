package storetest

import (
	"testing"

	"github.com/idcenter/idcenter/internal/store"
)

// runAccess checks store.AccessRepo.
func runAccess(t *testing.T, open func(t *testing.T) store.Store) {
	t.Skip("no AccessRepo methods yet")
}
