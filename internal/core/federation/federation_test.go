package federation_test

import (
	"context"
	"errors"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/core/federation"
	"github.com/idcenter/idcenter/internal/samltest"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/sqlite"
)

const (
	storeID = "d-1234567890"
	arn     = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
)

func newService(t testing.TB, now *time.Time) *federation.Service {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "idcenter.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	err = st.Update(ctx, func(tx store.Tx) error {
		return tx.CreateUser(ctx, store.User{IdentityStoreID: storeID, UserID: "u-a", UserName: "alice@example.com", Status: "ENABLED",
			CreatedAt: *now, UpdatedAt: *now})
	})
	if err != nil {
		t.Fatal(err)
	}
	return &federation.Service{Store: st, InstanceARN: arn, IdentityStoreID: storeID,
		BaseURL: func() string { return "https://idcenter.example.com" }, Now: func() time.Time { return *now }}
}

// TestConsumeUsesTheInjectedClock: the same response is refused when the
// service's clock is past its validity and accepted at the time it was made.
func TestConsumeUsesTheInjectedClock(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	svc := newService(t, &now)
	idp := samltest.Start(t)
	if _, err := svc.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: idp.Metadata(t), AllowIdPInitiated: true}); err != nil {
		t.Fatal(err)
	}
	md, err := svc.SPMetadata(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), `entityID="https://idcenter.example.com/saml/metadata"`) {
		t.Fatalf("SP metadata:\n%s", md)
	}
	resp := idp.Response(t, md, samltest.Options{NameID: "alice@example.com", RelayState: "/start/device"})
	issued := now
	now = issued.Add(10 * time.Minute)
	if _, err := svc.Consume(ctx, resp, ""); !errors.Is(err, federation.ErrInvalidResponse) {
		t.Fatalf("Consume 10 minutes later: %v, want ErrInvalidResponse", err)
	}
	now = issued
	res, err := svc.Consume(ctx, resp, "/start/device")
	if err != nil || res.UserName != "alice@example.com" || res.Next != "/start/device" {
		t.Fatalf("Consume = %+v, %v", res, err)
	}
}

// TestPendingRequestExpires: an SP-initiated sign-in waits RequestTTL for
// the IdP; a response after that is unsolicited (refused when IdP-initiated
// sign-in is off). The AuthnRequest goes to the IdP's redirect URL with the
// RelayState.
func TestPendingRequestExpires(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	svc := newService(t, &now)
	idp := samltest.Start(t)
	if _, err := svc.StartSignIn(ctx, "/start"); !errors.Is(err, federation.ErrNotExternal) {
		t.Fatalf("StartSignIn with the identity store: %v", err)
	}
	if _, err := svc.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: idp.Metadata(t)}); err != nil {
		t.Fatal(err)
	}
	to, err := svc.StartSignIn(ctx, "/start/device?user_code=ABCD-EFGH")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(to)
	if err != nil || !strings.HasPrefix(to, idp.URL+"/sso?") || u.Query().Get("SAMLRequest") == "" || u.Query().Get("RelayState") == "" {
		t.Fatalf("StartSignIn = %s, %v", to, err)
	}
	md, _ := svc.SPMetadata(ctx)
	resp := idp.Response(t, md, samltest.Options{NameID: "alice@example.com"})
	now = now.Add(federation.RequestTTL + time.Second)
	if _, err := svc.Consume(ctx, resp, u.Query().Get("RelayState")); !errors.Is(err, federation.ErrUnsolicited) {
		t.Fatalf("Consume after the request expired: %v, want ErrUnsolicited", err)
	}
}

// FuzzConsume: whatever is posted to the ACS, Consume answers an error or
// the one user a real response names, and never panics.
func FuzzConsume(f *testing.F) {
	ctx := context.Background()
	now := time.Now()
	svc := newService(f, &now)
	idp := samltest.Start(f)
	if _, err := svc.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: idp.Metadata(f), AllowIdPInitiated: true}); err != nil {
		f.Fatal(err)
	}
	md, err := svc.SPMetadata(ctx)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(idp.Response(f, md, samltest.Options{NameID: "alice@example.com"}), "")
	f.Add(idp.Response(f, md, samltest.Options{NameID: "alice@example.com", Unsigned: true}), "/start")
	f.Add("PHNhbWxwOlJlc3BvbnNlLz4=", "relay")
	f.Add("%%%", "")
	f.Fuzz(func(t *testing.T, resp, relay string) {
		res, err := svc.Consume(ctx, resp, relay)
		if err == nil && res.UserName != "alice@example.com" {
			t.Fatalf("Consume accepted a response for %q", res.UserName)
		}
	})
}
