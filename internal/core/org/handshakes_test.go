package org_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/org"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/sqlite"
)

const (
	mgmt     = "111111111111"
	outsider = "999999999999"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newOrg is an organization with its management account on a real SQLite
// store, and a settable clock.
func newOrg(t *testing.T) (*org.Service, *clock) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "org.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := &clock{t: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	err = st.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateOrganization(ctx, store.Organization{ID: "o-abcdefghij", ARN: "arn:aws:organizations::" + mgmt + ":organization/o-abcdefghij",
			ManagementAccountID: mgmt, ManagementEmail: "root@example.com", FeatureSet: "ALL", CreatedAt: clk.now()}); err != nil {
			return err
		}
		return tx.CreateAccount(ctx, store.Account{ID: mgmt, ARN: "arn:aws:organizations::" + mgmt + ":account/o-abcdefghij/" + mgmt,
			Name: "management", Email: "root@example.com", Status: "ACTIVE", JoinedMethod: "CREATED", JoinedAt: clk.now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	return &org.Service{Store: st, Now: clk.now}, clk
}

func wantConflict(t *testing.T, what string, err error, reason string) {
	t.Helper()
	fe := fault.As(err)
	if fe == nil || fe.Kind != fault.Conflict || fe.Reason != reason {
		t.Fatalf("%s: err = %v, want conflict %s", what, err, reason)
	}
}

// TestHandshakeExpires: an invitation is EXPIRED 15 days after it was sent,
// can no longer be accepted, declined or canceled, and no longer blocks a new one.
func TestHandshakeExpires(t *testing.T) {
	ctx := context.Background()
	s, clk := newOrg(t)
	target := org.Party{ID: outsider, Type: org.PartyAccount}
	h, err := s.InviteAccount(ctx, mgmt, target, "", nil)
	if err != nil {
		t.Fatalf("InviteAccount: %v", err)
	}
	if !h.ExpiresAt.Equal(clk.now().Add(15 * 24 * time.Hour)) {
		t.Fatalf("expires %v", h.ExpiresAt)
	}
	for _, tc := range []struct {
		after time.Duration
		want  string
	}{
		{15*24*time.Hour - time.Second, org.HandshakeOpen},
		{time.Second, org.HandshakeExpired},
	} {
		clk.add(tc.after)
		d, err := s.DescribeHandshake(ctx, outsider, h.ID)
		if err != nil || d.State != tc.want {
			t.Fatalf("at %v: state %s, %v; want %s", clk.now(), d.State, err, tc.want)
		}
	}
	_, err = s.AcceptHandshake(ctx, outsider, h.ID)
	wantConflict(t, "accept expired", err, "INVALID_HANDSHAKE_TRANSITION")
	_, err = s.DeclineHandshake(ctx, outsider, h.ID)
	wantConflict(t, "decline expired", err, "INVALID_HANDSHAKE_TRANSITION")
	_, err = s.CancelHandshake(ctx, mgmt, h.ID)
	wantConflict(t, "cancel expired", err, "INVALID_HANDSHAKE_TRANSITION")
	list, _, err := s.ListHandshakesForOrganization(ctx, mgmt, org.HandshakeFilter{}, 0, "")
	if err != nil || len(list) != 1 || list[0].State != org.HandshakeExpired {
		t.Fatalf("ListHandshakesForOrganization = %+v, %v", list, err)
	}
	// A fresh invitation (an hour later) is accepted: the unknown account joins, named by its id.
	clk.add(time.Hour)
	h2, err := s.InviteAccount(ctx, mgmt, target, "", nil)
	if err != nil {
		t.Fatalf("invite again: %v", err)
	}
	if _, err := s.AcceptHandshake(ctx, outsider, h2.ID); err != nil {
		t.Fatalf("accept: %v", err)
	}
	a, err := s.DescribeAccount(ctx, outsider)
	if err != nil || a.JoinedMethod != "INVITED" || a.Name != outsider || !a.JoinedAt.Equal(clk.now()) {
		t.Fatalf("joined = %+v, %v", a, err)
	}
	// Ended handshakes are shown for 30 days: the expired one 30 days after
	// it expired, the accepted one 30 days after it was accepted.
	visible := func() []string {
		t.Helper()
		list, _, err := s.ListHandshakesForOrganization(ctx, mgmt, org.HandshakeFilter{}, 0, "")
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range list {
			ids = append(ids, h.ID)
		}
		return ids
	}
	clk.add(30*24*time.Hour - time.Hour - time.Second) // the first expired 30 days minus a second ago
	if got := visible(); len(got) != 2 {
		t.Fatalf("before pruning: %v", got)
	}
	clk.add(time.Second)
	if got := visible(); len(got) != 1 || got[0] != h2.ID {
		t.Fatalf("after the expired one's 30 days: %v", got)
	}
	if _, err := s.DescribeHandshake(ctx, mgmt, h.ID); fault.As(err) == nil || fault.As(err).ResourceType != "HANDSHAKE" {
		t.Fatalf("pruned handshake: %v", err)
	}
	clk.add(time.Hour)
	if got := visible(); len(got) != 0 {
		t.Fatalf("after the accepted one's 30 days: %v", got)
	}
}

// TestInviteRateLimit: at most 20 invitations a day.
func TestInviteRateLimit(t *testing.T) {
	ctx := context.Background()
	s, clk := newOrg(t)
	invite := func(i int) error {
		_, err := s.InviteAccount(ctx, mgmt, org.Party{ID: "2000000000" + string(rune('0'+i/10)) + string(rune('0'+i%10)), Type: org.PartyAccount}, "", nil)
		return err
	}
	for i := 0; i < 20; i++ {
		if err := invite(i); err != nil {
			t.Fatalf("invite %d: %v", i, err)
		}
	}
	err := invite(20)
	if fe := fault.As(err); fe == nil || fe.Reason != "HANDSHAKE_RATE_LIMIT_EXCEEDED" || fe.ResourceType != "HANDSHAKE" {
		t.Fatalf("21st invitation: %v", err)
	}
	clk.add(24 * time.Hour)
	if err := invite(21); err != nil {
		t.Fatalf("next day: %v", err)
	}
}

// TestResponsibilityTransferExpires: a transfer invitation nobody answers ends EXPIRED.
func TestResponsibilityTransferExpires(t *testing.T) {
	ctx := context.Background()
	s, clk := newOrg(t)
	h, err := s.InviteTransfer(ctx, mgmt, org.TransferInput{Type: "BILLING", Target: org.Party{ID: outsider, Type: org.PartyAccount},
		Start: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), SourceName: "t"})
	if err != nil {
		t.Fatalf("InviteTransfer: %v", err)
	}
	clk.add(16 * 24 * time.Hour)
	trs, _, err := s.ListTransfers(ctx, mgmt, false, "BILLING", "", 0, "")
	if err != nil || len(trs) != 1 || trs[0].Status != org.TransferExpired || trs[0].HandshakeID != h.ID {
		t.Fatalf("transfers = %+v, %v", trs, err)
	}
	_, err = s.TerminateTransfer(ctx, mgmt, trs[0].ID, time.Time{})
	wantConflict(t, "terminate expired", err, "INVALID_TRANSFER_TRANSITION")
}

