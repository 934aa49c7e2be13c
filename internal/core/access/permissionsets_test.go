package access

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/sqlite"
)

const inst = "arn:aws:sso:::instance/ssoins-1111111111111111"

var start = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

type env struct {
	svc *Service
	ctx context.Context
	now time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "access.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	err = st.Update(ctx, func(tx store.Tx) error {
		return tx.CreateInstance(ctx, store.Instance{ARN: inst, IdentityStoreID: "d-1234567890", OwnerAccountID: "111111111111",
			Status: "ACTIVE", Region: "us-east-1", CreatedAt: start})
	})
	if err != nil {
		t.Fatalf("create instance: %v", err)
	}
	var seed [32]byte
	copy(seed[:], t.Name())
	e := &env{ctx: ctx, now: start}
	e.svc = &Service{Store: st, Now: func() time.Time { return e.now }, Rand: rand.NewChaCha8(seed)}
	return e
}

func wantKind(t *testing.T, what string, err error, kind fault.Kind) {
	t.Helper()
	fe := fault.As(err)
	if kind == 0 {
		if err != nil {
			t.Fatalf("%s: unexpected error %v", what, err)
		}
		return
	}
	if fe == nil || fe.Kind != kind {
		t.Fatalf("%s: err = %v, want %v", what, err, kind)
	}
}

func TestCreatePermissionSet(t *testing.T) {
	e := newEnv(t)
	ps, err := e.svc.CreatePermissionSet(e.ctx, inst, NewPermissionSet{Name: "DevOps", Description: "DevOps", SessionDuration: "PT2H"})
	if err != nil {
		t.Fatalf("CreatePermissionSet: %v", err)
	}
	if !regexp.MustCompile(`^arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-[0-9a-f]{16}$`).MatchString(ps.ARN) {
		t.Fatalf("ARN %q", ps.ARN)
	}
	if !ps.CreatedAt.Equal(start) || !ps.ChangedAt.Equal(start) || ps.SessionDuration != "PT2H" {
		t.Fatalf("created %+v", ps)
	}
	cases := []struct {
		name string
		in   NewPermissionSet
		inst string
		want fault.Kind
	}{
		{"default duration", NewPermissionSet{Name: "Default"}, inst, 0},
		{"exact duration kept", NewPermissionSet{Name: "Minutes", SessionDuration: "PT720M"}, inst, 0},
		{"fractional seconds", NewPermissionSet{Name: "Seconds", SessionDuration: "PT3600.5S"}, inst, 0},
		{"duplicate name", NewPermissionSet{Name: "DevOps"}, inst, fault.Conflict},
		{"duplicate name other case", NewPermissionSet{Name: "devops"}, inst, fault.Conflict},
		{"unknown instance", NewPermissionSet{Name: "X"}, "arn:aws:sso:::instance/ssoins-9999999999999999", fault.NotFound},
		{"bad instance ARN", NewPermissionSet{Name: "X"}, "instance", fault.Validation},
		{"empty name", NewPermissionSet{}, inst, fault.Validation},
		{"name too long", NewPermissionSet{Name: strings.Repeat("a", 33)}, inst, fault.Validation},
		{"name with slash", NewPermissionSet{Name: "a/b"}, inst, fault.Validation},
		{"description too long", NewPermissionSet{Name: "X", Description: strings.Repeat("d", 701)}, inst, fault.Validation},
		{"relay too long", NewPermissionSet{Name: "X", RelayState: strings.Repeat("r", 241)}, inst, fault.Validation},
		{"duration below", NewPermissionSet{Name: "X", SessionDuration: "PT59M"}, inst, fault.Validation},
		{"duration above", NewPermissionSet{Name: "X", SessionDuration: "PT12H1S"}, inst, fault.Validation},
		{"duration a day", NewPermissionSet{Name: "X", SessionDuration: "P1D"}, inst, fault.Validation},
		{"duration malformed", NewPermissionSet{Name: "X", SessionDuration: "PT"}, inst, fault.Validation},
		{"duration negative", NewPermissionSet{Name: "X", SessionDuration: "-PT2H"}, inst, fault.Validation},
		{"reserved tag", NewPermissionSet{Name: "X", Tags: []store.Tag{{Key: "AWS:x"}}}, inst, fault.Validation},
		{"duplicate tag", NewPermissionSet{Name: "X", Tags: []store.Tag{{Key: "a"}, {Key: "a"}}}, inst, fault.Validation},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := e.svc.CreatePermissionSet(e.ctx, c.inst, c.in)
			wantKind(t, "CreatePermissionSet", err, c.want)
			if c.want == 0 {
				want := c.in.SessionDuration
				if want == "" {
					want = "PT1H"
				}
				if got.SessionDuration != want {
					t.Fatalf("SessionDuration = %q, want %q", got.SessionDuration, want)
				}
			}
		})
	}
}

