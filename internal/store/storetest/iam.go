package storetest

import (
	"testing"

	"github.com/idcenter/idcenter/internal/store"
)

// runIAM checks store.IAMRepo.
func runIAM(t *testing.T, open func(t *testing.T) store.Store) {
	t.Skip("no IAMRepo methods yet")
}
