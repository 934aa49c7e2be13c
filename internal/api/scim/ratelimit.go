package scim

import (
	"math"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// TokenLimiter keeps one token bucket per SCIM access token, so one noisy
// identity provider (or a leaked token) cannot starve the server. A nil
// *TokenLimiter, or one with a rate of zero, allows everything.
type TokenLimiter struct {
	perSecond float64
	burst     int
	now       func() time.Time

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

// NewTokenLimiter allows perSecond requests per token on average, with bursts
// of twice that (at least 1). perSecond <= 0 turns limiting off. now may be
// nil (time.Now).
func NewTokenLimiter(perSecond float64, now func() time.Time) *TokenLimiter {
	if now == nil {
		now = time.Now
	}
	burst := int(math.Ceil(2 * perSecond))
	if burst < 1 {
		burst = 1
	}
	return &TokenLimiter{perSecond: perSecond, burst: burst, now: now, buckets: map[string]*rate.Limiter{}}
}

// Allow takes one request from the token's bucket. When the bucket is empty
// it reports false and how long to wait before the next request would pass.
func (l *TokenLimiter) Allow(tokenID string) (bool, time.Duration) {
	if l == nil || l.perSecond <= 0 {
		return true, 0
	}
	l.mu.Lock()
	b, ok := l.buckets[tokenID]
	if !ok {
		b = rate.NewLimiter(rate.Limit(l.perSecond), l.burst)
		l.buckets[tokenID] = b
	}
	l.mu.Unlock()
	now := l.now()
	r := b.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// retryAfter renders a wait as whole seconds for the Retry-After header (at least 1).
func retryAfter(d time.Duration) string {
	s := int(math.Ceil(d.Seconds()))
	if s < 1 {
		s = 1
	}
	return strconv.Itoa(s)
}
