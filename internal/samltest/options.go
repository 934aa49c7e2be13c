package samltest

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"net/url"
	"testing"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
	dsig "github.com/russellhaering/goxmldsig"
)

// WantSignedRequests makes the IdP refuse unsigned AuthnRequests and say
// so in its metadata (WantAuthnRequestsSigned="true"), as Okta and Entra ID
// do when their administrator turns request verification on.
func (p *IdP) WantSignedRequests() { p.Server.IDP.WantAuthnRequestsSigned = true }

// Rotate replaces the IdP's signing key and certificate (a key rollover):
// from now on its responses and its metadata carry the new ones.
func (p *IdP) Rotate(key *rsa.PrivateKey, cert *x509.Certificate) {
	p.Server.IDP.Key, p.Server.IDP.Signer, p.Server.IDP.Certificate = key, key, cert
	p.Key, p.Cert = key, cert
}

// LogoutRequestURL makes an IdP-initiated LogoutRequest for the service
// provider of spMetadata, naming nameID (of format, emailAddress when
// empty), signed with the IdP's key as the HTTP-Redirect binding requires,
// and returns the URL of the SP's single logout service carrying it.
func (p *IdP) LogoutRequestURL(t testing.TB, spMetadata []byte, nameID, format string) string {
	t.Helper()
	signer, req := p.logoutRequest(t, spMetadata, nameID, format)
	u, err := signer.RedirectLogoutRequestURL(req, "")
	if err != nil {
		t.Fatal(err)
	}
	return u.String()
}

// LogoutRequestForm is LogoutRequestURL for the HTTP-POST binding: the
// form fields (SAMLRequest, base64) of a LogoutRequest with an enveloped
// signature by the IdP's key, to post to the SP's single logout service.
func (p *IdP) LogoutRequestForm(t testing.TB, spMetadata []byte, nameID, format string) url.Values {
	t.Helper()
	_, req := p.logoutRequest(t, spMetadata, nameID, format)
	doc := etree.NewDocument()
	doc.SetRoot(req.Element())
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return url.Values{"SAMLRequest": {base64.StdEncoding.EncodeToString(b)}}
}

func (p *IdP) logoutRequest(t testing.TB, spMetadata []byte, nameID, format string) (*saml.ServiceProvider, *saml.LogoutRequest) {
	t.Helper()
	var md saml.EntityDescriptor
	if err := xml.Unmarshal(spMetadata, &md); err != nil {
		t.Fatal(err)
	}
	dest := ""
	for _, d := range md.SPSSODescriptors {
		for _, e := range d.SingleLogoutServices {
			if e.Binding == saml.HTTPRedirectBinding {
				dest = e.Location
			}
		}
	}
	if dest == "" {
		t.Fatal("the SP has no HTTP-Redirect single logout service")
	}
	// The library's SP side makes and signs logout messages; with the IdP's
	// key, entity id and the SP as its peer it makes the IdP's.
	mdURL := p.Server.IDP.MetadataURL
	signer := saml.ServiceProvider{EntityID: mdURL.String(), Key: p.Key, Certificate: p.Cert, MetadataURL: mdURL,
		IDPMetadata: &md, LogoutSignatureMethod: dsig.RSASHA256SignatureMethod}
	if format == "" {
		format = string(saml.EmailAddressNameIDFormat)
	}
	req, err := signer.MakeLogoutRequest(dest, nameID, func(r *saml.LogoutRequest) { r.NameID.Format = format })
	if err != nil {
		t.Fatal(err)
	}
	return &signer, req
}
