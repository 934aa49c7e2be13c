package awsproto

import (
	"context"
	"sync"
)

// Lazy request condition keys: a key whose value costs a store read (one
// that describes the existing resource, like identitystore:UserExternalIdIssuers)
// can be declared with AddLazyKey instead of AddKeys; its value is then
// computed only when the authoriser asks for it — when a policy of the call
// tests the key (authz: Authorizer.LazyKeys) — and at most once per call.

type lazyKeysKey struct{}

// lazyHandlers are the handlers with lazy keys: only their calls pay for
// collecting them.
var lazyHandlers sync.Map

// lazySet collects the lazy keys of one authorisation while the key
// functions run (authorizeContext).
type lazySet struct{ keys map[string]func() []string }

// AddLazyKey declares the request condition key name of the operation h
// (made by Op) as computed by f from the decoded input, on demand.
func AddLazyKey[In any](h Handler, name string, f func(ctx context.Context, in *In) []string) {
	if h == nil {
		return
	}
	lazyHandlers.Store(h, true)
	AddKeys(h, func(ctx context.Context, in *In) map[string][]string {
		set, _ := ctx.Value(lazyKeysKey{}).(*lazySet)
		if set == nil {
			return nil
		}
		var once sync.Once
		var v []string
		if set.keys == nil {
			set.keys = map[string]func() []string{}
		}
		set.keys[name] = func() []string {
			once.Do(func() { v = f(ctx, in) })
			return v
		}
		return nil
	})
}

// LazyRequestKeys returns the lazy request condition keys of the call being
// authorised (nil when there are none): name to a function computing its
// value (nil: the key is absent).
func LazyRequestKeys(ctx context.Context) map[string]func() []string {
	set, _ := ctx.Value(lazyKeysKey{}).(*lazySet)
	if set == nil || len(set.keys) == 0 {
		return nil
	}
	return set.keys
}
