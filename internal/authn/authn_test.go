package authn

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/sigv4"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/sqlite"
)

var t0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

const acct = "111122223333"

var keys = []store.AccessKey{
	{AccessKeyID: "AKIAROOT000000000001", SecretAccessKey: "root-secret", AccountID: acct,
		PrincipalARN: "arn:aws:iam::" + acct + ":root", Status: "Active", CreatedAt: t0},
	{AccessKeyID: "AKIAUSER000000000001", SecretAccessKey: "alice-secret", AccountID: acct,
		PrincipalARN: "arn:aws:iam::" + acct + ":user/eng/alice", UserName: "alice", Status: "Active", CreatedAt: t0},
	{AccessKeyID: "AKIAOFF0000000000001", SecretAccessKey: "off-secret", AccountID: acct,
		PrincipalARN: "arn:aws:iam::" + acct + ":user/bob", UserName: "bob", Status: "Inactive", CreatedAt: t0},
	{AccessKeyID: "ASIATEMP000000000001", SecretAccessKey: "temp-secret", AccountID: acct,
		PrincipalARN: "arn:aws:iam::" + acct + ":role/Admin", Status: "Active", CreatedAt: t0},
}

func openStore(t *testing.T) store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "idcenter.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	err = s.Update(ctx, func(tx store.Tx) error {
		for _, k := range keys {
			if err := tx.CreateAccessKey(ctx, k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sessions is a SessionResolver over a fixed token table.
type sessions map[string]Session

func (s sessions) ResolveSession(_ context.Context, k store.AccessKey, token string) (Session, error) {
	if token == "broken" {
		return Session{}, errors.New("database on fire")
	}
	sess, ok := s[k.AccessKeyID+"/"+token]
	if !ok {
		return Session{}, &Error{Kind: KindInvalidToken, Message: MsgInvalidToken}
	}
	return sess, nil
}

func signedRequest(t *testing.T, id, secret, token string, at time.Time) (*http.Request, []byte) {
	t.Helper()
	body := []byte("Action=GetCallerIdentity&Version=2011-06-15")
	r := httptest.NewRequest(http.MethodPost, "https://sts.amazonaws.com/", strings.NewReader(string(body)))
	r.RemoteAddr = "198.51.100.7:50123"
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if err := sigv4.Sign(r, body, sigv4.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token}, "eu-central-1", "sts", at); err != nil {
		t.Fatal(err)
	}
	return r, body
}

func TestAuthenticateSigV4(t *testing.T) {
	st := openStore(t)
	roleSession := "arn:aws:sts::" + acct + ":assumed-role/Admin/alice@example.com"
	sess := sessions{
		"ASIATEMP000000000001/good":    {ARN: roleSession, UserID: "AROAEXAMPLEID:alice@example.com", MFAPresent: true, Expiration: t0.Add(time.Hour)},
		"ASIATEMP000000000001/expired": {ARN: roleSession, Expiration: t0.Add(-time.Second)},
	}
	tests := []struct {
		name     string
		req      func(t *testing.T) (*http.Request, []byte)
		now      time.Time
		sessions SessionResolver
		want     *Principal
		kind     Kind
		internal bool
	}{
		{name: "root key", req: func(t *testing.T) (*http.Request, []byte) {
			return signedRequest(t, "AKIAROOT000000000001", "root-secret", "", t0)
		}, want: &Principal{AccountID: acct, ARN: "arn:aws:iam::" + acct + ":root", UserID: acct, Type: TypeAccount,
			AccessKeyID: "AKIAROOT000000000001", SourceIP: "198.51.100.7", Region: "eu-central-1", Service: "sts"}},
		{name: "user key", req: func(t *testing.T) (*http.Request, []byte) {
			return signedRequest(t, "AKIAUSER000000000001", "alice-secret", "", t0.Add(-10*time.Minute))
		}, want: &Principal{AccountID: acct, ARN: "arn:aws:iam::" + acct + ":user/eng/alice", UserName: "alice", Type: TypeUser,
			AccessKeyID: "AKIAUSER000000000001", SourceIP: "198.51.100.7", Region: "eu-central-1", Service: "sts"}},
		{name: "session", sessions: sess, req: func(t *testing.T) (*http.Request, []byte) {
			return signedRequest(t, "ASIATEMP000000000001", "temp-secret", "good", t0)
		}, want: &Principal{AccountID: acct, ARN: roleSession, UserID: "AROAEXAMPLEID:alice@example.com", UserName: "alice@example.com",
			Type: TypeAssumedRole, AccessKeyID: "ASIATEMP000000000001", SessionToken: "good", MFAPresent: true,
			SourceIP: "198.51.100.7", Region: "eu-central-1", Service: "sts"}},
		{name: "no auth", kind: KindMissing, req: func(t *testing.T) (*http.Request, []byte) {
			return httptest.NewRequest(http.MethodPost, "https://sts.amazonaws.com/", nil), nil
		}},
		{name: "incomplete", kind: KindIncomplete, req: func(t *testing.T) (*http.Request, []byte) {
			r := httptest.NewRequest(http.MethodPost, "https://sts.amazonaws.com/", nil)
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAROOT000000000001/20261125/us-east-1/sts/aws4_request")
			return r, nil
		}},
		{name: "unknown key", kind: KindUnknownKey, req: func(t *testing.T) (*http.Request, []byte) {
			return signedRequest(t, "AKIANOPE000000000001", "x", "", t0)
		}},
		{name: "inactive key", kind: KindUnknownKey, req: func(t *testing.T) (*http.Request, []byte) {
			return signedRequest(t, "AKIAOFF0000000000001", "off-secret", "", t0)
		}},
		{name: "wrong secret", kind: KindSignatureMismatch, req: func(t *testing.T) (*http.Request, []byte) {
			return signedRequest(t, "AKIAUSER000000000001", "not-alice", "", t0)
		}},
		{name: "tampered body", kind: KindSignatureMismatch, req: func(t *testing.T) (*http.Request, []byte) {
			r, b := signedRequest(t, "AKIAUSER000000000001", "alice-secret", "", t0)
			return r, append(b, "&x=1"...)
		}},
		{name: "signed 16 min ago", kind: KindExpired, req: func(t *testing.T) (*http.Request, []byte) {
			return signedRequest(t, "AKIAUSER000000000001", "alice-secret", "", t0.Add(-16*time.Minute))
		}},
		{name: "token on long-term key", kind: KindInvalidToken, req: func(t *testing.T) (*http.Request, []byte) {
			return signedRequest(t, "AKIAUSER000000000001", "alice-secret", "good", t0)
		}},
		{name: "temporary key without token", sessions: sess, kind: KindInvalidToken, req: func(t *testing.T) (*http.Request, []byte) {
			return signedRequest(t, "ASIATEMP000000000001", "temp-secret", "", t0)
		}},
		{name: "temporary key, no resolver", kind: KindInvalidToken, req: func(t *testing.T) (*http.Request, []byte) {
			return signedRequest(t, "ASIATEMP000000000001", "temp-secret", "good", t0)
		}},
		{name: "unknown token", sessions: sess, kind: KindInvalidToken, req: func(t *testing.T) (*http.Request, []byte) {
			return signedRequest(t, "ASIATEMP000000000001", "temp-secret", "forged", t0)
		}},
		{name: "expired token", sessions: sess, kind: KindExpiredToken, req: func(t *testing.T) (*http.Request, []byte) {
			return signedRequest(t, "ASIATEMP000000000001", "temp-secret", "expired", t0)
		}},
		{name: "resolver failure", sessions: sess, internal: true, req: func(t *testing.T) (*http.Request, []byte) {
			return signedRequest(t, "ASIATEMP000000000001", "temp-secret", "broken", t0)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := &Authenticator{Store: st, Verifier: &sigv4.Verifier{}, Now: func() time.Time { return t0 }, Sessions: tc.sessions}
			r, body := tc.req(t)
			p, err := a.AuthenticateSigV4(context.Background(), r, body)
			switch {
			case tc.want != nil:
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if *p != *tc.want {
					t.Errorf("principal\n got %+v\nwant %+v", *p, *tc.want)
				}
			case tc.internal:
				var ae *Error
				if err == nil || errors.As(err, &ae) {
					t.Fatalf("err = %v, want an internal (non-*Error) failure", err)
				}
			default:
				var ae *Error
				if !errors.As(err, &ae) {
					t.Fatalf("err = %v, want *Error", err)
				}
				if ae.Kind != tc.kind {
					t.Errorf("kind = %v (%s), want %v", ae.Kind, ae.Message, tc.kind)
				}
				if ae.Message == "" {
					t.Error("empty message")
				}
				if p != nil {
					t.Error("principal returned with an error")
				}
			}
		})
	}
}

func TestMessages(t *testing.T) {
	st := openStore(t)
	a := &Authenticator{Store: st, Now: func() time.Time { return t0 }}
	r, body := signedRequest(t, "AKIANOPE000000000001", "x", "", t0)
	_, err := a.AuthenticateSigV4(context.Background(), r, body)
	if got := err.(*Error).Message; got != "The security token included in the request is invalid." {
		t.Errorf("unknown key message %q", got)
	}
	r, body = signedRequest(t, "AKIAUSER000000000001", "bad", "", t0)
	_, err = a.AuthenticateSigV4(context.Background(), r, body)
	if got := err.(*Error).Message; !strings.HasPrefix(got, "The request signature we calculated does not match the signature you provided.") {
		t.Errorf("mismatch message %q", got)
	}
	r = httptest.NewRequest(http.MethodPost, "https://sts.amazonaws.com/", nil)
	_, err = a.AuthenticateSigV4(context.Background(), r, nil)
	if got := err.(*Error).Message; got != "Request is missing Authentication Token" {
		t.Errorf("missing message %q", got)
	}
}

// failingStore fails every transaction.
type failingStore struct{ store.Store }

func (failingStore) View(context.Context, func(store.Tx) error) error { return errors.New("disk gone") }

func TestStoreFailureIsInternal(t *testing.T) {
	a := &Authenticator{Store: failingStore{}, Now: func() time.Time { return t0 }}
	r, body := signedRequest(t, "AKIAUSER000000000001", "alice-secret", "", t0)
	_, err := a.AuthenticateSigV4(context.Background(), r, body)
	if err == nil || KindOf(err) != 0 || !strings.Contains(err.Error(), "disk gone") {
		t.Fatalf("err = %v, want wrapped store failure", err)
	}
}

func TestCodeFor(t *testing.T) {
	tests := []struct {
		kind     Kind
		protocol string
		code     string
		status   int
	}{
		{KindMissing, "query", "MissingAuthenticationToken", 403},
		{KindIncomplete, "query", "IncompleteSignature", 400},
		{KindUnknownKey, "query", "InvalidClientTokenId", 403},
		{KindSignatureMismatch, "query", "SignatureDoesNotMatch", 403},
		{KindExpired, "query", "SignatureDoesNotMatch", 403},
		{KindInvalidToken, "query", "InvalidClientTokenId", 403},
		{KindExpiredToken, "query", "ExpiredToken", 403},
		{KindMissing, "json", "MissingAuthenticationTokenException", 400},
		{KindIncomplete, "json", "IncompleteSignatureException", 400},
		{KindUnknownKey, "json", "UnrecognizedClientException", 400},
		{KindSignatureMismatch, "json", "InvalidSignatureException", 400},
		{KindExpired, "json", "InvalidSignatureException", 400},
		{KindInvalidToken, "json", "UnrecognizedClientException", 400},
		{KindExpiredToken, "json", "ExpiredTokenException", 400},
		{KindUnknownKey, "rest-json", "UnrecognizedClientException", 403},
		{KindSignatureMismatch, "rest-json", "InvalidSignatureException", 403},
		{KindUnknownKey, "smithy-rpc-v2-cbor", "UnrecognizedClientException", 400},
		{Kind(99), "query", "InternalFailure", 500},
	}
	for _, tc := range tests {
		code, status := CodeFor(tc.kind, tc.protocol)
		if code != tc.code || status != tc.status {
			t.Errorf("CodeFor(%v, %q) = %s %d, want %s %d", tc.kind, tc.protocol, code, status, tc.code, tc.status)
		}
	}
}

func TestPrincipalContext(t *testing.T) {
	if _, ok := PrincipalFrom(context.Background()); ok {
		t.Fatal("principal in empty context")
	}
	p := &Principal{ARN: "arn:aws:iam::" + acct + ":root"}
	got, ok := PrincipalFrom(WithPrincipal(context.Background(), p))
	if !ok || got != p {
		t.Fatalf("PrincipalFrom = %v, %v", got, ok)
	}
}

func TestPrincipalFor(t *testing.T) {
	tests := []struct {
		arn, typ, name, userID string
	}{
		{"arn:aws:iam::" + acct + ":root", TypeAccount, "", acct},
		{"arn:aws:iam::" + acct + ":user/a/b/carol", TypeUser, "carol", ""},
		{"arn:aws:sts::" + acct + ":assumed-role/AWSReservedSSO_Admin_0123456789abcdef/dave", TypeAssumedRole, "dave", ""},
		{"arn:aws:sts::" + acct + ":federated-user/erin", TypeFederatedUser, "erin", acct + ":erin"},
	}
	for _, tc := range tests {
		p := principalFor(store.AccessKey{AccessKeyID: "AKIAX", PrincipalARN: tc.arn})
		if p.Type != tc.typ || p.UserName != tc.name || p.UserID != tc.userID || p.AccountID != acct {
			t.Errorf("%s: got %+v", tc.arn, p)
		}
	}
}

// TestKeyCacheTTL: with KeyTTL a deactivated key keeps working until the TTL
// has passed, and is refused afterwards; without it the change is immediate.
func TestKeyCacheTTL(t *testing.T) {
	ctx := context.Background()
	for _, ttl := range []time.Duration{0, 2 * time.Second} {
		st := openStore(t)
		now := t0
		a := &Authenticator{Store: st, Verifier: &sigv4.Verifier{}, Now: func() time.Time { return now }, KeyTTL: ttl}
		call := func() error {
			r, body := signedRequest(t, "AKIAUSER000000000001", "alice-secret", "", now)
			_, err := a.AuthenticateSigV4(ctx, r, body)
			return err
		}
		if err := call(); err != nil {
			t.Fatalf("ttl %v: first call: %v", ttl, err)
		}
		// Deactivate the key in the store.
		err := st.Update(ctx, func(tx store.Tx) error { return tx.SetAccessKeyStatus(ctx, "AKIAUSER000000000001", "Inactive") })
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Second)
		err = call()
		if ttl == 0 && KindOf(err) != KindUnknownKey {
			t.Fatalf("without cache: deactivated key gave %v", err)
		}
		if ttl > 0 && err != nil {
			t.Fatalf("within TTL: %v", err)
		}
		now = now.Add(ttl + time.Second)
		if err := call(); KindOf(err) != KindUnknownKey {
			t.Fatalf("ttl %v: after TTL deactivated key gave %v", ttl, err)
		}
	}
}

