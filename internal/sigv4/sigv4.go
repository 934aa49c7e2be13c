package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Wire constants.
const (
	Algorithm  = "AWS4-HMAC-SHA256"
	TimeFormat = "20060102T150405Z"
	DateFormat = "20060102"
	Terminator = "aws4_request"
	// EmptySHA256 is the hex SHA-256 of an empty payload.
	EmptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	// MaxPresignExpires is the longest X-Amz-Expires AWS accepts (7 days).
	MaxPresignExpires = 7 * 24 * time.Hour
	// DefaultMaxSkew is the clock skew AWS tolerates.
	DefaultMaxSkew = 15 * time.Minute

	headerAuthorization = "Authorization"
	headerDate          = "X-Amz-Date"
	headerToken         = "X-Amz-Security-Token"
	headerContentSHA256 = "X-Amz-Content-Sha256"

	queryAlgorithm     = "X-Amz-Algorithm"
	queryCredential    = "X-Amz-Credential"
	queryDate          = "X-Amz-Date"
	queryExpires       = "X-Amz-Expires"
	querySignedHeaders = "X-Amz-SignedHeaders"
	querySignature     = "X-Amz-Signature"
	queryToken         = "X-Amz-Security-Token"
)

// Credentials sign requests.
type Credentials struct{ AccessKeyID, SecretAccessKey, SessionToken string }

// Auth is what a request claims: parsed from the Authorization header or
// from presigned query parameters.
type Auth struct {
	AccessKeyID   string
	Date          time.Time // signing time (X-Amz-Date, or Date)
	Region        string    // from the credential scope
	Service       string    // from the credential scope
	SignedHeaders []string  // as claimed, lower case
	Signature     string
	SessionToken  string
	Presigned     bool
	Expires       time.Duration // presigned X-Amz-Expires; 0 when absent

	// ScopeDate and Terminator are the remaining credential-scope parts
	// (YYYYMMDD and normally "aws4_request"); Verify checks them.
	ScopeDate  string
	Terminator string
	// dateRaw is the claimed timestamp string as it appeared.
	dateRaw string
}

// Scope returns the credential scope "date/region/service/terminator".
func (a *Auth) Scope() string {
	return a.ScopeDate + "/" + a.Region + "/" + a.Service + "/" + a.Terminator
}

// Parse reads the claimed auth. No auth at all → *Error{Kind: KindMissing};
// malformed → KindIncomplete. It does not check the signature, times or scope
// consistency: that is Verify's job.
func Parse(r *http.Request) (*Auth, error) {
	if h := r.Header.Get(headerAuthorization); h != "" {
		return parseHeader(r, h)
	}
	q := r.URL.Query()
	if q.Has(queryAlgorithm) || q.Has(queryCredential) || q.Has(querySignature) {
		return parsePresigned(q)
	}
	return nil, newErr(KindMissing, msgMissing)
}

func parseHeader(r *http.Request, h string) (*Auth, error) {
	a := &Auth{}
	var cred, signed, sig string
	var haveCred, haveSigned, haveSig bool
	rest, ok := strings.CutPrefix(h, Algorithm)
	if ok && (rest == "" || rest[0] == ' ') {
		for part := range strings.SplitSeq(rest, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			k, v, found := strings.Cut(part, "=")
			if !found {
				return nil, newErr(KindIncomplete, fmt.Sprintf(
					"'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", part, h))
			}
			switch k {
			case "Credential":
				cred, haveCred = v, true
			case "SignedHeaders":
				signed, haveSigned = v, true
			case "Signature":
				sig, haveSig = v, true
			}
		}
	}
	dateRaw := r.Header.Get(headerDate)
	haveDate := dateRaw != "" || r.Header.Get("Date") != ""
	if !haveCred || !haveSigned || !haveSig || !haveDate {
		var b strings.Builder
		if !haveCred {
			b.WriteString("Authorization header requires 'Credential' parameter. ")
		}
		if !haveSig {
			b.WriteString("Authorization header requires 'Signature' parameter. ")
		}
		if !haveSigned {
			b.WriteString("Authorization header requires 'SignedHeaders' parameter. ")
		}
		if !haveDate {
			b.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
		}
		b.WriteString("Authorization=")
		b.WriteString(h)
		return nil, newErr(KindIncomplete, b.String())
	}
	if err := a.setCredential(cred); err != nil {
		return nil, err
	}
	if err := a.setSignedHeaders(signed); err != nil {
		return nil, err
	}
	a.Signature = sig
	if dateRaw != "" {
		t, err := time.Parse(TimeFormat, dateRaw)
		if err != nil {
			return nil, newErr(KindIncomplete, fmt.Sprintf(
				"Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", dateRaw))
		}
		a.Date, a.dateRaw = t, dateRaw
	} else {
		d := r.Header.Get("Date")
		t, err := http.ParseTime(d)
		if err != nil {
			return nil, newErr(KindIncomplete, fmt.Sprintf(
				"Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", d))
		}
		a.Date = t.UTC()
		a.dateRaw = a.Date.Format(TimeFormat)
	}
	a.SessionToken = r.Header.Get(headerToken)
	return a, nil
}

