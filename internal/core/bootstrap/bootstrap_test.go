package bootstrap

import (
	"bytes"
	"context"
	"crypto/rand"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/sqlite"
)

func openStore(t *testing.T) store.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "idcenter.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func TestRunCreatesOnceAndKeeps(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	b := &Bootstrapper{Store: st, Now: func() time.Time { return now }, Rand: rand.Reader}
	first, err := b.Run(ctx, Params{AccountID: "123456789012", Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created {
		t.Fatal("first run did not create")
	}
	checks := []struct{ what, value, pattern string }{
		{"organization id", first.Organization.ID, `^o-[a-z0-9]{10}$`},
		{"instance ARN", first.Instance.ARN, `^arn:aws:sso:::instance/ssoins-[0-9a-f]{16}$`},
		{"identity store", first.Instance.IdentityStoreID, `^d-[0-9a-f]{10}$`},
		{"root key id", first.RootKey.AccessKeyID, `^AKIA[A-Z2-7]{16}$`},
		{"root secret", first.RootKey.SecretAccessKey, `^[A-Za-z0-9+/]{40}$`},
		{"root ARN", first.RootKey.PrincipalARN, `^arn:aws:iam::123456789012:root$`},
		{"region", first.Instance.Region, `^eu-west-1$`},
	}
	for _, c := range checks {
		if !regexp.MustCompile(c.pattern).MatchString(c.value) {
			t.Errorf("%s = %q, want %s", c.what, c.value, c.pattern)
		}
	}
	// A second run with other parameters changes nothing.
	second, err := b.Run(ctx, Params{AccountID: "999999999999", Region: "us-west-2", RootAccessKeyID: "AKIAOTHEROTHEROTHER0", RootSecretAccessKey: "othersecretothersecret"})
	if err != nil {
		t.Fatal(err)
	}
	if second.Created || second.Instance != first.Instance || second.Organization != first.Organization || second.RootKey != first.RootKey {
		t.Fatalf("second run changed the world:\nfirst  %+v\nsecond %+v", first, second)
	}
	// Exactly one account exists: the management account.
	err = st.View(ctx, func(tx store.Tx) error {
		accts, err := tx.ListAccounts(ctx, store.Page{})
		if err != nil {
			return err
		}
		if len(accts) != 1 || accts[0].ID != "123456789012" || accts[0].Status != "ACTIVE" {
			t.Fatalf("accounts = %+v", accts)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRunPinsRootKey(t *testing.T) {
	b := &Bootstrapper{Store: openStore(t), Now: func() time.Time { return now }, Rand: rand.Reader}
	res, err := b.Run(context.Background(), Params{AccountID: "123456789012", Region: "us-east-1",
		RootAccessKeyID: "AKIAPINNEDPINNED0001", RootSecretAccessKey: "pinned-secret-pinned-secret"})
	if err != nil {
		t.Fatal(err)
	}
	if res.RootKey.AccessKeyID != "AKIAPINNEDPINNED0001" || res.RootKey.SecretAccessKey != "pinned-secret-pinned-secret" {
		t.Fatalf("root key = %+v", res.RootKey)
	}
}

func TestRandomnessFailureCreatesNothing(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	// Enough bytes for the organization id, not for the instance.
	b := &Bootstrapper{Store: st, Now: func() time.Time { return now }, Rand: bytes.NewReader(bytes.Repeat([]byte{1}, 12))}
	if _, err := b.Run(ctx, Params{AccountID: "123456789012", Region: "us-east-1"}); err == nil {
		t.Fatal("want an error when randomness runs out")
	}
	err := st.View(ctx, func(tx store.Tx) error {
		if _, err := tx.GetOrganization(ctx); err == nil {
			t.Fatal("a failed bootstrap left an organization behind")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestResetRestoresTheSameWorld(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	b := &Bootstrapper{Store: st, Now: func() time.Time { return now }, Rand: rand.Reader}
	world, err := b.Run(ctx, Params{AccountID: "123456789012", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, func(tx store.Tx) error {
		return tx.CreateAccount(ctx, store.Account{ID: "210987654321", Name: "extra", Email: "x@example.com", Status: "ACTIVE", JoinedAt: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Reset(ctx, world); err != nil {
		t.Fatal(err)
	}
	again, err := b.Run(ctx, Params{AccountID: "999999999999", Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	if again.Created || again.Instance != world.Instance || again.Organization != world.Organization || again.RootKey != world.RootKey {
		t.Fatalf("after reset: %+v, want %+v", again, world)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		accts, err := tx.ListAccounts(ctx, store.Page{})
		if err != nil || len(accts) != 1 || accts[0].ID != "123456789012" {
			t.Fatalf("accounts after reset = %+v, %v", accts, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMemberAccountsAreEnsuredOnEveryRun(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	b := &Bootstrapper{Store: st, Now: func() time.Time { return now }, Rand: rand.Reader}
	p := Params{AccountID: "123456789012", Region: "us-east-1", MemberAccounts: map[string]string{"111111111111": "dev"}}
	first, err := b.Run(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.MemberAccounts) != 1 || first.MemberAccounts[0].Name != "dev" ||
		first.MemberAccounts[0].ARN != "arn:aws:organizations::123456789012:account/"+first.Organization.ID+"/111111111111" {
		t.Fatalf("members = %+v", first.MemberAccounts)
	}
	p.MemberAccounts["222222222222"] = "prod"
	p.MemberAccounts["111111111111"] = "renamed" // an existing account is kept as it is
	second, err := b.Run(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.MemberAccounts) != 2 || second.MemberAccounts[0].Name != "dev" || second.MemberAccounts[1].ID != "222222222222" {
		t.Fatalf("members on second run = %+v", second.MemberAccounts)
	}
	if err := b.Reset(ctx, second); err != nil {
		t.Fatal(err)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		accts, err := tx.ListAccounts(ctx, store.Page{})
		if err != nil || len(accts) != 3 {
			t.Fatalf("accounts after reset = %+v, %v", accts, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
