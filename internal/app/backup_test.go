package app_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
)

func TestBackupAndRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ts := startServerAt(t, dir)
	storeID := ts.World.Instance.IdentityStoreID
	c := identitystore.NewFromConfig(ts.rootConfig(t))
	userID := createBojan(t, c, storeID)

	cfg := config.FromEnv(func(string) string { return "" })
	cfg.DataDir = dir
	backup := filepath.Join(t.TempDir(), "idcenter-backup.db")
	if err := app.Backup(ctx, cfg, backup); err != nil { // while the server runs
		t.Fatal(err)
	}
	if _, err := c.DeleteUser(ctx, &identitystore.DeleteUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String(userID)}); err != nil {
		t.Fatal(err)
	}
	if err := app.Restore(ctx, cfg, backup, false); !errors.Is(err, app.ErrServerRunning) {
		t.Fatalf("restore under a running server: %v", err)
	}
	ts.stop()
	if err := app.Restore(ctx, cfg, backup, false); err != nil {
		t.Fatal(err)
	}
	ts2 := startServerAt(t, dir)
	if ts2.World.Instance.IdentityStoreID != storeID {
		t.Fatalf("restored world differs: %s vs %s", ts2.World.Instance.IdentityStoreID, storeID)
	}
	du, err := identitystore.NewFromConfig(ts2.rootConfig(t)).DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String(userID)})
	if err != nil || aws.ToString(du.UserName) != "Bojan" {
		t.Fatalf("user after restore: %+v, %v", du, err)
	}
	// A file that is not a database is refused and changes nothing.
	junk := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(junk, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	ts2.stop()
	if err := app.Restore(ctx, cfg, junk, true); err == nil {
		t.Fatal("junk restored")
	}
	ts3 := startServerAt(t, dir)
	du, err = identitystore.NewFromConfig(ts3.rootConfig(t)).DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String(userID)})
	if err != nil || aws.ToString(du.UserName) != "Bojan" {
		t.Fatalf("a refused restore lost data: %+v, %v", du, err)
	}
}
