package app_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func tagMap(tags []types.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

// TestIAMUserAndRoleTags: TagUser/ListUserTags/UntagUser and the same for
// roles, including a changed value, removal, the 50-tag limit and unknown
// entities.
func TestIAMUserAndRoleTags(t *testing.T) {
	ctx := context.Background()
	c := iam.NewFromConfig(startServer(t).rootConfig(t))
	mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("tagged")}))
	mustDo[*iam.CreateRoleOutput](t, "CreateRole")(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("tagged"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`)}))
	type kind struct {
		name  string
		tag   func([]types.Tag) error
		untag func([]string) error
		list  func() ([]types.Tag, error)
	}
	kinds := []kind{
		{"user",
			func(ts []types.Tag) error {
				_, err := c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("tagged"), Tags: ts})
				return err
			},
			func(ks []string) error {
				_, err := c.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String("tagged"), TagKeys: ks})
				return err
			},
			func() ([]types.Tag, error) {
				out, err := c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("tagged")})
				if err != nil {
					return nil, err
				}
				return out.Tags, nil
			}},
		{"role",
			func(ts []types.Tag) error {
				_, err := c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("tagged"), Tags: ts})
				return err
			},
			func(ks []string) error {
				_, err := c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String("tagged"), TagKeys: ks})
				return err
			},
			func() ([]types.Tag, error) {
				out, err := c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("tagged")})
				if err != nil {
					return nil, err
				}
				return out.Tags, nil
			}},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			if err := k.tag([]types.Tag{{Key: aws.String("team"), Value: aws.String("ops")}, {Key: aws.String("env"), Value: aws.String("dev")}}); err != nil {
				t.Fatalf("tag: %v", err)
			}
			if err := k.tag([]types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}); err != nil {
				t.Fatalf("retag: %v", err)
			}
			got, err := k.list()
			if m := tagMap(got); err != nil || len(m) != 2 || m["team"] != "ops" || m["env"] != "prod" {
				t.Fatalf("tags = %v, %v", m, err)
			}
			if err := k.untag([]string{"team"}); err != nil {
				t.Fatalf("untag: %v", err)
			}
			got, _ = k.list()
			if m := tagMap(got); len(m) != 1 || m["env"] != "prod" {
				t.Fatalf("tags after untag = %v", m)
			}
			var many []types.Tag
			for i := 0; i < 50; i++ {
				many = append(many, types.Tag{Key: aws.String(fmt.Sprintf("k%02d", i)), Value: aws.String("v")})
			}
			wantCode(t, "51 tags", k.tag(many), "LimitExceeded")
			got, _ = k.list()
			if len(got) != 1 {
				t.Fatalf("a refused TagX changed the tags: %v", tagMap(got))
			}
		})
	}
	_, err := c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("nobody"), Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}})
	wantCode(t, "TagUser of an unknown user", err, "NoSuchEntity")
	_, err = c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String("nobody"), TagKeys: []string{"a"}})
	wantCode(t, "UntagRole of an unknown role", err, "NoSuchEntity")
}

// TestIAMUpdateRole: UpdateRole (description, max session duration within
// 1–12 h) and UpdateRoleDescription, seen through GetRole.
func TestIAMUpdateRole(t *testing.T) {
	ctx := context.Background()
	c := iam.NewFromConfig(startServer(t).rootConfig(t))
	mustDo[*iam.CreateRoleOutput](t, "CreateRole")(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)}))
	if _, err := c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("r"), Description: aws.String("first"), MaxSessionDuration: aws.Int32(7200)}); err != nil {
		t.Fatalf("UpdateRole: %v", err)
	}
	r := mustDo[*iam.GetRoleOutput](t, "GetRole")(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")})).Role
	if aws.ToString(r.Description) != "first" || aws.ToInt32(r.MaxSessionDuration) != 7200 {
		t.Fatalf("after UpdateRole: description %q, max %d", aws.ToString(r.Description), aws.ToInt32(r.MaxSessionDuration))
	}
	out, err := c.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: aws.String("r"), Description: aws.String("second")})
	if err != nil || aws.ToString(out.Role.Description) != "second" || aws.ToInt32(out.Role.MaxSessionDuration) != 7200 {
		t.Fatalf("UpdateRoleDescription = %+v, %v", out, err)
	}
	for _, bad := range []int32{900, 43201} {
		_, err := c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("r"), MaxSessionDuration: aws.Int32(bad)})
		wantCode(t, fmt.Sprintf("MaxSessionDuration %d", bad), err, "ValidationError")
	}
	_, err = c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("nobody"), Description: aws.String("x")})
	wantCode(t, "UpdateRole of an unknown role", err, "NoSuchEntity")
	_, err = c.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: aws.String("nobody"), Description: aws.String("x")})
	wantCode(t, "UpdateRoleDescription of an unknown role", err, "NoSuchEntity")
}

// TestIAMGroupAndUserInlinePoliciesAndDetach: group inline policies
// (Put/Get/List/Delete), DeleteUserPolicy and DetachUserPolicy, with their
// NoSuchEntity errors.
func TestIAMGroupAndUserInlinePoliciesAndDetach(t *testing.T) {
	ctx := context.Background()
	c := iam.NewFromConfig(startServer(t).rootConfig(t))
	const doc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}`
	mustDo[*iam.CreateGroupOutput](t, "CreateGroup")(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")}))
	mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")}))
	mustDo[*iam.PutGroupPolicyOutput](t, "PutGroupPolicy")(c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("devs"),
		PolicyName: aws.String("queues"), PolicyDocument: aws.String(doc)}))
	g, err := c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("queues")})
	if err != nil {
		t.Fatalf("GetGroupPolicy: %v", err)
	}
	if got, _ := url.QueryUnescape(aws.ToString(g.PolicyDocument)); got != doc || aws.ToString(g.GroupName) != "devs" {
		t.Fatalf("GetGroupPolicy = %s (%s)", got, aws.ToString(g.GroupName))
	}
	l := mustDo[*iam.ListGroupPoliciesOutput](t, "ListGroupPolicies")(c.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String("devs")}))
	if len(l.PolicyNames) != 1 || l.PolicyNames[0] != "queues" {
		t.Fatalf("ListGroupPolicies = %v", l.PolicyNames)
	}
	mustDo[*iam.DeleteGroupPolicyOutput](t, "DeleteGroupPolicy")(c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("queues")}))
	_, err = c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("queues")})
	wantCode(t, "GetGroupPolicy after delete", err, "NoSuchEntity")
	_, err = c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("queues")})
	wantCode(t, "DeleteGroupPolicy twice", err, "NoSuchEntity")

	mustDo[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u"),
		PolicyName: aws.String("queues"), PolicyDocument: aws.String(doc)}))
	mustDo[*iam.DeleteUserPolicyOutput](t, "DeleteUserPolicy")(c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("queues")}))
	if l := mustDo[*iam.ListUserPoliciesOutput](t, "ListUserPolicies")(c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("u")})); len(l.PolicyNames) != 0 {
		t.Fatalf("user policies after delete = %v", l.PolicyNames)
	}
	_, err = c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("queues")})
	wantCode(t, "DeleteUserPolicy twice", err, "NoSuchEntity")

	ro := aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")
	mustDo[*iam.AttachUserPolicyOutput](t, "AttachUserPolicy")(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: ro}))
	mustDo[*iam.DetachUserPolicyOutput](t, "DetachUserPolicy")(c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("u"), PolicyArn: ro}))
	if a := mustDo[*iam.ListAttachedUserPoliciesOutput](t, "ListAttachedUserPolicies")(c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("u")})); len(a.AttachedPolicies) != 0 {
		t.Fatalf("attached after detach = %v", a.AttachedPolicies)
	}
	_, err = c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("u"), PolicyArn: ro})
	wantCode(t, "DetachUserPolicy of a policy not attached", err, "NoSuchEntity")
}

