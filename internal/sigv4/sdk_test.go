package sigv4_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/idcenter/idcenter/internal/sigv4"
)

var (
	sdkCreds = aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	sdkNow   = time.Date(2026, 11, 25, 0, 30, 0, 0, time.UTC)
)

func payloadHash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// verifyServer answers 204 when the request verifies, else 401 with the error.
func verifyServer(t *testing.T, secret string, now time.Time) *httptest.Server {
	t.Helper()
	v := &sigv4.Verifier{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		a, err := sigv4.Parse(r)
		if err == nil {
			err = v.Verify(r, body, a, secret, now)
		}
		if err != nil {
			canonical, sts := sigv4.StringToSign(r, body, a)
			t.Logf("canonical request:\n%s\nstring to sign:\n%s", canonical, sts)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestSDKSignedRequestsVerify(t *testing.T) {
	t.Setenv("AWS_CA_BUNDLE", "")
	srv := verifyServer(t, sdkCreds.SecretAccessKey, sdkNow.Add(3*time.Minute))
	tests := []struct {
		name, method, path, query, service string
		body                               string
		headers                            map[string]string
		token                              string
	}{
		{name: "awsJson", method: "POST", path: "/", service: "sso",
			body:    `{"InstanceArn":"arn:aws:sso:::instance/ssoins-1"}`,
			headers: map[string]string{"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "SWBExternalService.ListInstances"}},
		{name: "awsQuery form", method: "POST", path: "/", service: "iam",
			body:    "Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fdivision_abc%2F",
			headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}},
		{name: "session token", method: "POST", path: "/", service: "sts", token: "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH+/=",
			body:    "Action=GetCallerIdentity&Version=2011-06-15",
			headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}},
		{name: "restJson path and query", method: "GET", path: "/assignment/roles", query: "account_id=123456789012&max_result=10&next_token=a%2Fb%2Bc%3D",
			service: "awsssoportal", headers: map[string]string{"X-Amz-Sso_bearer_token": "tok"}},
		{name: "encoded path", method: "DELETE", path: "/scim/v2/Users/a%20b:c", service: "scim"},
		{name: "space in query", method: "GET", path: "/", query: "Action=ListUsers&Marker=a%20b&Version=2010-05-08", service: "iam"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := srv.URL + tc.path
			if tc.query != "" {
				u += "?" + tc.query
			}
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			req, err := http.NewRequest(tc.method, u, body)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			creds := sdkCreds
			creds.SessionToken = tc.token
			if tc.token != "" {
				req.Header.Set("X-Amz-Security-Token", tc.token)
			}
			signer := v4.NewSigner()
			if err := signer.SignHTTP(context.Background(), creds, req, payloadHash([]byte(tc.body)), tc.service, "eu-west-3", sdkNow); err != nil {
				t.Fatal(err)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			msg, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusNoContent {
				t.Fatalf("status %d: %s", resp.StatusCode, msg)
			}
		})
	}
}

func TestSDKSignedRequestTamperedRejected(t *testing.T) {
	t.Setenv("AWS_CA_BUNDLE", "")
	srv := verifyServer(t, sdkCreds.SecretAccessKey, sdkNow)
	body := `{"a":1}`
	req, _ := http.NewRequest("POST", srv.URL+"/", strings.NewReader(`{"a":2}`))
	req.Header.Set("X-Amz-Target", "AWSIdentityStore.ListUsers")
	if err := v4.NewSigner().SignHTTP(context.Background(), sdkCreds, req, payloadHash([]byte(body)), "identitystore", "us-east-1", sdkNow); err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401", resp.StatusCode)
	}
}

// TestSignMatchesSDK: our Sign produces the Authorization the SDK produces.
func TestSignMatchesSDK(t *testing.T) {
	body := []byte("Action=GetUser&Version=2010-05-08")
	mk := func() *http.Request {
		r, _ := http.NewRequest("POST", "https://iam.amazonaws.com/", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		r.Header.Set("X-Amz-Security-Token", "tok")
		return r
	}
	ours, theirs := mk(), mk()
	if err := sigv4.Sign(ours, body, sigv4.Credentials{AccessKeyID: sdkCreds.AccessKeyID, SecretAccessKey: sdkCreds.SecretAccessKey, SessionToken: "tok"}, "us-east-1", "iam", sdkNow); err != nil {
		t.Fatal(err)
	}
	c := sdkCreds
	c.SessionToken = "tok"
	if err := v4.NewSigner().SignHTTP(context.Background(), c, theirs, payloadHash(body), "iam", "us-east-1", sdkNow); err != nil {
		t.Fatal(err)
	}
	if ours.Header.Get("Authorization") != theirs.Header.Get("Authorization") {
		t.Fatalf("Authorization\n ours %s\nsdk  %s", ours.Header.Get("Authorization"), theirs.Header.Get("Authorization"))
	}
}

func TestSDKPresignedVerify(t *testing.T) {
	t.Setenv("AWS_CA_BUNDLE", "")
	srv := verifyServer(t, sdkCreds.SecretAccessKey, sdkNow.Add(time.Minute))
	req, _ := http.NewRequest("GET", srv.URL+"/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires=900", nil)
	c := sdkCreds
	c.SessionToken = "session/token+"
	u, _, err := v4.NewSigner().PresignHTTP(context.Background(), c, req, payloadHash(nil), "sts", "us-east-1", sdkNow)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Get(u)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status %d: %s", resp.StatusCode, msg)
	}

	// Our own Presign verifies the same way.
	base, _ := http.NewRequest("GET", srv.URL+"/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	u2, err := sigv4.Presign(base, sigv4.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}, "us-east-1", "sts", sdkNow, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	resp, err = srv.Client().Get(u2)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("own presign: status %d: %s", resp.StatusCode, msg)
	}
}
