package e2e

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// samlAssertion makes a test IdP's metadata and a base64 SAML response for
// AWS whose assertion it signed (subject alice, role/provider pair given).
func samlAssertion(t *testing.T, entityID, rolePair string, key *rsa.PrivateKey, der []byte, tamper bool) string {
	t.Helper()
	ts := func(d time.Duration) string { return time.Now().Add(d).UTC().Format("2006-01-02T15:04:05Z") }
	doc := etree.NewDocument()
	resp := doc.CreateElement("samlp:Response")
	resp.CreateAttr("xmlns:samlp", "urn:oasis:names:tc:SAML:2.0:protocol")
	resp.CreateAttr("ID", "_r1")
	resp.CreateAttr("Version", "2.0")
	resp.CreateAttr("IssueInstant", ts(0))
	resp.CreateElement("samlp:Status").CreateElement("samlp:StatusCode").CreateAttr("Value", "urn:oasis:names:tc:SAML:2.0:status:Success")
	a := etree.NewElement("saml:Assertion")
	a.CreateAttr("xmlns:saml", "urn:oasis:names:tc:SAML:2.0:assertion")
	a.CreateAttr("ID", "_a1")
	a.CreateAttr("Version", "2.0")
	a.CreateAttr("IssueInstant", ts(0))
	a.CreateElement("saml:Issuer").SetText(entityID)
	subj := a.CreateElement("saml:Subject")
	nid := subj.CreateElement("saml:NameID")
	nid.CreateAttr("Format", "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent")
	nid.SetText("alice")
	scd := subj.CreateElement("saml:SubjectConfirmation").CreateElement("saml:SubjectConfirmationData")
	scd.CreateAttr("NotOnOrAfter", ts(5*time.Minute))
	scd.CreateAttr("Recipient", "https://signin.aws.amazon.com/saml")
	cond := a.CreateElement("saml:Conditions")
	cond.CreateAttr("NotBefore", ts(-time.Minute))
	cond.CreateAttr("NotOnOrAfter", ts(5*time.Minute))
	cond.CreateElement("saml:AudienceRestriction").CreateElement("saml:Audience").SetText("https://signin.aws.amazon.com/saml")
	attrs := a.CreateElement("saml:AttributeStatement")
	for name, v := range map[string]string{"https://aws.amazon.com/SAML/Attributes/Role": rolePair,
		"https://aws.amazon.com/SAML/Attributes/RoleSessionName": "alice@example.com"} {
		at := attrs.CreateElement("saml:Attribute")
		at.CreateAttr("Name", name)
		at.CreateElement("saml:AttributeValue").SetText(v)
	}
	sctx := dsig.NewDefaultSigningContext(dsig.TLSCertKeyStore(tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}))
	sctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	signed, err := sctx.SignEnveloped(a)
	if err != nil {
		t.Fatal(err)
	}
	resp.AddChild(signed)
	out, err := doc.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	if tamper {
		out = strings.Replace(out, ">alice<", ">mallory<", 1)
	}
	return base64.StdEncoding.EncodeToString([]byte(out))
}

// TestCLIAssumeRoleWithSAML: a SAML provider and a role trusting it made with
// the real CLI, then `aws sts assume-role-with-saml` (an unsigned call) with
// an assertion signed by the IdP's key gives credentials whose
// get-caller-identity is the assumed role; a tampered assertion is refused.
func TestCLIAssumeRoleWithSAML(t *testing.T) {
	needCLI(t)
	s := startServer(t)
	c := newCLI(t, s)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "idp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	const entityID = "https://idp.example.com/metadata"
	md := `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="` + entityID + `">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + base64.StdEncoding.EncodeToString(der) +
		`</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`
	dir := t.TempDir()
	mdFile := filepath.Join(dir, "metadata.xml")
	if err := os.WriteFile(mdFile, []byte(md), 0o600); err != nil {
		t.Fatal(err)
	}
	provider := str(t, c.ok("iam", "create-saml-provider", "--name", "Corp", "--saml-metadata-document", "file://"+mdFile), "SAMLProviderArn")
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provider + `"},"Action":"sts:AssumeRoleWithSAML",
	  "Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}`
	role := str(t, c.ok("iam", "create-role", "--role-name", "SAMLAdmins", "--assume-role-policy-document", trust), "Role", "Arn")
	listed := c.ok("iam", "list-saml-providers")
	eq(t, "listed provider", str(t, listed, "SAMLProviderList", 0, "Arn"), provider)

	assertion := samlAssertion(t, entityID, role+","+provider, key, der, false)
	out := c.ok("sts", "assume-role-with-saml", "--role-arn", role, "--principal-arn", provider, "--saml-assertion", assertion)
	account := strings.Split(role, ":")[4]
	eq(t, "assumed role", str(t, out, "AssumedRoleUser", "Arn"), "arn:aws:sts::"+account+":assumed-role/SAMLAdmins/alice@example.com")
	eq(t, "subject", str(t, out, "Subject"), "alice")
	eq(t, "subject type", str(t, out, "SubjectType"), "persistent")
	id := sessionCLI(t, s, out).ok("sts", "get-caller-identity")
	eq(t, "caller", str(t, id, "Arn"), "arn:aws:sts::"+account+":assumed-role/SAMLAdmins/alice@example.com")

	c.fail([]string{"InvalidIdentityToken"}, "sts", "assume-role-with-saml", "--role-arn", role, "--principal-arn", provider,
		"--saml-assertion", samlAssertion(t, entityID, role+","+provider, key, der, true))
}
