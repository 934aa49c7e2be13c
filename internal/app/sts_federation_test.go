package app_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
	coreiam "github.com/idcenter/idcenter/internal/core/iam"
)

// startServerOpts starts a server with injected options (clock, HTTP client).
func startServerOpts(t *testing.T, opt app.Options) *testServer {
	t.Helper()
	cfg := config.FromEnv(func(string) string { return "" })
	cfg.DataDir = t.TempDir()
	cfg.RootAccessKeyID, cfg.RootSecretAccessKey = testKeyID, testSecret
	s, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), opt)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler)
	s.SetBaseURL(hs.URL)
	ts := &testServer{Server: s, URL: hs.URL, httpSrv: hs}
	t.Cleanup(ts.stop)
	return ts
}

func samlTrust(provider, cond string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provider + `"},"Action":"sts:AssumeRoleWithSAML",
	  "Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"` + cond + `}}}]}`
}

func TestAssumeRoleWithSAMLSDK(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	acct := ts.World.Organization.ManagementAccountID
	root := iam.NewFromConfig(ts.rootConfig(t))
	idp := newTestIdP(t, "https://idp.example.com/metadata")
	p, err := root.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("Corp"), SAMLMetadataDocument: aws.String(idp.Metadata())})
	if err != nil {
		t.Fatal(err)
	}
	provider := aws.ToString(p.SAMLProviderArn)
	roleARN := createRole(t, ts, "SAMLReaders", samlTrust(provider, ""), listUsersAndGroups, 0)
	strictARN := createRole(t, ts, "SAMLStrict", samlTrust(provider, `,"saml:sub":"bob","saml:edupersonprincipalname":"bob@example.com"`), listUsersAndGroups, 0)
	otherARN := createRole(t, ts, "NotInAssertion", samlTrust(provider, ""), listUsersAndGroups, 0)
	anon := sts.NewFromConfig(ts.awsConfig(t, "", ""))

	now := time.Now()
	good := samlClaims{Subject: "alice", NotBefore: now.Add(-time.Minute), NotOnOrAfter: now.Add(5 * time.Minute),
		Roles: []string{roleARN + "," + provider, provider + "," + strictARN}, SessionName: "alice@example.com"}
	assume := func(role, assertion string) (*sts.AssumeRoleWithSAMLOutput, error) {
		return anon.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{RoleArn: aws.String(role), PrincipalArn: aws.String(provider),
			SAMLAssertion: aws.String(assertion)})
	}

	out, err := assume(roleARN, idp.Response(t, good))
	if err != nil {
		t.Fatalf("AssumeRoleWithSAML: %v", err)
	}
	wantARN := "arn:aws:sts::" + acct + ":assumed-role/SAMLReaders/alice@example.com"
	if aws.ToString(out.AssumedRoleUser.Arn) != wantARN || aws.ToString(out.Subject) != "alice" || aws.ToString(out.SubjectType) != "persistent" ||
		aws.ToString(out.Issuer) != idp.EntityID || aws.ToString(out.Audience) != "https://signin.aws.amazon.com/saml" || aws.ToString(out.NameQualifier) == "" ||
		!strings.HasPrefix(aws.ToString(out.Credentials.AccessKeyId), "ASIA") {
		t.Fatalf("AssumeRoleWithSAML = %+v %+v", out, out.AssumedRoleUser)
	}
	id, err := sts.NewFromConfig(sessionConfig(t, ts, out.Credentials)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Arn) != wantARN {
		t.Fatalf("GetCallerIdentity = %+v, %v", id, err)
	}
	// The session has the role's permissions.
	if _, err := identitystore.NewFromConfig(sessionConfig(t, ts, out.Credentials)).ListUsers(ctx,
		&identitystore.ListUsersInput{IdentityStoreId: aws.String(ts.World.Instance.IdentityStoreID)}); err != nil {
		t.Fatalf("ListUsers with the SAML session: %v", err)
	}

	other := newTestIdP(t, "https://idp.example.com/metadata")
	withClaims := func(f func(*samlClaims)) string {
		c := good
		f(&c)
		return idp.Response(t, c)
	}
	refused := []struct {
		name, role, assertion, code string
	}{
		{"tampered after signing", roleARN, tamper(t, idp.Response(t, good), ">alice<", ">mallory<"), "InvalidIdentityToken"},
		{"signed by another key", roleARN, withClaims(func(c *samlClaims) { c.SignedBy = other }), "InvalidIdentityToken"},
		{"unsigned", roleARN, withClaims(func(c *samlClaims) { c.Unsigned = true }), "InvalidIdentityToken"},
		{"wrong audience", roleARN, withClaims(func(c *samlClaims) { c.Audience = "https://app.example.com/saml" }), "InvalidIdentityToken"},
		{"wrong recipient", roleARN, withClaims(func(c *samlClaims) { c.Recipient = "https://app.example.com/acs" }), "InvalidIdentityToken"},
		{"other issuer", roleARN, withClaims(func(c *samlClaims) { c.Issuer = "https://evil.example.com" }), "InvalidIdentityToken"},
		{"expired", roleARN, withClaims(func(c *samlClaims) {
			c.NotBefore, c.NotOnOrAfter = now.Add(-2*time.Hour), now.Add(-time.Hour)
		}), "ExpiredTokenException"},
		{"not yet valid", roleARN, withClaims(func(c *samlClaims) { c.NotBefore = now.Add(time.Hour) }), "InvalidIdentityToken"},
		{"issued over 5 minutes ago", roleARN, withClaims(func(c *samlClaims) {
			c.NotBefore, c.NotOnOrAfter = now.Add(-20*time.Minute), now.Add(time.Hour)
		}), "ExpiredTokenException"},
		{"no session name", roleARN, withClaims(func(c *samlClaims) { c.SessionName = "" }), "InvalidIdentityToken"},
		{"role not in the assertion", otherARN, idp.Response(t, good), "AccessDenied"},
		{"trust policy condition on saml:sub", strictARN, idp.Response(t, good), "AccessDenied"},
		{"not base64", roleARN, "%%%%%%%%", "InvalidIdentityToken"},
		{"unknown role", "arn:aws:iam::" + acct + ":role/Nope", idp.Response(t, good), "AccessDenied"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			_, err := assume(tt.role, tt.assertion)
			stsWantCode(t, err, tt.code)
		})
	}
	// A signature on the whole Response instead of the Assertion.
	signedResp := withClaims(func(c *samlClaims) { c.SignResponse = true })
	if _, err := assume(roleARN, signedResp); err != nil {
		t.Fatalf("AssumeRoleWithSAML with a signed Response: %v", err)
	}
	_, err = assume(roleARN, tamper(t, signedResp, ">alice<", ">mallory<"))
	stsWantCode(t, err, "InvalidIdentityToken")
	// Session tags from PrincipalTag attributes need sts:TagSession in the
	// trust policy, and then reach the session's aws:PrincipalTag keys.
	tagged := withClaims(func(c *samlClaims) { c.Tags = map[string]string{"team": "blue"} })
	_, err = assume(roleARN, tagged)
	stsWantCode(t, err, "AccessDenied")
	tagTrust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provider + `"},"Action":["sts:AssumeRoleWithSAML","sts:TagSession"]}]}`
	byTag := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"identitystore:ListUsers","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}]}`
	taggedARN := createRole(t, ts, "SAMLTagged", tagTrust, byTag, 0)
	tagOut, err := assume(taggedARN, withClaims(func(c *samlClaims) {
		c.Tags = map[string]string{"team": "blue"}
		c.Roles = []string{taggedARN + "," + provider}
	}))
	if err != nil {
		t.Fatalf("AssumeRoleWithSAML with session tags: %v", err)
	}
	if _, err := identitystore.NewFromConfig(sessionConfig(t, ts, tagOut.Credentials)).ListUsers(ctx,
		&identitystore.ListUsersInput{IdentityStoreId: aws.String(ts.World.Instance.IdentityStoreID)}); err != nil {
		t.Fatalf("ListUsers allowed by aws:PrincipalTag/team: %v", err)
	}
	// Encrypted assertions: decrypted with the provider's private key; once
	// the provider requires encryption, plain assertions are refused.
	spKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	spTmpl := &x509.Certificate{SerialNumber: big.NewInt(9), Subject: pkix.Name{CommonName: "aws-sp"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)}
	spDER, err := x509.CreateCertificate(rand.Reader, spTmpl, spTmpl, &spKey.PublicKey, spKey)
	if err != nil {
		t.Fatal(err)
	}
	spCert, err := x509.ParseCertificate(spDER)
	if err != nil {
		t.Fatal(err)
	}
	encrypted := withClaims(func(c *samlClaims) { c.EncryptTo = spCert })
	_, err = assume(roleARN, encrypted)
	stsWantCode(t, err, "InvalidIdentityToken") // no private key yet
	if _, err := root.UpdateSAMLProvider(ctx, &iam.UpdateSAMLProviderInput{SAMLProviderArn: aws.String(provider),
		AddPrivateKey:           aws.String(string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(spKey)}))),
		AssertionEncryptionMode: iamtypes.AssertionEncryptionModeTypeRequired}); err != nil {
		t.Fatal(err)
	}
	if _, err := assume(roleARN, encrypted); err != nil {
		t.Fatalf("AssumeRoleWithSAML with an encrypted assertion: %v", err)
	}
	_, err = assume(roleARN, idp.Response(t, good))
	stsWantCode(t, err, "InvalidIdentityToken") // plain, while encryption is required
	if _, err := assume(roleARN, withClaims(func(c *samlClaims) { c.EncryptTo = spCert; c.SignedBy = other })); err == nil {
		t.Fatal("an encrypted assertion with a forged signature was accepted")
	}
	if _, err := root.UpdateSAMLProvider(ctx, &iam.UpdateSAMLProviderInput{SAMLProviderArn: aws.String(provider),
		AssertionEncryptionMode: iamtypes.AssertionEncryptionModeTypeAllowed}); err != nil {
		t.Fatal(err)
	}
	// The trust policy's saml:sub condition met.
	_, err = assume(strictARN, withClaims(func(c *samlClaims) { c.Subject = "bob" }))
	stsWantCode(t, err, "AccessDenied") // without eduPersonPrincipalName
	if _, err := assume(strictARN, withClaims(func(c *samlClaims) {
		c.Subject = "bob"
		c.Attrs = map[string]string{"urn:oid:1.3.6.1.4.1.5923.1.1.1.6": "bob@example.com"}
	})); err != nil {
		t.Fatalf("AssumeRoleWithSAML with saml:sub bob: %v", err)
	}
	_, err = anon.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{RoleArn: aws.String(roleARN),
		PrincipalArn: aws.String("arn:aws:iam::" + acct + ":saml-provider/Nope"), SAMLAssertion: aws.String(idp.Response(t, good))})
	stsWantCode(t, err, "InvalidIdentityToken")
}

