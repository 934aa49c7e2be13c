package app_test

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/idcenter/idcenter/internal/core/federation"
	"github.com/idcenter/idcenter/internal/samltest"
)

// TestSAMLSignedAuthnRequests: when the IdP's metadata asks for signed
// AuthnRequests, idcenter's SP metadata says AuthnRequestsSigned="true" and
// the redirect to the IdP carries SigAlg and Signature, which the IdP
// verifies with the certificate of that metadata before it shows its
// sign-in form; the whole sign-in then completes. An IdP that wants signed
// requests refuses the unsigned ones of an SP configured with metadata that
// did not ask for them (the IdP really checks).
func TestSAMLSignedAuthnRequests(t *testing.T) {
	e := newSAMLEnv(t, false)
	ctx := context.Background()
	if strings.Contains(string(e.spMD), `AuthnRequestsSigned="true"`) {
		t.Fatalf("SP metadata says signed requests though the IdP did not ask:\n%s", e.spMD)
	}
	e.idp.WantSignedRequests()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, body := readBody(t)(c.Get(e.ts.URL + "/start"))
	if q := resp.Request.URL.Query(); q.Get("SAMLRequest") == "" || q.Get("Signature") != "" || resp.StatusCode == http.StatusOK {
		t.Fatalf("unsigned request to an IdP that wants signed ones: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}

	// The administrator loads the IdP's new metadata and registers
	// idcenter's new SP metadata at the IdP.
	if _, err := e.ts.Federation.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: e.idp.Metadata(t)}); err != nil {
		t.Fatal(err)
	}
	md, err := e.ts.Federation.SPMetadata(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), `AuthnRequestsSigned="true"`) {
		t.Fatalf("SP metadata does not say signed requests:\n%s", md)
	}
	e.idp.RegisterSP(t, md)
	// samlidp's sign-in form does not carry a query-string signature
	// along, so the user signs in at the IdP first (its session cookie);
	// the signed request is then answered at once.
	jar, _ = cookiejar.New(nil)
	c = &http.Client{Jar: jar}
	readBody(t)(c.PostForm(e.idp.URL+"/login", map[string][]string{"user": {"alice@example.com"}, "password": {"idp-password-1"}}))
	resp, body = readBody(t)(c.Get(e.ts.URL + "/start/device?user_code=ABCD-EFGH"))
	q := resp.Request.URL.Query()
	af := formValues(t, body)
	if !strings.HasPrefix(resp.Request.URL.String(), e.idp.URL+"/sso?") || q.Get("Signature") == "" ||
		q.Get("SigAlg") != "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" || af.Get("SAMLResponse") == "" {
		t.Fatalf("signed request: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	resp, body = readBody(t)(c.PostForm(e.ts.URL+"/saml/acs", af))
	if resp.Request.URL.Path != "/start/device" || !strings.Contains(body, "Signed in as alice@example.com") {
		t.Fatalf("after the ACS: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}

	// A request whose signature was tampered with is refused by the IdP.
	c2 := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, _ = readBody(t)(c2.Get(e.ts.URL + "/saml/login?next=/start"))
	loc := resp.Header.Get("Location")
	i := strings.Index(loc, "Signature=")
	if i < 0 {
		t.Fatalf("no signature in %s", loc)
	}
	sig := []byte(loc[i+len("Signature="):])
	if sig[5] == 'A' {
		sig[5] = 'B'
	} else {
		sig[5] = 'A'
	}
	resp, body = readBody(t)(c.Get(loc[:i] + "Signature=" + string(sig)))
	if resp.StatusCode == http.StatusOK || formValues(t, body).Get("SAMLResponse") != "" {
		t.Fatalf("the IdP accepted a request with an altered signature")
	}
}

// TestSAMLUserNameAttribute: the NameID of any format (emailAddress,
// unspecified, persistent) is matched to the user name by default; with a
// user name attribute set, that attribute's value is matched instead (for
// IdPs whose NameID is an opaque persistent id), a response without it is
// refused; single logout then uses the NameID (and format) the IdP sent at
// the sign-in, in idcenter's LogoutRequest and to match the IdP's.
func TestSAMLUserNameAttribute(t *testing.T) {
	e := newSAMLEnv(t, true)
	ctx := context.Background()
	const persistent = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
	const unspecified = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
	const attr = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	type tc struct {
		name   string
		o      samltest.Options
		status int
		as     string
	}
	run := func(cases []tc) {
		t.Helper()
		for _, c := range cases {
			jar, _ := cookiejar.New(nil)
			cl := &http.Client{Jar: jar, CheckRedirect: noRedirect}
			resp, body := readBody(t)(cl.PostForm(e.ts.URL+"/saml/acs", url.Values{"SAMLResponse": {e.idp.Response(t, e.spMD, c.o)}}))
			if resp.StatusCode != c.status {
				t.Fatalf("%s: ACS %d, want %d\n%s", c.name, resp.StatusCode, c.status, body)
			}
			if c.as != "" {
				_, body = readBody(t)(cl.Get(e.ts.URL + "/start"))
				if !strings.Contains(body, "Signed in as "+c.as) {
					t.Fatalf("%s: not signed in as %s\n%s", c.name, c.as, body)
				}
			}
		}
	}
	run([]tc{
		{"NameID persistent = user name", samltest.Options{NameID: "alice@example.com", NameIDFormat: persistent}, http.StatusSeeOther, "alice@example.com"},
		{"NameID unspecified = user name", samltest.Options{NameID: "bob@example.com", NameIDFormat: unspecified}, http.StatusSeeOther, "bob@example.com"},
		{"opaque persistent NameID", samltest.Options{NameID: "00u1opaqueid", NameIDFormat: persistent, Attributes: map[string]string{attr: "alice@example.com"}}, http.StatusForbidden, ""},
	})

	src, err := e.ts.Federation.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: e.idp.Metadata(t), AllowIdPInitiated: true, UserNameAttribute: " " + attr + " "})
	if err != nil || src.UserNameAttribute != attr {
		t.Fatalf("set user name attribute: %+v, %v", src, err)
	}
	if _, err := e.ts.Federation.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: e.idp.Metadata(t), UserNameAttribute: strings.Repeat("a", 257)}); err == nil {
		t.Fatal("a 257-character attribute name was accepted")
	}
	run([]tc{
		{"attribute names alice", samltest.Options{NameID: "00u1opaqueid", NameIDFormat: persistent, Attributes: map[string]string{attr: "alice@example.com"}}, http.StatusSeeOther, "alice@example.com"},
		{"attribute names bob, NameID alice", samltest.Options{NameID: "alice@example.com", Attributes: map[string]string{attr: "bob@example.com"}}, http.StatusSeeOther, "bob@example.com"},
		{"no such attribute", samltest.Options{NameID: "alice@example.com"}, http.StatusForbidden, ""},
		{"attribute names an unknown user", samltest.Options{NameID: "00u1opaqueid", Attributes: map[string]string{attr: "mallory@example.com"}}, http.StatusForbidden, ""},
	})

	// Single logout names the IdP's NameID kept from the sign-in, not the
	// user name: Sign out sends it (with its format) ...
	signIn := func() *http.Client {
		t.Helper()
		jar, _ := cookiejar.New(nil)
		cl := &http.Client{Jar: jar}
		readBody(t)(cl.PostForm(e.ts.URL+"/saml/acs", url.Values{"SAMLResponse": {e.idp.Response(t, e.spMD,
			samltest.Options{NameID: "00u1opaqueid", NameIDFormat: persistent, Attributes: map[string]string{attr: "alice@example.com"}})}}))
		if !signedIn(t, e, cl) {
			t.Fatal("not signed in")
		}
		return cl
	}
	cl := signIn()
	_, body := readBody(t)(cl.Get(e.ts.URL + "/start"))
	m := sloCSRFRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token:\n%s", body)
	}
	cl.CheckRedirect = noRedirect
	resp, _ := readBody(t)(cl.PostForm(e.ts.URL+"/start/signout", url.Values{"csrf_token": {m[1]}}))
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || loc == nil || !strings.HasPrefix(loc.String(), e.idp.URL+"/slo?") {
		t.Fatalf("sign out: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	xmlReq := inflate(t, loc.Query().Get("SAMLRequest"))
	if !strings.Contains(xmlReq, `Format="`+persistent+`"`) || !strings.Contains(xmlReq, ">00u1opaqueid</") {
		t.Fatalf("LogoutRequest does not name the IdP's NameID:\n%s", xmlReq)
	}
	// ... and an IdP's LogoutRequest naming it ends alice's sessions, while
	// one naming her user name (not how the IdP named her) does not.
	cl = signIn()
	resp, _ = readBody(t)((&http.Client{CheckRedirect: noRedirect}).Get(e.idp.LogoutRequestURL(t, e.spMD, "alice@example.com", "")))
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), e.idp.URL+"/slo?SAMLResponse=") || !signedIn(t, e, cl) {
		t.Fatalf("LogoutRequest naming the user name: %d %s, signed in %v", resp.StatusCode, resp.Header.Get("Location"), signedIn(t, e, cl))
	}
	resp, _ = readBody(t)((&http.Client{CheckRedirect: noRedirect}).Get(e.idp.LogoutRequestURL(t, e.spMD, "00u1opaqueid", persistent)))
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), e.idp.URL+"/slo?SAMLResponse=") || signedIn(t, e, cl) {
		t.Fatalf("LogoutRequest naming the IdP's NameID: %d %s, signed in %v", resp.StatusCode, resp.Header.Get("Location"), signedIn(t, e, cl))
	}
}

// inflate decodes a SAML HTTP-Redirect message (base64, raw DEFLATE).
func inflate(t *testing.T, v string) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(flate.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
