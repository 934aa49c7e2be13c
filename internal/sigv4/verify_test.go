package sigv4

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var (
	testCreds = Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	testNow   = time.Date(2026, 11, 25, 0, 30, 0, 0, time.UTC)
)

// jsonRequest returns a signed awsJson1_1 POST as the Go SDK would send it.
func jsonRequest(t testing.TB, signAt time.Time, creds Credentials) (*http.Request, []byte) {
	t.Helper()
	body := []byte(`{"InstanceArn":"arn:aws:sso:::instance/ssoins-1234567890abcdef","MaxResults":10}`)
	r := httptest.NewRequest(http.MethodPost, "https://sso.us-east-1.amazonaws.com/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r.Header.Set("X-Amz-Target", "SWBExternalService.ListPermissionSets")
	r.Header.Set("Amz-Sdk-Invocation-Id", "6b8b4567-327b-23c6-643c-986966334873")
	r.Header.Set("Amz-Sdk-Request", "attempt=1; max=3")
	r.Header.Set("User-Agent", "aws-sdk-go-v2/1.30.0 os/linux lang/go#1.26 md/GOOS#linux md/GOARCH#amd64 api/ssoadmin#1.25.0")
	r.Header.Set("X-Amz-Content-Sha256", hashHex(body))
	if err := Sign(r, body, creds, "us-east-1", "sso", signAt); err != nil {
		t.Fatal(err)
	}
	return r, body
}

func TestVerifyAcceptsOwnSignature(t *testing.T) {
	for _, creds := range []Credentials{testCreds, {AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "s3cr3t", SessionToken: "tok/en+=="}} {
		r, body := jsonRequest(t, testNow, creds)
		a, err := Parse(r)
		if err != nil {
			t.Fatal(err)
		}
		if a.AccessKeyID != creds.AccessKeyID || a.Region != "us-east-1" || a.Service != "sso" || a.SessionToken != creds.SessionToken || a.Presigned {
			t.Fatalf("Parse = %+v", a)
		}
		want := []string{"amz-sdk-invocation-id", "amz-sdk-request", "content-length", "content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-target"}
		if creds.SessionToken != "" {
			want = append(want[:7], "x-amz-security-token", "x-amz-target")
		}
		if strings.Join(a.SignedHeaders, ";") != strings.Join(want, ";") {
			t.Errorf("signed headers %v, want %v", a.SignedHeaders, want)
		}
		v := &Verifier{}
		for _, now := range []time.Time{testNow, testNow.Add(15 * time.Minute), testNow.Add(-15 * time.Minute)} {
			if err := v.Verify(r, body, a, creds.SecretAccessKey, now); err != nil {
				t.Errorf("Verify at %v: %v", now, err)
			}
		}
	}
}

func TestVerifyRejects(t *testing.T) {
	type mod func(r *http.Request, body []byte) (*http.Request, []byte, string, time.Time)
	tests := []struct {
		name    string
		mod     mod
		kind    Kind
		message string // exact when set
	}{
		{"wrong secret", func(r *http.Request, b []byte) (*http.Request, []byte, string, time.Time) {
			return r, b, "wrong", testNow
		}, KindSignatureMismatch, msgSignatureMismatch},
		{"tampered body", func(r *http.Request, b []byte) (*http.Request, []byte, string, time.Time) {
			r.Header.Del("X-Amz-Content-Sha256") // else the payload check fires first
			b = bytes.Replace(b, []byte("10"), []byte("11"), 1)
			return r, b, testCreds.SecretAccessKey, testNow
		}, KindSignatureMismatch, msgSignatureMismatch},
		{"tampered body, content hash present", func(r *http.Request, b []byte) (*http.Request, []byte, string, time.Time) {
			b = bytes.Replace(b, []byte("10"), []byte("11"), 1)
			return r, b, testCreds.SecretAccessKey, testNow
		}, KindPayloadHash, msgPayloadHash},
		{"bad x-amz-content-sha256", func(r *http.Request, b []byte) (*http.Request, []byte, string, time.Time) {
			r.Header.Set("X-Amz-Content-Sha256", EmptySHA256)
			return r, b, testCreds.SecretAccessKey, testNow
		}, KindPayloadHash, msgPayloadHash},
		{"tampered signed header", func(r *http.Request, b []byte) (*http.Request, []byte, string, time.Time) {
			r.Header.Set("X-Amz-Target", "SWBExternalService.DeletePermissionSet")
			return r, b, testCreds.SecretAccessKey, testNow
		}, KindSignatureMismatch, msgSignatureMismatch},
		{"tampered query", func(r *http.Request, b []byte) (*http.Request, []byte, string, time.Time) {
			r.URL.RawQuery = "a=b"
			r.RequestURI = "/?a=b"
			return r, b, testCreds.SecretAccessKey, testNow
		}, KindSignatureMismatch, msgSignatureMismatch},
		{"tampered path", func(r *http.Request, b []byte) (*http.Request, []byte, string, time.Time) {
			r.URL.Path = "/x"
			r.RequestURI = "/x"
			return r, b, testCreds.SecretAccessKey, testNow
		}, KindSignatureMismatch, msgSignatureMismatch},
		{"skew -16 min", func(r *http.Request, b []byte) (*http.Request, []byte, string, time.Time) {
			return r, b, testCreds.SecretAccessKey, testNow.Add(16 * time.Minute)
		}, KindExpired, "Signature expired: 20261125T003000Z is now earlier than 20261125T003100Z (20261125T004600Z - 15 min.)"},
		{"skew +16 min", func(r *http.Request, b []byte) (*http.Request, []byte, string, time.Time) {
			return r, b, testCreds.SecretAccessKey, testNow.Add(-16 * time.Minute)
		}, KindExpired, "Signature not yet current: 20261125T003000Z is still later than 20261125T002900Z (20261125T001400Z + 15 min.)"},
		{"host not signed", func(r *http.Request, b []byte) (*http.Request, []byte, string, time.Time) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "host;", "", 1))
			return r, b, testCreds.SecretAccessKey, testNow
		}, KindIncomplete, msgHostNotSigned},
		{"scope date differs", func(r *http.Request, b []byte) (*http.Request, []byte, string, time.Time) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/20261125/", "/20261124/", 1))
			return r, b, testCreds.SecretAccessKey, testNow
		}, KindSignatureMismatch, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261124' != '20261125', from '20261125T003000Z'."},
		{"bad terminator", func(r *http.Request, b []byte) (*http.Request, []byte, string, time.Time) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "aws4_request", "aws5_request", 1))
			return r, b, testCreds.SecretAccessKey, testNow
		}, KindSignatureMismatch, "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'."},
		{"region changed", func(r *http.Request, b []byte) (*http.Request, []byte, string, time.Time) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "us-east-1", "eu-west-1", 1))
			return r, b, testCreds.SecretAccessKey, testNow
		}, KindSignatureMismatch, msgSignatureMismatch},
	}
	v := &Verifier{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, body := jsonRequest(t, testNow, testCreds)
			r, body, secret, now := tc.mod(r, body)
			a, err := Parse(r)
			if err == nil {
				err = v.Verify(r, body, a, secret, now)
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if se.Kind != tc.kind {
				t.Errorf("kind = %v (%s), want %v", se.Kind, se.Message, tc.kind)
			}
			if tc.message != "" && se.Message != tc.message {
				t.Errorf("message\n got %q\nwant %q", se.Message, tc.message)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const date = "20261125T003000Z"
	tests := []struct {
		name    string
		authz   string
		amzDate string
		kind    Kind
		message string
	}{
		{"none", "", date, KindMissing, "Request is missing Authentication Token"},
		{"bearer", "Bearer abc", date, KindIncomplete,
			"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=Bearer abc"},
		{"no credential", "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=abcd", date, KindIncomplete,
			"Authorization header requires 'Credential' parameter. Authorization=AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=abcd"},
		{"no signature", "AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/iam/aws4_request, SignedHeaders=host", date, KindIncomplete,
			"Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/iam/aws4_request, SignedHeaders=host"},
		{"no signed headers", "AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/iam/aws4_request, Signature=ab", date, KindIncomplete,
			"Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/iam/aws4_request, Signature=ab"},
		{"no date", "AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=ab", "", KindIncomplete,
			"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=ab"},
		{"missing equal sign", "AWS4-HMAC-SHA256 Credential AKID/20261125/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=ab", date, KindIncomplete,
			"'Credential AKID/20261125/us-east-1/iam/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential AKID/20261125/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=ab'."},
		{"short scope", "AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/aws4_request, SignedHeaders=host, Signature=ab", date, KindIncomplete,
			"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKID/20261125/us-east-1/aws4_request'"},
		{"bad date", "AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=ab", "2026-11-25", KindIncomplete,
			"Date must be in ISO-8601 'basic format'. Got '2026-11-25'. See http://en.wikipedia.org/wiki/ISO_8601"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "https://iam.amazonaws.com/", nil)
			if tc.authz != "" {
				r.Header.Set("Authorization", tc.authz)
			}
			if tc.amzDate != "" {
				r.Header.Set("X-Amz-Date", tc.amzDate)
			}
			_, err := Parse(r)
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if se.Kind != tc.kind || se.Message != tc.message {
				t.Errorf("got %v %q\nwant %v %q", se.Kind, se.Message, tc.kind, tc.message)
			}
			if KindOf(err) != tc.kind {
				t.Errorf("KindOf = %v", KindOf(err))
			}
		})
	}
}