func parsePresigned(q map[string][]string) (*Auth, error) {
	get := func(k string) (string, bool) {
		v, ok := q[k]
		if !ok || len(v) == 0 {
			return "", false
		}
		return v[0], true
	}
	for _, k := range []string{queryAlgorithm, queryCredential, querySignature, querySignedHeaders, queryDate} {
		if _, ok := get(k); !ok {
			return nil, newErr(KindIncomplete, fmt.Sprintf(
				"AWS query-string parameters must include '%s'. Re-examine the query-string parameters.", k))
		}
	}
	alg, _ := get(queryAlgorithm)
	if alg != Algorithm {
		return nil, newErr(KindIncomplete, fmt.Sprintf(
			"X-Amz-Algorithm only supports \"%s\", got '%s'.", Algorithm, alg))
	}
	a := &Auth{Presigned: true}
	cred, _ := get(queryCredential)
	if err := a.setCredential(cred); err != nil {
		return nil, err
	}
	signed, _ := get(querySignedHeaders)
	if err := a.setSignedHeaders(signed); err != nil {
		return nil, err
	}
	a.Signature, _ = get(querySignature)
	dateRaw, _ := get(queryDate)
	t, err := time.Parse(TimeFormat, dateRaw)
	if err != nil {
		return nil, newErr(KindIncomplete, fmt.Sprintf(
			"X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\", got '%s'.", dateRaw))
	}
	a.Date, a.dateRaw = t, dateRaw
	if e, ok := get(queryExpires); ok {
		n, err := strconv.ParseInt(e, 10, 64)
		if err != nil || n < 0 {
			return nil, newErr(KindIncomplete, fmt.Sprintf(
				"X-Amz-Expires should be a number, got '%s'.", e))
		}
		if time.Duration(n)*time.Second > MaxPresignExpires {
			return nil, newErr(KindIncomplete,
				"X-Amz-Expires must be less than a week (in seconds) that is 604800")
		}
		a.Expires = time.Duration(n) * time.Second
	}
	a.SessionToken, _ = get(queryToken)
	return a, nil
}

func (a *Auth) setCredential(cred string) error {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[0] == "" {
		return newErr(KindIncomplete, fmt.Sprintf(
			"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", cred))
	}
	a.AccessKeyID, a.ScopeDate, a.Region, a.Service, a.Terminator = parts[0], parts[1], parts[2], parts[3], parts[4]
	return nil
}

func (a *Auth) setSignedHeaders(s string) error {
	if s == "" {
		return newErr(KindIncomplete, "Authorization header requires 'SignedHeaders' parameter. SignedHeaders is empty.")
	}
	a.SignedHeaders = strings.Split(s, ";")
	return nil
}

// Verifier checks SigV4 signatures. The zero value is ready to use and is
// safe for concurrent use.
type Verifier struct {
	// MaxSkew bounds |signing time - now| for header-signed requests
	// (and how far in the future a presigned request may be dated).
	// Zero means DefaultMaxSkew.
	MaxSkew time.Duration

	mu   sync.Mutex
	keys map[keyID][]byte
}

type keyID struct{ secret, date, region, service string }

const maxCachedKeys = 4096

// signingKey derives (or fetches from the cache) kSigning.
func (v *Verifier) signingKey(secret, date, region, service string) []byte {
	id := keyID{secret, date, region, service}
	v.mu.Lock()
	k, ok := v.keys[id]
	v.mu.Unlock()
	if ok {
		return k
	}
	k = deriveKey(secret, date, region, service)
	v.mu.Lock()
	if v.keys == nil || len(v.keys) >= maxCachedKeys {
		v.keys = make(map[keyID][]byte)
	}
	v.keys[id] = k
	v.mu.Unlock()
	return k
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func deriveKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, Terminator)
}

func (v *Verifier) maxSkew() time.Duration {
	if v.MaxSkew > 0 {
		return v.MaxSkew
	}
	return DefaultMaxSkew
}

func skewText(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.FormatInt(int64(d/time.Minute), 10) + " min."
	}
	return strconv.FormatInt(int64(d/time.Second), 10) + " sec."
}

