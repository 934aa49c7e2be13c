package app_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
)

// The Terraform AWS provider cannot run here: these tests replay, with the Go
// SDK the provider uses, the calls its identitystore resources make
// (internal/service/identitystore/{user,group,group_membership}.go and
// data aws_ssoadmin_instances), with the seed's values (user Bojan, group
// devops): create, read after create, update, read, delete, and the reads
// and deletes after the delete, whose ResourceNotFoundException the provider
// treats as "gone".

func tfIdentityStore(t *testing.T) (*identitystore.Client, string, *testServer) {
	t.Helper()
	ts := startServer(t)
	return identitystore.NewFromConfig(ts.rootConfig(t)), ts.World.Instance.IdentityStoreID, ts
}

// TestTerraformIdentityStoreGroup replays aws_identitystore_group.
func TestTerraformIdentityStoreGroup(t *testing.T) {
	ctx := context.Background()
	c, storeID, _ := tfIdentityStore(t)

	// Create: CreateGroup; the provider's id is out.IdentityStoreId/out.GroupId.
	out, err := c.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: &storeID, DisplayName: aws.String("devops"),
		Description: aws.String("DevOps engineers")})
	if err != nil {
		t.Fatalf("CreateGroup: %v", err)
	}
	if aws.ToString(out.IdentityStoreId) != storeID || aws.ToString(out.GroupId) == "" {
		t.Fatalf("CreateGroup = %+v", out)
	}
	id := out.GroupId
	read := func(wantDesc string) {
		t.Helper()
		d, err := c.DescribeGroup(ctx, &identitystore.DescribeGroupInput{IdentityStoreId: &storeID, GroupId: id})
		if err != nil {
			t.Fatalf("DescribeGroup: %v", err)
		}
		if aws.ToString(d.GroupId) != aws.ToString(id) || aws.ToString(d.IdentityStoreId) != storeID ||
			aws.ToString(d.DisplayName) != "devops" || aws.ToString(d.Description) != wantDesc || len(d.ExternalIds) != 0 {
			t.Fatalf("DescribeGroup = %+v", d)
		}
	}
	read("DevOps engineers") // read after create: no eventual-consistency window

	// Update: one operation per changed attribute.
	if _, err := c.UpdateGroup(ctx, &identitystore.UpdateGroupInput{IdentityStoreId: &storeID, GroupId: id,
		Operations: []idtypes.AttributeOperation{{AttributePath: aws.String("description"), AttributeValue: document.NewLazyDocument("Platform team")}}}); err != nil {
		t.Fatalf("UpdateGroup: %v", err)
	}
	read("Platform team")

	// data aws_identitystore_group: GetGroupId by displayName, then DescribeGroup.
	gid, err := c.GetGroupId(ctx, &identitystore.GetGroupIdInput{IdentityStoreId: &storeID,
		AlternateIdentifier: &idtypes.AlternateIdentifierMemberUniqueAttribute{Value: idtypes.UniqueAttribute{
			AttributePath: aws.String("displayName"), AttributeValue: document.NewLazyDocument("devops")}}})
	if err != nil || aws.ToString(gid.GroupId) != aws.ToString(id) {
		t.Fatalf("GetGroupId = %+v, %v", gid, err)
	}

	// Delete, then the refresh and a second delete see ResourceNotFoundException.
	if _, err := c.DeleteGroup(ctx, &identitystore.DeleteGroupInput{IdentityStoreId: &storeID, GroupId: id}); err != nil {
		t.Fatalf("DeleteGroup: %v", err)
	}
	_, err = c.DescribeGroup(ctx, &identitystore.DescribeGroupInput{IdentityStoreId: &storeID, GroupId: id})
	wantRNF(t, "DescribeGroup after delete", err)
	_, err = c.DeleteGroup(ctx, &identitystore.DeleteGroupInput{IdentityStoreId: &storeID, GroupId: id})
	wantRNF(t, "DeleteGroup twice", err)
}

// wantRNF checks for the typed ResourceNotFoundException the provider tests
// with errs.IsA[*types.ResourceNotFoundException].
func wantRNF(t *testing.T, what string, err error) {
	t.Helper()
	var rnf *idtypes.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Fatalf("%s: err = %v, want *types.ResourceNotFoundException", what, err)
	}
}