func TestPresign(t *testing.T) {
	creds := Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "secret", SessionToken: "FQoG/token+=="}
	base := httptest.NewRequest(http.MethodGet, "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	u, err := Presign(base, creds, "us-east-1", "sts", testNow, 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	v := &Verifier{}
	tests := []struct {
		name   string
		url    string
		now    time.Time
		secret string
		kind   Kind
	}{
		{"valid", u, testNow.Add(59 * time.Second), "secret", 0},
		{"valid at expiry", u, testNow.Add(60 * time.Second), "secret", 0},
		{"expired", u, testNow.Add(61 * time.Second), "secret", KindExpired},
		{"not yet current", u, testNow.Add(-16 * time.Minute), "secret", KindExpired},
		{"wrong secret", u, testNow, "other", KindSignatureMismatch},
		{"tampered query", strings.Replace(u, "GetCallerIdentity", "GetSessionToken", 1), testNow, "secret", KindSignatureMismatch},
		{"expires over a week", strings.Replace(u, "X-Amz-Expires=60", "X-Amz-Expires=604801", 1), testNow, "secret", KindIncomplete},
		{"missing credential", strings.Replace(u, "X-Amz-Credential=", "X-Amz-Kredential=", 1), testNow, "secret", KindIncomplete},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tc.url, nil)
			a, err := Parse(r)
			if err == nil {
				if !a.Presigned || a.Expires != time.Minute || a.SessionToken != creds.SessionToken || a.Service != "sts" {
					t.Fatalf("Parse = %+v", a)
				}
				err = v.Verify(r, nil, a, tc.secret, tc.now)
			}
			if KindOf(err) != tc.kind || (tc.kind == 0 && err != nil) {
				t.Fatalf("err = %v, want kind %v", err, tc.kind)
			}
			if tc.name == "expired" && err.(*Error).Message != "Request has expired." {
				t.Errorf("message %q", err.(*Error).Message)
			}
		})
	}
}