// TestCloseAccountQuota: at most max(250, 20% of members) closures in 30 days.
func TestCloseAccountQuota(t *testing.T) {
	ctx := context.Background()
	s, clk := newOrg(t)
	var ids []string
	for i := 0; i < 251; i++ {
		st, err := s.CreateAccount(ctx, org.CreateAccountInput{Email: "a" + time.Duration(i).String() + "@example.com", AccountName: "a"})
		if err != nil {
			t.Fatal(err)
		}
		d, err := s.DescribeCreateAccountStatus(ctx, st.ID)
		if err != nil || d.AccountID == "" {
			t.Fatalf("create %d: %+v, %v", i, d, err)
		}
		ids = append(ids, d.AccountID)
	}
	for i := 0; i < 250; i++ {
		if err := s.CloseAccount(ctx, mgmt, ids[i]); err != nil {
			t.Fatalf("close %d: %v", i, err)
		}
	}
	err := s.CloseAccount(ctx, mgmt, ids[250])
	if fe := fault.As(err); fe == nil || fe.Reason != "CLOSE_ACCOUNT_QUOTA_EXCEEDED" {
		t.Fatalf("251st closure: %v", err)
	}
	clk.add(30*24*time.Hour + time.Second)
	if err := s.CloseAccount(ctx, mgmt, ids[250]); err != nil {
		t.Fatalf("after 30 days: %v", err)
	}
	if err := s.CheckAccountOpen(ctx, ids[0]); fault.As(err) == nil || fault.As(err).Kind != fault.AccessDenied {
		t.Fatalf("closed account's principals: %v", err)
	}
	if err := s.CheckAccountOpen(ctx, mgmt); err != nil {
		t.Fatalf("management account: %v", err)
	}
}
