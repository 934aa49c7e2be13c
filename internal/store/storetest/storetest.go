package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// Run runs the whole suite. open must return a new, empty store; Run closes it.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("CRUD", func(t *testing.T) { runCRUD(t, open) })
	t.Run("Tx", func(t *testing.T) { runTx(t, open) })
	t.Run("Bind", func(t *testing.T) { runBind(t, open) })         // bind.go
	t.Run("Snapshot", func(t *testing.T) { runSnapshot(t, open) }) // snapshot.go
	t.Run("Concurrency", func(t *testing.T) { runConcurrency(t, open) })
	t.Run("IAMAccount", func(t *testing.T) { runIAMAccount(t, open) })
	t.Run("IAMReports", func(t *testing.T) { runIAMReports(t, open) })     // iam_reports.go
	t.Run("IAMProviders", func(t *testing.T) { runIAMProviders(t, open) }) // iam_providers.go
	t.Run("Access", func(t *testing.T) { runAccess(t, open) })             // access.go
	t.Run("Applications", func(t *testing.T) { runApplications(t, open) }) // applications.go
	t.Run("IAM", func(t *testing.T) { runIAM(t, open) })                   // iam.go
	t.Run("IAMEntities", func(t *testing.T) { runIAMEntities(t, open) })   // iam_entities.go
	t.Run("Reset", func(t *testing.T) { runReset(t, open) })               // reset.go
	t.Run("SCIM", func(t *testing.T) { runSCIM(t, open) })                 // scim.go
	t.Run("Sessions", func(t *testing.T) { runSessions(t, open) })
	t.Run("Org", func(t *testing.T) { runOrg(t, open) })                       // org.go
	t.Run("OIDC", func(t *testing.T) { runOIDC(t, open) })                     // oidc.go
	t.Run("Instances", func(t *testing.T) { runInstances(t, open) })           // instances.go
	t.Run("SignIn", func(t *testing.T) { runSignIn(t, open) })                 // signin.go
	t.Run("WebAuthn", func(t *testing.T) { runWebAuthn(t, open) })             // webauthn.go
	t.Run("MFADevices", func(t *testing.T) { runMFADevices(t, open) })         // devices.go
	t.Run("IdentitySource", func(t *testing.T) { runIdentitySource(t, open) }) // identitysource.go
}

const storeID = "d-1234567890"
const otherStoreID = "d-0987654321"

// ts is a time with nanoseconds so that round-trips are checked precisely.
var ts = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)

func fresh(t *testing.T, open func(t *testing.T) store.Store) store.Store {
	t.Helper()
	s := open(t)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func update(t *testing.T, s store.Store, fn func(store.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, s store.Store, fn func(store.Tx) error) {
	t.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: err = %v, want %v", what, err, want)
	}
}

func ptr[T any](v T) *T { return &v }

// ---- fixtures ----

func userID(i int) string  { return fmt.Sprintf("1234567890-00000000-0000-4000-8000-%012d", i) }
func groupID(i int) string { return fmt.Sprintf("1234567890-10000000-0000-4000-8000-%012d", i) }
func membID(i int) string  { return fmt.Sprintf("1234567890-20000000-0000-4000-8000-%012d", i) }

func newUser(i int, name string) store.User {
	return store.User{
		IdentityStoreID: storeID,
		UserID:          userID(i),
		UserName:        name,
		Attributes: store.UserAttributes{
			DisplayName: "User " + name,
			Name:        &store.Name{GivenName: "Given" + name, FamilyName: "Family"},
			Emails:      []store.Email{{Value: name + "@Example.com", Type: "work", Primary: ptr(true)}},
		},
		Status:    "ENABLED",
		CreatedAt: ts,
		CreatedBy: "tester",
		UpdatedAt: ts,
		UpdatedBy: "tester",
	}
}

func newGroup(i int, name string) store.Group {
	return store.Group{
		IdentityStoreID: storeID,
		GroupID:         groupID(i),
		DisplayName:     name,
		Description:     "group " + name,
		CreatedAt:       ts,
		CreatedBy:       "tester",
		UpdatedAt:       ts,
		UpdatedBy:       "tester",
	}
}

func newMembership(i int, g, u string) store.Membership {
	return store.Membership{
		IdentityStoreID: storeID, MembershipID: membID(i), GroupID: g, UserID: u,
		CreatedAt: ts, CreatedBy: "tester", UpdatedAt: ts, UpdatedBy: "tester",
	}
}

// same compares records with reflect.DeepEqual after normalising time.Time
// fields with Equal (locations and monotonic readings may differ).
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(normalise(got), normalise(want)) {
		t.Fatalf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

func normalise(v any) any {
	rv := reflect.ValueOf(v)
	cp := reflect.New(rv.Type()).Elem()
	cp.Set(rv)
	normValue(cp)
	return cp.Interface()
}

func normValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			if v.CanSet() {
				tm := v.Interface().(time.Time)
				if tm.IsZero() {
					v.Set(reflect.ValueOf(time.Time{}))
				} else {
					v.Set(reflect.ValueOf(time.Unix(0, tm.UnixNano()).UTC()))
				}
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Field(i).CanSet() {
				normValue(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Len() == 0 && v.CanSet() {
			v.Set(reflect.Zero(v.Type())) // nil and empty compare equal
			return
		}
		if v.CanSet() {
			cp := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
			reflect.Copy(cp, v)
			v.Set(cp)
		}
		for i := 0; i < v.Len(); i++ {
			normValue(v.Index(i))
		}
	case reflect.Map:
		if v.Len() == 0 && v.CanSet() {
			v.Set(reflect.Zero(v.Type()))
		}
	case reflect.Pointer:
		if !v.IsNil() {
			cp := reflect.New(v.Elem().Type())
			cp.Elem().Set(v.Elem())
			normValue(cp.Elem())
			v.Set(cp)
		}
	}
}
