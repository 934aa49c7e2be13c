package sigv4

import (
	"bufio"
	"errors"
	"io/fs"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var (
	suiteCreds = Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	suiteTime  = time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
)

// suiteCase is one transcribed .sreq file.
type suiteCase struct {
	name  string
	raw   string
	authz string
}

func loadSuite(t *testing.T) []suiteCase {
	t.Helper()
	var cases []suiteCase
	err := filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".sreq") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		raw := string(b)
		var authz string
		var kept []string
		head, body, _ := strings.Cut(raw, "\n\n")
		for _, line := range strings.Split(head, "\n") {
			if v, ok := strings.CutPrefix(line, "Authorization: "); ok {
				authz = v
				continue
			}
			kept = append(kept, line)
		}
		raw = strings.Join(kept, "\n")
		if body != "" {
			raw += "\n\n" + body
		}
		rel, _ := filepath.Rel("testdata", filepath.Dir(p))
		cases = append(cases, suiteCase{name: rel, raw: raw, authz: authz})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 15 {
		t.Fatalf("only %d suite cases found", len(cases))
	}
	return cases
}

// parseRaw builds a server-side style request from the suite's raw HTTP text.
// Header continuation lines add another value to the previous header.
func parseRaw(t *testing.T, raw string) (*http.Request, []byte) {
	t.Helper()
	head, body, _ := strings.Cut(raw, "\n\n")
	sc := bufio.NewScanner(strings.NewReader(head))
	sc.Scan()
	line := sc.Text()
	method, target, _ := strings.Cut(line, " ")
	target = strings.TrimSuffix(target, " HTTP/1.1")
	path, rawQuery, _ := strings.Cut(target, "?")
	r := &http.Request{
		Method:     method,
		URL:        &url.URL{Path: path, RawQuery: rawQuery},
		RequestURI: target,
		Header:     http.Header{},
		Proto:      "HTTP/1.1",
	}
	last := ""
	for sc.Scan() {
		l := sc.Text()
		if l != "" && (l[0] == ' ' || l[0] == '\t') {
			r.Header[last] = append(r.Header[last], strings.TrimSpace(l))
			continue
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("bad header line %q", l)
		}
		k = textproto.CanonicalMIMEHeaderKey(k)
		if k == "Host" {
			r.Host = v
			continue
		}
		r.Header[k] = append(r.Header[k], v)
		last = k
	}
	return r, []byte(body)
}

func TestSuiteSign(t *testing.T) {
	for _, c := range loadSuite(t) {
		t.Run(c.name, func(t *testing.T) {
			r, body := parseRaw(t, c.raw)
			creds := suiteCreds
			if tok := r.Header.Get("X-Amz-Security-Token"); tok != "" {
				r.Header.Del("X-Amz-Security-Token")
				if strings.Contains(c.authz, "x-amz-security-token") {
					creds.SessionToken = tok // signed with the token
				}
			}
			if err := Sign(r, body, creds, "us-east-1", "service", suiteTime); err != nil {
				t.Fatal(err)
			}
			if got := r.Header.Get("Authorization"); got != c.authz {
				creq, sts := StringToSign(r, body, mustParse(t, r))
				t.Errorf("Authorization\n got %s\nwant %s\ncanonical request:\n%s\nstring to sign:\n%s", got, c.authz, creq, sts)
			}
		})
	}
}

func mustParse(t *testing.T, r *http.Request) *Auth {
	t.Helper()
	a, err := Parse(r)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return a
}

func TestSuiteVerify(t *testing.T) {
	v := &Verifier{}
	for _, c := range loadSuite(t) {
		t.Run(c.name, func(t *testing.T) {
			r, body := parseRaw(t, c.raw)
			r.Header.Set("Authorization", c.authz)
			a := mustParse(t, r)
			if a.AccessKeyID != "AKIDEXAMPLE" || a.Region != "us-east-1" || a.Service != "service" || !a.Date.Equal(suiteTime) {
				t.Fatalf("parsed %+v", a)
			}
			if err := v.Verify(r, body, a, suiteCreds.SecretAccessKey, suiteTime.Add(time.Minute)); err != nil {
				creq, sts := StringToSign(r, body, a)
				t.Fatalf("Verify: %v\ncanonical request:\n%s\nstring to sign:\n%s", err, creq, sts)
			}

			// One changed byte anywhere must be refused.
			tamper := []struct {
				name string
				mod  func(r *http.Request, a *Auth, body []byte) []byte
			}{
				{"signature", func(r *http.Request, a *Auth, body []byte) []byte {
					s := []byte(a.Signature)
					s[len(s)-1] ^= 1
					a.Signature = string(s)
					return body
				}},
				{"host", func(r *http.Request, a *Auth, body []byte) []byte { r.Host = "examplf.amazonaws.com"; return body }},
				{"method", func(r *http.Request, a *Auth, body []byte) []byte { r.Method += "X"; return body }},
				{"query", func(r *http.Request, a *Auth, body []byte) []byte { r.URL.RawQuery += "&x=1"; return body }},
				{"body", func(r *http.Request, a *Auth, body []byte) []byte { return append(append([]byte{}, body...), 'x') }},
			}
			for _, tc := range tamper {
				r2, body2 := parseRaw(t, c.raw)
				r2.Header.Set("Authorization", c.authz)
				a2 := mustParse(t, r2)
				body2 = tc.mod(r2, a2, body2)
				err := v.Verify(r2, body2, a2, suiteCreds.SecretAccessKey, suiteTime)
				var se *Error
				if !errors.As(err, &se) || se.Kind != KindSignatureMismatch || se.Message != msgSignatureMismatch {
					t.Errorf("tampered %s: err = %v, want signature mismatch", tc.name, err)
				}
			}
		})
	}
}