// TestTerraformIdentityStoreUser replays aws_identitystore_user, including
// the provider's whole-value replacement of emails and its nulls that unset
// attributes, and data aws_identitystore_user.
func TestTerraformIdentityStoreUser(t *testing.T) {
	ctx := context.Background()
	c, storeID, _ := tfIdentityStore(t)

	// Create: CreateUser with display_name, name{given,family} and one email.
	out, err := c.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: &storeID, UserName: aws.String("Bojan"),
		DisplayName: aws.String("Bojan"), Name: &idtypes.Name{GivenName: aws.String("Bojan"), FamilyName: aws.String("Petrovic")},
		Emails: []idtypes.Email{{Value: aws.String("bojan@example.com"), Type: aws.String("work"), Primary: true}}})
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if aws.ToString(out.IdentityStoreId) != storeID || aws.ToString(out.UserId) == "" {
		t.Fatalf("CreateUser = %+v", out)
	}
	id := out.UserId
	describe := func() *identitystore.DescribeUserOutput {
		t.Helper()
		d, err := c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &storeID, UserId: id})
		if err != nil {
			t.Fatalf("DescribeUser: %v", err)
		}
		if aws.ToString(d.UserId) != aws.ToString(id) || aws.ToString(d.IdentityStoreId) != storeID || aws.ToString(d.UserName) != "Bojan" {
			t.Fatalf("DescribeUser = %+v", d)
		}
		return d
	}
	d := describe() // read after create
	if aws.ToString(d.DisplayName) != "Bojan" || d.Name == nil || aws.ToString(d.Name.GivenName) != "Bojan" ||
		aws.ToString(d.Name.FamilyName) != "Petrovic" || len(d.Emails) != 1 || aws.ToString(d.Emails[0].Value) != "bojan@example.com" ||
		aws.ToString(d.Emails[0].Type) != "work" || !d.Emails[0].Primary || d.Title != nil || len(d.ExternalIds) != 0 {
		t.Fatalf("read after create = %+v", d)
	}

	// Update: displayName, name.givenName, title, and emails replaced whole
	// as the provider's map (primary, type, value).
	if _, err := c.UpdateUser(ctx, &identitystore.UpdateUserInput{IdentityStoreId: &storeID, UserId: id, Operations: []idtypes.AttributeOperation{
		{AttributePath: aws.String("displayName"), AttributeValue: document.NewLazyDocument("Bojan P.")},
		{AttributePath: aws.String("name.givenName"), AttributeValue: document.NewLazyDocument("Bojo")},
		{AttributePath: aws.String("title"), AttributeValue: document.NewLazyDocument("Engineer")},
		{AttributePath: aws.String("emails"), AttributeValue: document.NewLazyDocument([]any{
			map[string]any{"primary": true, "type": "work", "value": "bojan@idcenter.dev"}})},
	}}); err != nil {
		t.Fatalf("UpdateUser: %v", err)
	}
	d = describe()
	if aws.ToString(d.DisplayName) != "Bojan P." || aws.ToString(d.Name.GivenName) != "Bojo" || aws.ToString(d.Name.FamilyName) != "Petrovic" ||
		aws.ToString(d.Title) != "Engineer" || len(d.Emails) != 1 || aws.ToString(d.Emails[0].Value) != "bojan@idcenter.dev" || !d.Emails[0].Primary {
		t.Fatalf("read after update = %+v", d)
	}

	// Removing title and emails from the configuration: the provider sends
	// JSON null ("" becomes nil; no emails expand to a nil list).
	var noEmails []any
	if _, err := c.UpdateUser(ctx, &identitystore.UpdateUserInput{IdentityStoreId: &storeID, UserId: id, Operations: []idtypes.AttributeOperation{
		{AttributePath: aws.String("title"), AttributeValue: document.NewLazyDocument(nil)},
		{AttributePath: aws.String("emails"), AttributeValue: document.NewLazyDocument(noEmails)},
	}}); err != nil {
		t.Fatalf("UpdateUser unsetting title and emails: %v", err)
	}
	d = describe()
	if d.Title != nil || len(d.Emails) != 0 || aws.ToString(d.DisplayName) != "Bojan P." {
		t.Fatalf("read after unset = %+v", d)
	}

	// data aws_identitystore_user: GetUserId by userName, then DescribeUser.
	uid, err := c.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: &storeID,
		AlternateIdentifier: &idtypes.AlternateIdentifierMemberUniqueAttribute{Value: idtypes.UniqueAttribute{
			AttributePath: aws.String("userName"), AttributeValue: document.NewLazyDocument("Bojan")}}})
	if err != nil || aws.ToString(uid.UserId) != aws.ToString(id) {
		t.Fatalf("GetUserId = %+v, %v", uid, err)
	}

	// Delete; refresh and a second delete see ResourceNotFoundException.
	if _, err := c.DeleteUser(ctx, &identitystore.DeleteUserInput{IdentityStoreId: &storeID, UserId: id}); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	_, err = c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &storeID, UserId: id})
	wantRNF(t, "DescribeUser after delete", err)
	_, err = c.DeleteUser(ctx, &identitystore.DeleteUserInput{IdentityStoreId: &storeID, UserId: id})
	wantRNF(t, "DeleteUser twice", err)
}

