package signin

import (
	"errors"
	"testing"

	"github.com/idcenter/idcenter/internal/store"
)

func (e *env) setSource(typ string) {
	e.t.Helper()
	err := e.st.Update(e.ctx, func(tx store.Tx) error {
		return tx.PutIdentitySource(e.ctx, store.IdentitySource{InstanceARN: testARN, Type: typ, UpdatedAt: e.now})
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// TestExternalSignIn: with an external IdP a verified user is signed in at
// once (no password, no local MFA), passwords are refused, unknown and
// disabled users are refused, and switching back to the identity store
// invalidates such sessions.
func TestExternalSignIn(t *testing.T) {
	e := newEnv(t, "alice@example.com", "bob@example.com")
	e.setPassword("alice@example.com", goodPW)

	if _, err := e.svc.BeginExternal(e.ctx, "alice@example.com"); !errors.Is(err, ErrNotExternal) {
		t.Fatalf("BeginExternal with the identity store as source: %v, want ErrNotExternal", err)
	}
	e.setSource(store.IdentitySourceExternalSAML)
	if ext, err := e.svc.External(e.ctx); err != nil || !ext {
		t.Fatalf("External = %v, %v", ext, err)
	}
	if _, err := e.svc.Begin(e.ctx, "alice@example.com", goodPW, ""); !errors.Is(err, ErrExternalSource) {
		t.Fatalf("password sign-in with an external source: %v, want ErrExternalSource", err)
	}
	// bob has no password and no MFA device: the IdP vouches for him.
	s, err := e.svc.BeginExternal(e.ctx, "bob@example.com")
	if err != nil || s.Next != StepDone || s.ID == "" || s.UserName != "bob@example.com" {
		t.Fatalf("BeginExternal = %+v, %v", s, err)
	}
	if got, err := e.svc.Session(e.ctx, s.ID); err != nil || got.Next != StepDone || got.UserID != "u-b" {
		t.Fatalf("Session = %+v, %v", got, err)
	}
	for _, c := range []struct {
		user string
		want error
	}{{"nobody@example.com", ErrUserNotFound}, {"", ErrUserNotFound}} {
		if _, err := e.svc.BeginExternal(e.ctx, c.user); !errors.Is(err, c.want) {
			t.Errorf("BeginExternal(%q) = %v, want %v", c.user, err, c.want)
		}
	}
	err = e.st.Update(e.ctx, func(tx store.Tx) error {
		u, err := tx.GetUser(e.ctx, testStoreID, "u-a")
		if err != nil {
			return err
		}
		u.Status = "DISABLED"
		return tx.ReplaceUser(e.ctx, u)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.BeginExternal(e.ctx, "alice@example.com"); !errors.Is(err, ErrUserDisabled) {
		t.Fatalf("BeginExternal(disabled) = %v, want ErrUserDisabled", err)
	}
	// Back to the identity store: bob's IdP session has no password behind it.
	e.setSource(store.IdentitySourceIdentityStore)
	if _, err := e.svc.Session(e.ctx, s.ID); !errors.Is(err, ErrNoSession) {
		t.Fatalf("IdP session after switching back: %v, want ErrNoSession", err)
	}
}
