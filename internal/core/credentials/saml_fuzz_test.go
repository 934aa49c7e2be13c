package credentials

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/store"
)

// signedSAMLResponse is a Response whose Assertion (subject alice) the key signed.
func signedSAMLResponse(t testing.TB, key *rsa.PrivateKey, der []byte, now time.Time) string {
	ts := func(d time.Duration) string { return now.Add(d).UTC().Format(time.RFC3339) }
	doc := etree.NewDocument()
	resp := doc.CreateElement("samlp:Response")
	resp.CreateAttr("xmlns:samlp", "urn:oasis:names:tc:SAML:2.0:protocol")
	resp.CreateElement("samlp:Status").CreateElement("samlp:StatusCode").CreateAttr("Value", "urn:oasis:names:tc:SAML:2.0:status:Success")
	a := etree.NewElement("saml:Assertion")
	a.CreateAttr("xmlns:saml", "urn:oasis:names:tc:SAML:2.0:assertion")
	a.CreateAttr("ID", "_a1")
	a.CreateAttr("IssueInstant", ts(0))
	a.CreateElement("saml:Issuer").SetText("https://idp")
	subj := a.CreateElement("saml:Subject")
	subj.CreateElement("saml:NameID").SetText("alice")
	scd := subj.CreateElement("saml:SubjectConfirmation").CreateElement("saml:SubjectConfirmationData")
	scd.CreateAttr("Recipient", SAMLAudience)
	scd.CreateAttr("NotOnOrAfter", ts(time.Minute))
	cond := a.CreateElement("saml:Conditions")
	cond.CreateAttr("NotOnOrAfter", ts(time.Minute))
	cond.CreateElement("saml:AudienceRestriction").CreateElement("saml:Audience").SetText(SAMLAudience)
	sctx := dsig.NewDefaultSigningContext(dsig.TLSCertKeyStore(tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}))
	signed, err := sctx.SignEnveloped(a)
	if err != nil {
		t.Fatal(err)
	}
	resp.AddChild(signed)
	out, err := doc.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString([]byte(out))
}

// FuzzVerifySAML: whatever the bytes, verification never panics, and what
// it accepts says what the IdP signed (subject alice): a modified assertion
// is never taken.
func FuzzVerifySAML(f *testing.F) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "idp"}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		f.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		f.Fatal(err)
	}
	md := iam.SAMLMetadata{EntityID: "https://idp", Certificates: []*x509.Certificate{cert}}
	s := &Service{}
	good := signedSAMLResponse(f, key, der, now)
	if a, err := s.verifySAML(good, md, store.IAMSAMLProvider{}, now); err != nil || a.subject != "alice" {
		f.Fatalf("the seed does not verify: %+v, %v", a, err)
	}
	f.Add(good)
	f.Add("")
	f.Add("PHg+PC94Pg==")
	f.Fuzz(func(t *testing.T, raw string) {
		a, err := s.verifySAML(raw, md, store.IAMSAMLProvider{}, now)
		if err == nil && a.subject != "alice" {
			t.Fatalf("accepted an assertion the IdP did not sign: subject %q", a.subject)
		}
	})
}