// TestTerraformIdentityStoreGroupMembership replays
// aws_identitystore_group_membership (every attribute forces a new resource:
// no update).
func TestTerraformIdentityStoreGroupMembership(t *testing.T) {
	ctx := context.Background()
	c, storeID, _ := tfIdentityStore(t)
	g, err := c.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: &storeID, DisplayName: aws.String("devops")})
	if err != nil {
		t.Fatalf("CreateGroup: %v", err)
	}
	u, err := c.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: &storeID, UserName: aws.String("Bojan"),
		DisplayName: aws.String("Bojan"), Name: &idtypes.Name{GivenName: aws.String("Bojan"), FamilyName: aws.String("Petrovic")}})
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}

	out, err := c.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: &storeID, GroupId: g.GroupId,
		MemberId: &idtypes.MemberIdMemberUserId{Value: aws.ToString(u.UserId)}})
	if err != nil {
		t.Fatalf("CreateGroupMembership: %v", err)
	}
	if aws.ToString(out.IdentityStoreId) != storeID || aws.ToString(out.MembershipId) == "" {
		t.Fatalf("CreateGroupMembership = %+v", out)
	}
	id := out.MembershipId

	// Read after create: group_id, identity_store_id, member_id.user_id, membership_id.
	d, err := c.DescribeGroupMembership(ctx, &identitystore.DescribeGroupMembershipInput{IdentityStoreId: &storeID, MembershipId: id})
	if err != nil {
		t.Fatalf("DescribeGroupMembership: %v", err)
	}
	member, ok := d.MemberId.(*idtypes.MemberIdMemberUserId)
	if !ok || member.Value != aws.ToString(u.UserId) || aws.ToString(d.GroupId) != aws.ToString(g.GroupId) ||
		aws.ToString(d.MembershipId) != aws.ToString(id) || aws.ToString(d.IdentityStoreId) != storeID {
		t.Fatalf("DescribeGroupMembership = %+v (member %+v)", d, d.MemberId)
	}
	// The same membership again is a conflict (terraform would report it).
	_, err = c.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: &storeID, GroupId: g.GroupId,
		MemberId: &idtypes.MemberIdMemberUserId{Value: aws.ToString(u.UserId)}})
	wantCode(t, "duplicate membership", err, "ConflictException")

	if _, err := c.DeleteGroupMembership(ctx, &identitystore.DeleteGroupMembershipInput{IdentityStoreId: &storeID, MembershipId: id}); err != nil {
		t.Fatalf("DeleteGroupMembership: %v", err)
	}
	_, err = c.DescribeGroupMembership(ctx, &identitystore.DescribeGroupMembershipInput{IdentityStoreId: &storeID, MembershipId: id})
	wantRNF(t, "DescribeGroupMembership after delete", err)
	_, err = c.DeleteGroupMembership(ctx, &identitystore.DeleteGroupMembershipInput{IdentityStoreId: &storeID, MembershipId: id})
	wantRNF(t, "DeleteGroupMembership twice", err)
}

// TestTerraformSSOAdminInstancesDataSource replays data aws_ssoadmin_instances:
// ListInstances through the paginator, collecting arns and identity_store_ids.
func TestTerraformSSOAdminInstancesDataSource(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	c := ssoadmin.NewFromConfig(ts.rootConfig(t))
	var arns, stores []string
	p := ssoadmin.NewListInstancesPaginator(c, &ssoadmin.ListInstancesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListInstances: %v", err)
		}
		for _, i := range page.Instances {
			arns = append(arns, aws.ToString(i.InstanceArn))
			stores = append(stores, aws.ToString(i.IdentityStoreId))
		}
	}
	if len(arns) != 1 || arns[0] != ts.World.Instance.ARN || stores[0] != ts.World.Instance.IdentityStoreID {
		t.Fatalf("arns = %v, identity_store_ids = %v", arns, stores)
	}
	// tolist(data.aws_ssoadmin_instances.x.identity_store_ids)[0] is then used
	// as identity_store_id: it must work at once.
	if _, err := identitystore.NewFromConfig(ts.rootConfig(t)).ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &stores[0]}); err != nil {
		t.Fatalf("ListUsers with the data source's identity store id: %v", err)
	}
}
