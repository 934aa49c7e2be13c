package sigv4

import (
	"net/http"
	"net/textproto"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

const upperhex = "0123456789ABCDEF"

// shouldEscape reports whether c must be percent-encoded by the SigV4 URI
// encoding (RFC 3986: everything but unreserved characters).
func shouldEscape(c byte) bool {
	switch {
	case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return false
	case c == '-', c == '_', c == '.', c == '~':
		return false
	}
	return true
}

// appendEscaped appends s URI-encoded; '/' is kept when keepSlash.
func appendEscaped(b []byte, s string, keepSlash bool) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !shouldEscape(c) || (keepSlash && c == '/') {
			b = append(b, c)
			continue
		}
		b = append(b, '%', upperhex[c>>4], upperhex[c&15])
	}
	return b
}

// escape returns s URI-encoded (for query keys and values).
func escape(s string) string {
	for i := 0; i < len(s); i++ {
		if shouldEscape(s[i]) {
			return string(appendEscaped(make([]byte, 0, len(s)+16), s, false))
		}
	}
	return s
}

// wirePath returns the request path as it travelled on the wire (still
// percent-encoded): the request-target for server requests, the escaped URL
// path for client requests. Never empty.
func wirePath(r *http.Request) string {
	p := ""
	if r.RequestURI != "" && r.RequestURI != "*" {
		p = r.RequestURI
		if i := strings.IndexByte(p, '?'); i >= 0 {
			p = p[:i]
		}
		if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
			rest := p[strings.Index(p, "//")+2:]
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				p = rest[i:]
			} else {
				p = "/"
			}
		}
	} else if r.URL != nil {
		if r.URL.Opaque != "" {
			p = r.URL.Opaque
			if strings.HasPrefix(p, "//") {
				p = p[2:]
			}
			if i := strings.IndexByte(p, '/'); i >= 0 {
				p = p[i:]
			} else {
				p = ""
			}
		} else {
			p = r.URL.EscapedPath()
		}
	}
	if p == "" {
		return "/"
	}
	return p
}

// normalizePath removes "." and ".." segments and empty segments (repeated
// slashes) from an absolute path, keeping a trailing slash, as the AWS SigV4
// test suite (normalize-path/*) and botocore do.
func normalizePath(p string) string {
	if !strings.Contains(p, "//") && !strings.Contains(p, "/.") {
		return p
	}
	segs := strings.Split(p, "/")
	out := make([]string, 0, len(segs))
	for _, s := range segs {
		switch s {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
		}
	}
	n := "/" + strings.Join(out, "/")
	if len(out) > 0 && (strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")) {
		n += "/"
	}
	return n
}

// canonicalURIs returns the canonical URI candidates for r: the normalised
// path first and, when it differs, the unnormalised one (the Go SDK does not
// normalise; botocore and the test suite do). Both are URI-encoded once more
// on top of their wire form, as the clients do for non-S3 services.
func canonicalURIs(r *http.Request) (norm, raw string) {
	w := wirePath(r)
	n := normalizePath(w)
	norm = string(appendEscaped(make([]byte, 0, len(n)+8), n, true))
	if n != w {
		raw = string(appendEscaped(make([]byte, 0, len(w)+8), w, true))
	}
	return norm, raw
}

type queryPair struct{ k, v string }

// canonicalQuery builds the canonical query string from a raw query: each
// name and value decoded then URI-encoded, sorted by name then value. skip
// names a parameter to leave out (X-Amz-Signature for presigned requests).
func canonicalQuery(rawQuery, skip string) string {
	if rawQuery == "" {
		return ""
	}
	pairs := make([]queryPair, 0, strings.Count(rawQuery, "&")+1)
	for part := range strings.SplitSeq(rawQuery, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if skip != "" && k == skip {
			continue
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		pairs = append(pairs, queryPair{escape(k), escape(v)})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	var b strings.Builder
	n := 0
	for _, p := range pairs {
		n += len(p.k) + len(p.v) + 2
	}
	b.Grow(n)
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String()
}

// appendTrimmed appends v with leading/trailing whitespace removed and runs of
// spaces collapsed to one.
func appendTrimmed(b []byte, v string) []byte {
	v = strings.TrimSpace(v)
	space := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			if !space {
				b = append(b, ' ')
			}
			space = true
			continue
		}
		space = false
		b = append(b, c)
	}
	return b
}

// headerValues returns the values of the (lower-case) header name in r.
func headerValues(r *http.Request, name string) []string {
	switch name {
	case "host":
		h := r.Host
		if h == "" && r.URL != nil {
			h = r.URL.Host
		}
		return []string{h}
	case "content-length":
		if v := r.Header["Content-Length"]; len(v) > 0 {
			return v
		}
		if r.ContentLength >= 0 {
			return []string{strconv.FormatInt(r.ContentLength, 10)}
		}
		return nil
	case "transfer-encoding":
		if v := r.Header["Transfer-Encoding"]; len(v) > 0 {
			return v
		}
		return r.TransferEncoding
	}
	if v, ok := r.Header[textproto.CanonicalMIMEHeaderKey(name)]; ok {
		return v
	}
	return r.Header[name]
}

// appendCanonicalHeaders appends "name:value\n" for each signed header.
func appendCanonicalHeaders(b []byte, r *http.Request, signed []string) []byte {
	for _, name := range signed {
		b = append(b, name...)
		b = append(b, ':')
		for i, v := range headerValues(r, name) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendTrimmed(b, v)
		}
		b = append(b, '\n')
	}
	return b
}
