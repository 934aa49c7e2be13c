package world_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/world"
)

// more has the kinds of more.go: users' other attributes and external ids,
// an account alias, a password policy, instance profiles and providers.
const more = `iam:
  accountAlias: my-corp
  passwordPolicy:
    minimumPasswordLength: 14
    requireSymbols: true
    maxPasswordAge: 90
  roles:
    - name: Web
      trustPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
  instanceProfiles:
    - name: web
      path: /app/
      role: Web
  samlProviders:
    - name: Okta
      metadata: ${METADATA}
  oidcProviders:
    - url: https://token.actions.githubusercontent.com
      clientIds: [sts.amazonaws.com]
      thumbprints: [6938fd4d98bab03faadb97b34396831e3780aea1]
users:
  - userName: alice
    givenName: Alice
    familyName: Doe
    nickName: Al
    title: Engineer
    phoneNumbers:
      - {value: "+1 555 0100", type: work, primary: true}
    addresses:
      - {locality: Berlin, country: DE, type: work}
    externalIds:
      - {issuer: https://okta.example.com, id: "00u1"}
`

func TestParseMoreKinds(t *testing.T) {
	vars := map[string]string{"METADATA": testMetadata(t)}
	w, err := world.Parse("m.yaml", []byte(more), env(vars))
	if err != nil {
		t.Fatal(err)
	}
	if w.IAM.AccountAlias != "my-corp" || w.IAM.PasswordPolicy.MinimumPasswordLength != 14 || w.IAM.InstanceProfiles[0].Role != "Web" {
		t.Errorf("iam = %+v", w.IAM)
	}
	if u := w.Users[0]; u.NickName != "Al" || u.ExternalIDs[0].ID != "00u1" || !u.PhoneNumbers[0].Primary {
		t.Errorf("user = %+v", u)
	}

	tests := []struct {
		name, old, new string
		want           string
	}{
		{"alias", "accountAlias: my-corp", "accountAlias: My--Corp", `m.yaml:2: iam.accountAlias: "My--Corp" is not an account alias`},
		{"password length", "minimumPasswordLength: 14", "minimumPasswordLength: 200", `m.yaml:4: iam.passwordPolicy.minimumPasswordLength: 200: want 6 to 128`},
		{"password age", "maxPasswordAge: 90", "maxPasswordAge: 5000", `iam.passwordPolicy.maxPasswordAge: 5000`},
		{"profile role", "role: Web", "role: Db", `m.yaml:13: iam.instanceProfiles[0].role: unknown role "Db"`},
		{"profile path", "path: /app/", "path: app", `iam.instanceProfiles[0].path: "app" is not a valid IAM path`},
		{"metadata", "metadata: ${METADATA}", "metadata: <xml/>", `m.yaml:16: iam.samlProviders[0].metadata: not SAML 2.0 IdP metadata`},
		{"SSO provider name", "name: Okta", "name: AWSSSO_1_DO_NOT_DELETE", `iam.samlProviders[0].name: "AWSSSO_1_DO_NOT_DELETE"`},
		{"OIDC URL", "url: https://token", "url: http://token", `m.yaml:18: iam.oidcProviders[0].url: "http://token.actions.githubusercontent.com" is not an https issuer URL`},
		{"thumbprint", "[6938fd4d98bab03faadb97b34396831e3780aea1]", "[abc]", `iam.oidcProviders[0].thumbprints[0]: "abc" is not a 40-character hex thumbprint`},
		{"phone", `value: "+1 555 0100"`, `value: ""`, `users[0].phoneNumbers[0].value: is required`},
		{"empty address", "{locality: Berlin, country: DE, type: work}", "{type: work}", `users[0].addresses[0]: an address needs at least one`},
		{"external id", `id: "00u1"`, `id: ""`, `users[0].externalIds[0].id: is required`},
		{"duplicate external id", "    externalIds:\n      - {issuer: https://okta.example.com, id: \"00u1\"}\n",
			"    externalIds:\n      - {issuer: https://okta.example.com, id: \"00u1\"}\n      - {issuer: https://okta.example.com, id: \"00u1\"}\n",
			`users[0].externalIds[1]: duplicate external id`},
		{"unknown user attribute", "    nickName: Al\n", "    nickName: Al\n    shoeSize: 42\n", `unknown field "shoeSize"`},
		{"photo", "    nickName: Al\n", "    nickName: Al\n    photos: [{type: photo}]\n", `users[0].photos[0].value: is required`},
		{"extension name", "    nickName: Al\n", "    nickName: Al\n    extensions: {enterprise: {employeeNumber: \"1\"}}\n", `users[0].extensions: "enterprise" is not an extension name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(more, tt.old) {
				t.Fatalf("fixture lacks %q", tt.old)
			}
			_, err := world.Parse("m.yaml", []byte(strings.Replace(more, tt.old, tt.new, 1)), env(vars))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error\n%v\nlacks %q", err, tt.want)
			}
		})
	}
}

// testMetadata is SAML IdP metadata with a fresh self-signed certificate.
func testMetadata(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "idp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/"><IDPSSODescriptor>` +
		`<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>` +
		base64.StdEncoding.EncodeToString(der) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor></IDPSSODescriptor></EntityDescriptor>`
}

func TestParseDelegations(t *testing.T) {
	const src = `organization:
  accounts:
    - {id: "111111111111", name: prod, email: prod@example.com}
  trustedServices: [sso.amazonaws.com]
  delegatedAdministrators:
    - account: "111111111111"
      services: [sso.amazonaws.com]
`
	w, err := world.Parse("d.yaml", []byte(src), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if d := w.Organization.DelegatedAdmins; len(d) != 1 || d[0].Services[0] != "sso.amazonaws.com" {
		t.Fatalf("delegated administrators = %+v", d)
	}
	for _, tt := range []struct{ name, old, new, want string }{
		{"service principal", "trustedServices: [sso.amazonaws.com]", "trustedServices: [sso amazonaws]", `d.yaml:4: organization.trustedServices[0]: "sso amazonaws" is not a service principal`},
		{"account", `- account: "111111111111"`, `- account: prod`, `d.yaml:6: organization.delegatedAdministrators[0].account: "prod" is not a 12-digit account id`},
		{"no services", "      services: [sso.amazonaws.com]\n", "", `organization.delegatedAdministrators[0].services: is required`},
		{"service twice", "services: [sso.amazonaws.com]", "services: [sso.amazonaws.com, sso.amazonaws.com]", `organization.delegatedAdministrators[0].services[1]: sso.amazonaws.com is listed twice`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(src, tt.old) {
				t.Fatalf("fixture lacks %q", tt.old)
			}
			_, err := world.Parse("d.yaml", []byte(strings.Replace(src, tt.old, tt.new, 1)), env(nil))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error\n%v\nlacks %q", err, tt.want)
			}
		})
	}
}

func TestParseApplications(t *testing.T) {
	const src = `users:
  - {userName: alice, givenName: Alice, familyName: Doe}
groups:
  - {displayName: devs, members: [alice]}
trustedTokenIssuers:
  - name: corp-jwt
    issuerUrl: https://issuer.example.com
    claimAttributePath: email
    identityStoreAttributePath: emails.value
applications:
  - name: wiki
    users: [alice]
    groups: [devs]
    grants:
      - type: authorization_code
        redirectUris: [https://wiki.example.com/callback]
      - type: urn:ietf:params:oauth:grant-type:jwt-bearer
        tokenIssuers: [{name: corp-jwt}]
    iamActorPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sso-oauth:CreateTokenWithIAM","Resource":"*"}]}'
`
	w, err := world.Parse("a.yaml", []byte(src), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if a := w.Applications[0]; a.Provider != "arn:aws:sso::aws:applicationProvider/custom" || a.ActorPolicy == "" {
		t.Fatalf("application = %+v", a)
	}
	for _, tt := range []struct{ name, old, new, want string }{
		{"issuer URL", "issuerUrl: https://issuer", "issuerUrl: http://issuer", `a.yaml:7: trustedTokenIssuers[0].issuerUrl: "http://issuer.example.com" is not an https URL`},
		{"claim", "    claimAttributePath: email\n", "", `trustedTokenIssuers[0].claimAttributePath: is required`},
		{"unknown user", "users: [alice]", "users: [carol]", `a.yaml:12: applications[0].users[0]: unknown user "carol"`},
		{"unknown group", "groups: [devs]", "groups: [ops]", `applications[0].groups[0]: unknown group "ops"`},
		{"grant type", "type: authorization_code", "type: implicit", `a.yaml:15: applications[0].grants[0].type: "implicit"`},
		{"unknown issuer", "{name: corp-jwt}", "{name: other}", `applications[0].grants[1].tokenIssuers[0].name: unknown trusted token issuer "other"`},
		{"provider", "  - name: wiki\n", "  - name: wiki\n    provider: arn:aws:sso::aws:applicationProvider/nope\n", `applications[0].provider: "arn:aws:sso::aws:applicationProvider/nope" is no application provider`},
		{"actor policy", `"Principal":{"AWS":"arn:aws:iam::123456789012:root"},`, "", `applications[0].iamActorPolicy: malformed policy`},
		{"sign-in", "  - name: wiki\n", "  - name: wiki\n    signInOrigin: APPLICATION\n", `applications[0].applicationUrl: is required when signInOrigin is APPLICATION`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(src, tt.old) {
				t.Fatalf("fixture lacks %q", tt.old)
			}
			_, err := world.Parse("a.yaml", []byte(strings.Replace(src, tt.old, tt.new, 1)), env(nil))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error\n%v\nlacks %q", err, tt.want)
			}
		})
	}
}

func TestParseIdentitySource(t *testing.T) {
	const src = `identitySource:
  type: EXTERNAL_SAML
  metadata: ${METADATA}
  spBaseUrl: https://idc.example.com
`
	vars := map[string]string{"METADATA": testMetadata(t)}
	if _, err := world.Parse("s.yaml", []byte(src), env(vars)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, old, new, want string }{
		{"type", "type: EXTERNAL_SAML", "type: OKTA", `s.yaml:2: identitySource.type: "OKTA": want IDENTITY_STORE or EXTERNAL_SAML`},
		{"no metadata", "  metadata: ${METADATA}\n", "", `identitySource.metadata: is required for type EXTERNAL_SAML`},
		{"SP URL", "spBaseUrl: https://idc.example.com", "spBaseUrl: https://idc.example.com/sso", `s.yaml:4: identitySource.spBaseUrl: "https://idc.example.com/sso": want scheme://host[:port]`},
		{"identity store with metadata", "type: EXTERNAL_SAML", "type: IDENTITY_STORE", `identitySource: metadata, spBaseUrl, allowIdpInitiated and userNameAttribute are for type EXTERNAL_SAML`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(src, tt.old) {
				t.Fatalf("fixture lacks %q", tt.old)
			}
			_, err := world.Parse("s.yaml", []byte(strings.Replace(src, tt.old, tt.new, 1)), env(vars))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error\n%v\nlacks %q", err, tt.want)
			}
		})
	}
}