// testOIDC is an OpenID Connect provider for tests: a TLS server at
// https://example.com (reached through the client it gives) that serves its
// discovery document and keys.
type testOIDC struct {
	Issuer string
	Client *http.Client
	// Untrusting reaches the server the same way but trusts only the
	// system's roots, which do not include the server's certificate.
	Untrusting *http.Client
	// Thumbprint is the SHA-1 of the server's certificate, hex.
	Thumbprint string
	rsaKey     *rsa.PrivateKey
	ecKey      *ecdsa.PrivateKey
}

func newTestOIDC(t *testing.T) *testOIDC {
	t.Helper()
	o := &testOIDC{Issuer: "https://example.com"}
	var err error
	if o.rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	if o.ecKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": o.Issuer, "jwks_uri": o.Issuer + "/keys"})
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
			{Key: &o.rsaKey.PublicKey, KeyID: "rsa1", Algorithm: "RS256", Use: "sig"},
			{Key: &o.ecKey.PublicKey, KeyID: "ec1", Algorithm: "ES256", Use: "sig"},
		}})
	})
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	o.Client = srv.Client()
	tr := o.Client.Transport.(*http.Transport)
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}
	o.Untrusting = &http.Client{Transport: &http.Transport{DialContext: tr.DialContext}}
	sum := sha1.Sum(srv.Certificate().Raw)
	o.Thumbprint = hex.EncodeToString(sum[:])
	return o
}

