package identity

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, to create a schema

	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/postgres"
	"github.com/idcenter/idcenter/internal/store/sqlite"
)

// BenchmarkBackends compares the identity store's create and read paths on
// SQLite and PostgreSQL (the latter when IDCENTER_TEST_POSTGRES is set), with
// the identity core on top, so that each operation is what a CreateUser or
// DescribeUser call costs in the store. Numbers go to docs/performance.md.
func BenchmarkBackends(b *testing.B) {
	backends := []struct {
		name string
		open func(b *testing.B) store.Store
	}{
		{"sqlite", func(b *testing.B) store.Store {
			st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			return st
		}},
		{"postgres", openPostgresBench},
	}
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			ctx := context.Background()
			st := be.open(b)
			defer st.Close()
			if err := st.Update(ctx, func(tx store.Tx) error {
				return tx.CreateInstance(ctx, store.Instance{ARN: "arn:aws:sso:::instance/ssoins-1111111111111111",
					IdentityStoreID: sid, OwnerAccountID: "111111111111", Status: "ACTIVE", Region: "us-east-1", CreatedAt: clock})
			}); err != nil {
				b.Fatal(err)
			}
			svc := &Service{Store: st, Now: time.Now, Rand: rand.Reader}
			newUser := func(name string) store.User {
				return store.User{UserName: name, Attributes: store.UserAttributes{DisplayName: name,
					Name: &store.Name{GivenName: "G", FamilyName: "F"}, Emails: []store.Email{{Value: name + "@example.com"}}}}
			}
			b.Run("CreateUser", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := svc.CreateUser(ctx, sid, newUser(fmt.Sprintf("c%d-%d", b.N, i)), "bench"); err != nil {
						b.Fatal(err)
					}
				}
			})
			u, err := svc.CreateUser(ctx, sid, newUser("reader"), "bench")
			if err != nil {
				b.Fatal(err)
			}
			b.Run("DescribeUser", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := svc.DescribeUser(ctx, sid, u.UserID); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// openPostgresBench opens a fresh schema of IDCENTER_TEST_POSTGRES, dropped afterwards.
func openPostgresBench(b *testing.B) store.Store {
	base := os.Getenv("IDCENTER_TEST_POSTGRES")
	if base == "" {
		b.Skip("set IDCENTER_TEST_POSTGRES=postgres://… (scripts/postgres-test-server.sh start DIR) to benchmark PostgreSQL")
	}
	raw := make([]byte, 6)
	_, _ = rand.Read(raw)
	schema := "bench_" + hex.EncodeToString(raw)
	db, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_, _ = db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		db.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	st, err := postgres.Open(context.Background(), u.String())
	if err != nil {
		b.Fatal(err)
	}
	return st
}
