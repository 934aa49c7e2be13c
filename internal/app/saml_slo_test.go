package app_test

import (
	"encoding/base64"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
)

var sloCSRFRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// samlBrowser signs alice in at the IdP (its session cookie) and then at
// idcenter through an SP-initiated sign-in, and returns the browser.
func samlBrowser(t *testing.T, e *samlEnv) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	readBody(t)(c.PostForm(e.idp.URL+"/login", map[string][]string{"user": {"alice@example.com"}, "password": {"idp-password-1"}}))
	_, body := readBody(t)(c.Get(e.ts.URL + "/start"))
	resp, body := readBody(t)(c.PostForm(e.ts.URL+"/saml/acs", formValues(t, body)))
	if resp.Request.URL.Path != "/start" || !strings.Contains(body, "Signed in as alice@example.com") {
		t.Fatalf("sign-in: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	return c
}

// signedIn reports whether the browser has a portal session.
func signedIn(t *testing.T, e *samlEnv, c *http.Client) bool {
	t.Helper()
	nc := *c
	nc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, _ := readBody(t)(nc.Get(e.ts.URL + "/start"))
	return resp.StatusCode == http.StatusOK
}

// TestSAMLSingleLogout: the portal's Sign out sends a signed LogoutRequest
// to the IdP's single logout service (HTTP-Redirect), the IdP ends its
// session and answers at /saml/slo, which accepts the answer once; an
// IdP-initiated logout (the IdP's /logout propagating to idcenter) ends
// every portal session of the user and is answered with a LogoutResponse;
// an unsigned LogoutRequest is refused and ends nothing.
func TestSAMLSingleLogout(t *testing.T) {
	e := newSAMLEnv(t, false)
	if !strings.Contains(string(e.spMD), `SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="`+e.ts.URL+`/saml/slo"`) {
		t.Fatalf("SP metadata without a single logout service:\n%s", e.spMD)
	}

	// SP-initiated.
	c := samlBrowser(t, e)
	_, body := readBody(t)(c.Get(e.ts.URL + "/start"))
	m := sloCSRFRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token:\n%s", body)
	}
	var hops []string
	c.CheckRedirect = func(r *http.Request, _ []*http.Request) error { hops = append(hops, r.URL.String()); return nil }
	resp, body := readBody(t)(c.PostForm(e.ts.URL+"/start/signout", map[string][]string{"csrf_token": {m[1]}}))
	c.CheckRedirect = nil
	if len(hops) != 2 || !strings.HasPrefix(hops[0], e.idp.URL+"/slo?SAMLRequest=") || !strings.Contains(hops[0], "&Signature=") ||
		resp.Request.URL.Path != "/saml/slo" || !strings.Contains(body, "signed out here and at your identity provider") {
		t.Fatalf("sign out: %d %s (hops %q)\n%s", resp.StatusCode, resp.Request.URL, hops, body)
	}
	if signedIn(t, e, c) {
		t.Fatal("still signed in to the portal after signing out")
	}
	// The IdP's session ended too: a new sign-in asks for the password.
	_, body = readBody(t)(c.Get(e.ts.URL + "/start"))
	if !strings.Contains(body, `name="password"`) {
		t.Fatalf("the IdP session survived the single logout:\n%s", body)
	}
	// The IdP's answer is accepted once.
	resp, _ = readBody(t)(http.Get(hops[1]))
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("LogoutResponse replayed: %d", resp.StatusCode)
	}

	// An unsigned LogoutRequest naming alice is refused and ends nothing.
	c = samlBrowser(t, e)
	lr := saml.LogoutRequest{ID: "id-forged-logout", Version: "2.0", IssueInstant: time.Now().UTC(), Destination: e.ts.URL + "/saml/slo",
		Issuer: &saml.Issuer{Value: e.idp.MetadataURL()}, NameID: &saml.NameID{Value: "alice@example.com"}}
	resp, _ = readBody(t)(http.Get(lr.Redirect("").String()))
	if resp.StatusCode != http.StatusForbidden || !signedIn(t, e, c) {
		t.Fatalf("unsigned LogoutRequest: %d, alice still signed in: %v", resp.StatusCode, signedIn(t, e, c))
	}
	doc := etree.NewDocument()
	doc.SetRoot(lr.Element())
	raw, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	resp, _ = readBody(t)(http.PostForm(e.ts.URL+"/saml/slo", url.Values{"SAMLRequest": {base64.StdEncoding.EncodeToString(raw)}}))
	if resp.StatusCode != http.StatusForbidden || !signedIn(t, e, c) {
		t.Fatalf("unsigned LogoutRequest posted: %d, alice still signed in: %v", resp.StatusCode, signedIn(t, e, c))
	}

	// A LogoutRequest posted (HTTP-POST binding) with the IdP's enveloped
	// signature ends her sessions.
	resp, _ = readBody(t)((&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).PostForm(
		e.ts.URL+"/saml/slo", e.idp.LogoutRequestForm(t, e.spMD, "alice@example.com", "")))
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), e.idp.URL+"/slo?SAMLResponse=") || signedIn(t, e, c) {
		t.Fatalf("signed LogoutRequest posted: %d %s, still signed in %v", resp.StatusCode, resp.Header.Get("Location"), signedIn(t, e, c))
	}
	c = samlBrowser(t, e)

	// IdP-initiated: alice signed in from two browsers; she signs out at
	// the IdP in the first; both portal sessions end.
	c2 := samlBrowser(t, e)
	hops = nil
	c.CheckRedirect = func(r *http.Request, _ []*http.Request) error { hops = append(hops, r.URL.String()); return nil }
	resp, body = readBody(t)(c.Get(e.idp.URL + "/logout"))
	if len(hops) < 2 || !strings.HasPrefix(hops[0], e.ts.URL+"/saml/slo?SAMLRequest=") || !strings.Contains(hops[0], "&Signature=") ||
		!strings.HasPrefix(hops[1], e.idp.URL+"/slo?SAMLResponse=") || !strings.Contains(hops[1], "&Signature=") || resp.StatusCode != http.StatusOK {
		t.Fatalf("IdP logout: %d %s (hops %q)\n%s", resp.StatusCode, resp.Request.URL, hops, body)
	}
	if signedIn(t, e, c) || signedIn(t, e, c2) {
		t.Fatalf("portal sessions after the IdP's logout: first %v, second %v", signedIn(t, e, c), signedIn(t, e, c2))
	}
	// The same LogoutRequest again: refused (each request id once).
	c2 = samlBrowser(t, e)
	resp, _ = readBody(t)(http.Get(hops[0]))
	if resp.StatusCode != http.StatusForbidden || !signedIn(t, e, c2) {
		t.Fatalf("replayed LogoutRequest: %d, still signed in %v", resp.StatusCode, signedIn(t, e, c2))
	}
}
