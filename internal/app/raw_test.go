package app_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"

	"github.com/idcenter/idcenter/internal/sigv4"
)

// rawCall sends a hand-made request, signed with the root key for service unless unsigned.
func rawCall(t *testing.T, ts *testServer, method, path string, header map[string]string, body, service string, unsigned bool) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if !unsigned {
		if err := sigv4.Sign(req, []byte(body), sigv4.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}, "us-east-1", service, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func jsonHeaders(target string) map[string]string {
	return map[string]string{"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target}
}

func TestBadInputGetsAWSErrors(t *testing.T) {
	ts := startServer(t)
	storeID := ts.World.Instance.IdentityStoreID
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
	tests := []struct {
		name     string
		method   string
		header   map[string]string
		body     string
		service  string
		unsigned bool
		status   int
		code     string // JSON __type, or query <Code>
		contains string // expected substring of the message
	}{
		{"malformed JSON", "POST", jsonHeaders("AWSIdentityStore.CreateUser"), `{"IdentityStoreId":`, "identitystore", false, 400, "SerializationException", ""},
		{"wrong JSON type", "POST", jsonHeaders("AWSIdentityStore.CreateUser"), `{"IdentityStoreId":5}`, "identitystore", false, 400, "SerializationException", ""},
		{"unknown target", "POST", jsonHeaders("AWSIdentityStore.MakeCoffee"), `{}`, "identitystore", false, 400, "UnknownOperationException", ""},
		{"missing required", "POST", jsonHeaders("AWSIdentityStore.DescribeUser"), `{"IdentityStoreId":"` + storeID + `"}`, "identitystore", false, 400, "ValidationException", "Value null at 'userId' failed to satisfy constraint: Member must not be null"},
		{"bad pattern", "POST", jsonHeaders("AWSIdentityStore.ListUsers"), `{"IdentityStoreId":"x-1"}`, "identitystore", false, 400, "ValidationException", "at 'identityStoreId' failed to satisfy constraint: Member must satisfy regular expression pattern"},
		{"too many results", "POST", jsonHeaders("AWSIdentityStore.ListUsers"), `{"IdentityStoreId":"` + storeID + `","MaxResults":1000}`, "identitystore", false, 400, "ValidationException", "Member must have value less than or equal to 100"},
		{"unsigned", "POST", jsonHeaders("AWSIdentityStore.ListUsers"), `{"IdentityStoreId":"` + storeID + `"}`, "identitystore", true, 0, "MissingAuthenticationTokenException", ""},
		{"scope names another service", "POST", jsonHeaders("AWSIdentityStore.ListUsers"), `{"IdentityStoreId":"` + storeID + `"}`, "sso", false, 0, "InvalidSignatureException", "Credential should be scoped to correct service"},
		{"query unknown action", "POST", form, "Action=MakeCoffee&Version=2011-06-15", "sts", false, 400, "InvalidAction", ""},
		{"query unsigned", "POST", form, "Action=GetCallerIdentity&Version=2011-06-15", "sts", true, 0, "MissingAuthenticationToken", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := rawCall(t, ts, tt.method, "/", tt.header, tt.body, tt.service, tt.unsigned)
			if resp.StatusCode < 400 {
				t.Fatalf("status %d, body %s", resp.StatusCode, body)
			}
			if tt.status != 0 && resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tt.status, body)
			}
			code, msg := errorCodeOf(t, resp, body)
			if code != tt.code {
				t.Fatalf("code %q, want %q; body %s", code, tt.code, body)
			}
			if !strings.Contains(msg, tt.contains) {
				t.Fatalf("message %q does not contain %q", msg, tt.contains)
			}
		})
	}
	// nothing was created by any of it
	out, err := identitystore.NewFromConfig(ts.rootConfig(t)).ListUsers(context.Background(), &identitystore.ListUsersInput{IdentityStoreId: aws.String(storeID)})
	if err != nil || len(out.Users) != 0 {
		t.Fatalf("users after bad input: %+v, %v", out, err)
	}
}

// errorCodeOf reads the error code the way the SDKs do, checking that JSON
// errors carry both the header and __type.
func errorCodeOf(t *testing.T, resp *http.Response, body []byte) (code, msg string) {
	t.Helper()
	if strings.Contains(resp.Header.Get("Content-Type"), "xml") {
		var e struct {
			Error     struct{ Type, Code, Message string }
			RequestID string `xml:"RequestId"`
		}
		if err := xml.Unmarshal(body, &e); err != nil {
			t.Fatalf("error body is not XML: %v: %s", err, body)
		}
		if e.RequestID == "" {
			t.Fatalf("query error without RequestId: %s", body)
		}
		return e.Error.Code, e.Error.Message
	}
	var e map[string]any
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, body)
	}
	typ, _ := e["__type"].(string)
	if h := resp.Header.Get("X-Amzn-ErrorType"); h == "" || !strings.HasPrefix(h, typ) {
		t.Fatalf("X-Amzn-ErrorType %q does not match __type %q", h, typ)
	}
	if m, ok := e["Message"].(string); ok {
		msg = m
	} else if m, ok := e["message"].(string); ok {
		msg = m
	}
	return typ, msg
}
