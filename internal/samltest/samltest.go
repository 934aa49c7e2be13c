package samltest

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
	"github.com/crewjam/saml/samlidp"
	dsig "github.com/russellhaering/goxmldsig"
)

// IdP is a running identity provider.
type IdP struct {
	URL    string // base URL: metadata at URL+"/metadata", sign-in at URL+"/sso"
	Server *samlidp.Server
	Key    *rsa.PrivateKey
	Cert   *x509.Certificate
	hs     *httptest.Server
}

// KeyPair makes an RSA key and a self-signed certificate valid around now.
func KeyPair(t testing.TB, cn string) (*rsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-24 * time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

// Start runs an IdP with a fresh key pair until the test ends.
func Start(t testing.TB) *IdP {
	t.Helper()
	key, cert := KeyPair(t, "samltest IdP")
	return StartWithKey(t, key, cert)
}

// StartWithKey runs an IdP that signs with key.
func StartWithKey(t testing.TB, key *rsa.PrivateKey, cert *x509.Certificate) *IdP {
	t.Helper()
	p := &IdP{Key: key, Cert: cert}
	var h http.Handler
	p.hs = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(p.hs.Close)
	p.URL = p.hs.URL
	u, _ := url.Parse(p.URL)
	srv, err := samlidp.New(samlidp.Options{URL: *u, Key: key, Signer: key, Certificate: cert, Store: &samlidp.MemoryStore{},
		Logger: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	p.Server, h = srv, srv
	return p
}

// MetadataURL is where the IdP's metadata is served.
func (p *IdP) MetadataURL() string { return p.URL + "/metadata" }

// Metadata returns the IdP's metadata XML.
func (p *IdP) Metadata(t testing.TB) []byte {
	t.Helper()
	b, err := xml.MarshalIndent(p.Server.IDP.Metadata(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (p *IdP) do(t testing.TB, method, path string, body []byte) {
	t.Helper()
	req, err := http.NewRequest(method, p.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := p.hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("IdP %s %s: %s: %s", method, path, resp.Status, b)
	}
}

// AddUser adds a user who signs in at the IdP with user name email (also
// the NameID the IdP sends, format emailAddress) and password.
func (p *IdP) AddUser(t testing.TB, email, password string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"email": email, "password": password, "given_name": "Test", "surname": "User"})
	p.do(t, http.MethodPut, "/users/"+url.PathEscape(email), body)
}

// RegisterSP registers a service provider by its metadata (as an IdP
// administrator does with idcenter's /saml/metadata).
func (p *IdP) RegisterSP(t testing.TB, spMetadata []byte) {
	t.Helper()
	p.do(t, http.MethodPut, "/services/idcenter", spMetadata)
}

// AddShortcut adds an IdP-initiated sign-in link for the SP spEntityID:
// URL+"/login/"+name+"/<path>" signs in and posts an unsolicited response
// with RelayState "/<path>".
func (p *IdP) AddShortcut(t testing.TB, name, spEntityID string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"service_provider": spEntityID, "url_suffix_as_relay_state": true})
	p.do(t, http.MethodPut, "/shortcuts/"+url.PathEscape(name), body)
}

// Options shape a crafted response.
type Options struct {
	NameID string // the subject
	// NameIDFormat is the NameID's format (emailAddress when empty).
	NameIDFormat string
	// Attributes are added to the assertion (name → value).
	Attributes map[string]string
	Audience   string    // replaces the SP's entity id in the AudienceRestriction
	IssuedAt   time.Time // the IdP's clock when the response is made (zero: now)
	Unsigned   bool      // no signature at all, assertion in the clear
	RelayState string
	// SignKey and SignCert sign instead of the IdP's key (an impostor).
	SignKey  *rsa.PrivateKey
	SignCert *x509.Certificate
}

// Response makes an IdP-initiated response for the service provider of
// spMetadata, as the IdP would post it (base64), shaped by o.
func (p *IdP) Response(t testing.TB, spMetadata []byte, o Options) string {
	t.Helper()
	var md saml.EntityDescriptor
	if err := xml.Unmarshal(spMetadata, &md); err != nil {
		t.Fatal(err)
	}
	idp := p.Server.IDP // a copy: the clock may be changed
	if !o.IssuedAt.IsZero() {
		idp.Clock = dsig.NewFakeClockAt(o.IssuedAt)
	}
	idp.ServiceProviderProvider = fixedSP{&md}
	if o.SignKey != nil {
		idp.Key, idp.Signer, idp.Certificate = o.SignKey, o.SignKey, o.SignCert
	}
	r := httptest.NewRequest(http.MethodGet, p.URL+"/login/idcenter", nil)
	req, err := idp.NewIdpInitiatedRequest(r, md.EntityID, o.RelayState)
	if err != nil {
		t.Fatal(err)
	}
	if len(req.ServiceProviderMetadata.SPSSODescriptors) > 0 {
		req.SPSSODescriptor = &req.ServiceProviderMetadata.SPSSODescriptors[0]
	}
	format := o.NameIDFormat
	if format == "" {
		format = string(saml.EmailAddressNameIDFormat)
	}
	sess := &saml.Session{ID: "s-1", NameID: o.NameID, NameIDFormat: format,
		CreateTime: req.Now, ExpireTime: req.Now.Add(time.Hour), Index: "1", UserEmail: o.NameID}
	for name, v := range o.Attributes {
		sess.CustomAttributes = append(sess.CustomAttributes, saml.Attribute{Name: name,
			NameFormat: "urn:oasis:names:tc:SAML:2.0:attrname-format:uri", Values: []saml.AttributeValue{{Type: "xs:string", Value: v}}})
	}
	if err := (saml.DefaultAssertionMaker{}).MakeAssertion(req, sess); err != nil {
		t.Fatal(err)
	}
	if o.Audience != "" {
		for i := range req.Assertion.Conditions.AudienceRestrictions {
			req.Assertion.Conditions.AudienceRestrictions[i].Audience = saml.Audience{Value: o.Audience}
		}
	}
	var el *etree.Element
	if o.Unsigned {
		resp := &saml.Response{Destination: req.ACSEndpoint.Location, ID: "id-unsigned-response", IssueInstant: req.Now, Version: "2.0",
			Issuer: &saml.Issuer{Format: "urn:oasis:names:tc:SAML:2.0:nameid-format:entity", Value: idp.MetadataURL.String()},
			Status: saml.Status{StatusCode: saml.StatusCode{Value: saml.StatusSuccess}}}
		el = resp.Element()
		el.AddChild(req.Assertion.Element())
	} else {
		if err := req.MakeResponse(); err != nil {
			t.Fatal(err)
		}
		el = req.ResponseEl
	}
	doc := etree.NewDocument()
	doc.SetRoot(el)
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

type fixedSP struct{ md *saml.EntityDescriptor }

func (f fixedSP) GetServiceProvider(_ *http.Request, id string) (*saml.EntityDescriptor, error) {
	return f.md, nil
}