func TestSessionSeconds(t *testing.T) {
	cases := []struct {
		in   string
		want int
	}{{"PT1H", 3600}, {"PT12H", 43200}, {"PT90M", 5400}, {"PT2H30M", 9000}, {"bogus", 3600}}
	for _, c := range cases {
		if got := SessionSeconds(c.in); got != c.want {
			t.Errorf("SessionSeconds(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestUpdateTracksChanges(t *testing.T) {
	e := newEnv(t)
	ps, err := e.svc.CreatePermissionSet(e.ctx, inst, NewPermissionSet{Name: "P", Description: "d", RelayState: "https://x/", SessionDuration: "PT2H"})
	if err != nil {
		t.Fatalf("CreatePermissionSet: %v", err)
	}
	steps := []struct {
		name   string
		fn     func() error
		want   fault.Kind
		change bool
	}{
		{"update", func() error {
			return e.svc.UpdatePermissionSet(e.ctx, inst, ps.ARN, PermissionSetUpdate{SessionDuration: "PT3H"})
		}, 0, true},
		{"inline", func() error { return e.svc.PutInlinePolicy(e.ctx, inst, ps.ARN, validPolicy) }, 0, true},
		{"inline malformed", func() error { return e.svc.PutInlinePolicy(e.ctx, inst, ps.ARN, `{"Statement":`) }, fault.Validation, false},
		{"inline not an object", func() error { return e.svc.PutInlinePolicy(e.ctx, inst, ps.ARN, `[]`) }, fault.Validation, false},
		{"inline too long", func() error {
			return e.svc.PutInlinePolicy(e.ctx, inst, ps.ARN, `{"Statement":"`+strings.Repeat("x", maxInlinePolicyLength)+`"}`)
		}, fault.Validation, false},
		{"managed", func() error {
			return e.svc.AttachManagedPolicy(e.ctx, inst, ps.ARN, "arn:aws:iam::aws:policy/ReadOnlyAccess")
		}, 0, true},
		{"managed again", func() error {
			return e.svc.AttachManagedPolicy(e.ctx, inst, ps.ARN, "arn:aws:iam::aws:policy/ReadOnlyAccess")
		}, fault.Conflict, false},
		{"reference", func() error {
			return e.svc.AttachCustomerManagedPolicy(e.ctx, inst, ps.ARN, store.PolicyReference{Name: "Mine"})
		}, 0, true},
		{"reference bad path", func() error {
			return e.svc.AttachCustomerManagedPolicy(e.ctx, inst, ps.ARN, store.PolicyReference{Name: "Mine", Path: "nope"})
		}, fault.Validation, false},
		{"boundary", func() error {
			return e.svc.PutPermissionsBoundary(e.ctx, inst, ps.ARN, store.PermissionsBoundary{ManagedPolicyARN: "arn:aws:iam::aws:policy/PowerUserAccess"})
		}, 0, true},
		{"tag (not provisioned)", func() error {
			return e.svc.TagResource(e.ctx, inst, ps.ARN, []store.Tag{{Key: "k", Value: "v"}})
		}, 0, false},
		{"unknown set", func() error {
			return e.svc.PutInlinePolicy(e.ctx, inst, strings.Replace(ps.ARN, "/ps-", "/ps-0", 1)[:len(ps.ARN)], validPolicy)
		}, fault.NotFound, false},
	}
	last := ps.ChangedAt
	for i, s := range steps {
		e.now = start.Add(time.Duration(i+1) * time.Minute)
		wantKind(t, s.name, s.fn(), s.want)
		got, err := e.svc.DescribePermissionSet(e.ctx, inst, ps.ARN)
		if err != nil {
			t.Fatalf("%s: DescribePermissionSet: %v", s.name, err)
		}
		if s.change != got.ChangedAt.After(last) {
			t.Fatalf("%s: ChangedAt %v (was %v), want changed=%v", s.name, got.ChangedAt, last, s.change)
		}
		last = got.ChangedAt
		if !got.CreatedAt.Equal(start) {
			t.Fatalf("%s: CreatedAt moved to %v", s.name, got.CreatedAt)
		}
	}
	got, _ := e.svc.DescribePermissionSet(e.ctx, inst, ps.ARN)
	// The update omitted Description (kept) and RelayState (cleared).
	if got.Description != "d" || got.RelayState != "" || got.SessionDuration != "PT3H" || got.InlinePolicy != validPolicy {
		t.Fatalf("after steps: %+v", got)
	}
	refs, _, err := e.svc.ListCustomerManagedPolicies(e.ctx, inst, ps.ARN, 0, "")
	if err != nil || len(refs) != 1 || refs[0].Path != "/" {
		t.Fatalf("references = %+v, %v (Path must default to /)", refs, err)
	}
}

func TestDeleteRemovesPoliciesAndTags(t *testing.T) {
	e := newEnv(t)
	ps, err := e.svc.CreatePermissionSet(e.ctx, inst, NewPermissionSet{Name: "Gone", Tags: []store.Tag{{Key: "k", Value: "v"}}})
	if err != nil {
		t.Fatalf("CreatePermissionSet: %v", err)
	}
	if err := e.svc.AttachManagedPolicy(e.ctx, inst, ps.ARN, "arn:aws:iam::aws:policy/ReadOnlyAccess"); err != nil {
		t.Fatalf("AttachManagedPolicy: %v", err)
	}
	if err := e.svc.DeletePermissionSet(e.ctx, inst, ps.ARN); err != nil {
		t.Fatalf("DeletePermissionSet: %v", err)
	}
	wantKind(t, "delete twice", e.svc.DeletePermissionSet(e.ctx, inst, ps.ARN), fault.NotFound)
	_, _, err = e.svc.ListManagedPolicies(e.ctx, inst, ps.ARN, 0, "")
	wantKind(t, "ListManagedPolicies of a deleted set", err, fault.NotFound)
	_, _, err = e.svc.ListTags(e.ctx, inst, ps.ARN, "")
	wantKind(t, "ListTags of a deleted set", err, fault.NotFound)
}

func TestListPermissionSetsPages(t *testing.T) {
	e := newEnv(t)
	for _, n := range []string{"a", "b", "c"} {
		if _, err := e.svc.CreatePermissionSet(e.ctx, inst, NewPermissionSet{Name: n}); err != nil {
			t.Fatalf("CreatePermissionSet: %v", err)
		}
	}
	var all []string
	token := ""
	for i := 0; ; i++ {
		arns, next, err := e.svc.ListPermissionSets(e.ctx, inst, 2, token)
		if err != nil {
			t.Fatalf("ListPermissionSets: %v", err)
		}
		all = append(all, arns...)
		if next == "" {
			break
		}
		if i > 3 {
			t.Fatal("paging does not end")
		}
		token = next
	}
	if len(all) != 3 {
		t.Fatalf("listed %v", all)
	}
	_, _, err := e.svc.ListPermissionSets(e.ctx, inst, 101, "")
	wantKind(t, "MaxResults 101", err, fault.Validation)
	_, _, err = e.svc.ListPermissionSets(e.ctx, inst, 0, "!!")
	wantKind(t, "bad token", err, fault.Validation)
}

func TestTagsOnInstanceAndQuota(t *testing.T) {
	e := newEnv(t)
	wantKind(t, "tag instance", e.svc.TagResource(e.ctx, "", inst, []store.Tag{{Key: "env", Value: "prod"}}), 0)
	tags, _, err := e.svc.ListTags(e.ctx, inst, inst, "")
	if err != nil || len(tags) != 1 {
		t.Fatalf("ListTags(instance) = %v, %v", tags, err)
	}
	ps, err := e.svc.CreatePermissionSet(e.ctx, inst, NewPermissionSet{Name: "T"})
	if err != nil {
		t.Fatalf("CreatePermissionSet: %v", err)
	}
	var many []store.Tag
	for i := 0; i < maxTagsPerResource+1; i++ {
		many = append(many, store.Tag{Key: string(rune('A'+i%26)) + strings.Repeat("x", i/26)})
	}
	wantKind(t, "51 tags", e.svc.TagResource(e.ctx, inst, ps.ARN, many), fault.QuotaExceeded)
	wantKind(t, "other instance", e.svc.TagResource(e.ctx, "arn:aws:sso:::instance/ssoins-2222222222222222", ps.ARN, []store.Tag{{Key: "a"}}), fault.NotFound)
	wantKind(t, "application ARN", e.svc.TagResource(e.ctx, inst, "arn:aws:sso::111111111111:application/ssoins-1111111111111111/apl-1111111111111111", []store.Tag{{Key: "a"}}), fault.NotFound)
	wantKind(t, "untag reserved", e.svc.UntagResource(e.ctx, inst, ps.ARN, []string{"aws:x"}), fault.Validation)
}

// validPolicy is a small identity policy the engine accepts.
const validPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}`
