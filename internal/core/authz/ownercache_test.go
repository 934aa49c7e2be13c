package authz

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestOwnerCache: an owner found is answered from memory within the TTL and
// read again after it; misses and errors are never cached; Forget and a full
// cache drop the entries; TTL 0 reads every time.
func TestOwnerCache(t *testing.T) {
	ctx := context.Background()
	const res = "arn:aws:identitystore:::user/u-1"
	type step struct {
		advance    time.Duration
		store      string // what the store answers now
		fail       bool
		forget     bool
		want       string
		wantErr    bool
		wantLookup bool
	}
	tests := []struct {
		name  string
		ttl   time.Duration
		max   int
		steps []step
	}{
		{"cached within the TTL, read again after it", time.Second, 0, []step{
			{store: "111111111111", want: "111111111111", wantLookup: true},
			{advance: 999 * time.Millisecond, store: "222222222222", want: "111111111111"},
			{advance: time.Millisecond, store: "222222222222", want: "222222222222", wantLookup: true},
		}},
		{"a miss is not cached", time.Second, 0, []step{
			{store: "", want: "", wantLookup: true},
			{store: "111111111111", want: "111111111111", wantLookup: true},
		}},
		{"an error is not cached", time.Second, 0, []step{
			{fail: true, wantErr: true, wantLookup: true},
			{store: "111111111111", want: "111111111111", wantLookup: true},
		}},
		{"forget drops the entries", time.Second, 0, []step{
			{store: "111111111111", want: "111111111111", wantLookup: true},
			{forget: true, store: "222222222222", want: "222222222222", wantLookup: true},
		}},
		{"TTL 0 reads every time", 0, 0, []step{
			{store: "111111111111", want: "111111111111", wantLookup: true},
			{store: "222222222222", want: "222222222222", wantLookup: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
			var answer string
			var fail bool
			lookups := 0
			c := &OwnerCache{TTL: tt.ttl, Max: tt.max, Now: func() time.Time { return now },
				Lookup: func(_ context.Context, r string) (string, error) {
					lookups++
					if r != res {
						t.Fatalf("lookup of %q", r)
					}
					if fail {
						return "", errors.New("store down")
					}
					return answer, nil
				}}
			for i, s := range tt.steps {
				now = now.Add(s.advance)
				answer, fail = s.store, s.fail
				if s.forget {
					c.Forget()
				}
				before := lookups
				got, err := c.ResourceOwner(ctx, res)
				if (err != nil) != s.wantErr || got != s.want {
					t.Fatalf("step %d: got %q, %v; want %q (error %v)", i, got, err, s.want, s.wantErr)
				}
				if (lookups > before) != s.wantLookup {
					t.Fatalf("step %d: store read %v, want %v", i, lookups > before, s.wantLookup)
				}
			}
		})
	}
}

// TestOwnerCacheBounded: a full cache is emptied rather than grown.
func TestOwnerCacheBounded(t *testing.T) {
	lookups := 0
	c := &OwnerCache{TTL: time.Hour, Max: 2, Lookup: func(context.Context, string) (string, error) {
		lookups++
		return "111111111111", nil
	}}
	for _, r := range []string{"a", "b", "c", "a"} {
		if _, err := c.ResourceOwner(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	// a, b cached; c clears the full map and is cached; a is read again.
	if lookups != 4 || len(c.entries) != 2 {
		t.Fatalf("lookups %d, entries %d; want 4 and 2", lookups, len(c.entries))
	}
}
