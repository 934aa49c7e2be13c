package idcentertest_test

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"

	"github.com/idcenter/idcenter/idcentertest"
)

// A server for code under test: create a group with the real SDK, then reset
// the server to its starting state, as a suite would between tests. (Inside a
// test, idcentertest.Start(t) does the same and stops the server at cleanup.)
func Example() {
	srv, err := idcentertest.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	ctx := context.Background()
	c := identitystore.NewFromConfig(srv.AWSConfig())
	if _, err := c.CreateGroup(ctx, &identitystore.CreateGroupInput{
		IdentityStoreId: aws.String(srv.IdentityStoreID), DisplayName: aws.String("devops")}); err != nil {
		fmt.Println(err)
		return
	}
	out, err := c.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: aws.String(srv.IdentityStoreID)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(out.Groups), aws.ToString(out.Groups[0].DisplayName))

	if err := srv.Reset(); err != nil {
		fmt.Println(err)
		return
	}
	out, err = c.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: aws.String(srv.IdentityStoreID)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(out.Groups))
	// Output:
	// 1 devops
	// 0
}
