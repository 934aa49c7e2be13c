package e2e

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// TestCLIAssumeRoleWithWebIdentity: an OIDC provider (a TLS server of the
// test, its self-signed certificate pinned by thumbprint) and a role trusting
// it made with the real CLI; `aws sts assume-role-with-web-identity` with a
// JWT the provider signed gives credentials whose get-caller-identity is the
// assumed role; a token for another audience is refused.
func TestCLIAssumeRoleWithWebIdentity(t *testing.T) {
	needCLI(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	var issuer string
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": issuer, "jwks_uri": issuer + "/keys"})
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	idp := httptest.NewTLSServer(mux)
	defer idp.Close()
	issuer = idp.URL // https://127.0.0.1:PORT
	sum := sha1.Sum(idp.Certificate().Raw)

	s := startServer(t)
	c := newCLI(t, s)
	provider := str(t, c.ok("iam", "create-open-id-connect-provider", "--url", issuer, "--client-id-list", "my-client",
		"--thumbprint-list", hex.EncodeToString(sum[:])), "OpenIDConnectProviderArn")
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provider + `"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`
	role := str(t, c.ok("iam", "create-role", "--role-name", "CI", "--assume-role-policy-document", trust), "Role", "Arn")

	token := func(aud string) string {
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "k1"}}, (&jose.SignerOptions{}).WithType("JWT"))
		if err != nil {
			t.Fatal(err)
		}
		tok, err := jwt.Signed(signer).Claims(jwt.Claims{Issuer: issuer, Subject: "repo:main", Audience: jwt.Audience{aud},
			Expiry: jwt.NewNumericDate(time.Now().Add(5 * time.Minute)), IssuedAt: jwt.NewNumericDate(time.Now())}).Serialize()
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	out := c.ok("sts", "assume-role-with-web-identity", "--role-arn", role, "--role-session-name", "build", "--web-identity-token", token("my-client"))
	account := strings.Split(role, ":")[4]
	want := "arn:aws:sts::" + account + ":assumed-role/CI/build"
	eq(t, "assumed role", str(t, out, "AssumedRoleUser", "Arn"), want)
	eq(t, "subject", str(t, out, "SubjectFromWebIdentityToken"), "repo:main")
	eq(t, "caller", str(t, sessionCLI(t, s, out).ok("sts", "get-caller-identity"), "Arn"), want)

	c.fail([]string{"InvalidIdentityToken"}, "sts", "assume-role-with-web-identity", "--role-arn", role, "--role-session-name", "build",
		"--web-identity-token", token("other-client"))
}
