package idcentertest_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/idcenter/idcenter/idcentertest"
)

func TestStart(t *testing.T) {
	var logs bytes.Buffer
	srv := idcentertest.Start(t, idcentertest.WithAccountID("210987654321"), idcentertest.WithRegion("eu-west-1"), idcentertest.WithLogger(&logs))
	ctx := context.Background()
	id, err := sts.NewFromConfig(srv.AWSConfig()).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Account) != "210987654321" || srv.AccountID != "210987654321" || srv.Region != "eu-west-1" {
		t.Fatalf("account %s / %s, region %s", aws.ToString(id.Account), srv.AccountID, srv.Region)
	}
	c := identitystore.NewFromConfig(srv.AWSConfig())
	_, err = c.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: aws.String(srv.IdentityStoreID), DisplayName: aws.String("devops")})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: aws.String(srv.IdentityStoreID)})
	if err != nil || len(out.Groups) != 1 || aws.ToString(out.Groups[0].DisplayName) != "devops" {
		t.Fatalf("ListGroups = %+v, %v", out, err)
	}
	if !bytes.Contains(logs.Bytes(), []byte("request")) {
		t.Fatalf("WithLogger got no request log lines: %q", logs.String())
	}
	// Reset forgets the group and keeps the world.
	if err := srv.Reset(); err != nil {
		t.Fatal(err)
	}
	out, err = c.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: aws.String(srv.IdentityStoreID)})
	if err != nil || len(out.Groups) != 0 {
		t.Fatalf("ListGroups after Reset = %+v, %v", out, err)
	}
	// Two servers in one test are independent.
	other := idcentertest.Start(t)
	if other.IdentityStoreID == srv.IdentityStoreID || other.AccessKeyID == srv.AccessKeyID {
		t.Fatal("second server shares the first one's identity store or key")
	}
	_, err = identitystore.NewFromConfig(other.AWSConfig()).ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: aws.String(srv.IdentityStoreID)})
	var rnf *types.ResourceNotFoundException
	if err == nil || !errors.As(err, &rnf) {
		t.Fatalf("other server knows the first one's store: %v", err)
	}
}
