package oidc

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/sqlite"
)

func newService(t *testing.T) (*Service, *time.Time) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	return &Service{Store: st, Issuer: "http://idc.test", Now: func() time.Time { return now }}, &now
}

func TestRedirectAllowed(t *testing.T) {
	reg := []string{"http://127.0.0.1/oauth/callback"}
	for _, tc := range []struct {
		uri  string
		want bool
	}{
		{"http://127.0.0.1/oauth/callback", true},
		{"http://127.0.0.1:53123/oauth/callback", true},
		{"http://127.0.0.1:53123/other", false},
		{"https://127.0.0.1:53123/oauth/callback", false},
		{"http://evil.example:53123/oauth/callback", false},
		{"http://localhost:53123/oauth/callback", false},
	} {
		if got := redirectAllowed(reg, tc.uri); got != tc.want {
			t.Errorf("redirectAllowed(%q) = %v, want %v", tc.uri, got, tc.want)
		}
	}
}

func TestNormalizeUserCode(t *testing.T) {
	for in, want := range map[string]string{"abcd-efgh": "ABCD-EFGH", " abcdefgh ": "ABCD-EFGH", "ABCD EFGH": "ABCD-EFGH", "abc": "ABC"} {
		if got := NormalizeUserCode(in); got != want {
			t.Errorf("NormalizeUserCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSecretsAreStoredHashedAndCodesLock(t *testing.T) {
	s, now := newService(t)
	ctx := context.Background()
	c, err := s.RegisterClient(ctx, RegisterClientInput{Name: "cli", Type: "public", Scopes: []string{"sso:account:access"}})
	if err != nil {
		t.Fatalf("RegisterClient: %v", err)
	}
	d, err := s.StartDeviceAuthorization(ctx, c.ClientID, c.ClientSecret, "http://idc.test/start")
	if err != nil {
		t.Fatalf("StartDeviceAuthorization: %v", err)
	}
	err = s.Store.View(ctx, func(tx store.Tx) error {
		rc, err := tx.GetOIDCClient(ctx, c.ClientID)
		if err != nil {
			return err
		}
		if bytes.Contains(rc.SecretHash, []byte(c.ClientSecret)) || !sameHash(c.ClientSecret, rc.SecretHash) {
			t.Errorf("client secret is not stored as its hash")
		}
		_, err = tx.GetDeviceAuthorization(ctx, []byte(d.DeviceCode))
		if err == nil {
			t.Errorf("device code found by its plain text")
		}
		return nil
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	for i := 0; i < MaxFailedConfirmations; i++ {
		if err := s.FailConfirmation(ctx, d.UserCode); err != nil {
			t.Fatalf("FailConfirmation %d: %v", i, err)
		}
	}
	if _, err := s.LookupUserCode(ctx, d.UserCode); fault.As(err) == nil || fault.As(err).Kind != fault.NotFound {
		t.Fatalf("LookupUserCode of a locked code: %v, want NotFound", err)
	}
	*now = now.Add(2 * time.Second)
	_, err = s.CreateToken(ctx, CreateTokenInput{ClientID: c.ClientID, ClientSecret: c.ClientSecret, GrantType: GrantDeviceCode, DeviceCode: d.DeviceCode})
	if fe := fault.As(err); fe == nil || fe.Reason != CodeAccessDenied {
		t.Fatalf("CreateToken of a locked code: %v, want %s", err, CodeAccessDenied)
	}
}
