package identity

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/sqlite"
)

const sid = "d-1234567890"

var clock = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

var idPattern = regexp.MustCompile(`^1234567890-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

type env struct {
	svc   *Service
	store store.Store
	ctx   context.Context
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "id.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	err = st.Update(ctx, func(tx store.Tx) error {
		return tx.CreateInstance(ctx, store.Instance{ARN: "arn:aws:sso:::instance/ssoins-1111111111111111",
			IdentityStoreID: sid, OwnerAccountID: "111111111111", Status: "ACTIVE", Region: "us-east-1", CreatedAt: clock})
	})
	if err != nil {
		t.Fatalf("create instance: %v", err)
	}
	var seed [32]byte
	copy(seed[:], t.Name())
	return &env{
		svc:   &Service{Store: st, Now: func() time.Time { return clock }, Rand: rand.NewChaCha8(seed)},
		store: st,
		ctx:   ctx,
	}
}

func validUser(name string) store.User {
	return store.User{
		UserName: name,
		Attributes: store.UserAttributes{
			DisplayName: "Display " + name,
			Name:        &store.Name{GivenName: "Given", FamilyName: "Family"},
			Emails:      []store.Email{{Value: name + "@example.com", Type: "work", Primary: ptr(true)}},
		},
	}
}

func ptr[T any](v T) *T { return &v }

func (e *env) user(t *testing.T, name string) store.User {
	t.Helper()
	u, err := e.svc.CreateUser(e.ctx, sid, validUser(name), "admin")
	if err != nil {
		t.Fatalf("CreateUser %s: %v", name, err)
	}
	return u
}

func (e *env) group(t *testing.T, name string) store.Group {
	t.Helper()
	g, err := e.svc.CreateGroup(e.ctx, sid, store.Group{DisplayName: name, Description: "about " + name}, "admin")
	if err != nil {
		t.Fatalf("CreateGroup %s: %v", name, err)
	}
	return g
}

func (e *env) member(t *testing.T, g, u string) string {
	t.Helper()
	id, err := e.svc.CreateGroupMembership(e.ctx, sid, g, u)
	if err != nil {
		t.Fatalf("CreateGroupMembership: %v", err)
	}
	return id
}

// snapshot serialises everything in the identity store so a test can check a
// failed operation changed nothing.
func (e *env) snapshot(t *testing.T) string {
	t.Helper()
	var all struct {
		Users  []store.User
		Groups []store.Group
		Ms     []store.Membership
	}
	err := e.store.View(e.ctx, func(tx store.Tx) error {
		var err error
		if all.Users, err = tx.ListUsers(e.ctx, sid, store.UserFilter{}, store.Page{}); err != nil {
			return err
		}
		if all.Groups, err = tx.ListGroups(e.ctx, sid, store.GroupFilter{}, store.Page{}); err != nil {
			return err
		}
		for _, g := range all.Groups {
			ms, err := tx.ListMembershipsByGroup(e.ctx, sid, g.GroupID, store.Page{})
			if err != nil {
				return err
			}
			all.Ms = append(all.Ms, ms...)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	b, _ := json.Marshal(all)
	return string(b)
}

// wantFault checks err is a fault of kind (and resource type / reason when given).
func wantFault(t *testing.T, err error, kind fault.Kind, detail string) *fault.Error {
	t.Helper()
	fe := fault.As(err)
	if fe == nil || fe.Kind != kind {
		t.Fatalf("err = %v (%T), want %v fault", err, err, kind)
	}
	if detail != "" && fe.ResourceType != detail && fe.Reason != detail {
		t.Fatalf("fault %+v: want resource type or reason %q", fe, detail)
	}
	return fe
}

func raw(s string) json.RawMessage { return json.RawMessage(s) }
