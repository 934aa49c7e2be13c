package bootstrap

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store/postgres"
)

// TestConcurrentRunsOnPostgresCreateOnce: replicas starting together on one
// empty PostgreSQL schema each run the bootstrap with their own connection
// pool; exactly one creates the world and all return it (same instance,
// identity store and root key), member accounts included. Several rounds,
// each on a fresh schema; bounded.
func TestConcurrentRunsOnPostgresCreateOnce(t *testing.T) {
	base := os.Getenv("IDCENTER_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("IDCENTER_TEST_POSTGRES is not set, but CI is: scripts/test.sh starts a PostgreSQL server for this test")
		}
		t.Skip("PostgreSQL test skipped: set IDCENTER_TEST_POSTGRES=postgres://…")
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	const rounds, replicas = 5, 6
	for round := 0; round < rounds; round++ {
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		schema := "boot_" + hex.EncodeToString(b)
		if _, err := db.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
			t.Fatalf("create schema: %v", err)
		}
		t.Cleanup(func() { _, _ = db.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`) })
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		// Migrate once first, so that the runs below race on the bootstrap
		// itself rather than queue behind the migration lock.
		first, err := postgres.Open(ctx, u.String())
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		first.Close()

		results := make([]Result, replicas)
		errs := make([]error, replicas)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i < replicas; i++ {
			st, err := postgres.Open(ctx, u.String())
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			defer st.Close()
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				boot := &Bootstrapper{Store: st, Now: time.Now, Rand: rand.Reader}
				results[i], errs[i] = boot.Run(ctx, Params{AccountID: "123456789012", Region: "eu-west-1",
					MemberAccounts: map[string]string{"210987654321": "dev"}})
			}(i)
		}
		close(start)
		wg.Wait()
		created := 0
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d, replica %d: Run: %v", round, i, err)
			}
			r := results[i]
			if r.Created {
				created++
			}
			if r.Instance.ARN != results[0].Instance.ARN || r.Instance.IdentityStoreID != results[0].Instance.IdentityStoreID ||
				r.RootKey.AccessKeyID != results[0].RootKey.AccessKeyID || r.Organization.ID != results[0].Organization.ID ||
				len(r.MemberAccounts) != 1 {
				t.Fatalf("round %d: replica %d got another world: %+v vs %+v", round, i, r, results[0])
			}
		}
		if created != 1 {
			t.Fatalf("round %d: %d of %d concurrent runs created the world, want 1", round, created, replicas)
		}
	}
}
