package app_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml/xmlenc"
	dsig "github.com/russellhaering/goxmldsig"
)

// testIdP is a SAML identity provider for tests: a key, its self-signed
// certificate and the metadata that names it.
type testIdP struct {
	EntityID string
	key      *rsa.PrivateKey
	certDER  []byte
}

func newTestIdP(t *testing.T, entityID string) *testIdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: entityID},
		NotBefore: time.Now().Add(-24 * time.Hour), NotAfter: time.Now().Add(10 * 365 * 24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &testIdP{EntityID: entityID, key: key, certDER: der}
}

// Metadata is the IdP's SAML 2.0 metadata document (over 1000 characters,
// as IAM requires).
func (idp *testIdP) Metadata() string {
	cert := base64.StdEncoding.EncodeToString(idp.certDER)
	return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="` + idp.EntityID + `">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + cert + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`
}

// samlClaims are what a test assertion says.
type samlClaims struct {
	Subject      string
	Audience     string
	Recipient    string
	Issuer       string // default: the IdP's entity id
	NotBefore    time.Time
	NotOnOrAfter time.Time
	Roles        []string // "roleArn,providerArn"
	SessionName  string
	// EncryptTo encrypts the (signed) assertion for this certificate.
	EncryptTo *x509.Certificate
	// Attrs are further attributes (name to value).
	Attrs map[string]string
	// Tags are PrincipalTag attributes (session tags).
	Tags     map[string]string
	Unsigned bool
	// SignResponse signs the whole Response instead of the Assertion.
	SignResponse bool
	SignedBy     *testIdP // another IdP's key (a forged signature)
}

// Response builds a base64 SAML Response whose Assertion is signed.
func (idp *testIdP) Response(t *testing.T, c samlClaims) string {
	t.Helper()
	if c.Issuer == "" {
		c.Issuer = idp.EntityID
	}
	if c.Audience == "" {
		c.Audience = "https://signin.aws.amazon.com/saml"
	}
	if c.Recipient == "" {
		c.Recipient = "https://signin.aws.amazon.com/saml"
	}
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
	doc := etree.NewDocument()
	resp := doc.CreateElement("samlp:Response")
	resp.CreateAttr("xmlns:samlp", "urn:oasis:names:tc:SAML:2.0:protocol")
	resp.CreateAttr("xmlns:saml", "urn:oasis:names:tc:SAML:2.0:assertion")
	resp.CreateAttr("ID", "_resp1")
	resp.CreateAttr("Version", "2.0")
	resp.CreateAttr("IssueInstant", ts(c.NotBefore))
	resp.CreateAttr("Destination", c.Recipient)
	resp.CreateElement("saml:Issuer").SetText(c.Issuer)
	resp.CreateElement("samlp:Status").CreateElement("samlp:StatusCode").CreateAttr("Value", "urn:oasis:names:tc:SAML:2.0:status:Success")

	a := etree.NewElement("saml:Assertion")
	a.CreateAttr("xmlns:saml", "urn:oasis:names:tc:SAML:2.0:assertion")
	a.CreateAttr("ID", "_assert1")
	a.CreateAttr("Version", "2.0")
	a.CreateAttr("IssueInstant", ts(c.NotBefore))
	a.CreateElement("saml:Issuer").SetText(c.Issuer)
	subj := a.CreateElement("saml:Subject")
	nid := subj.CreateElement("saml:NameID")
	nid.CreateAttr("Format", "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent")
	nid.SetText(c.Subject)
	sc := subj.CreateElement("saml:SubjectConfirmation")
	sc.CreateAttr("Method", "urn:oasis:names:tc:SAML:2.0:cm:bearer")
	scd := sc.CreateElement("saml:SubjectConfirmationData")
	scd.CreateAttr("NotOnOrAfter", ts(c.NotOnOrAfter))
	scd.CreateAttr("Recipient", c.Recipient)
	cond := a.CreateElement("saml:Conditions")
	cond.CreateAttr("NotBefore", ts(c.NotBefore))
	cond.CreateAttr("NotOnOrAfter", ts(c.NotOnOrAfter))
	cond.CreateElement("saml:AudienceRestriction").CreateElement("saml:Audience").SetText(c.Audience)
	authn := a.CreateElement("saml:AuthnStatement")
	authn.CreateAttr("AuthnInstant", ts(c.NotBefore))
	authn.CreateElement("saml:AuthnContext").CreateElement("saml:AuthnContextClassRef").SetText("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")
	attrs := a.CreateElement("saml:AttributeStatement")
	attr := func(name string, values ...string) {
		el := attrs.CreateElement("saml:Attribute")
		el.CreateAttr("Name", name)
		for _, v := range values {
			el.CreateElement("saml:AttributeValue").SetText(v)
		}
	}
	if len(c.Roles) > 0 {
		attr("https://aws.amazon.com/SAML/Attributes/Role", c.Roles...)
	}
	if c.SessionName != "" {
		attr("https://aws.amazon.com/SAML/Attributes/RoleSessionName", c.SessionName)
	}
	for k, v := range c.Attrs {
		attr(k, v)
	}
	for k, v := range c.Tags {
		attr("https://aws.amazon.com/SAML/Attributes/PrincipalTag:"+k, v)
	}
	if !c.Unsigned && !c.SignResponse {
		signer := idp
		if c.SignedBy != nil {
			signer = c.SignedBy
		}
		ks := dsig.TLSCertKeyStore(tls.Certificate{Certificate: [][]byte{signer.certDER}, PrivateKey: signer.key})
		sctx := dsig.NewDefaultSigningContext(ks)
		sctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
		signed, err := sctx.SignEnveloped(a)
		if err != nil {
			t.Fatal(err)
		}
		if c.SignedBy != nil {
			// Present the trusted certificate with the forged signature.
			for _, el := range signed.FindElements(".//X509Certificate") {
				el.SetText(base64.StdEncoding.EncodeToString(idp.certDER))
			}
		}
		a = signed
	}
	if c.EncryptTo != nil {
		d := etree.NewDocument()
		d.SetRoot(a)
		plain, err := d.WriteToBytes()
		if err != nil {
			t.Fatal(err)
		}
		data, err := xmlenc.OAEP().Encrypt(c.EncryptTo, plain, nil)
		if err != nil {
			t.Fatal(err)
		}
		data.CreateAttr("Type", "http://www.w3.org/2001/04/xmlenc#Element")
		a = etree.NewElement("saml:EncryptedAssertion")
		a.AddChild(data)
	}
	resp.AddChild(a)
	if c.SignResponse {
		ks := dsig.TLSCertKeyStore(tls.Certificate{Certificate: [][]byte{idp.certDER}, PrivateKey: idp.key})
		sctx := dsig.NewDefaultSigningContext(ks)
		sctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
		signed, err := sctx.SignEnveloped(resp)
		if err != nil {
			t.Fatal(err)
		}
		doc.SetRoot(signed)
	}
	out, err := doc.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString([]byte(out))
}

// tamper changes the subject of a signed response after signing.
func tamper(t *testing.T, b64, from, to string) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(raw), from, to, 1)))
}
