package app_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", to create the test schema

	"github.com/idcenter/idcenter/internal/config"
)

// postgresStore returns a postgres:// URL selecting a fresh schema (dropped
// at cleanup) of the server named by IDCENTER_TEST_POSTGRES. Without it the
// test is skipped, except in CI, where scripts/test.sh always starts one.
func postgresStore(t *testing.T) string {
	t.Helper()
	base := os.Getenv("IDCENTER_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("IDCENTER_TEST_POSTGRES is not set, but CI is: scripts/test.sh starts a PostgreSQL server for this test")
		}
		t.Skip("PostgreSQL test skipped: set IDCENTER_TEST_POSTGRES=postgres://… (scripts/test.sh starts a throw-away server)")
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "app_" + hex.EncodeToString(b)
	if _, err := db.ExecContext(context.Background(), `CREATE SCHEMA `+schema); err != nil {
		db.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = db.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
		db.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("IDCENTER_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestServeOnPostgres: the whole server on PostgreSQL (--store postgres://…):
// an identity store round trip with the SDK, then a second server (another
// data folder, as another replica would have) on the same database sees the
// user and the same bootstrapped world.
func TestServeOnPostgres(t *testing.T) {
	pg := postgresStore(t)
	ctx := context.Background()
	ts := startServerWith(t, func(c *config.Config) { c.Store = pg })
	c := newIdentityClient(t, ts)
	storeID := ts.World.Instance.IdentityStoreID
	userID := createBojan(t, c, storeID)
	du, err := c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String(userID)})
	if err != nil {
		t.Fatalf("DescribeUser: %v", err)
	}
	if aws.ToString(du.UserName) == "" {
		t.Fatalf("DescribeUser returned no user name: %+v", du)
	}
	if _, err := c.CreateUser(ctx, &identitystore.CreateUserInput{
		IdentityStoreId: aws.String(storeID), UserName: du.UserName, DisplayName: aws.String("again"),
	}); err == nil {
		t.Fatal("a second user with the same name was created")
	}

	other := startServerWith(t, func(c *config.Config) { c.Store = pg })
	if got := other.World.Instance.IdentityStoreID; got != storeID {
		t.Fatalf("second server's identity store = %s, want %s (bootstrapped again?)", got, storeID)
	}
	lu, err := newIdentityClient(t, other).ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(storeID)})
	if err != nil {
		t.Fatalf("ListUsers on the second server: %v", err)
	}
	if len(lu.Users) != 1 || aws.ToString(lu.Users[0].UserId) != userID {
		t.Fatalf("second server lists %+v, want the one user %s", lu.Users, userID)
	}
}
