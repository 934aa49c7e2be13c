package config

import (
	"strings"
	"testing"
)

// TestPublicURL: --public-url is an absolute http(s) URL without user info,
// query or fragment; it is read from IDCENTER_PUBLIC_URL, makes BaseURL and
// decides whether cookies are Secure.
func TestPublicURL(t *testing.T) {
	for _, tc := range []struct {
		in, wantErr, wantBase string
		wantSecure            bool
	}{
		{"", "", "http://127.0.0.1:7400", false},
		{"https://id.example.com", "", "https://id.example.com", true},
		{"https://id.example.com/", "", "https://id.example.com", true},
		{"https://example.com:8443/idcenter/", "", "https://example.com:8443/idcenter", true},
		{"http://idcenter.localhost:8080", "", "http://idcenter.localhost:8080", false},
		{"id.example.com", "absolute", "", false},
		{"/idcenter", "absolute", "", false},
		{"ftp://id.example.com", "absolute", "", false},
		{"https://", "absolute", "", false},
		{"https:id.example.com", "absolute", "", false},
		{"https://id.example.com/?a=b", "query", "", false},
		{"https://id.example.com/?", "query", "", false},
		{"https://id.example.com/#top", "fragment", "", false},
		{"https://user:pw@id.example.com", "user info", "", false},
		{"https://id.example.com/%zz", "absolute", "", false},
	} {
		c := FromEnv(func(k string) string {
			if k == "IDCENTER_PUBLIC_URL" {
				return tc.in
			}
			return ""
		})
		if c.PublicURL != tc.in {
			t.Fatalf("IDCENTER_PUBLIC_URL=%q: PublicURL = %q", tc.in, c.PublicURL)
		}
		err := c.Validate()
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "--public-url") {
				t.Errorf("%q: Validate = %v, want an error about %s", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: Validate = %v", tc.in, err)
		}
		if got := c.BaseURL(); got != tc.wantBase {
			t.Errorf("%q: BaseURL = %q, want %q", tc.in, got, tc.wantBase)
		}
		if got := c.SecureCookies(); got != tc.wantSecure {
			t.Errorf("%q: SecureCookies = %v, want %v", tc.in, got, tc.wantSecure)
		}
	}
}
