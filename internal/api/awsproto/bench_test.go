package awsproto_test

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func BenchmarkDescribeUserJSON(b *testing.B) {
	svc := identityStoreService(nil)
	body := []byte(`{"IdentityStoreId":"d-1234567890","UserId":"12345678-1234-1234-1234-123456789012"}`)
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("POST", "/", nil)
		r.Header.Set("X-Amz-Target", "AWSIdentityStore.DescribeUser")
		w := httptest.NewRecorder()
		svc.Serve(w, r, body)
		if w.Code != 200 {
			b.Fatal(w.Body)
		}
	}
}

func BenchmarkListUsersQuery(b *testing.B) {
	svc := iamService(nil)
	body := "Action=ListUsers&Version=2010-05-08&PathPrefix=%2Feng%2F&MaxItems=10"
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		w := httptest.NewRecorder()
		svc.Serve(w, r, []byte(body))
		if w.Code != 200 {
			b.Fatal(w.Body)
		}
	}
}
