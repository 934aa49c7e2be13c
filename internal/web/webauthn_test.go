package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/idcenter/idcenter/internal/core/signin"
	"github.com/idcenter/idcenter/internal/store"
)

// TestSecurityKeyPages: the security key forms carry the WebAuthn options
// for navigator.credentials and the script; without JavaScript (no
// credential posted) the page says what to do; at an address where browsers
// refuse WebAuthn a user who may only use security keys is told so.
func TestSecurityKeyPages(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		publicURL string
		types     []string
		want      []string
		wantNot   []string
	}{
		{"both types at localhost", "http://localhost:8080", nil,
			[]string{`action="/start/mfa/webauthn/register"`, `id="webauthn-options"`, `"rp":{"name":"idcenter","id":"localhost"}`,
				`<script src="/start/webauthn.js">`, `id="secret"`},
			[]string{`id="webauthn-unavailable"`}},
		{"loopback address as localhost", "http://127.0.0.1:8080", []string{store.MFATypeWebAuthn},
			[]string{`"id":"localhost"`}, []string{`id="secret"`, `id="webauthn-unavailable"`}},
		{"only keys at a plain-http name", "http://idcenter.example.com", []string{store.MFATypeWebAuthn},
			[]string{`id="webauthn-unavailable"`}, []string{`id="webauthn-options"`, `id="secret"`}},
		{"https name", "https://idcenter.example.com", []string{store.MFATypeWebAuthn},
			[]string{`"id":"idcenter.example.com"`}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, true)
			e.svc.PublicURL = tc.publicURL
			if err := e.svc.SetMFASettings(ctx, signin.Settings{Types: tc.types}); err != nil {
				t.Fatal(err)
			}
			b := e.browser()
			p := b.get("/start/signin")
			p = p.submit(b, "/start/signin", map[string]string{"username": "bojan", "password": goodPW})
			p.must(t, http.StatusOK, "/start/mfa/register", tc.want...)
			for _, s := range tc.wantNot {
				if strings.Contains(p.body, s) {
					t.Errorf("the page has %q", s)
				}
			}
			if strings.Contains(p.body, `id="webauthn-options"`) {
				// Without JavaScript the form posts no credential.
				p2 := p.submit(b, "/start/mfa/webauthn/register", nil)
				p2.must(t, http.StatusBadRequest, "/start/mfa/webauthn/register", "Security keys need JavaScript")
			}
		})
	}
	e := newEnv(t, true)
	js := e.browser().get("/start/webauthn.js")
	if js.status != http.StatusOK || !strings.HasPrefix(js.header.Get("Content-Type"), "text/javascript") ||
		!strings.Contains(js.body, "navigator.credentials") {
		t.Fatalf("webauthn.js: %d %s", js.status, js.header.Get("Content-Type"))
	}
	if csp := js.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Fatalf("CSP %q does not allow the page's own script", csp)
	}
}
