package app_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"
)

func newIdentityStore(t *testing.T) (*testServer, *identitystore.Client, string) {
	t.Helper()
	ts := startServer(t)
	return ts, newIdentityClient(t, ts), ts.World.Instance.IdentityStoreID
}

func newIdentityClient(t testing.TB, ts *testServer) *identitystore.Client {
	return identitystore.NewFromConfig(ts.rootConfig(t))
}

func createBojan(t testing.TB, c *identitystore.Client, storeID string) string {
	t.Helper()
	out, err := c.CreateUser(context.Background(), &identitystore.CreateUserInput{
		IdentityStoreId: aws.String(storeID),
		UserName:        aws.String("Bojan"),
		DisplayName:     aws.String("Bojan"),
		Name:            &types.Name{GivenName: aws.String("Bojan"), FamilyName: aws.String("Komazec")},
		Emails:          []types.Email{{Value: aws.String("bojan@example.com"), Type: aws.String("work"), Primary: true}},
	})
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if !strings.HasPrefix(aws.ToString(out.UserId), storeID[2:]+"-") {
		t.Fatalf("user id %q does not start with the store's hex %q", aws.ToString(out.UserId), storeID[2:])
	}
	return aws.ToString(out.UserId)
}

func TestIdentityStoreSeedFlow(t *testing.T) {
	ctx := context.Background()
	_, c, storeID := newIdentityStore(t)
	userID := createBojan(t, c, storeID)

	du, err := c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String(userID)})
	if err != nil {
		t.Fatalf("DescribeUser: %v", err)
	}
	if aws.ToString(du.UserName) != "Bojan" || aws.ToString(du.Name.GivenName) != "Bojan" || aws.ToString(du.Name.FamilyName) != "Komazec" {
		t.Fatalf("DescribeUser returned %+v", du)
	}
	if len(du.Emails) != 1 || aws.ToString(du.Emails[0].Value) != "bojan@example.com" || !du.Emails[0].Primary || aws.ToString(du.Emails[0].Type) != "work" {
		t.Fatalf("emails = %+v", du.Emails)
	}
	if du.UserStatus != types.UserStatusEnabled || du.CreatedAt == nil || du.CreatedAt.IsZero() {
		t.Fatalf("status %q created %v", du.UserStatus, du.CreatedAt)
	}

	g, err := c.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: aws.String(storeID), DisplayName: aws.String("devops"), Description: aws.String("DevOps team")})
	if err != nil {
		t.Fatalf("CreateGroup: %v", err)
	}
	groupID := aws.ToString(g.GroupId)
	m, err := c.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{
		IdentityStoreId: aws.String(storeID), GroupId: aws.String(groupID), MemberId: &types.MemberIdMemberUserId{Value: userID},
	})
	if err != nil {
		t.Fatalf("CreateGroupMembership: %v", err)
	}
	membershipID := aws.ToString(m.MembershipId)

	// lookups
	uid, err := c.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: aws.String(storeID),
		AlternateIdentifier: &types.AlternateIdentifierMemberUniqueAttribute{Value: types.UniqueAttribute{
			AttributePath: aws.String("userName"), AttributeValue: document.NewLazyDocument("Bojan")}}})
	if err != nil || aws.ToString(uid.UserId) != userID {
		t.Fatalf("GetUserId(userName) = %v, %v", uid, err)
	}
	uid, err = c.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: aws.String(storeID),
		AlternateIdentifier: &types.AlternateIdentifierMemberUniqueAttribute{Value: types.UniqueAttribute{
			AttributePath: aws.String("emails.value"), AttributeValue: document.NewLazyDocument("bojan@example.com")}}})
	if err != nil || aws.ToString(uid.UserId) != userID {
		t.Fatalf("GetUserId(emails.value) = %v, %v", uid, err)
	}
	gid, err := c.GetGroupId(ctx, &identitystore.GetGroupIdInput{IdentityStoreId: aws.String(storeID),
		AlternateIdentifier: &types.AlternateIdentifierMemberUniqueAttribute{Value: types.UniqueAttribute{
			AttributePath: aws.String("displayName"), AttributeValue: document.NewLazyDocument("devops")}}})
	if err != nil || aws.ToString(gid.GroupId) != groupID {
		t.Fatalf("GetGroupId = %v, %v", gid, err)
	}
	mid, err := c.GetGroupMembershipId(ctx, &identitystore.GetGroupMembershipIdInput{IdentityStoreId: aws.String(storeID),
		GroupId: aws.String(groupID), MemberId: &types.MemberIdMemberUserId{Value: userID}})
	if err != nil || aws.ToString(mid.MembershipId) != membershipID {
		t.Fatalf("GetGroupMembershipId = %v, %v", mid, err)
	}
	dm, err := c.DescribeGroupMembership(ctx, &identitystore.DescribeGroupMembershipInput{IdentityStoreId: aws.String(storeID), MembershipId: aws.String(membershipID)})
	if err != nil || aws.ToString(dm.GroupId) != groupID || dm.MemberId.(*types.MemberIdMemberUserId).Value != userID {
		t.Fatalf("DescribeGroupMembership = %+v, %v", dm, err)
	}
	in, err := c.IsMemberInGroups(ctx, &identitystore.IsMemberInGroupsInput{IdentityStoreId: aws.String(storeID),
		MemberId: &types.MemberIdMemberUserId{Value: userID}, GroupIds: []string{groupID}})
	if err != nil || len(in.Results) != 1 || !in.Results[0].MembershipExists {
		t.Fatalf("IsMemberInGroups = %+v, %v", in, err)
	}
	lm, err := c.ListGroupMemberships(ctx, &identitystore.ListGroupMembershipsInput{IdentityStoreId: aws.String(storeID), GroupId: aws.String(groupID)})
	if err != nil || len(lm.GroupMemberships) != 1 || aws.ToString(lm.GroupMemberships[0].MembershipId) != membershipID {
		t.Fatalf("ListGroupMemberships = %+v, %v", lm, err)
	}
	lfm, err := c.ListGroupMembershipsForMember(ctx, &identitystore.ListGroupMembershipsForMemberInput{IdentityStoreId: aws.String(storeID), MemberId: &types.MemberIdMemberUserId{Value: userID}})
	if err != nil || len(lfm.GroupMemberships) != 1 || aws.ToString(lfm.GroupMemberships[0].GroupId) != groupID {
		t.Fatalf("ListGroupMembershipsForMember = %+v, %v", lfm, err)
	}

	// update
	if _, err := c.UpdateUser(ctx, &identitystore.UpdateUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String(userID),
		Operations: []types.AttributeOperation{
			{AttributePath: aws.String("displayName"), AttributeValue: document.NewLazyDocument("Bojan K.")},
			{AttributePath: aws.String("name.givenName"), AttributeValue: document.NewLazyDocument("Bojo")},
		}}); err != nil {
		t.Fatalf("UpdateUser: %v", err)
	}
	du, err = c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String(userID)})
	if err != nil || aws.ToString(du.DisplayName) != "Bojan K." || aws.ToString(du.Name.GivenName) != "Bojo" || aws.ToString(du.Name.FamilyName) != "Komazec" {
		t.Fatalf("after UpdateUser: %+v, %v", du, err)
	}
	if _, err := c.UpdateGroup(ctx, &identitystore.UpdateGroupInput{IdentityStoreId: aws.String(storeID), GroupId: aws.String(groupID),
		Operations: []types.AttributeOperation{{AttributePath: aws.String("description"), AttributeValue: document.NewLazyDocument("Platform")}}}); err != nil {
		t.Fatalf("UpdateGroup: %v", err)
	}
	dg, err := c.DescribeGroup(ctx, &identitystore.DescribeGroupInput{IdentityStoreId: aws.String(storeID), GroupId: aws.String(groupID)})
	if err != nil || aws.ToString(dg.Description) != "Platform" || aws.ToString(dg.DisplayName) != "devops" {
		t.Fatalf("after UpdateGroup: %+v, %v", dg, err)
	}

	// deleting the user removes its memberships
	if _, err := c.DeleteUser(ctx, &identitystore.DeleteUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String(userID)}); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	lm, err = c.ListGroupMemberships(ctx, &identitystore.ListGroupMembershipsInput{IdentityStoreId: aws.String(storeID), GroupId: aws.String(groupID)})
	if err != nil || len(lm.GroupMemberships) != 0 {
		t.Fatalf("memberships after DeleteUser = %+v, %v", lm, err)
	}
	_, err = c.DescribeGroupMembership(ctx, &identitystore.DescribeGroupMembershipInput{IdentityStoreId: aws.String(storeID), MembershipId: aws.String(membershipID)})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) || rnf.ResourceType != types.ResourceTypeGroupMembership {
		t.Fatalf("DescribeGroupMembership after DeleteUser: %v", err)
	}
	if _, err := c.DeleteGroup(ctx, &identitystore.DeleteGroupInput{IdentityStoreId: aws.String(storeID), GroupId: aws.String(groupID)}); err != nil {
		t.Fatalf("DeleteGroup: %v", err)
	}
	lg, err := c.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: aws.String(storeID)})
	if err != nil || len(lg.Groups) != 0 {
		t.Fatalf("ListGroups after delete = %+v, %v", lg, err)
	}
}

