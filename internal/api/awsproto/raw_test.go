package awsproto_test

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	iamfx "github.com/idcenter/idcenter/internal/api/iam"
)

func xmlUnmarshal(b []byte, v any) error { return xml.Unmarshal(b, v) }

func TestRawJSON(t *testing.T) {
	svc := identityStoreService(nil)
	tests := []struct {
		name, target, body string
		status             int
		code, msg          string
	}{
		{"ok", "AWSIdentityStore.DescribeUser", `{"IdentityStoreId":"d-1234567890","UserId":"12345678-1234-1234-1234-123456789012"}`, 200, "", ""},
		{"malformed", "AWSIdentityStore.DescribeUser", `{"IdentityStoreId":`, 400, "SerializationException", ""},
		{"not an object", "AWSIdentityStore.DescribeUser", `[1,2]`, 400, "SerializationException", ""},
		{"wrong type", "AWSIdentityStore.DescribeUser", `{"IdentityStoreId":5}`, 400, "SerializationException", ""},
		{"wrong nested type", "AWSIdentityStore.CreateUser", `{"IdentityStoreId":"d-1234567890","Emails":[{"Primary":"yes"}]}`, 400, "SerializationException", ""},
		{"unknown target", "AWSIdentityStore.Nope", `{}`, 400, "UnknownOperationException", ""},
		{"wrong prefix", "SWBExternalService.DescribeUser", `{}`, 400, "UnknownOperationException", ""},
		{"missing target", "", `{}`, 400, "UnknownOperationException", ""},
		{"unimplemented", "AWSIdentityStore.DeleteUser", `{}`, 400, "UnknownOperationException", ""},
		{"empty body", "AWSIdentityStore.DescribeUser", ``, 400, "ValidationException",
			"2 validation errors detected: Value null at 'identityStoreId' failed to satisfy constraint: Member must not be null; Value null at 'userId' failed to satisfy constraint: Member must not be null"},
		{"nested list ok", "AWSIdentityStore.CreateUser", `{"IdentityStoreId":"d-1234567890","Addresses":[{"Type":"x"}],"Emails":[{"Value":"a@b"}]}`, 200, "", ""},
		{"union none", "AWSIdentityStore.GetUserId", `{"IdentityStoreId":"d-1234567890","AlternateIdentifier":{}}`, 400, "ValidationException",
			"1 validation error detected: Value at 'alternateIdentifier' failed to satisfy constraint: Member must have exactly one member set (found 0)"},
		{"union two", "AWSIdentityStore.GetUserId", `{"IdentityStoreId":"d-1234567890","AlternateIdentifier":{"ExternalId":{"Issuer":"i","Id":"x"},"UniqueAttribute":{"AttributePath":"userName","AttributeValue":"a"}}}`, 400, "ValidationException", ""},
		{"nested missing", "AWSIdentityStore.GetUserId", `{"IdentityStoreId":"d-1234567890","AlternateIdentifier":{"ExternalId":{"Issuer":"i"}}}`, 400, "ValidationException",
			"1 validation error detected: Value null at 'alternateIdentifier.externalId.id' failed to satisfy constraint: Member must not be null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", "application/x-amz-json-1.1")
			if tt.target != "" {
				r.Header.Set("X-Amz-Target", tt.target)
			}
			w := httptest.NewRecorder()
			svc.Serve(w, r, []byte(tt.body))
			if w.Code != tt.status {
				t.Fatalf("status %d want %d: %s", w.Code, tt.status, w.Body)
			}
			if w.Header().Get("x-amzn-RequestId") == "" {
				t.Error("no request id")
			}
			if tt.code == "" {
				if ct := w.Header().Get("Content-Type"); ct != "application/x-amz-json-1.1" {
					t.Errorf("content type %q", ct)
				}
				return
			}
			var body map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", w.Body, err)
			}
			if body["__type"] != tt.code || w.Header().Get("X-Amzn-ErrorType") != tt.code {
				t.Errorf("code %v / %q want %s", body["__type"], w.Header().Get("X-Amzn-ErrorType"), tt.code)
			}
			if tt.msg != "" && body["Message"] != tt.msg {
				t.Errorf("Message\n got %q\nwant %q", body["Message"], tt.msg)
			}
		})
	}
}