type jwtClaims struct {
	Issuer, Subject string
	Audience        []string
	Expiry          time.Time
	Alg             jose.SignatureAlgorithm // RS256 (default) or ES256
	ForgedKey       bool                    // sign with a key the provider does not publish, under its key id
}

func (o *testOIDC) Token(t *testing.T, c jwtClaims) string {
	t.Helper()
	if c.Issuer == "" {
		c.Issuer = o.Issuer
	}
	var key any = o.rsaKey
	kid := "rsa1"
	if c.Alg == "" {
		c.Alg = jose.RS256
	}
	if c.Alg == jose.ES256 {
		key, kid = o.ecKey, "ec1"
	}
	if c.ForgedKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		key = k
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: c.Alg, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(signer).Claims(jwt.Claims{Issuer: c.Issuer, Subject: c.Subject, Audience: c.Audience,
		Expiry: jwt.NewNumericDate(c.Expiry), IssuedAt: jwt.NewNumericDate(time.Now().Add(-time.Minute))}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestAssumeRoleWithWebIdentitySDK(t *testing.T) {
	ctx := context.Background()
	idp := newTestOIDC(t)
	ts := startServerOpts(t, app.Options{HTTPClient: idp.Client})
	acct := ts.World.Organization.ManagementAccountID
	root := iam.NewFromConfig(ts.rootConfig(t))
	p, err := root.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String(idp.Issuer), ClientIDList: []string{"my-client"}})
	if err != nil {
		t.Fatal(err)
	}
	provider := aws.ToString(p.OpenIDConnectProviderArn)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provider + `"},
	  "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"example.com:aud":"my-client"},"StringLike":{"example.com:sub":"repo:ok:*"}}}]}`
	roleARN := createRole(t, ts, "CI", trust, listUsersAndGroups, 0)
	anon := sts.NewFromConfig(ts.awsConfig(t, "", ""))
	assume := func(token string) (*sts.AssumeRoleWithWebIdentityOutput, error) {
		return anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN),
			RoleSessionName: aws.String("build-7"), WebIdentityToken: aws.String(token)})
	}
	good := jwtClaims{Subject: "repo:ok:ref:main", Audience: []string{"my-client"}, Expiry: time.Now().Add(10 * time.Minute)}

	for _, alg := range []jose.SignatureAlgorithm{jose.RS256, jose.ES256} {
		c := good
		c.Alg = alg
		out, err := assume(idp.Token(t, c))
		if err != nil {
			t.Fatalf("AssumeRoleWithWebIdentity %s: %v", alg, err)
		}
		wantARN := "arn:aws:sts::" + acct + ":assumed-role/CI/build-7"
		if aws.ToString(out.AssumedRoleUser.Arn) != wantARN || aws.ToString(out.SubjectFromWebIdentityToken) != "repo:ok:ref:main" ||
			aws.ToString(out.Audience) != "my-client" || aws.ToString(out.Provider) != idp.Issuer {
			t.Fatalf("AssumeRoleWithWebIdentity = %+v %+v", out, out.AssumedRoleUser)
		}
		id, err := sts.NewFromConfig(sessionConfig(t, ts, out.Credentials)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil || aws.ToString(id.Arn) != wantARN {
			t.Fatalf("GetCallerIdentity = %+v, %v", id, err)
		}
	}

	with := func(f func(*jwtClaims)) string {
		c := good
		f(&c)
		return idp.Token(t, c)
	}
	refused := []struct {
		name, token, code string
	}{
		{"bad signature", with(func(c *jwtClaims) { c.ForgedKey = true }), "InvalidIdentityToken"},
		{"wrong audience", with(func(c *jwtClaims) { c.Audience = []string{"other-client"} }), "InvalidIdentityToken"},
		{"expired", with(func(c *jwtClaims) { c.Expiry = time.Now().Add(-time.Minute) }), "ExpiredTokenException"},
		{"unknown provider", with(func(c *jwtClaims) { c.Issuer = "https://unknown.example.org" }), "InvalidIdentityToken"},
		{"subject the trust policy refuses", with(func(c *jwtClaims) { c.Subject = "repo:other:ref:main" }), "AccessDenied"},
		{"not a JWT", "not-a-jwt", "InvalidIdentityToken"},
		{"tampered payload", func() string {
			parts := strings.Split(idp.Token(t, good), ".")
			parts[1] = strings.TrimRight(parts[1], "=") + "x"
			return strings.Join(parts, ".")
		}(), "InvalidIdentityToken"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			_, err := assume(tt.token)
			stsWantCode(t, err, tt.code)
		})
	}

	// The provider's keys cannot be fetched: IDPCommunicationError.
	down := startServerOpts(t, app.Options{HTTPClient: &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		return nil, io.ErrUnexpectedEOF
	})}})
	if _, err := iam.NewFromConfig(down.rootConfig(t)).CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String(idp.Issuer),
		ClientIDList: []string{"my-client"}}); err != nil {
		t.Fatal(err)
	}
	createRole(t, down, "CI", trust, listUsersAndGroups, 0)
	_, err = sts.NewFromConfig(down.awsConfig(t, "", "")).AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String(strings.Replace(roleARN, acct, down.World.Organization.ManagementAccountID, 1)), RoleSessionName: aws.String("xx"),
		WebIdentityToken: aws.String(idp.Token(t, good))})
	stsWantCode(t, err, "IDPCommunicationError")
}

