package samltest

import (
	"crypto/rsa"
	"crypto/x509"
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
