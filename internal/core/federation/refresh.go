package federation

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// Metadata refresh intervals.
const (
	// RefreshInterval is how often IdP metadata read from a URL is fetched
	// again (sooner when its cacheDuration or validUntil says so).
	RefreshInterval = 24 * time.Hour
	// minRefreshInterval bounds a short cacheDuration.
	minRefreshInterval = 5 * time.Minute
	// RetryInterval is the least time between two fetches: after a failed
	// one, and between fetches made because a response's signature did not
	// verify (a key rollover at the IdP).
	RetryInterval = time.Minute
)

// refresher is the in-process state of metadata refreshes (when the last
// fetch was tried); the time of the last successful one is the setting's
// UpdatedAt, shared by replicas.
type refresher struct {
	mu        sync.Mutex
	lastTried time.Time
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// refreshDue reports when metadata set at updated should be fetched again.
func refreshDue(md []byte, updated time.Time) time.Time {
	due := updated.Add(RefreshInterval)
	ed, err := parseMetadata(md)
	if err != nil {
		return updated
	}
	if ed.CacheDuration > 0 {
		d := max(ed.CacheDuration, minRefreshInterval)
		if t := updated.Add(d); t.Before(due) {
			due = t
		}
	}
	if !ed.ValidUntil.IsZero() {
		if t := ed.ValidUntil.Add(-time.Hour); t.Before(due) {
			due = t
		}
	}
	return due
}

// claim reports whether a fetch may be tried now (at most one per
// RetryInterval in this process) and records the attempt.
func (s *Service) claim(now time.Time) bool {
	s.refresh.mu.Lock()
	defer s.refresh.mu.Unlock()
	if !s.refresh.lastTried.IsZero() && now.Sub(s.refresh.lastTried) < RetryInterval {
		return false
	}
	s.refresh.lastTried = now
	return true
}

// RefreshMetadata fetches the IdP's metadata again from the URL the setting
// was made from (Service.FetchMetadata) and stores it when it is usable
// IdP metadata; the old metadata stays when the fetch or the check fails.
// Without force it does so only when due (RefreshInterval, the metadata's
// cacheDuration, an hour before its validUntil); at most one fetch is
// tried per RetryInterval either way. It reports whether the stored
// metadata changed.
func (s *Service) RefreshMetadata(ctx context.Context, force bool) (bool, error) {
	if s.FetchMetadata == nil {
		return false, nil
	}
	src, err := s.load(ctx)
	if err != nil {
		return false, err
	}
	if src.Type != store.IdentitySourceExternalSAML || !isURL(src.MetadataSource) {
		return false, nil
	}
	now := s.now()
	if !force && now.Before(refreshDue([]byte(src.IdPMetadata), src.UpdatedAt)) {
		return false, nil
	}
	if !s.claim(now) {
		return false, nil
	}
	fctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	md, err := s.FetchMetadata(fctx, src.MetadataSource)
	if err != nil {
		return false, fmt.Errorf("federation: fetch IdP metadata from %s: %w", src.MetadataSource, err)
	}
	if _, err := parseMetadata(md); err != nil {
		return false, fmt.Errorf("federation: IdP metadata from %s: %w", src.MetadataSource, err)
	}
	changed := false
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		cur, err := s.get(ctx, tx)
		if err != nil {
			return err
		}
		// The administrator may have changed the setting meanwhile.
		if cur.Type != store.IdentitySourceExternalSAML || cur.MetadataSource != src.MetadataSource || cur.IdPMetadata != src.IdPMetadata {
			return nil
		}
		changed = !bytes.Equal(md, []byte(cur.IdPMetadata))
		cur.IdPMetadata, cur.UpdatedAt = string(md), now
		return tx.PutIdentitySource(ctx, cur)
	})
	if err != nil {
		return false, fmt.Errorf("federation: store refreshed IdP metadata: %w", err)
	}
	return changed, nil
}

// refreshQuietly refreshes when due; a failure keeps the old metadata and
// is reported to s.OnRefreshError.
func (s *Service) refreshQuietly(ctx context.Context, force bool) bool {
	changed, err := s.RefreshMetadata(ctx, force)
	if err != nil && s.OnRefreshError != nil {
		s.OnRefreshError(err)
	}
	return changed && err == nil
}
