package app_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

func TestGetWebIdentityTokenSDK(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	acct := ts.World.Organization.ManagementAccountID
	rootSTS := sts.NewFromConfig(ts.rootConfig(t))
	get := func(c *sts.Client, in *sts.GetWebIdentityTokenInput) (*sts.GetWebIdentityTokenOutput, error) {
		if in.SigningAlgorithm == nil {
			in.SigningAlgorithm = aws.String("RS256")
		}
		return c.GetWebIdentityToken(ctx, in)
	}
	_, err := get(rootSTS, &sts.GetWebIdentityTokenInput{Audience: []string{"https://api.example.com"}})
	stsWantCode(t, err, "OutboundWebIdentityFederationDisabledException")

	fed, err := iam.NewFromConfig(ts.rootConfig(t)).EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{})
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now().Add(-time.Second)
	out, err := get(rootSTS, &sts.GetWebIdentityTokenInput{Audience: []string{"https://api.example.com"}, DurationSeconds: aws.Int32(120),
		Tags: []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}})
	if err != nil {
		t.Fatalf("GetWebIdentityToken: %v", err)
	}
	parts := strings.Split(aws.ToString(out.WebIdentityToken), ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWS: %q", aws.ToString(out.WebIdentityToken))
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims struct {
		Iss, Sub string
		Aud      any
		Exp, Iat int64
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	if claims.Iss != aws.ToString(fed.IssuerIdentifier) || claims.Sub != "arn:aws:iam::"+acct+":root" || claims.Exp-claims.Iat != 120 ||
		out.Expiration == nil || out.Expiration.Before(before.Add(119*time.Second)) {
		t.Fatalf("claims %s, expiration %v", payload, out.Expiration)
	}

	// The token verifies with the key set the issuer publishes.
	verifyWithJWKS(t, ts, aws.ToString(out.WebIdentityToken))
	es, err := get(rootSTS, &sts.GetWebIdentityTokenInput{Audience: []string{"x"}, SigningAlgorithm: aws.String("ES384")})
	if err != nil {
		t.Fatal(err)
	}
	verifyWithJWKS(t, ts, aws.ToString(es.WebIdentityToken))

	refused := []struct {
		name string
		in   *sts.GetWebIdentityTokenInput
		code string
	}{
		{"unknown algorithm", &sts.GetWebIdentityTokenInput{Audience: []string{"a"}, SigningAlgorithm: aws.String("HS256")}, "ValidationError"},
		{"too long", &sts.GetWebIdentityTokenInput{Audience: []string{"a"}, DurationSeconds: aws.Int32(7200)}, "ValidationError"},
		{"no audience", &sts.GetWebIdentityTokenInput{Audience: []string{}}, "ValidationError"},
	}
	for _, tt := range refused {
		_, err := get(rootSTS, tt.in)
		stsWantCode(t, err, tt.code)
	}

	// An IAM user needs sts:GetWebIdentityToken; its condition keys apply.
	root := iam.NewFromConfig(ts.rootConfig(t))
	if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("svc")}); err != nil {
		t.Fatal(err)
	}
	pol := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetWebIdentityToken","Resource":"*",
	  "Condition":{"ForAllValues:StringEquals":{"sts:IdentityTokenAudience":"https://api.example.com"}}}]}`
	if _, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("svc"), PolicyName: aws.String("p"), PolicyDocument: aws.String(pol)}); err != nil {
		t.Fatal(err)
	}
	k, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("svc")})
	if err != nil {
		t.Fatal(err)
	}
	svc := sts.NewFromConfig(ts.awsConfig(t, aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey)))
	if _, err := get(svc, &sts.GetWebIdentityTokenInput{Audience: []string{"https://api.example.com"}}); err != nil {
		t.Fatalf("allowed audience: %v", err)
	}
	_, err = get(svc, &sts.GetWebIdentityTokenInput{Audience: []string{"https://other.example.com"}})
	stsWantCode(t, err, "AccessDenied")

	// A session cannot get a token that outlives it.
	st, err := svc.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	sess := sts.NewFromConfig(sessionConfig(t, ts, st.Credentials))
	_, err = get(sess, &sts.GetWebIdentityTokenInput{Audience: []string{"https://api.example.com"}, DurationSeconds: aws.Int32(3600)})
	stsWantCode(t, err, "SessionDurationEscalationException")
	if _, err := get(sess, &sts.GetWebIdentityTokenInput{Audience: []string{"https://api.example.com"}, DurationSeconds: aws.Int32(600)}); err != nil {
		t.Fatalf("within the session: %v", err)
	}
}

// verifyWithJWKS fetches the discovery document and the key set from the
// server, as an external service would from the issuer, and checks the token.
func verifyWithJWKS(t *testing.T, ts *testServer, token string) {
	t.Helper()
	getJSON := func(url string, v any) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s", url, resp.Status)
		}
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	var disc struct {
		JWKSURI string `json:"jwks_uri"`
	}
	getJSON(ts.URL+"/.well-known/openid-configuration", &disc)
	if !strings.HasSuffix(disc.JWKSURI, "/.well-known/jwks.json") {
		t.Fatalf("jwks_uri %q", disc.JWKSURI)
	}
	var keys jose.JSONWebKeySet
	getJSON(ts.URL+"/.well-known/jwks.json", &keys)
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256, jose.ES384})
	if err != nil {
		t.Fatal(err)
	}
	var c jwt.Claims
	if err := tok.Claims(keys, &c); err != nil {
		t.Fatalf("the token does not verify with the published keys: %v", err)
	}
	// A forged payload does not.
	parts := strings.Split(token, ".")
	forged, err := jwt.ParseSigned(parts[0]+"."+base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"arn:aws:iam::000000000000:root"}`))+"."+parts[2],
		[]jose.SignatureAlgorithm{jose.RS256, jose.ES384})
	if err == nil && forged.Claims(keys, &c) == nil {
		t.Fatal("a forged token verifies")
	}
}

func TestDecodeAuthorizationMessageSDK(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	rootSTS := sts.NewFromConfig(ts.rootConfig(t))
	for _, bad := range []string{"not-a-message", strings.Repeat("A", 200)} {
		_, err := rootSTS.DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(bad)})
		stsWantCode(t, err, "InvalidAuthorizationMessageException")
	}
	root := iam.NewFromConfig(ts.rootConfig(t))
	if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("reader")}); err != nil {
		t.Fatal(err)
	}
	k, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("reader")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = sts.NewFromConfig(ts.awsConfig(t, aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey))).
		DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String("not-a-message")})
	stsWantCode(t, err, "AccessDenied")
}
