package authn

import (
	"sync"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// keyCache keeps recently used access keys for a short time so that a burst of
// signed requests does not read the same key from the store on every call.
// A change to a key (deactivation, deletion) therefore takes effect within the
// TTL — the same eventual consistency AWS documents for IAM changes. Only keys
// that exist are cached; the cache is bounded and cleared when full.
type keyCache struct {
	mu   sync.Mutex
	ttl  time.Duration
	max  int
	keys map[string]cachedKey
}

type cachedKey struct {
	key     store.AccessKey
	expires time.Time
}

func (c *keyCache) get(id string, now time.Time) (store.AccessKey, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.keys[id]
	if !ok || !now.Before(e.expires) {
		return store.AccessKey{}, false
	}
	return e.key, true
}

func (c *keyCache) put(k store.AccessKey, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keys == nil || len(c.keys) >= c.max {
		c.keys = make(map[string]cachedKey, 64)
	}
	c.keys[k.AccessKeyID] = cachedKey{key: k, expires: now.Add(c.ttl)}
}

func (c *keyCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keys = nil
}
