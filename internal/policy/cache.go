package policy

import (
	"container/list"
	"sync"
)

// Cache is a bounded, concurrency-safe LRU of compiled policies keyed by
// kind and document text. Compiled policies are shared: label them with
// WithName rather than setting Name. Errors are not cached.
type Cache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front = most recently used; values are *cacheEntry
	items map[cacheKey]*list.Element
}

type cacheKey struct {
	kind Kind
	doc  string
}

type cacheEntry struct {
	key cacheKey
	p   *Policy
}

// NewCache returns a cache holding at most max policies (max < 1 means 1).
func NewCache(max int) *Cache {
	if max < 1 {
		max = 1
	}
	return &Cache{max: max, order: list.New(), items: make(map[cacheKey]*list.Element, max)}
}

// Compile returns the cached compilation of doc, compiling it on a miss.
func (c *Cache) Compile(doc string, kind Kind) (*Policy, error) {
	k := cacheKey{kind, doc}
	c.mu.Lock()
	if e, ok := c.items[k]; ok {
		c.order.MoveToFront(e)
		p := e.Value.(*cacheEntry).p
		c.mu.Unlock()
		return p, nil
	}
	c.mu.Unlock()
	p, err := Compile(doc, kind)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok { // compiled concurrently
		c.order.MoveToFront(e)
		return e.Value.(*cacheEntry).p, nil
	}
	c.items[k] = c.order.PushFront(&cacheEntry{k, p})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*cacheEntry).key)
	}
	return p, nil
}

// Len is the number of cached policies.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