func TestAcceptUnknownKeys(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	root := func(id string) *Principal {
		return &Principal{AccountID: acct, ARN: "arn:aws:iam::" + acct + ":root", UserID: acct, Type: TypeAccount, AccessKeyID: id}
	}
	strict := &Authenticator{Store: st, Verifier: &sigv4.Verifier{}, Now: func() time.Time { return t0 }}
	lax := &Authenticator{Store: st, Verifier: &sigv4.Verifier{}, Now: func() time.Time { return t0 }, AcceptUnknownKeysAs: root}

	r, body := signedRequest(t, "test", "test", "", t0)
	if _, err := strict.AuthenticateSigV4(ctx, r, body); KindOf(err) != KindUnknownKey {
		t.Fatalf("without the flag an unknown key gave %v", err)
	}
	r, body = signedRequest(t, "test", "whatever", "", t0)
	p, err := lax.AuthenticateSigV4(ctx, r, body)
	if err != nil || p.ARN != "arn:aws:iam::"+acct+":root" || p.AccessKeyID != "test" || p.Region != "eu-central-1" || p.Service != "sts" {
		t.Fatalf("with the flag: %+v, %v", p, err)
	}
	// Known keys are still verified: a wrong secret for a known key fails.
	r, body = signedRequest(t, "AKIAUSER000000000001", "not-alices-secret", "", t0)
	if _, err := lax.AuthenticateSigV4(ctx, r, body); KindOf(err) != KindSignatureMismatch {
		t.Fatalf("known key with wrong secret under the flag: %v", err)
	}
	// Malformed auth is still refused.
	bad := httptest.NewRequest(http.MethodPost, "https://sts.amazonaws.com/", strings.NewReader("Action=GetCallerIdentity"))
	bad.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test")
	if _, err := lax.AuthenticateSigV4(ctx, bad, nil); KindOf(err) != KindIncomplete {
		t.Fatalf("malformed auth under the flag: %v", err)
	}
}
