package identity

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// fakeCleanup records the principals it is asked to clean up and whether it
// ran inside a transaction in which the principal is already deleted.
type fakeCleanup struct {
	calls []string
	woken int
	fail  error
}

func (f *fakeCleanup) RemovePrincipalAssignments(ctx context.Context, tx store.Tx, storeID, principalType, principalID string) error {
	var err error
	if principalType == PrincipalUser {
		_, err = tx.GetUser(ctx, storeID, principalID)
	} else {
		_, err = tx.GetGroup(ctx, storeID, principalID)
	}
	gone := errors.Is(err, store.ErrNotFound)
	f.calls = append(f.calls, principalType+" "+principalID+map[bool]string{true: " gone", false: " present"}[gone])
	return f.fail
}

func (f *fakeCleanup) Wake() { f.woken++ }

func TestDeletionCleansUpInTheSameTransaction(t *testing.T) {
	e := newEnv(t)
	c := &fakeCleanup{}
	e.svc.Cleanup = c
	u, g := e.user(t, "ana"), e.group(t, "ops")
	e.member(t, g.GroupID, u.UserID)

	if err := e.svc.DeleteGroup(e.ctx, sid, g.GroupID); err != nil {
		t.Fatalf("DeleteGroup: %v", err)
	}
	if err := e.svc.DeleteUser(e.ctx, sid, u.UserID); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	want := []string{"GROUP " + g.GroupID + " gone", "USER " + u.UserID + " gone"}
	if !slices.Equal(c.calls, want) || c.woken != 2 {
		t.Fatalf("cleanup calls %v, woken %d; want %v, 2", c.calls, c.woken, want)
	}

	// An unknown principal: NotFound, no cleanup, no wake.
	wantFault(t, e.svc.DeleteUser(e.ctx, sid, u.UserID), fault.NotFound, ResourceUser)
	wantFault(t, e.svc.DeleteGroup(e.ctx, sid, g.GroupID), fault.NotFound, ResourceGroup)
	if len(c.calls) != 2 || c.woken != 2 {
		t.Fatalf("cleanup after failed deletions: %v, woken %d", c.calls, c.woken)
	}

	// A failing cleanup rolls the deletion back.
	v := e.user(t, "bo")
	before := e.snapshot(t)
	c.fail = errors.New("boom")
	if err := e.svc.DeleteUser(e.ctx, sid, v.UserID); err == nil {
		t.Fatal("DeleteUser with a failing cleanup succeeded")
	}
	if e.snapshot(t) != before || c.woken != 2 {
		t.Fatalf("a failed cleanup left the deletion (or woke the worker: %d)", c.woken)
	}
}

// TestDirectoryRulesForEveryWriter: the transaction-scoped writes SCIM uses
// apply the identity store's rules; only the identitystore API's required
// Name is not asked of them.
func TestDirectoryRulesForEveryWriter(t *testing.T) {
	e := newEnv(t)
	e.user(t, "ana")
	e.group(t, "ops")
	noName := validUser("noname")
	noName.Attributes.Name = nil
	for _, c := range []struct {
		name   string
		u      *store.User
		g      *store.Group
		kind   fault.Kind
		detail string
	}{
		{name: "user without Name", u: &noName},
		{name: "user name taken (case-insensitively)", u: ptr(validUser("ANA")), kind: fault.Conflict, detail: ReasonUniqueness},
		{name: "reserved user name", u: ptr(validUser("Administrator")), kind: fault.Validation},
		{name: "white space in a user name", u: ptr(validUser("a b")), kind: fault.Validation},
		{name: "bad status", u: func() *store.User { u := validUser("st"); u.Status = "LOCKED"; return &u }(), kind: fault.Validation},
		{name: "group name taken", g: &store.Group{DisplayName: "OPS"}, kind: fault.Conflict, detail: ReasonUniqueness},
		{name: "reserved group name", g: &store.Group{DisplayName: "AWSAdministrators"}, kind: fault.Validation},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := e.store.Update(e.ctx, func(tx store.Tx) error {
				if c.u != nil {
					u := *c.u
					u.IdentityStoreID = sid
					if u.Status == "" {
						u.Status = "ENABLED"
					}
					_, err := e.svc.InsertUser(e.ctx, tx, u)
					return err
				}
				g := *c.g
				g.IdentityStoreID = sid
				_, err := e.svc.InsertGroup(e.ctx, tx, g)
				return err
			})
			if c.kind == 0 {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			wantFault(t, err, c.kind, c.detail)
		})
	}
}
