package idcentertest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

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

// A server that starts from a world file: its users, groups, permission sets
// and assignments (provisioned) exist when New returns, and Reset brings
// them back after a test changed them.
func ExampleWithWorld() {
	dir, err := os.MkdirTemp("", "world")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "world.yaml")
	err = os.WriteFile(path, []byte(`users:
  - userName: alice
    givenName: Alice
    familyName: Doe
groups:
  - displayName: admins
    members: [alice]
permissionSets:
  - name: Admin
    managedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]
assignments:
  - permissionSet: Admin
    group: admins
    account: "123456789012"
`), 0o600)
	if err != nil {
		fmt.Println(err)
		return
	}
	srv, err := idcentertest.New(idcentertest.WithWorld(path))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	ctx := context.Background()
	c := identitystore.NewFromConfig(srv.AWSConfig())
	users, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(srv.IdentityStoreID)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(users.Users), aws.ToString(users.Users[0].UserName))

	if _, err := c.DeleteUser(ctx, &identitystore.DeleteUserInput{IdentityStoreId: aws.String(srv.IdentityStoreID), UserId: users.Users[0].UserId}); err != nil {
		fmt.Println(err)
		return
	}
	if err := srv.Reset(); err != nil {
		fmt.Println(err)
		return
	}
	again, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(srv.IdentityStoreID)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(again.Users), aws.ToString(again.Users[0].UserId) == aws.ToString(users.Users[0].UserId))
	// Output:
	// 1 alice
	// 1 true
}
