package scim

import (
	"testing"
	"time"
)

func TestTokenLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	l := NewTokenLimiter(2, clock) // 2/s, bursts of 4
	for i := 0; i < 4; i++ {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok {
		t.Fatal("fifth immediate request allowed")
	}
	if wait <= 0 || wait > time.Second {
		t.Errorf("wait = %v, want (0, 1s]", wait)
	}
	if got := retryAfter(wait); got != "1" {
		t.Errorf("Retry-After = %q, want 1", got)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Error("another token is throttled by the first one's use")
	}
	now = now.Add(500 * time.Millisecond) // one token refilled
	if ok, _ := l.Allow("a"); !ok {
		t.Error("refilled bucket refused")
	}
	if ok, _ := l.Allow("a"); ok {
		t.Error("allowed beyond the refill")
	}

	for _, off := range []*TokenLimiter{nil, NewTokenLimiter(0, clock)} {
		for i := 0; i < 1000; i++ {
			if ok, _ := off.Allow("a"); !ok {
				t.Fatal("a disabled limiter refused a request")
			}
		}
	}
}
