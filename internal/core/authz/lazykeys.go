package authz

import (
	"context"
	"strings"

	"github.com/idcenter/idcenter/internal/policy"
)

// addLazyKeys sets the request condition keys whose values cost a store read
// (Authorizer.LazyKeys) when a policy of ps tests them, and only then.
func (a *Authorizer) addLazyKeys(ctx context.Context, ps *policy.PolicySet, reqCtx map[string][]string) {
	if a.LazyKeys == nil {
		return
	}
	for name, value := range a.LazyKeys(ctx) {
		k := strings.ToLower(name)
		if !ps.UsesKeyPrefix(k) {
			continue
		}
		if v := value(); len(v) > 0 {
			reqCtx[k] = v
		}
	}
}