// Verify recomputes the signature over r (method, path, query, signed
// headers) and body with secret, and compares in constant time. It checks
// the signing time against now (±MaxSkew for header auth; not expired for
// presigned), the credential scope's date and terminator,
// x-amz-content-sha256 when present, and that host is signed. Any region or
// service in the scope is accepted: the caller checks those.
func (v *Verifier) Verify(r *http.Request, body []byte, a *Auth, secret string, now time.Time) error {
	skew := v.maxSkew()
	now = now.UTC()
	if a.Date.After(now.Add(skew)) {
		return newErr(KindExpired, fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %s)",
			a.Date.Format(TimeFormat), now.Add(skew).Format(TimeFormat), now.Format(TimeFormat), skewText(skew)))
	}
	if a.Presigned {
		exp := a.Expires
		if exp == 0 {
			exp = skew
		}
		if now.After(a.Date.Add(exp)) {
			return newErr(KindExpired, msgPresignExpired)
		}
	} else if a.Date.Before(now.Add(-skew)) {
		return newErr(KindExpired, fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %s)",
			a.Date.Format(TimeFormat), now.Add(-skew).Format(TimeFormat), now.Format(TimeFormat), skewText(skew)))
	}
	var scopeErrs []string
	if a.Terminator != Terminator {
		scopeErrs = append(scopeErrs, fmt.Sprintf(
			"Credential should be scoped with a valid terminator: 'aws4_request', not '%s'.", a.Terminator))
	}
	if d := a.Date.Format(DateFormat); a.ScopeDate != d {
		scopeErrs = append(scopeErrs, fmt.Sprintf(
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
			a.ScopeDate, d, a.Date.Format(TimeFormat)))
	}
	if len(scopeErrs) > 0 {
		return newErr(KindSignatureMismatch, strings.Join(scopeErrs, " "))
	}
	hostSigned := false
	for _, h := range a.SignedHeaders {
		if h == "host" || h == ":authority" {
			hostSigned = true
			break
		}
	}
	if !hostSigned {
		return newErr(KindIncomplete, msgHostNotSigned)
	}

	bodyHash := hashHex(body)
	payloadHash := bodyHash
	if !a.Presigned {
		if claimed := r.Header.Get(headerContentSHA256); claimed != "" && claimed != bodyHash {
			return newErr(KindPayloadHash, msgPayloadHash)
		}
	}

	key := v.signingKey(secret, a.ScopeDate, a.Region, a.Service)
	skip := ""
	if a.Presigned {
		skip = querySignature
	}
	query := canonicalQuery(r.URL.RawQuery, skip)
	norm, raw := canonicalURIs(r)
	if signatureMatches(key, r, a, norm, query, payloadHash) {
		return nil
	}
	if raw != "" && signatureMatches(key, r, a, raw, query, payloadHash) {
		return nil
	}
	if a.Presigned && signatureMatches(key, r, a, norm, query, "UNSIGNED-PAYLOAD") {
		return nil
	}
	return newErr(KindSignatureMismatch, msgSignatureMismatch)
}

func signatureMatches(key []byte, r *http.Request, a *Auth, uri, query, payloadHash string) bool {
	sig := computeSignature(key, r, a.SignedHeaders, a.dateRawOrFormat(), a.Scope(), uri, query, payloadHash)
	var got [64]byte
	hex.Encode(got[:], sig)
	return hmac.Equal(got[:], []byte(a.Signature))
}

func (a *Auth) dateRawOrFormat() string {
	if a.dateRaw != "" {
		return a.dateRaw
	}
	return a.Date.UTC().Format(TimeFormat)
}

