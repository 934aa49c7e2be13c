package app_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

func wantAPIError(t *testing.T, what string, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Fatalf("%s: err = %v, want %s", what, err, code)
	}
}

func TestIAMUserAccessKeySignsRequests(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	out, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice"), Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("a")}}})
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if got := aws.ToString(out.User.Arn); got != "arn:aws:iam::123456789012:user/alice" || !strings.HasPrefix(aws.ToString(out.User.UserId), "AIDA") || len(aws.ToString(out.User.UserId)) != 21 {
		t.Fatalf("CreateUser = %+v", out.User)
	}
	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ALICE")})
	wantAPIError(t, "duplicate user", err, "EntityAlreadyExists")

	k1, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	if err != nil {
		t.Fatalf("CreateAccessKey: %v", err)
	}
	k2, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	if err != nil {
		t.Fatalf("CreateAccessKey 2: %v", err)
	}
	_, err = c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	wantAPIError(t, "third key", err, "LimitExceeded")

	// The new key signs requests as the user at once.
	userCfg := ts.awsConfig(t, aws.ToString(k1.AccessKey.AccessKeyId), aws.ToString(k1.AccessKey.SecretAccessKey))
	id, err := sts.NewFromConfig(userCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity with the user's key: %v", err)
	}
	if aws.ToString(id.Arn) != "arn:aws:iam::123456789012:user/alice" || aws.ToString(id.UserId) != aws.ToString(out.User.UserId) {
		t.Fatalf("GetCallerIdentity = %s %s, want the user's ARN and id %s", aws.ToString(id.Arn), aws.ToString(id.UserId), aws.ToString(out.User.UserId))
	}

	// A key made Inactive before its first use is refused (no cached copy).
	if _, err := c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: k2.AccessKey.AccessKeyId,
		Status: iamtypes.StatusTypeInactive}); err != nil {
		t.Fatalf("UpdateAccessKey: %v", err)
	}
	inactive := ts.awsConfig(t, aws.ToString(k2.AccessKey.AccessKeyId), aws.ToString(k2.AccessKey.SecretAccessKey))
	_, err = sts.NewFromConfig(inactive).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err == nil {
		t.Fatal("an Inactive key was accepted")
	}

	keys, err := c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("alice")})
	if err != nil || len(keys.AccessKeyMetadata) != 2 {
		t.Fatalf("ListAccessKeys = %+v, %v", keys, err)
	}
	statuses := map[string]iamtypes.StatusType{}
	for _, m := range keys.AccessKeyMetadata {
		statuses[aws.ToString(m.AccessKeyId)] = m.Status
	}
	if statuses[aws.ToString(k1.AccessKey.AccessKeyId)] != iamtypes.StatusTypeActive || statuses[aws.ToString(k2.AccessKey.AccessKeyId)] != iamtypes.StatusTypeInactive {
		t.Fatalf("statuses = %v", statuses)
	}
	lu, err := c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k1.AccessKey.AccessKeyId})
	if err != nil || aws.ToString(lu.UserName) != "alice" || aws.ToString(lu.AccessKeyLastUsed.ServiceName) != "sts" || lu.AccessKeyLastUsed.LastUsedDate == nil {
		t.Fatalf("GetAccessKeyLastUsed = %+v, %v", lu, err)
	}

	// DeleteConflict while the user has keys, then delete works.
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice")})
	wantAPIError(t, "delete user with keys", err, "DeleteConflict")
	for _, k := range []*iam.CreateAccessKeyOutput{k1, k2} {
		if _, err := c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: k.AccessKey.AccessKeyId}); err != nil {
			t.Fatalf("DeleteAccessKey: %v", err)
		}
	}
	if _, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice")}); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	_, err = c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")})
	wantAPIError(t, "deleted user", err, "NoSuchEntity")

	// Without a name, GetUser is the caller: the root user here.
	root, err := c.GetUser(ctx, &iam.GetUserInput{})
	if err != nil || aws.ToString(root.User.Arn) != "arn:aws:iam::123456789012:root" || aws.ToString(root.User.UserId) != "123456789012" {
		t.Fatalf("GetUser (root) = %+v, %v", root, err)
	}
}

func TestIAMListUsersPaging(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	for i := range 5 {
		path := "/"
		if i%2 == 0 {
			path = "/even/"
		}
		if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("user%d", i)), Path: aws.String(path)}); err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
	}
	var names []string
	p := iam.NewListUsersPaginator(c, &iam.ListUsersInput{MaxItems: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListUsers: %v", err)
		}
		pages++
		for _, u := range out.Users {
			names = append(names, aws.ToString(u.UserName))
		}
	}
	if pages != 3 || strings.Join(names, ",") != "user0,user1,user2,user3,user4" {
		t.Fatalf("pages = %d, names = %v", pages, names)
	}
	even, err := c.ListUsers(ctx, &iam.ListUsersInput{PathPrefix: aws.String("/even/")})
	if err != nil || len(even.Users) != 3 || even.IsTruncated {
		t.Fatalf("ListUsers /even/ = %+v, %v", even, err)
	}
}

