package app_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/core/federation"
	"github.com/idcenter/idcenter/internal/samltest"
	"github.com/idcenter/idcenter/internal/store"
)

// TestSAMLMetadataRefresh: metadata set from a URL is fetched again when a
// response's signature does not verify (the IdP rolled its key over) — at
// most once a minute —, every 24 hours otherwise, and a failed fetch keeps
// the old metadata. The metadata is served by an httptest server in front
// of the test IdP; the federation service's clock is a fake.
func TestSAMLMetadataRefresh(t *testing.T) {
	e := newSAMLEnv(t, true)
	ctx := context.Background()
	var mu sync.Mutex
	failing := false
	mdSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if failing {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		_, _ = w.Write(e.idp.Metadata(t))
	}))
	t.Cleanup(mdSrv.Close)
	setFailing := func(v bool) { mu.Lock(); failing = v; mu.Unlock() }

	t0 := time.Now().UTC().Truncate(time.Second)
	now := t0
	e.ts.Federation.Now = func() time.Time { return now }
	if _, err := e.ts.Federation.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: e.idp.Metadata(t), MetadataSource: mdSrv.URL,
		AllowIdPInitiated: true}); err != nil {
		t.Fatal(err)
	}
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	post := func(step string, want int) {
		t.Helper()
		resp, body := readBody(t)((&http.Client{CheckRedirect: noRedirect}).PostForm(e.ts.URL+"/saml/acs",
			url.Values{"SAMLResponse": {e.idp.Response(t, e.spMD, samltest.Options{NameID: "alice@example.com", IssuedAt: now})}}))
		if resp.StatusCode != want {
			t.Fatalf("%s: ACS answered %d, want %d\n%s", step, resp.StatusCode, want, body)
		}
	}
	stored := func() string {
		t.Helper()
		var src store.IdentitySource
		err := e.ts.Store.View(ctx, func(tx store.Tx) error {
			var err error
			src, err = tx.GetIdentitySource(ctx, e.ts.World.Instance.ARN)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return src.IdPMetadata
	}
	certIn := func(md string, idp *samltest.IdP) bool {
		return strings.Contains(md, base64.StdEncoding.EncodeToString(idp.Cert.Raw))
	}
	rotate := func() { e.idp.Rotate(samltest.KeyPair(t, "samltest IdP rotated")) }

	post("before any rollover", http.StatusSeeOther)

	// Key rollover: the first response signed with the new key makes
	// idcenter fetch the metadata again, and it is accepted.
	rotate()
	post("first response after a rollover", http.StatusSeeOther)
	if !certIn(stored(), e.idp) {
		t.Fatal("the refreshed metadata was not stored")
	}

	// Another rollover within the minute: no fetch, refused; a minute
	// later the fetch is allowed again.
	rotate()
	now = t0.Add(30 * time.Second)
	post("second rollover within a minute", http.StatusForbidden)
	now = t0.Add(2 * time.Minute)
	post("second rollover, two minutes later", http.StatusSeeOther)
	updated := now

	// The metadata server fails: the old metadata stays and still works.
	keep := stored()
	setFailing(true)
	oldKey, oldCert := e.idp.Key, e.idp.Cert
	rotate()
	now = t0.Add(4 * time.Minute)
	post("rollover while the metadata URL fails", http.StatusForbidden)
	if stored() != keep {
		t.Fatal("a failed fetch changed the stored metadata")
	}
	e.idp.Rotate(oldKey, oldCert)
	post("the old key after a failed fetch", http.StatusSeeOther)

	// Periodic refresh: not within 24 hours of the last fetch, then at the
	// next sign-in.
	setFailing(false)
	rotate()
	start := func() {
		t.Helper()
		resp, _ := readBody(t)((&http.Client{CheckRedirect: noRedirect}).Get(e.ts.URL + "/saml/login"))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("/saml/login: %d", resp.StatusCode)
		}
	}
	now = updated.Add(time.Hour)
	start()
	if stored() != keep {
		t.Fatal("metadata fetched again within 24 hours")
	}
	now = updated.Add(federation.RefreshInterval + time.Second)
	start()
	if md := stored(); md == keep || !certIn(md, e.idp) {
		t.Fatal("metadata not fetched again after 24 hours")
	}
}