// TestWebIdentityThumbprintsSDK: an OIDC provider whose certificate no
// trusted CA signed is reached only when its IAM provider pins the
// certificate's thumbprint.
func TestWebIdentityThumbprintsSDK(t *testing.T) {
	ctx := context.Background()
	idp := newTestOIDC(t)
	ts := startServerOpts(t, app.Options{HTTPClient: idp.Untrusting})
	root := iam.NewFromConfig(ts.rootConfig(t))
	p, err := root.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String(idp.Issuer), ClientIDList: []string{"my-client"},
		ThumbprintList: []string{strings.Repeat("0", 40)}})
	if err != nil {
		t.Fatal(err)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + aws.ToString(p.OpenIDConnectProviderArn) + `"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`
	roleARN := createRole(t, ts, "Pinned", trust, "", 0)
	anon := sts.NewFromConfig(ts.awsConfig(t, "", ""))
	token := idp.Token(t, jwtClaims{Subject: "s", Audience: []string{"my-client"}, Expiry: time.Now().Add(5 * time.Minute)})
	assume := func() error {
		_, err := anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN),
			RoleSessionName: aws.String("pinned"), WebIdentityToken: aws.String(token)})
		return err
	}
	stsWantCode(t, assume(), "IDPCommunicationError") // untrusted and another thumbprint
	if _, err := root.UpdateOpenIDConnectProviderThumbprint(ctx, &iam.UpdateOpenIDConnectProviderThumbprintInput{
		OpenIDConnectProviderArn: p.OpenIDConnectProviderArn, ThumbprintList: []string{strings.ToUpper(idp.Thumbprint)}}); err != nil {
		t.Fatal(err)
	}
	if err := assume(); err != nil {
		t.Fatalf("with the certificate's thumbprint: %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestMFAOnAssumeRoleAndGetSessionTokenSDK(t *testing.T) {
	ctx := context.Background()
	clk := &clock{}
	ts := startServerOpts(t, app.Options{Now: clk.Now})
	acct := ts.World.Organization.ManagementAccountID
	root := iam.NewFromConfig(ts.rootConfig(t))
	for _, u := range []string{"ops", "other"} {
		if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(u)}); err != nil {
			t.Fatal(err)
		}
	}
	// ops may assume roles and list IAM users, the latter only with MFA.
	userPolicy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"},
	  {"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},"NumericLessThan":{"aws:MultiFactorAuthAge":"600"}}}]}`
	if _, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("ops"), PolicyName: aws.String("p"), PolicyDocument: aws.String(userPolicy)}); err != nil {
		t.Fatal(err)
	}
	k, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ops")})
	if err != nil {
		t.Fatal(err)
	}
	opsCfg := ts.awsConfig(t, aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey))
	dev, err := root.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("ops")})
	if err != nil {
		t.Fatal(err)
	}
	serial, seed := aws.ToString(dev.VirtualMFADevice.SerialNumber), string(dev.VirtualMFADevice.Base32StringSeed)
	code := func(at time.Duration) string {
		c, err := coreiam.MFACode(seed, time.Now().Add(at))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if _, err := root.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("ops"), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(code(-30 * time.Second)), AuthenticationCode2: aws.String(code(0))}); err != nil {
		t.Fatal(err)
	}
	otherDev, err := root.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("other")})
	if err != nil {
		t.Fatal(err)
	}

	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:user/ops"},
	  "Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`
	roleARN := createRole(t, ts, "Breakglass", trust, listUsersAndGroups, 0)
	opsSTS := sts.NewFromConfig(opsCfg)
	assume := func(serial, code string) (*sts.AssumeRoleOutput, error) {
		in := &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("ops")}
		if serial != "" {
			in.SerialNumber, in.TokenCode = aws.String(serial), aws.String(code)
		}
		return opsSTS.AssumeRole(ctx, in)
	}

	// Without MFA the trust policy's condition fails.
	_, err = assume("", "")
	stsWantCode(t, err, "AccessDenied")
	// The codes of the enabling are used up: a new time step is needed.
	clk.offset.Store(int64(60 * time.Second))
	_, err = assume(serial, "000000")
	stsWantCode(t, err, "AccessDenied")
	_, err = assume(aws.ToString(otherDev.VirtualMFADevice.SerialNumber), code(60*time.Second))
	stsWantCode(t, err, "AccessDenied")
	c := code(60 * time.Second)
	out, err := assume(serial, c)
	if err != nil {
		t.Fatalf("AssumeRole with MFA: %v", err)
	}
	if _, err := identitystore.NewFromConfig(sessionConfig(t, ts, out.Credentials)).ListUsers(ctx,
		&identitystore.ListUsersInput{IdentityStoreId: aws.String(ts.World.Instance.IdentityStoreID)}); err != nil {
		t.Fatalf("the MFA role session: %v", err)
	}
	// A code is good once.
	_, err = assume(serial, c)
	stsWantCode(t, err, "AccessDenied")

	// GetSessionToken with MFA: the session has aws:MultiFactorAuthPresent
	// (and a fresh MultiFactorAuthAge); the long-term key has not.
	_, err = iam.NewFromConfig(opsCfg).ListUsers(ctx, &iam.ListUsersInput{})
	stsWantCode(t, err, "AccessDenied")
	_, err = opsSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(c)})
	stsWantCode(t, err, "AccessDenied")
	clk.offset.Store(int64(90 * time.Second))
	st, err := opsSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(code(90 * time.Second))})
	if err != nil {
		t.Fatalf("GetSessionToken with MFA: %v", err)
	}
	if _, err := iam.NewFromConfig(sessionConfig(t, ts, st.Credentials)).ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatalf("ListUsers with the MFA session: %v", err)
	}
	// Eleven minutes later the MFA is too old for the policy (age < 600 s).
	clk.offset.Store(int64(90*time.Second + 11*time.Minute))
	_, err = iam.NewFromConfig(sessionConfig(t, ts, st.Credentials)).ListUsers(ctx, &iam.ListUsersInput{})
	stsWantCode(t, err, "AccessDenied")
	clk.offset.Store(int64(90 * time.Second))
	// The session's MFA counts for the trust policy of a role it assumes.
	if _, err := sts.NewFromConfig(sessionConfig(t, ts, st.Credentials)).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN),
		RoleSessionName: aws.String("from-session")}); err != nil {
		t.Fatalf("AssumeRole from the MFA session: %v", err)
	}
	// A session token without MFA has neither key: the condition fails.
	plain, err := opsSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = iam.NewFromConfig(sessionConfig(t, ts, plain.Credentials)).ListUsers(ctx, &iam.ListUsersInput{})
	stsWantCode(t, err, "AccessDenied")
}