func TestIAMGroupsRolesPolicies(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")})
	must("CreateUser", err)
	_, err = c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")})
	must("CreateGroup", err)
	_, err = c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String("bob")})
	must("AddUserToGroup", err)
	g, err := c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("devs")})
	if err != nil || len(g.Users) != 1 || aws.ToString(g.Users[0].UserName) != "bob" || !strings.HasPrefix(aws.ToString(g.Group.GroupId), "AGPA") {
		t.Fatalf("GetGroup = %+v, %v", g, err)
	}
	_, err = c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("devs")})
	wantAPIError(t, "delete group with members", err, "DeleteConflict")

	// Role with a trust policy; the document comes back URL-encoded.
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	r, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), Path: aws.String("/svc/"), AssumeRolePolicyDocument: aws.String(trust),
		MaxSessionDuration: aws.Int32(7200), Description: aws.String("the app")})
	must("CreateRole", err)
	if aws.ToString(r.Role.Arn) != "arn:aws:iam::123456789012:role/svc/app" || !strings.HasPrefix(aws.ToString(r.Role.RoleId), "AROA") {
		t.Fatalf("CreateRole = %+v", r.Role)
	}
	_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("bad"), AssumeRolePolicyDocument: aws.String("{not json")})
	wantAPIError(t, "bad trust policy", err, "MalformedPolicyDocument")
	_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("long"), AssumeRolePolicyDocument: aws.String(trust), MaxSessionDuration: aws.Int32(50000)})
	if err == nil {
		t.Fatal("MaxSessionDuration 50000 accepted")
	}
	gr, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("APP")})
	must("GetRole", err)
	if doc, err := url.QueryUnescape(aws.ToString(gr.Role.AssumeRolePolicyDocument)); err != nil || doc != trust {
		t.Fatalf("trust policy round trip = %q, %v", doc, err)
	}
	if aws.ToInt32(gr.Role.MaxSessionDuration) != 7200 || aws.ToString(gr.Role.Description) != "the app" {
		t.Fatalf("GetRole = %+v", gr.Role)
	}

	// Managed policy: versions, attachment, DeleteConflict.
	doc1 := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	pol, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("read"), PolicyDocument: aws.String(doc1)})
	must("CreatePolicy", err)
	arn := pol.Policy.Arn
	if aws.ToString(arn) != "arn:aws:iam::123456789012:policy/read" || aws.ToString(pol.Policy.DefaultVersionId) != "v1" {
		t.Fatalf("CreatePolicy = %+v", pol.Policy)
	}
	for i := 2; i <= 5; i++ {
		_, err := c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(doc1), SetAsDefault: i == 5})
		must("CreatePolicyVersion", err)
	}
	_, err = c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(doc1)})
	wantAPIError(t, "sixth version", err, "LimitExceeded")
	pv, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v1")})
	must("GetPolicyVersion", err)
	if d, _ := url.QueryUnescape(aws.ToString(pv.PolicyVersion.Document)); d != doc1 || pv.PolicyVersion.IsDefaultVersion {
		t.Fatalf("GetPolicyVersion = %q default=%v", d, pv.PolicyVersion.IsDefaultVersion)
	}
	_, err = c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v5")})
	wantAPIError(t, "delete default version", err, "DeleteConflict")

	_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: arn})
	must("AttachRolePolicy", err)
	_, err = c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("devs"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})
	must("AttachGroupPolicy AdministratorAccess", err)
	_, err = c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String("arn:aws:iam::aws:policy/NoSuchPolicy")})
	wantAPIError(t, "unknown AWS managed policy", err, "NoSuchEntity")
	ents, err := c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: arn})
	if err != nil || len(ents.PolicyRoles) != 1 || aws.ToString(ents.PolicyRoles[0].RoleName) != "app" {
		t.Fatalf("ListEntitiesForPolicy = %+v, %v", ents, err)
	}
	gp, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn})
	if err != nil || aws.ToInt32(gp.Policy.AttachmentCount) != 1 || aws.ToString(gp.Policy.DefaultVersionId) != "v5" {
		t.Fatalf("GetPolicy = %+v, %v", gp, err)
	}
	local, err := c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeLocal})
	if err != nil || len(local.Policies) != 1 {
		t.Fatalf("ListPolicies Local = %+v, %v", local, err)
	}
	attachedAWS, err := c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeAws, OnlyAttached: true})
	if err != nil || len(attachedAWS.Policies) != 1 || aws.ToString(attachedAWS.Policies[0].PolicyName) != "AdministratorAccess" {
		t.Fatalf("ListPolicies AWS attached = %+v, %v", attachedAWS, err)
	}
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn})
	wantAPIError(t, "delete attached policy", err, "DeleteConflict")
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")})
	wantAPIError(t, "delete role with policy", err, "DeleteConflict")
	ar, err := c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("app")})
	if err != nil || len(ar.AttachedPolicies) != 1 || aws.ToString(ar.AttachedPolicies[0].PolicyName) != "read" {
		t.Fatalf("ListAttachedRolePolicies = %+v, %v", ar, err)
	}
	_, err = c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: arn})
	must("DetachRolePolicy", err)
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")})
	must("DeleteRole", err)

	// Inline policies round-trip URL-encoded; size quota per user.
	inline := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}`
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("deny"), PolicyDocument: aws.String(inline)})
	must("PutUserPolicy", err)
	up, err := c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("deny")})
	must("GetUserPolicy", err)
	if d, _ := url.QueryUnescape(aws.ToString(up.PolicyDocument)); d != inline {
		t.Fatalf("inline round trip = %q", d)
	}
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + strings.Repeat("b", 2100) + `"}]}`
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("big"), PolicyDocument: aws.String(big)})
	wantAPIError(t, "inline too big", err, "LimitExceeded")
	names, err := c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("bob")})
	if err != nil || len(names.PolicyNames) != 1 || names.PolicyNames[0] != "deny" {
		t.Fatalf("ListUserPolicies = %+v, %v", names, err)
	}
	_, err = c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("devs"), UserName: aws.String("bob")})
	must("RemoveUserFromGroup", err)
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bob")})
	wantAPIError(t, "delete user with inline policy", err, "DeleteConflict")
}
