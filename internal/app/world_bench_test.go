package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/store"
)

// smallWorld is a small organisation: 2 member accounts under an OU, 20
// identity store users in 5 groups, 3 permission sets with 6 assignments
// (roles provisioned into 3 accounts), 3 IAM users with keys and policies,
// 1 role, 1 customer managed policy and 1 SCP.
func smallWorld() string {
	var b strings.Builder
	b.WriteString(`organization:
  organizationalUnits: [{name: Workloads}]
  accounts:
    - {id: "111111111111", name: prod, email: prod@example.com, parent: Workloads}
    - {id: "222222222222", name: dev, email: dev@example.com, parent: Workloads}
  policies:
    - name: DenyLeave
      content: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}'
      targets: [Workloads]
iam:
  policies:
    - name: ReadBuckets
      document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'
  roles:
    - name: Auditor
      trustPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}'
      managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]
  users:
`)
	for i := 0; i < 3; i++ {
		fmt.Fprintf(&b, "    - name: bot%d\n      managedPolicies: [ReadBuckets]\n      accessKeys: [{id: AKIABENCHWORLD%06d, secret: bench/secret/bench/secret/bench/secret/%d}]\n", i, i, i)
	}
	b.WriteString("users:\n")
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, "  - {userName: user%02d, givenName: User, familyName: N%02d, email: user%02d@example.com}\n", i, i, i)
	}
	b.WriteString("groups:\n")
	for g := 0; g < 5; g++ {
		fmt.Fprintf(&b, "  - displayName: team%d\n    members: [", g)
		for i := g; i < 20; i += 5 {
			if i > g {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "user%02d", i)
		}
		b.WriteString("]\n")
	}
	b.WriteString(`permissionSets:
  - {name: Admin, managedPolicies: ["arn:aws:iam::aws:policy/AdministratorAccess"]}
  - {name: ReadOnly, managedPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}
  - name: Dev
    inlinePolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
assignments:
  - {permissionSet: Admin, group: team0, account: "123456789012"}
  - {permissionSet: ReadOnly, group: team1, account: "123456789012"}
  - {permissionSet: Dev, group: team2, account: "111111111111"}
  - {permissionSet: Dev, group: team3, account: "222222222222"}
  - {permissionSet: ReadOnly, group: team4, account: "111111111111"}
  - {permissionSet: Admin, user: user00, account: "222222222222"}
`)
	return b.String()
}

// postgresSchemaTB is postgresStore for benchmarks: a fresh schema of
// IDCENTER_TEST_POSTGRES's server (skipped without one).
func postgresSchemaTB(b *testing.B) string {
	base := os.Getenv("IDCENTER_TEST_POSTGRES")
	if base == "" {
		b.Skip("set IDCENTER_TEST_POSTGRES for the PostgreSQL variants")
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	schema := fmt.Sprintf("bench_%d", time.Now().UnixNano())
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		db.Close()
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
	return u.String()
}

// BenchmarkResetSmallWorld measures Server.Reset back to smallWorld after a
// test's worth of changes (5 users created, one of the world's deleted,
// directly in the store):
// "snapshot" restores the state kept at start (--allow-reset, idcentertest),
// "reapply" empties the store and applies the file again, provisioning
// included (the fallback).
func BenchmarkResetSmallWorld(b *testing.B) {
	for _, mode := range []struct {
		name               string
		snapshot, postgres bool
	}{{"snapshot", true, false}, {"reapply", false, false}, {"snapshot-postgres", true, true}, {"reapply-postgres", false, true}} {
		b.Run(mode.name, func(b *testing.B) {
			ctx := context.Background()
			path := writeFileTB(b, smallWorld())
			pg := ""
			if mode.postgres {
				pg = postgresSchemaTB(b)
			}
			ts := startServerWith(b, func(c *config.Config) { c.World, c.AllowReset, c.Store = path, mode.snapshot, pg })
			storeID := ts.World.Instance.IdentityStoreID
			// A test's worth of changes, written to the store directly (untimed).
			change := func(i int) error {
				return ts.Store.Update(ctx, func(tx store.Tx) error {
					for u := 0; u < 5; u++ {
						if err := tx.CreateUser(ctx, store.User{IdentityStoreID: storeID, UserID: fmt.Sprintf("bench-%d-%d", i, u),
							UserName: fmt.Sprintf("extra%d", u), Status: "ENABLED"}); err != nil {
							return err
						}
					}
					us, err := tx.ListUsers(ctx, storeID, store.UserFilter{}, store.Page{Limit: 1})
					if err != nil || len(us) == 0 {
						return fmt.Errorf("list users: %d, %v", len(us), err)
					}
					return tx.DeleteUser(ctx, storeID, us[0].UserID)
				})
			}
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				if err := change(i); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if err := ts.Reset(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			err := ts.Store.View(ctx, func(tx store.Tx) error {
				n, err := tx.CountUsers(ctx, storeID)
				if err == nil && n != 20 {
					err = fmt.Errorf("%d users after the last reset, want 20", n)
				}
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		})
	}
}
