package router_test

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/idcenter/idcenter/internal/api/iam"
	"github.com/idcenter/idcenter/internal/api/identitystore"
	"github.com/idcenter/idcenter/internal/api/router"
	"github.com/idcenter/idcenter/internal/api/ssooidc"
	"github.com/idcenter/idcenter/internal/api/ssoportal"
	"github.com/idcenter/idcenter/internal/api/sts"
	"github.com/idcenter/idcenter/internal/authn"
	"github.com/idcenter/idcenter/internal/sigv4"
)

// TestRouting sends unsigned requests and reads, from the error each service
// answers in its own protocol, which service the router picked.
func TestRouting(t *testing.T) {
	rt := router.New(slog.New(slog.NewTextHandler(io.Discard, nil)), &authn.Authenticator{Verifier: &sigv4.Verifier{}},
		(&identitystore.Adapter{}).Service(nil),
		(&sts.Adapter{}).Service(nil),
		(&iam.Adapter{}).Service(nil),
		(&ssooidc.Adapter{}).Service(nil),
		(&ssoportal.Adapter{}).Service(nil),
	)
	form := "application/x-www-form-urlencoded; charset=utf-8"
	tests := []struct {
		name, method, target, host, path, ctype, body string
		wantNS                                        string // query XML namespace of the answering service
		wantCode                                      string
	}{
		{name: "json by target", method: "POST", target: "AWSIdentityStore.ListUsers", ctype: "application/x-amz-json-1.1", body: "{}", wantCode: "MissingAuthenticationTokenException"},
		{name: "unknown target prefix", method: "POST", target: "AWSNothing.Foo", ctype: "application/x-amz-json-1.1", body: "{}", wantCode: "UnknownOperationException"},
		{name: "query sts action", method: "POST", ctype: form, body: "Action=GetCallerIdentity&Version=2011-06-15", wantNS: "https://sts.amazonaws.com/doc/2011-06-15/", wantCode: "MissingAuthenticationToken"},
		{name: "query iam action", method: "POST", ctype: form, body: "Action=ListUsers&Version=2010-05-08", wantNS: "https://iam.amazonaws.com/doc/2010-05-08/", wantCode: "MissingAuthenticationToken"},
		{name: "query by iam host", method: "POST", host: "iam.amazonaws.com", ctype: form, body: "Action=Nope&Version=2010-05-08", wantNS: "https://iam.amazonaws.com/doc/2010-05-08/", wantCode: "MissingAuthenticationToken"},
		{name: "query by sts host", method: "POST", host: "sts.eu-west-1.amazonaws.com", ctype: form, body: "Action=Nope&Version=2011-06-15", wantNS: "https://sts.amazonaws.com/doc/2011-06-15/", wantCode: "MissingAuthenticationToken"},
		{name: "query GET", method: "GET", path: "/?Action=GetCallerIdentity&Version=2011-06-15", wantNS: "https://sts.amazonaws.com/doc/2011-06-15/", wantCode: "MissingAuthenticationToken"},
		// Unauthenticated operations reach their codec without SigV4; a request
		// missing a required member is refused there, before any handler runs.
		{name: "sso-oidc path (unauthenticated op)", method: "POST", path: "/client/register", ctype: "application/json", body: `{"clientName":"x"}`, wantCode: "InvalidRequestException"},
		{name: "portal path (unauthenticated op)", method: "GET", path: "/assignment/accounts", wantCode: "InvalidRequestException"},
		{name: "nothing matches", method: "GET", path: "/favicon.ico", wantCode: "UnknownOperationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path
			if path == "" {
				path = "/"
			}
			req := httptest.NewRequest(tt.method, path, strings.NewReader(tt.body))
			if tt.host != "" {
				req.Host = tt.host
			}
			if tt.target != "" {
				req.Header.Set("X-Amz-Target", tt.target)
			}
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			rec := httptest.NewRecorder()
			rt.ServeHTTP(rec, req)
			if rec.Code < 400 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			body := rec.Body.Bytes()
			if tt.wantNS != "" {
				var e struct {
					XMLName xml.Name
					Error   struct{ Code string }
				}
				if err := xml.Unmarshal(body, &e); err != nil {
					t.Fatalf("not XML: %v: %s", err, body)
				}
				if e.XMLName.Space != tt.wantNS || e.Error.Code != tt.wantCode {
					t.Fatalf("answered by %q with %q, want %q with %q", e.XMLName.Space, e.Error.Code, tt.wantNS, tt.wantCode)
				}
				return
			}
			var e map[string]any
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("not JSON: %v: %s", err, body)
			}
			if e["__type"] != tt.wantCode || rec.Header().Get("X-Amzn-ErrorType") != tt.wantCode {
				t.Fatalf("code %v / header %q, want %q: %s", e["__type"], rec.Header().Get("X-Amzn-ErrorType"), tt.wantCode, body)
			}
		})
	}
}