func TestIdentityStoreErrors(t *testing.T) {
	ctx := context.Background()
	_, c, storeID := newIdentityStore(t)
	userID := createBojan(t, c, storeID)
	unknownUser := storeID[2:] + "-00000000-0000-4000-8000-000000000000"

	tests := []struct {
		name  string
		call  func() error
		check func(t *testing.T, err error)
	}{
		{"duplicate user name", func() error {
			_, err := c.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: aws.String(storeID), UserName: aws.String("bojan"),
				DisplayName: aws.String("x"), Name: &types.Name{GivenName: aws.String("a"), FamilyName: aws.String("b")}})
			return err
		}, func(t *testing.T, err error) {
			var ce *types.ConflictException
			if !errors.As(err, &ce) || ce.Reason != types.ConflictExceptionReasonUniquenessConstraintViolation {
				t.Fatalf("want ConflictException UNIQUENESS_CONSTRAINT_VIOLATION, got %v", err)
			}
		}},
		{"unknown user", func() error {
			_, err := c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String(unknownUser)})
			return err
		}, func(t *testing.T, err error) {
			var rnf *types.ResourceNotFoundException
			if !errors.As(err, &rnf) || rnf.ResourceType != types.ResourceTypeUser || aws.ToString(rnf.ResourceId) != unknownUser {
				t.Fatalf("want ResourceNotFoundException USER %s, got %v", unknownUser, err)
			}
		}},
		{"unknown identity store", func() error {
			_, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String("d-0000000000")})
			return err
		}, func(t *testing.T, err error) {
			var rnf *types.ResourceNotFoundException
			if !errors.As(err, &rnf) || rnf.ResourceType != types.ResourceTypeIdentityStore {
				t.Fatalf("want ResourceNotFoundException IDENTITY_STORE, got %v", err)
			}
		}},
		{"malformed user id", func() error {
			_, err := c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String("not-an-id")})
			return err
		}, func(t *testing.T, err error) {
			var ve *types.ValidationException
			if !errors.As(err, &ve) || !strings.Contains(ve.ErrorMessage(), "at 'userId' failed to satisfy constraint") {
				t.Fatalf("want ValidationException on userId, got %v", err)
			}
		}},
		{"over-long user name", func() error {
			_, err := c.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: aws.String(storeID), UserName: aws.String(strings.Repeat("a", 129)),
				DisplayName: aws.String("x"), Name: &types.Name{GivenName: aws.String("a"), FamilyName: aws.String("b")}})
			return err
		}, func(t *testing.T, err error) {
			var ve *types.ValidationException
			if !errors.As(err, &ve) || !strings.Contains(ve.ErrorMessage(), "Member must have length less than or equal to 128") {
				t.Fatalf("want length ValidationException, got %v", err)
			}
		}},
		{"membership of unknown user", func() error {
			g, err := c.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: aws.String(storeID), DisplayName: aws.String("g1")})
			if err != nil {
				return fmt.Errorf("setup: %w", err)
			}
			_, err = c.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: aws.String(storeID),
				GroupId: g.GroupId, MemberId: &types.MemberIdMemberUserId{Value: unknownUser}})
			return err
		}, func(t *testing.T, err error) {
			var rnf *types.ResourceNotFoundException
			if !errors.As(err, &rnf) || rnf.ResourceType != types.ResourceTypeUser {
				t.Fatalf("want ResourceNotFoundException USER, got %v", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, tt.call()) })
	}

	// The store is unchanged by the failures: still exactly Bojan.
	lu, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(storeID)})
	if err != nil || len(lu.Users) != 1 || aws.ToString(lu.Users[0].UserId) != userID || aws.ToString(lu.Users[0].UserName) != "Bojan" {
		t.Fatalf("users after failures = %+v, %v", lu, err)
	}
}