// TestIAMPolicyVersionsDefault: ListPolicyVersions and SetDefaultPolicyVersion.
func TestIAMPolicyVersionsDefault(t *testing.T) {
	ctx := context.Background()
	c := iam.NewFromConfig(startServer(t).rootConfig(t))
	p := mustDo[*iam.CreatePolicyOutput](t, "CreatePolicy")(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:ListQueues","Resource":"*"}]}`)}))
	arn := p.Policy.Arn
	mustDo[*iam.CreatePolicyVersionOutput](t, "CreatePolicyVersion")(c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn,
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}`)}))
	vs := mustDo[*iam.ListPolicyVersionsOutput](t, "ListPolicyVersions")(c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: arn}))
	def := map[string]bool{}
	for _, v := range vs.Versions {
		def[aws.ToString(v.VersionId)] = v.IsDefaultVersion
	}
	if len(def) != 2 || !def["v1"] || def["v2"] {
		t.Fatalf("versions = %v, want v1 (default) and v2", def)
	}
	mustDo[*iam.SetDefaultPolicyVersionOutput](t, "SetDefaultPolicyVersion")(c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v2")}))
	if got := mustDo[*iam.GetPolicyOutput](t, "GetPolicy")(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn})); aws.ToString(got.Policy.DefaultVersionId) != "v2" {
		t.Fatalf("default version = %s, want v2", aws.ToString(got.Policy.DefaultVersionId))
	}
	_, err := c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v9")})
	wantCode(t, "SetDefaultPolicyVersion to a missing version", err, "NoSuchEntity")
	_, err = c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/nope")})
	wantCode(t, "ListPolicyVersions of a missing policy", err, "NoSuchEntity")
}

// TestIAMMFADeviceTags: TagMFADevice, ListMFADeviceTags, UntagMFADevice on a
// virtual device.
func TestIAMMFADeviceTags(t *testing.T) {
	ctx := context.Background()
	c := iam.NewFromConfig(startServer(t).rootConfig(t))
	d := mustDo[*iam.CreateVirtualMFADeviceOutput](t, "CreateVirtualMFADevice")(c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("phone")}))
	serial := d.VirtualMFADevice.SerialNumber
	mustDo[*iam.TagMFADeviceOutput](t, "TagMFADevice")(c.TagMFADevice(ctx, &iam.TagMFADeviceInput{SerialNumber: serial, Tags: []types.Tag{{Key: aws.String("owner"), Value: aws.String("ops")}, {Key: aws.String("x"), Value: aws.String("y")}}}))
	mustDo[*iam.UntagMFADeviceOutput](t, "UntagMFADevice")(c.UntagMFADevice(ctx, &iam.UntagMFADeviceInput{SerialNumber: serial, TagKeys: []string{"x"}}))
	l := mustDo[*iam.ListMFADeviceTagsOutput](t, "ListMFADeviceTags")(c.ListMFADeviceTags(ctx, &iam.ListMFADeviceTagsInput{SerialNumber: serial}))
	if m := tagMap(l.Tags); len(m) != 1 || m["owner"] != "ops" {
		t.Fatalf("MFA device tags = %v", m)
	}
	_, err := c.TagMFADevice(ctx, &iam.TagMFADeviceInput{SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/nope"), Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}})
	wantCode(t, "TagMFADevice of an unknown device", err, "NoSuchEntity")
}