func TestNormalizePath(t *testing.T) {
	tests := map[string]string{
		"/": "/", "//": "/", "/a/b/../c": "/a/c", "/a/./b/": "/a/b/", "/..": "/",
		"//example//": "/example/", "/.well-known/x": "/.well-known/x", "/a/b/..": "/a/",
	}
	for in, want := range tests {
		if got := normalizePath(in); got != want {
			t.Errorf("normalizePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVerifyUnnormalizedPathFallback(t *testing.T) {
	// The Go SDK does not normalise "//": a request it signed over the raw path
	// must still verify.
	r := httptest.NewRequest(http.MethodGet, "https://example.com/a//b", nil)
	r.Header.Set("X-Amz-Date", testNow.Format(TimeFormat))
	a := &Auth{AccessKeyID: "AKID", Date: testNow, Region: "us-east-1", Service: "iam", ScopeDate: "20261125",
		Terminator: Terminator, SignedHeaders: []string{"host", "x-amz-date"}}
	sig := computeSignature(deriveKey("s", "20261125", "us-east-1", "iam"), r, a.SignedHeaders, testNow.Format(TimeFormat),
		a.Scope(), "/a//b", "", EmptySHA256)
	a.Signature = hexString(sig)
	if err := (&Verifier{}).Verify(r, nil, a, "s", testNow); err != nil {
		t.Fatal(err)
	}
}

func hexString(b []byte) string {
	const h = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, h[c>>4], h[c&15])
	}
	return string(out)
}

func TestSigningKeyCacheBounded(t *testing.T) {
	v := &Verifier{}
	for i := 0; i < maxCachedKeys+10; i++ {
		v.signingKey("secret", "20261125", "r"+string(rune('a'+i%26))+string(rune(i)), "iam")
	}
	if n := len(v.keys); n > maxCachedKeys {
		t.Fatalf("cache holds %d keys, bound %d", n, maxCachedKeys)
	}
	k1 := v.signingKey("secret", "20150830", "us-east-1", "iam")
	k2 := deriveKey("secret", "20150830", "us-east-1", "iam")
	if !bytes.Equal(k1, k2) {
		t.Fatal("cached key differs from derived key")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		"AWS4-HMAC-SHA256 Credential=/a/b/c/d, SignedHeaders=, Signature=",
		"AWS4-HMAC-SHA256 ,,,=,=",
		"AWS4-HMAC-SHA256",
		"Bearer x",
		"",
	} {
		f.Add(s)
	}
	v := &Verifier{}
	f.Fuzz(func(t *testing.T, h string) {
		r := httptest.NewRequest(http.MethodPost, "https://iam.amazonaws.com/", nil)
		r.Header["Authorization"] = []string{h}
		r.Header.Set("X-Amz-Date", "20150830T123600Z")
		a, err := Parse(r)
		if err != nil {
			if KindOf(err) == 0 {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if a.AccessKeyID == "" || len(a.SignedHeaders) == 0 {
			t.Fatalf("accepted without key id or signed headers: %+v", a)
		}
		if err := v.Verify(r, nil, a, "secret", time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)); err == nil {
			t.Fatalf("fuzzed header verified: %q", h)
		}
	})
}

func BenchmarkVerify(b *testing.B) {
	r, body := jsonRequest(b, testNow, testCreds)
	a, err := Parse(r)
	if err != nil {
		b.Fatal(err)
	}
	v := &Verifier{}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := v.Verify(r, body, a, testCreds.SecretAccessKey, testNow); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzParsePresigned(f *testing.F) {
	f.Add("Action=GetCallerIdentity&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20150830%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00")
	f.Add("X-Amz-Signature=&X-Amz-Expires=-1")
	f.Add("X-Amz-Algorithm=%zz")
	v := &Verifier{}
	f.Fuzz(func(t *testing.T, q string) {
		r := httptest.NewRequest(http.MethodGet, "https://sts.amazonaws.com/", nil)
		r.URL.RawQuery = q
		a, err := Parse(r)
		if err != nil {
			if KindOf(err) == 0 {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if a.Presigned && (a.Expires < 0 || a.Expires > MaxPresignExpires) {
			t.Fatalf("accepted X-Amz-Expires %v", a.Expires)
		}
		if err := v.Verify(r, nil, a, "secret", time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)); err == nil {
			t.Fatalf("fuzzed query verified: %q", q)
		}
	})
}
