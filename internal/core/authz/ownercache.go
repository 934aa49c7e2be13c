package authz

import (
	"context"
	"sync"
	"time"
)

// OwnerCache remembers, for a short time, which account owns an Identity
// Center resource whose ARN names no account (Authorizer.ResourceOwner): the
// look-up reads the store (the resource's instance) on every sso and
// identitystore call otherwise. The owner of an instance, and of the users,
// groups, memberships and permission sets inside it, never changes while the
// resource exists, so an entry can only be stale for a resource deleted
// within the TTL, whose operation then reports it missing (or is refused for
// a caller of another account, as it was while the resource existed). Only
// found owners are cached (a resource created a moment after a miss is seen
// at once); errors are not cached; the cache is bounded and cleared when full.
type OwnerCache struct {
	// Lookup is the uncached look-up (access.Service.ResourceOwner).
	Lookup func(ctx context.Context, resource string) (string, error)
	// TTL is how long an owner is remembered; 0 disables the cache.
	TTL time.Duration
	// Max bounds the entries (default 4096).
	Max int
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu      sync.Mutex
	entries map[string]ownerEntry
}

type ownerEntry struct {
	owner   string
	expires time.Time
}

// ResourceOwner is Lookup, answered from the cache within the TTL.
func (c *OwnerCache) ResourceOwner(ctx context.Context, resource string) (string, error) {
	if c.TTL <= 0 {
		return c.Lookup(ctx, resource)
	}
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[resource]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.owner, nil
	}
	owner, err := c.Lookup(ctx, resource)
	if err != nil || owner == "" {
		return owner, err
	}
	max := c.Max
	if max <= 0 {
		max = 4096
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= max {
		c.entries = make(map[string]ownerEntry, 64)
	}
	c.entries[resource] = ownerEntry{owner: owner, expires: now.Add(c.TTL)}
	c.mu.Unlock()
	return owner, nil
}

// Forget drops every cached owner (after a store reset).
func (c *OwnerCache) Forget() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.entries = nil
	c.mu.Unlock()
}

func (c *OwnerCache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}
