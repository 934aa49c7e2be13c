package app_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/smithy-go"
)

// machineUser creates an IAM user (the seed's "service account") with an
// access key through the IAM API as root and returns a config signing as it.
func machineUser(t *testing.T, ts *testServer, name string, setup func(c *iam.Client)) aws.Config {
	t.Helper()
	ctx := context.Background()
	root := iam.NewFromConfig(ts.rootConfig(t))
	setup(root)
	key, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateAccessKey for %s: %v", name, err)
	}
	return ts.awsConfig(t, aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey))
}

func mustDo[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

// wantDenied checks an AWS AccessDenied error and its message.
func wantDenied(t *testing.T, err error, code, wantMsg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Fatalf("want %s, got %v", code, err)
	}
	if ae.ErrorMessage() != wantMsg {
		t.Fatalf("message\n %q\nwant\n %q", ae.ErrorMessage(), wantMsg)
	}
}

const listUsersOnly = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"identitystore:ListUsers","Resource":"*"}]}`

func TestEnforcementInlinePolicy(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	storeID := ts.World.Instance.IdentityStoreID
	cfg := machineUser(t, ts, "lister", func(c *iam.Client) {
		mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("lister")}))
		mustDo[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("lister"),
			PolicyName: aws.String("ListOnly"), PolicyDocument: aws.String(listUsersOnly)}))
	})
	c := identitystore.NewFromConfig(cfg)
	if _, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(storeID)}); err != nil {
		t.Fatalf("ListUsers with identitystore:ListUsers allowed: %v", err)
	}
	_, err := c.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: aws.String(storeID), UserName: aws.String("x"),
		DisplayName: aws.String("x"), Name: &idtypes.Name{GivenName: aws.String("x"), FamilyName: aws.String("y")}})
	wantDenied(t, err, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/lister is not authorized to perform: identitystore:CreateUser on resource: arn:aws:identitystore::123456789012:identitystore/"+storeID+" because no identity-based policy allows the identitystore:CreateUser action")
	// The query protocol says AccessDenied.
	_, err = iam.NewFromConfig(cfg).ListUsers(ctx, &iam.ListUsersInput{})
	wantDenied(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/lister is not authorized to perform: iam:ListUsers on resource: * because no identity-based policy allows the iam:ListUsers action")
}

func TestEnforcementGroupAndManagedPolicies(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	storeID := ts.World.Instance.IdentityStoreID
	cfg := machineUser(t, ts, "member", func(c *iam.Client) {
		mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("member")}))
		mustDo[*iam.CreateGroupOutput](t, "CreateGroup")(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("readers")}))
		mustDo[*iam.AddUserToGroupOutput](t, "AddUserToGroup")(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("readers"), UserName: aws.String("member")}))
		pol := mustDo[*iam.CreatePolicyOutput](t, "CreatePolicy")(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("ListUsers"), PolicyDocument: aws.String(listUsersOnly)}))
		mustDo[*iam.AttachGroupPolicyOutput](t, "AttachGroupPolicy")(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("readers"), PolicyArn: pol.Policy.Arn}))
	})
	c := identitystore.NewFromConfig(cfg)
	if _, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(storeID)}); err != nil {
		t.Fatalf("ListUsers through a group's managed policy: %v", err)
	}
	if _, err := c.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: aws.String(storeID)}); err == nil {
		t.Fatal("ListGroups allowed without a policy for it")
	}
	// Removing the user from the group takes the permission away.
	root := iam.NewFromConfig(ts.rootConfig(t))
	mustDo[*iam.RemoveUserFromGroupOutput](t, "RemoveUserFromGroup")(root.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("readers"), UserName: aws.String("member")}))
	_, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(storeID)})
	var ade *idtypes.AccessDeniedException
	if !errors.As(err, &ade) {
		t.Fatalf("ListUsers after leaving the group: %v", err)
	}
}

func TestEnforcementPermissionsBoundary(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	storeID := ts.World.Instance.IdentityStoreID
	cfg := machineUser(t, ts, "bounded", func(c *iam.Client) {
		pol := mustDo[*iam.CreatePolicyOutput](t, "CreatePolicy")(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("Boundary"), PolicyDocument: aws.String(listUsersOnly)}))
		mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bounded"), PermissionsBoundary: pol.Policy.Arn}))
		mustDo[*iam.AttachUserPolicyOutput](t, "AttachUserPolicy")(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bounded"),
			PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}))
	})
	c := identitystore.NewFromConfig(cfg)
	if _, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(storeID)}); err != nil {
		t.Fatalf("ListUsers inside the boundary: %v", err)
	}
	_, err := c.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: aws.String(storeID), DisplayName: aws.String("g")})
	wantDenied(t, err, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/bounded is not authorized to perform: identitystore:CreateGroup on resource: arn:aws:identitystore::123456789012:identitystore/"+storeID+" because no permissions boundary allows the identitystore:CreateGroup action")
}

func TestEnforcementPrivilegeEscalation(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	self := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser","iam:ListAccessKeys","iam:CreateAccessKey"],"Resource":"arn:aws:iam::123456789012:user/${aws:username}"}]}`
	cfg := machineUser(t, ts, "mallory", func(c *iam.Client) {
		mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("mallory")}))
		mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}))
		mustDo[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("mallory"),
			PolicyName: aws.String("Self"), PolicyDocument: aws.String(self)}))
	})
	c := iam.NewFromConfig(cfg)
	if _, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("mallory")}); err != nil {
		t.Fatalf("GetUser on oneself (policy variable): %v", err)
	}
	tests := []struct {
		name, action, resource string
		call                   func() error
	}{
		{"attach a policy to oneself", "iam:AttachUserPolicy", "arn:aws:iam::123456789012:user/mallory", func() error {
			_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("mallory"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})
			return err
		}},
		{"put an inline policy on oneself", "iam:PutUserPolicy", "arn:aws:iam::123456789012:user/mallory", func() error {
			_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("mallory"), PolicyName: aws.String("All"),
				PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)})
			return err
		}},
		{"create a key for another user", "iam:CreateAccessKey", "arn:aws:iam::123456789012:user/alice", func() error {
			_, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			wantDenied(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/mallory is not authorized to perform: "+tt.action+
				" on resource: "+tt.resource+" because no identity-based policy allows the "+tt.action+" action")
		})
	}
	// Nothing changed: mallory still has only the one inline policy, alice no key.
	root := iam.NewFromConfig(ts.rootConfig(t))
	att := mustDo[*iam.ListAttachedUserPoliciesOutput](t, "ListAttachedUserPolicies")(root.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("mallory")}))
	inl := mustDo[*iam.ListUserPoliciesOutput](t, "ListUserPolicies")(root.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("mallory")}))
	keys := mustDo[*iam.ListAccessKeysOutput](t, "ListAccessKeys")(root.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("alice")}))
	if len(att.AttachedPolicies) != 0 || len(inl.PolicyNames) != 1 || len(keys.AccessKeyMetadata) != 0 {
		t.Fatalf("escalation left traces: attached %v, inline %v, alice keys %v", att.AttachedPolicies, inl.PolicyNames, keys.AccessKeyMetadata)
	}
}
