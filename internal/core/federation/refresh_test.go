package federation_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/core/federation"
	"github.com/idcenter/idcenter/internal/samltest"
	"github.com/idcenter/idcenter/internal/store"
)

// TestRefreshMetadataSchedule: when metadata from a URL is fetched again
// without a failure — 24 hours after the last fetch, sooner per its
// cacheDuration (at least 5 minutes) or an hour before its validUntil —,
// that a failed fetch or unusable metadata keeps the old metadata, that a
// file source or a missing fetcher never fetches, and that tries are at
// most one a minute.
func TestRefreshMetadataSchedule(t *testing.T) {
	ctx := context.Background()
	idp := samltest.Start(t)
	base := string(idp.Metadata(t))
	// samlidp's metadata has validUntil and cacheDuration of 48 h; the
	// cases set their own.
	strip := regexp.MustCompile(` (validUntil|cacheDuration)="[^"]*"`)
	plain := strip.ReplaceAllString(base, "")
	with := func(attrs string) string {
		return regexp.MustCompile(`<EntityDescriptor `).ReplaceAllString(plain, "<EntityDescriptor "+attrs+" ")
	}
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		md     string
		source string
		after  time.Duration // since the setting
		force  bool
		fetch  func() ([]byte, error)
		want   bool // the stored metadata changed
		err    bool
	}{
		{"within 24 h", plain, "https://idp.example.com/md", 23 * time.Hour, false, nil, false, false},
		{"after 24 h", plain, "https://idp.example.com/md", 24 * time.Hour, false, nil, true, false},
		{"forced", plain, "https://idp.example.com/md", time.Minute, true, nil, true, false},
		{"cacheDuration 1 h", with(`cacheDuration="PT1H"`), "https://idp.example.com/md", 61 * time.Minute, false, nil, true, false},
		{"cacheDuration 1 h, not yet", with(`cacheDuration="PT1H"`), "https://idp.example.com/md", 59 * time.Minute, false, nil, false, false},
		{"cacheDuration 1 s is 5 min", with(`cacheDuration="PT1S"`), "https://idp.example.com/md", 4 * time.Minute, false, nil, false, false},
		{"validUntil in 3 h", with(`validUntil="` + t0.Add(3*time.Hour).Format(time.RFC3339) + `"`), "https://idp.example.com/md", 2*time.Hour + time.Second, false, nil, true, false},
		{"file source", plain, "/etc/idp.xml", 48 * time.Hour, true, nil, false, false},
		{"fetch fails", plain, "https://idp.example.com/md", 48 * time.Hour, false, func() ([]byte, error) { return nil, errors.New("connection refused") }, false, true},
		{"not an IdP's metadata", plain, "https://idp.example.com/md", 48 * time.Hour, false, func() ([]byte, error) { return []byte("<html/>"), nil }, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			now := t0
			s := newService(t, &now)
			fresh := []byte(plain + "\n<!-- fetched -->")
			fetches := 0
			s.FetchMetadata = func(_ context.Context, u string) ([]byte, error) {
				fetches++
				if u != c.source {
					return nil, fmt.Errorf("fetched %s", u)
				}
				if c.fetch != nil {
					return c.fetch()
				}
				return fresh, nil
			}
			if _, err := s.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: []byte(c.md), MetadataSource: c.source}); err != nil {
				t.Fatal(err)
			}
			now = t0.Add(c.after)
			changed, err := s.RefreshMetadata(ctx, c.force)
			if changed != c.want || (err != nil) != c.err {
				t.Fatalf("RefreshMetadata = %v, %v; want changed %v, error %v (fetches %d)", changed, err, c.want, c.err, fetches)
			}
			var src store.IdentitySource
			_ = s.Store.View(ctx, func(tx store.Tx) error { src, err = tx.GetIdentitySource(ctx, arn); return err })
			if (src.IdPMetadata == string(fresh)) != c.want {
				t.Fatalf("stored metadata changed: %v, want %v", src.IdPMetadata == string(fresh), c.want)
			}
			// A second forced try within the minute fetches nothing.
			before := fetches
			if _, err := s.RefreshMetadata(ctx, true); err != nil || (fetches != before && before > 0) {
				t.Fatalf("second try within a minute: fetches %d → %d, %v", before, fetches, err)
			}
		})
	}
	// Without a fetcher nothing is fetched.
	now := t0
	s := newService(t, &now)
	if _, err := s.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: []byte(plain), MetadataSource: "https://idp.example.com/md"}); err != nil {
		t.Fatal(err)
	}
	now = t0.Add(72 * time.Hour)
	if changed, err := s.RefreshMetadata(ctx, true); changed || err != nil {
		t.Fatalf("without a fetcher: %v, %v", changed, err)
	}
}
