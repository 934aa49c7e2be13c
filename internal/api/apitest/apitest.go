package apitest

import (
	"slices"
	"testing"

	"github.com/idcenter/idcenter/internal/api/awsproto"
)

// RequireHandlers fails t when a handler's types do not match the model, when a
// modelled operation has no handler and is not listed in notYet, or when a
// listed operation has gained a handler (so notYet only shrinks).
func RequireHandlers(t testing.TB, svc *awsproto.Service, notYet []string) {
	t.Helper()
	if err := svc.Check(); err != nil {
		t.Fatalf("handler types do not match the model: %v", err)
	}
	missing := svc.Missing()
	for _, op := range missing {
		if !slices.Contains(notYet, op) {
			t.Errorf("modelled operation %s has no handler", op)
		}
	}
	for _, op := range notYet {
		if !slices.Contains(missing, op) {
			t.Errorf("%s has a handler now: remove it from notYet", op)
		}
	}
}
