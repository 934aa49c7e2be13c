package app_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/store"
)

func startResettable(t testing.TB, allow bool) *testServer {
	return startServerWith(t, func(c *config.Config) { c.AllowReset = allow })
}

func TestResetEndpoint(t *testing.T) {
	ctx := context.Background()
	ts := startResettable(t, true)
	storeID := ts.World.Instance.IdentityStoreID
	c := identitystore.NewFromConfig(ts.rootConfig(t))
	userID := createBojan(t, c, storeID)
	const extraKey, extraSecret = "AKIAEXTRAEXTRAEXTRA1", "extra/secret/extra/secret/extra/secret00"
	err := ts.Store.Update(ctx, func(tx store.Tx) error {
		return tx.CreateAccessKey(ctx, store.AccessKey{AccessKeyID: extraKey, SecretAccessKey: extraSecret, AccountID: "123456789012",
			PrincipalARN: "arn:aws:iam::123456789012:root", Status: "Active", CreatedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	// The extra key works (and is now in the key cache).
	if _, err := sts.NewFromConfig(ts.awsConfig(t, extraKey, extraSecret)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}

	if resp, err := http.Get(ts.URL + app.ResetPath); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET reset = %v, %v", resp, err)
	}
	resp, err := http.Post(ts.URL+app.ResetPath, "application/json", nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("POST reset = %v, %v", resp, err)
	}
	resp.Body.Close()

	_, err = c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String(userID)})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Fatalf("user after reset: %v", err)
	}
	// The key created after start is gone at once, despite the key cache.
	_, err = sts.NewFromConfig(ts.awsConfig(t, extraKey, extraSecret)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidClientTokenId" {
		t.Fatalf("extra key after reset: %v", err)
	}
	// The bootstrapped world is the same, and usable.
	lu, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(storeID)})
	if err != nil || len(lu.Users) != 0 {
		t.Fatalf("ListUsers after reset = %+v, %v", lu, err)
	}
	createBojan(t, c, storeID)
}

func TestResetIsOffByDefault(t *testing.T) {
	ts := startResettable(t, false)
	resp, err := http.Post(ts.URL+app.ResetPath, "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Fatal("reset answered 200 without --allow-reset")
	}
}

// BenchmarkReset measures Server.Reset for a small world: 20 users, 5 groups
// and 20 memberships created since start.
func BenchmarkReset(b *testing.B) {
	ctx := context.Background()
	ts := startResettable(b, true)
	c := identitystore.NewFromConfig(ts.rootConfig(b))
	storeID := aws.String(ts.World.Instance.IdentityStoreID)
	fill := func() {
		var groups []string
		for g := 0; g < 5; g++ {
			out, err := c.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: storeID, DisplayName: aws.String(fmt.Sprintf("g%d", g))})
			if err != nil {
				b.Fatal(err)
			}
			groups = append(groups, aws.ToString(out.GroupId))
		}
		for u := 0; u < 20; u++ {
			out, err := c.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: storeID, UserName: aws.String(fmt.Sprintf("u%d", u)),
				DisplayName: aws.String("U"), Name: &types.Name{GivenName: aws.String("G"), FamilyName: aws.String("F")}})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := c.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: storeID,
				GroupId: aws.String(groups[u%5]), MemberId: &types.MemberIdMemberUserId{Value: aws.ToString(out.UserId)}}); err != nil {
				b.Fatal(err)
			}
		}
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		fill()
		b.StartTimer()
		if err := ts.Reset(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