func TestRawQuery(t *testing.T) {
	svc := iamService(new(iamfx.CreateUserRequest))
	tests := []struct {
		name, method, query, body string
		status                    int
		code, msg                 string
	}{
		{"ok post", "POST", "", "Action=ListUsers&Version=2010-05-08&PathPrefix=%2Feng%2F&MaxItems=10", 200, "", ""},
		{"ok get", "GET", "Action=ListUsers&Version=2010-05-08&PathPrefix=%2Feng%2F&MaxItems=10", "", 200, "", ""},
		{"missing action", "POST", "", "Version=2010-05-08", 400, "MissingAction", ""},
		{"unknown action", "POST", "", "Action=Frobnicate&Version=2010-05-08", 400, "InvalidAction", ""},
		{"wrong version", "POST", "", "Action=ListUsers&Version=2011-06-15", 400, "InvalidAction", "Could not find operation ListUsers for version 2011-06-15"},
		{"missing version", "POST", "", "Action=ListUsers", 400, "MissingParameter", ""},
		{"not a number", "POST", "", "Action=ListUsers&Version=2010-05-08&MaxItems=ten", 400, "InvalidParameterValue", ""},
		{"missing required", "POST", "", "Action=CreateUser&Version=2010-05-08", 400, "ValidationError",
			"1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"},
		{"bad pattern", "POST", "", "Action=CreateUser&Version=2010-05-08&UserName=a%20b", 400, "ValidationError",
			`1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"index zero", "POST", "", "Action=CreateUser&Version=2010-05-08&UserName=a&Tags.member.0.Key=k", 400, "MalformedQueryString", ""},
		{"index not number", "POST", "", "Action=CreateUser&Version=2010-05-08&UserName=a&Tags.member.x.Key=k", 400, "MalformedQueryString", ""},
		{"index huge", "POST", "", "Action=CreateUser&Version=2010-05-08&UserName=a&Tags.member.99999999999.Key=k", 400, "MalformedQueryString", ""},
		{"index leading zero", "POST", "", "Action=CreateUser&Version=2010-05-08&UserName=a&Tags.member.01.Key=k", 400, "MalformedQueryString", ""},
		{"sparse indexes ok", "POST", "", "Action=CreateUser&Version=2010-05-08&UserName=a&Tags.member.3.Key=k&Tags.member.3.Value=v&Tags.member.1.Key=j&Tags.member.1.Value=w", 200, "", ""},
		{"tag missing key", "POST", "", "Action=CreateUser&Version=2010-05-08&UserName=a&Tags.member.1.Value=v", 400, "ValidationError",
			"1 validation error detected: Value null at 'tags.1.member.key' failed to satisfy constraint: Member must not be null"},
		{"bad enum", "POST", "", "Action=ListPolicies&Version=2010-05-08&Scope=Bogus", 400, "ValidationError",
			"1 validation error detected: Value 'Bogus' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]"},
		{"bad escape", "POST", "", "Action=ListUsers&Version=2010-05-08&PathPrefix=%zz", 400, "MalformedQueryString", ""},
		{"modelled code", "POST", "", "Action=GetUser&Version=2010-05-08", 404, "NoSuchEntity", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := "/"
			if tt.query != "" {
				target += "?" + tt.query
			}
			r := httptest.NewRequest(tt.method, target, strings.NewReader(tt.body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			w := httptest.NewRecorder()
			svc.Serve(w, r, []byte(tt.body))
			if w.Code != tt.status {
				t.Fatalf("status %d want %d: %s", w.Code, tt.status, w.Body)
			}
			body := w.Body.String()
			if tt.code == "" {
				if !strings.HasPrefix(body, `<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult>`) &&
					!strings.HasPrefix(body, `<CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><CreateUserResult>`) {
					t.Errorf("body %s", body)
				}
				return
			}
			var er struct {
				Error     struct{ Type, Code, Message string }
				RequestID string `xml:"RequestId"`
			}
			if err := xmlUnmarshal(w.Body.Bytes(), &er); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
			if er.Error.Code != tt.code || er.Error.Type != "Sender" || er.RequestID == "" {
				t.Errorf("error %+v want code %s", er, tt.code)
			}
			if tt.msg != "" && er.Error.Message != tt.msg {
				t.Errorf("Message\n got %q\nwant %q", er.Error.Message, tt.msg)
			}
			if !strings.HasPrefix(body, `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">`) {
				t.Errorf("body %s", body)
			}
		})
	}
}

func TestOperationResolution(t *testing.T) {
	iamSvc := iamService(new(iamfx.CreateUserRequest))
	ids := identityStoreService(nil)
	tests := []struct {
		name string
		svc  *awsproto.Service
		req  *http.Request
		body string
		want string
		ok   bool
	}{
		{"json", ids, withHeader(httptest.NewRequest("POST", "/", nil), "X-Amz-Target", "AWSIdentityStore.ListUsers"), "", "ListUsers", true},
		{"json other service", ids, withHeader(httptest.NewRequest("POST", "/", nil), "X-Amz-Target", "AWSOrganizationsV20161128.ListAccounts"), "", "", false},
		{"query body", iamSvc, httptest.NewRequest("POST", "/", nil), "Version=2010-05-08&Action=GetUser", "GetUser", true},
		{"query url", iamSvc, httptest.NewRequest("GET", "/?Action=ListRoles&Version=2010-05-08", nil), "", "ListRoles", true},
		{"query escaped", iamSvc, httptest.NewRequest("POST", "/", nil), "Action=Get%55ser", "GetUser", true},
		{"query unknown", iamSvc, httptest.NewRequest("POST", "/", nil), "Action=AssumeRole", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.svc.Operation(tt.req, []byte(tt.body))
			if got != tt.want || ok != tt.ok {
				t.Errorf("Operation = %q,%v want %q,%v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func withHeader(r *http.Request, k, v string) *http.Request {
	r.Header.Set(k, v)
	return r
}