func TestIdentityStorePagination(t *testing.T) {
	ctx := context.Background()
	_, c, storeID := newIdentityStore(t)
	want := map[string]bool{}
	for i := 0; i < 7; i++ {
		out, err := c.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: aws.String(storeID), UserName: aws.String(fmt.Sprintf("user%02d", i)),
			DisplayName: aws.String("U"), Name: &types.Name{GivenName: aws.String("G"), FamilyName: aws.String("F")}})
		if err != nil {
			t.Fatalf("CreateUser %d: %v", i, err)
		}
		want[aws.ToString(out.UserId)] = true
	}
	got := map[string]bool{}
	pages := 0
	p := identitystore.NewListUsersPaginator(c, &identitystore.ListUsersInput{IdentityStoreId: aws.String(storeID), MaxResults: aws.Int32(3)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		pages++
		if len(page.Users) > 3 {
			t.Fatalf("page of %d users with MaxResults 3", len(page.Users))
		}
		for _, u := range page.Users {
			if got[aws.ToString(u.UserId)] {
				t.Fatalf("user %s on two pages", aws.ToString(u.UserId))
			}
			got[aws.ToString(u.UserId)] = true
		}
	}
	if pages != 3 || len(got) != len(want) {
		t.Fatalf("pages=%d users=%d, want 3 pages and %d users", pages, len(got), len(want))
	}
	for id := range want {
		if !got[id] {
			t.Fatalf("user %s missing from pages", id)
		}
	}
	// legacy filter
	lu, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(storeID),
		Filters: []types.Filter{{AttributePath: aws.String("UserName"), AttributeValue: aws.String("user03")}}})
	if err != nil || len(lu.Users) != 1 || aws.ToString(lu.Users[0].UserName) != "user03" {
		t.Fatalf("filtered ListUsers = %+v, %v", lu, err)
	}
}