func hashHex(b []byte) string {
	if len(b) == 0 {
		return EmptySHA256
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// canonicalRequest builds the canonical request bytes.
func canonicalRequest(r *http.Request, signed []string, uri, query, payloadHash string) []byte {
	b := make([]byte, 0, 512)
	b = append(b, r.Method...)
	b = append(b, '\n')
	b = append(b, uri...)
	b = append(b, '\n')
	b = append(b, query...)
	b = append(b, '\n')
	b = appendCanonicalHeaders(b, r, signed)
	b = append(b, '\n')
	for i, h := range signed {
		if i > 0 {
			b = append(b, ';')
		}
		b = append(b, h...)
	}
	b = append(b, '\n')
	b = append(b, payloadHash...)
	return b
}

// computeSignature returns the raw HMAC signature bytes.
func computeSignature(key []byte, r *http.Request, signed []string, amzDate, scope, uri, query, payloadHash string) []byte {
	creq := canonicalRequest(r, signed, uri, query, payloadHash)
	ch := sha256.Sum256(creq)
	var chHex [64]byte
	hex.Encode(chHex[:], ch[:])
	m := hmac.New(sha256.New, key)
	writeSTS(m, amzDate, scope, chHex[:])
	return m.Sum(nil)
}

func writeSTS(m hash.Hash, amzDate, scope string, creqHash []byte) {
	buf := make([]byte, 0, len(Algorithm)+len(amzDate)+len(scope)+len(creqHash)+3)
	buf = append(buf, Algorithm...)
	buf = append(buf, '\n')
	buf = append(buf, amzDate...)
	buf = append(buf, '\n')
	buf = append(buf, scope...)
	buf = append(buf, '\n')
	buf = append(buf, creqHash...)
	m.Write(buf)
}

// StringToSign returns the canonical request and string to sign Verify would
// compute for r under a (normalised path), for diagnostics and tests.
func StringToSign(r *http.Request, body []byte, a *Auth) (canonical, stringToSign string) {
	skip := ""
	if a.Presigned {
		skip = querySignature
	}
	norm, _ := canonicalURIs(r)
	creq := canonicalRequest(r, a.SignedHeaders, norm, canonicalQuery(r.URL.RawQuery, skip), hashHex(body))
	ch := sha256.Sum256(creq)
	return string(creq), Algorithm + "\n" + a.dateRawOrFormat() + "\n" + a.Scope() + "\n" + hex.EncodeToString(ch[:])
}

// ignoredHeader reports whether Sign leaves a (lower-case) header unsigned,
// as the AWS SDKs do.
func ignoredHeader(h string) bool {
	switch h {
	case "authorization", "user-agent", "x-amzn-trace-id", "expect", "transfer-encoding", "connection":
		return true
	}
	return false
}

// Sign signs r in the header form: it sets X-Amz-Date, X-Amz-Security-Token
// (when c has a session token) and Authorization. It signs host and every
// header already on r (except Authorization, User-Agent, X-Amzn-Trace-Id,
// Expect, Transfer-Encoding, Connection), plus content-length when positive.
func Sign(r *http.Request, body []byte, c Credentials, region, service string, now time.Time) error {
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return fmt.Errorf("sigv4: sign: missing access key id or secret")
	}
	now = now.UTC()
	amzDate := now.Format(TimeFormat)
	r.Header.Del(headerAuthorization)
	r.Header.Set(headerDate, amzDate)
	if c.SessionToken != "" {
		r.Header.Set(headerToken, c.SessionToken)
	}
	signed := []string{"host"}
	for k := range r.Header {
		lk := strings.ToLower(k)
		if ignoredHeader(lk) || lk == "host" {
			continue
		}
		signed = append(signed, lk)
	}
	if r.ContentLength > 0 && r.Header.Get("Content-Length") == "" {
		signed = append(signed, "content-length")
	}
	slices.Sort(signed)
	scope := now.Format(DateFormat) + "/" + region + "/" + service + "/" + Terminator
	norm, _ := canonicalURIs(r)
	payload := hashHex(body)
	if h := r.Header.Get(headerContentSHA256); h != "" {
		payload = h
	}
	key := deriveKey(c.SecretAccessKey, now.Format(DateFormat), region, service)
	sig := computeSignature(key, r, signed, amzDate, scope, norm, canonicalQuery(r.URL.RawQuery, ""), payload)
	r.Header.Set(headerAuthorization, Algorithm+" Credential="+c.AccessKeyID+"/"+scope+
		", SignedHeaders="+strings.Join(signed, ";")+", Signature="+hex.EncodeToString(sig))
	return nil
}

// Presign returns r's URL with SigV4 query authentication added (host is the
// only signed header, the payload is taken as empty). r is not modified.
func Presign(r *http.Request, c Credentials, region, service string, now time.Time, expires time.Duration) (string, error) {
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return "", fmt.Errorf("sigv4: presign: missing access key id or secret")
	}
	if expires <= 0 || expires > MaxPresignExpires {
		return "", fmt.Errorf("sigv4: presign: expires %v out of range (0, 7 days]", expires)
	}
	now = now.UTC()
	amzDate := now.Format(TimeFormat)
	scope := now.Format(DateFormat) + "/" + region + "/" + service + "/" + Terminator
	u := *r.URL
	q := u.RawQuery
	add := func(k, v string) {
		if q != "" {
			q += "&"
		}
		q += escape(k) + "=" + escape(v)
	}
	add(queryAlgorithm, Algorithm)
	add(queryCredential, c.AccessKeyID+"/"+scope)
	add(queryDate, amzDate)
	add(queryExpires, strconv.FormatInt(int64(expires/time.Second), 10))
	add(querySignedHeaders, "host")
	if c.SessionToken != "" {
		add(queryToken, c.SessionToken)
	}
	rr := &http.Request{Method: r.Method, URL: &u, Host: r.Host, RequestURI: r.RequestURI, Header: http.Header{}}
	if rr.Host == "" {
		rr.Host = r.URL.Host
	}
	norm, _ := canonicalURIs(rr)
	key := deriveKey(c.SecretAccessKey, now.Format(DateFormat), region, service)
	sig := computeSignature(key, rr, []string{"host"}, amzDate, scope, norm, canonicalQuery(q, ""), EmptySHA256)
	u.RawQuery = q + "&" + querySignature + "=" + hex.EncodeToString(sig)
	return u.String(), nil
}
