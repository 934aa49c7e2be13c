package iam

import (
	"strings"
	"testing"
)

// FuzzParseSAMLMetadata: any document either parses into an entity id and at
// least one certificate or is refused with InvalidInput; it never panics.
func FuzzParseSAMLMetadata(f *testing.F) {
	f.Add(`<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp"><md:IDPSSODescriptor><md:KeyDescriptor use="signing"><KeyInfo><X509Data><X509Certificate>AAAA</X509Certificate></X509Data></KeyInfo></md:KeyDescriptor></md:IDPSSODescriptor></md:EntityDescriptor>`)
	f.Add(`<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x" validUntil="2030-01-01T00:00:00Z"><md:IDPSSODescriptor/></md:EntityDescriptor>`)
	f.Add(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>`)
	f.Add("")
	f.Fuzz(func(t *testing.T, doc string) {
		md, err := ParseSAMLMetadata(doc)
		if err != nil {
			if !strings.Contains(err.Error(), "Could not parse metadata") {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if md.EntityID == "" || len(md.Certificates) == 0 {
			t.Fatalf("accepted metadata without entity id or certificate: %+v", md)
		}
	})
}
