package app_test

import (
	"context"
	"encoding/base64"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/core/federation"
	"github.com/idcenter/idcenter/internal/samltest"
	"github.com/idcenter/idcenter/internal/store"
)

var hiddenRE = regexp.MustCompile(`name="(SAMLRequest|SAMLResponse|RelayState)" value="([^"]*)"`)

// samlEnv is an idcenter whose identity source is a real SAML IdP running
// in the test (crewjam/saml's samlidp), with alice@example.com known to both.
type samlEnv struct {
	ts   *testServer
	idp  *samltest.IdP
	spMD []byte
}

func newSAMLEnv(t *testing.T, allowIdPInitiated bool) *samlEnv {
	t.Helper()
	ts := startServer(t)
	ctx := context.Background()
	err := ts.Store.Update(ctx, func(tx store.Tx) error {
		for _, u := range []struct{ id, name, status string }{{"u-alice", "alice@example.com", "ENABLED"}, {"u-bob", "bob@example.com", "ENABLED"}, {"u-dave", "dave@example.com", "DISABLED"}} {
			if err := tx.CreateUser(ctx, store.User{IdentityStoreID: ts.World.Instance.IdentityStoreID, UserID: u.id,
				UserName: u.name, Status: u.status, CreatedAt: time.Now(), UpdatedAt: time.Now()}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	idp := samltest.Start(t)
	idp.AddUser(t, "alice@example.com", "idp-password-1")
	src, err := ts.Federation.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: idp.Metadata(t), MetadataSource: idp.MetadataURL(),
		AllowIdPInitiated: allowIdPInitiated})
	if err != nil {
		t.Fatal(err)
	}
	if src.Type != store.IdentitySourceExternalSAML || src.IdPSSOURL != idp.URL+"/sso" {
		t.Fatalf("source = %+v", src)
	}
	resp, err := http.Get(ts.URL + "/saml/metadata")
	if err != nil {
		t.Fatal(err)
	}
	md, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(md), `entityID="`+ts.URL+`/saml/metadata"`) ||
		!strings.Contains(string(md), `Location="`+ts.URL+`/saml/acs"`) {
		t.Fatalf("SP metadata: %d\n%s", resp.StatusCode, md)
	}
	idp.RegisterSP(t, md)
	return &samlEnv{ts: ts, idp: idp, spMD: md}
}

func formValues(t *testing.T, body string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range hiddenRE.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	return v
}

func readBody(t *testing.T) func(*http.Response, error) (*http.Response, string) {
	return func(resp *http.Response, err error) (*http.Response, string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
}

// TestSAMLSignInSPInitiated: a visit to the device page without a session
// goes to the IdP with an AuthnRequest; the user signs in there; the IdP's
// signed (and encrypted) response posted to the ACS signs the user in to the
// portal and returns the browser to the device page. Passwords are not
// offered, and the response cannot be used twice.
func TestSAMLSignInSPInitiated(t *testing.T) {
	e := newSAMLEnv(t, false)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, body := readBody(t)(c.Get(e.ts.URL + "/start/device?user_code=ABCD-EFGH"))
	if !strings.HasPrefix(resp.Request.URL.String(), e.idp.URL+"/sso?") || resp.Request.URL.Query().Get("SAMLRequest") == "" ||
		!strings.Contains(body, `name="password"`) {
		t.Fatalf("unsigned-in visit ended at %s (%d)\n%s", resp.Request.URL, resp.StatusCode, body)
	}
	// The IdP's login form (user, password) posts back to /sso with the request.
	form := formValues(t, body)
	form.Set("user", "alice@example.com")
	form.Set("password", "idp-password-1")
	resp, body = readBody(t)(c.PostForm(e.idp.URL+"/sso", form))
	acsForm := formValues(t, body)
	if resp.StatusCode != http.StatusOK || acsForm.Get("SAMLResponse") == "" || !strings.Contains(body, `action="`+e.ts.URL+`/saml/acs"`) {
		t.Fatalf("IdP after sign-in: %d\n%s", resp.StatusCode, body)
	}
	resp, body = readBody(t)(c.PostForm(e.ts.URL+"/saml/acs", acsForm))
	if resp.Request.URL.Path != "/start/device" || resp.Request.URL.Query().Get("user_code") != "ABCD-EFGH" ||
		!strings.Contains(body, "Signed in as alice@example.com") {
		t.Fatalf("after the ACS: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	resp, body = readBody(t)(c.Get(e.ts.URL + "/start"))
	if resp.Request.URL.Path != "/start" || !strings.Contains(body, "Signed in as alice@example.com") {
		t.Fatalf("/start: %s\n%s", resp.Request.URL, body)
	}
	// The same response again (another browser): refused (the request was
	// answered, and IdP-initiated sign-in is off).
	resp, _ = readBody(t)((&http.Client{}).PostForm(e.ts.URL+"/saml/acs", acsForm))
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("replayed response: %d", resp.StatusCode)
	}
	// The password form is not offered, and a posted password is not checked.
	if err := e.ts.SignIn.SetPassword(context.Background(), "alice@example.com", "Correct-Horse-9"); err != nil {
		t.Fatal(err)
	}
	c2 := &http.Client{Jar: func() http.CookieJar { j, _ := cookiejar.New(nil); return j }(), CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, _ = readBody(t)(c2.Get(e.ts.URL + "/start/signin?next=/start"))
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), e.idp.URL+"/sso?") {
		t.Fatalf("sign-in page with an external source: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestSAMLSignInBoundToBrowserOverHTTPS: over HTTPS the answer to an
// SP-initiated sign-in is accepted only from the browser that started it
// (its RelayState cookie): a response posted by another browser (login
// CSRF) is refused, and the browser that started the sign-in can still use
// it.
func TestSAMLSignInBoundToBrowserOverHTTPS(t *testing.T) {
	cfg := config.FromEnv(func(string) string { return "" })
	cfg.DataDir = t.TempDir()
	cfg.RootAccessKeyID, cfg.RootSecretAccessKey = testKeyID, testSecret
	s, err := app.Open(context.Background(), cfg, slog.New(slog.DiscardHandler), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewTLSServer(s.Handler)
	s.SetBaseURL(hs.URL)
	t.Cleanup(func() { hs.Close(); s.Close() })
	ctx := context.Background()
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		return tx.CreateUser(ctx, store.User{IdentityStoreID: s.World.Instance.IdentityStoreID, UserID: "u-alice",
			UserName: "alice@example.com", Status: "ENABLED", CreatedAt: time.Now(), UpdatedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	idp := samltest.Start(t)
	idp.AddUser(t, "alice@example.com", "idp-password-1")
	if _, err := s.Federation.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: idp.Metadata(t)}); err != nil {
		t.Fatal(err)
	}
	md, err := s.Federation.SPMetadata(ctx)
	if err != nil {
		t.Fatal(err)
	}
	idp.RegisterSP(t, md)
	browser := func() *http.Client {
		jar, _ := cookiejar.New(nil)
		c := *hs.Client() // a copy: hs.Client() is one shared client
		c.Jar = jar
		return &c
	}
	alice, other := browser(), browser()
	resp, body := readBody(t)(alice.Get(hs.URL + "/start"))
	form := formValues(t, body)
	if !strings.HasPrefix(resp.Request.URL.String(), idp.URL+"/sso?") || form.Get("RelayState") == "" {
		t.Fatalf("/start over HTTPS: %s\n%s", resp.Request.URL, body)
	}
	form.Set("user", "alice@example.com")
	form.Set("password", "idp-password-1")
	_, body = readBody(t)(alice.PostForm(idp.URL+"/sso", form))
	acsForm := formValues(t, body)
	resp, body = readBody(t)(other.PostForm(hs.URL+"/saml/acs", acsForm))
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "not started here") {
		t.Fatalf("the response posted by another browser: %d\n%s", resp.StatusCode, body)
	}
	resp, body = readBody(t)(alice.PostForm(hs.URL+"/saml/acs", acsForm))
	if resp.Request.URL.Path != "/start" || !strings.Contains(body, "Signed in as alice@example.com") {
		t.Fatalf("the response posted by the browser that started the sign-in: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
}

// TestSAMLSignInIdPInitiated: with IdP-initiated sign-in allowed, the
// IdP's link for idcenter (a tile in Okta or My Apps) signs the user in and
// its RelayState names the portal page to land on.
func TestSAMLSignInIdPInitiated(t *testing.T) {
	e := newSAMLEnv(t, true)
	e.idp.AddShortcut(t, "idcenter", e.ts.URL+"/saml/metadata")
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, body := readBody(t)(c.Get(e.idp.URL + "/login/idcenter/start"))
	action := regexp.MustCompile(`<form method="post" action="([^"]+)"`).FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || action == nil || !strings.Contains(body, `name="password"`) {
		t.Fatalf("IdP link: %d\n%s", resp.StatusCode, body)
	}
	form := formValues(t, body)
	form.Set("user", "alice@example.com")
	form.Set("password", "idp-password-1")
	target, _ := resp.Request.URL.Parse(html.UnescapeString(action[1]))
	readBody(t)(c.PostForm(target.String(), form)) // samlidp's /login: the IdP session
	resp, body = readBody(t)(c.Get(e.idp.URL + "/login/idcenter/start"))
	acsForm := formValues(t, body)
	if acsForm.Get("SAMLResponse") == "" || acsForm.Get("RelayState") != "/start" {
		t.Fatalf("IdP after sign-in: %d\n%s", resp.StatusCode, body)
	}
	resp, body = readBody(t)(c.PostForm(e.ts.URL+"/saml/acs", acsForm))
	if resp.Request.URL.Path != "/start" || !strings.Contains(body, "Signed in as alice@example.com") {
		t.Fatalf("after the ACS: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	// A RelayState that is not a local path does not redirect elsewhere.
	resp, _ = readBody(t)((&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).PostForm(
		e.ts.URL+"/saml/acs", url.Values{"SAMLResponse": {e.idp.Response(t, e.spMD, samltest.Options{NameID: "alice@example.com"})},
			"RelayState": {"//evil.example.com/x"}}))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/start" {
		t.Fatalf("RelayState //evil…: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestSAMLACSRefuses posts crafted responses to the ACS: only a response
// signed by the IdP's key, for idcenter's audience, within its validity
// period, for an existing enabled user, used once, signs anyone in.
func TestSAMLACSRefuses(t *testing.T) {
	e := newSAMLEnv(t, true)
	impostorKey, impostorCert := samltest.KeyPair(t, "impostor")
	valid := e.idp.Response(t, e.spMD, samltest.Options{NameID: "alice@example.com", RelayState: "/start"})
	// Without the SP's encryption key in the metadata the IdP sends the
	// signed assertion in the clear: alice's, edited to name bob.
	clearMD := regexp.MustCompile(`(?s)<KeyDescriptor use="encryption">.*</KeyDescriptor>`).ReplaceAll(e.spMD, nil)
	plain := func(name string) string {
		raw, _ := base64.StdEncoding.DecodeString(e.idp.Response(t, clearMD, samltest.Options{NameID: "alice@example.com"}))
		if !strings.Contains(string(raw), ">alice@example.com</") {
			t.Fatalf("no NameID in the clear:\n%s", raw)
		}
		return base64.StdEncoding.EncodeToString([]byte(strings.ReplaceAll(string(raw), "alice@example.com", name)))
	}
	cases := []struct {
		name, response, wantText string
		status                   int
	}{
		{"valid", valid, "", http.StatusSeeOther},
		{"replayed", valid, "refused", http.StatusForbidden},
		{"unsigned", e.idp.Response(t, e.spMD, samltest.Options{NameID: "alice@example.com", Unsigned: true}), "refused", http.StatusForbidden},
		{"signed by another key", e.idp.Response(t, e.spMD, samltest.Options{NameID: "alice@example.com", SignKey: impostorKey, SignCert: impostorCert}), "refused", http.StatusForbidden},
		{"in the clear", plain("alice@example.com"), "", http.StatusSeeOther},
		{"NameID edited", plain("bob@example.com"), "refused", http.StatusForbidden},
		{"wrong audience", e.idp.Response(t, e.spMD, samltest.Options{NameID: "alice@example.com", Audience: "https://other.example.com/saml"}), "refused", http.StatusForbidden},
		{"expired", e.idp.Response(t, e.spMD, samltest.Options{NameID: "alice@example.com", IssuedAt: time.Now().Add(-2 * time.Hour)}), "refused", http.StatusForbidden},
		{"issued in the future", e.idp.Response(t, e.spMD, samltest.Options{NameID: "alice@example.com", IssuedAt: time.Now().Add(time.Hour)}), "refused", http.StatusForbidden},
		{"NameID in another case", e.idp.Response(t, e.spMD, samltest.Options{NameID: "Alice@Example.COM"}), "", http.StatusSeeOther},
		{"unknown user", e.idp.Response(t, e.spMD, samltest.Options{NameID: "mallory@example.com"}), "has no user with that user name", http.StatusForbidden},
		{"disabled user", e.idp.Response(t, e.spMD, samltest.Options{NameID: "dave@example.com"}), "disabled", http.StatusForbidden},
		{"not base64", "%%%not-base64", "refused", http.StatusForbidden},
		{"empty", "", "refused", http.StatusForbidden},
	}
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			jar, _ := cookiejar.New(nil)
			cl := &http.Client{Jar: jar, CheckRedirect: noRedirect}
			resp, body := readBody(t)(cl.PostForm(e.ts.URL+"/saml/acs", url.Values{"SAMLResponse": {c.response}}))
			if resp.StatusCode != c.status || !strings.Contains(body, c.wantText) {
				t.Fatalf("ACS: %d, want %d with %q\n%s", resp.StatusCode, c.status, c.wantText, body)
			}
			hasSession := false
			for _, ck := range resp.Cookies() {
				hasSession = hasSession || (ck.Name == "idc_session" && ck.Value != "")
			}
			if hasSession != (c.status == http.StatusSeeOther) {
				t.Fatalf("session cookie set: %v", hasSession)
			}
			// Signed in exactly when the response was accepted.
			resp, _ = readBody(t)(cl.Get(e.ts.URL + "/start"))
			signedIn := resp.StatusCode == http.StatusOK
			if signedIn != (c.status == http.StatusSeeOther) {
				t.Fatalf("GET /start afterwards: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
		})
	}
	// IdP-initiated sign-in off: an unsolicited response is refused.
	if _, err := e.ts.Federation.SetExternalSAML(context.Background(), federation.ExternalSAML{Metadata: e.idp.Metadata(t)}); err != nil {
		t.Fatal(err)
	}
	resp, body := readBody(t)((&http.Client{CheckRedirect: noRedirect}).PostForm(e.ts.URL+"/saml/acs",
		url.Values{"SAMLResponse": {e.idp.Response(t, e.spMD, samltest.Options{NameID: "alice@example.com"})}}))
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "not started here") {
		t.Fatalf("unsolicited response with IdP-initiated sign-in off: %d\n%s", resp.StatusCode, body)
	}
}

// TestIdentitySourceSetting: the default source is the identity store;
// metadata that is not an IdP's is refused and changes nothing; switching
// ends portal sessions; /saml/ answers 404 while the identity store is the
// source.
func TestIdentitySourceSetting(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	src, err := ts.Federation.Get(ctx)
	if err != nil || src.Type != store.IdentitySourceIdentityStore {
		t.Fatalf("default source = %+v, %v", src, err)
	}
	resp, _ := readBody(t)(http.Get(ts.URL + "/saml/metadata"))
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("/saml/metadata with the identity store: %d", resp.StatusCode)
	}
	for name, md := range map[string]string{
		"empty":       "",
		"not XML":     "hello",
		"an SP's":     `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"></SPSSODescriptor></EntityDescriptor>`,
		"without key": `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/></IDPSSODescriptor></EntityDescriptor>`,
	} {
		if _, err := ts.Federation.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: []byte(md)}); err == nil {
			t.Errorf("%s metadata accepted", name)
		}
	}
	idp := samltest.Start(t)
	if _, err := ts.Federation.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: idp.Metadata(t), SPBaseURL: "ftp://x"}); err == nil {
		t.Error("an ftp SP base URL was accepted")
	}
	if src, _ := ts.Federation.Get(ctx); src.Type != store.IdentitySourceIdentityStore {
		t.Fatalf("refused settings changed the source: %+v", src)
	}
	// A password session ends when the source changes.
	err = ts.Store.Update(ctx, func(tx store.Tx) error {
		return tx.CreateUser(ctx, store.User{IdentityStoreID: ts.World.Instance.IdentityStoreID, UserID: "u-b", UserName: "bob@example.com",
			Status: "ENABLED", CreatedAt: time.Now(), UpdatedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	ws := store.WebSession{IDHash: []byte("0123456789abcdef0123456789abcdef"), IdentityStoreID: ts.World.Instance.IdentityStoreID, UserID: "u-b",
		CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour), MFADone: true}
	if err := ts.Store.Update(ctx, func(tx store.Tx) error { return tx.CreateWebSession(ctx, ws) }); err != nil {
		t.Fatal(err)
	}
	src, err = ts.Federation.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: idp.Metadata(t), MetadataSource: idp.MetadataURL(),
		SPBaseURL: "https://idcenter.example.com/"})
	if err != nil {
		t.Fatal(err)
	}
	if sp := ts.Federation.SPURLs(src); sp.EntityID != "https://idcenter.example.com/saml/metadata" || sp.ACSURL != "https://idcenter.example.com/saml/acs" {
		t.Fatalf("SP URLs = %+v", sp)
	}
	err = ts.Store.View(ctx, func(tx store.Tx) error {
		_, err := tx.GetWebSession(ctx, ws.IDHash)
		return err
	})
	if err == nil {
		t.Fatal("a portal session survived the switch to an external IdP")
	}
	if src, err = ts.Federation.SetIdentityStore(ctx); err != nil || src.Type != store.IdentitySourceIdentityStore {
		t.Fatalf("back to the identity store: %+v, %v", src, err)
	}
}
