package awsproto_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	iamfx "github.com/idcenter/idcenter/internal/api/iam"
)

func FuzzQueryDecode(f *testing.F) {
	for _, s := range []string{
		"Action=CreateUser&Version=2010-05-08&UserName=a&Tags.member.1.Key=k&Tags.member.1.Value=v",
		"Action=ListUsers&Version=2010-05-08&MaxItems=10",
		"Action=CreateUser&Version=2010-05-08&Tags.member.0.Key=&Tags=",
		"Action=ListPolicies&Version=2010-05-08&Scope=All&OnlyAttached=true",
		"Action=%zz",
	} {
		f.Add(s)
	}
	svc := iamService(new(iamfx.CreateUserRequest))
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		w := httptest.NewRecorder()
		svc.Serve(w, r, []byte(body))
		if w.Code == 0 || (w.Code != 200 && !strings.Contains(w.Body.String(), "<ErrorResponse")) {
			t.Fatalf("status %d body %q", w.Code, w.Body)
		}
	})
}

func FuzzJSONDecode(f *testing.F) {
	for _, s := range []string{
		`{"IdentityStoreId":"d-1234567890","UserName":"a","Emails":[{"Value":"x","Primary":true}],"Extensions":{"k":{"a":[1]}}}`,
		`{"IdentityStoreId":"d-1234567890","AlternateIdentifier":{"UniqueAttribute":{"AttributePath":"p","AttributeValue":null}}}`,
		`[]`, `null`, `{"CreatedAt":1e400}`,
	} {
		f.Add("CreateUser", s)
		f.Add("GetUserId", s)
	}
	svc := identityStoreService(nil)
	f.Fuzz(func(t *testing.T, op, body string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("X-Amz-Target", "AWSIdentityStore."+op)
		w := httptest.NewRecorder()
		svc.Serve(w, r, []byte(body))
		if w.Code == 0 || (w.Code != 200 && !strings.Contains(w.Body.String(), `"__type"`)) {
			t.Fatalf("status %d body %q", w.Code, w.Body)
		}
	})
}
