package app_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/store"
)

func TestSSOAdminInstances(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	c := ssoadmin.NewFromConfig(ts.rootConfig(t))
	out, err := c.ListInstances(ctx, &ssoadmin.ListInstancesInput{})
	if err != nil {
		t.Fatalf("ListInstances: %v", err)
	}
	if len(out.Instances) != 1 {
		t.Fatalf("want 1 instance, got %d", len(out.Instances))
	}
	in := out.Instances[0]
	if !regexp.MustCompile(`^arn:aws:sso:::instance/ssoins-[0-9a-f]{16}$`).MatchString(aws.ToString(in.InstanceArn)) {
		t.Fatalf("instance ARN %q", aws.ToString(in.InstanceArn))
	}
	if !regexp.MustCompile(`^d-[0-9a-f]{10}$`).MatchString(aws.ToString(in.IdentityStoreId)) {
		t.Fatalf("identity store id %q", aws.ToString(in.IdentityStoreId))
	}
	if aws.ToString(in.OwnerAccountId) != "123456789012" || in.Status != ssotypes.InstanceStatusActive || in.CreatedDate == nil {
		t.Fatalf("instance = %+v", in)
	}
	d, err := c.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: in.InstanceArn})
	if err != nil || aws.ToString(d.IdentityStoreId) != aws.ToString(in.IdentityStoreId) {
		t.Fatalf("DescribeInstance = %+v, %v", d, err)
	}
	_, err = c.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: aws.String("arn:aws:sso:::instance/ssoins-0000000000000000")})
	var rnf *ssotypes.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Fatalf("DescribeInstance(unknown) = %v, want ResourceNotFoundException", err)
	}
}

func TestSTSGetCallerIdentity(t *testing.T) {
	ts := startServer(t)
	out, err := sts.NewFromConfig(ts.rootConfig(t)).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity: %v", err)
	}
	if aws.ToString(out.Account) != "123456789012" || aws.ToString(out.Arn) != "arn:aws:iam::123456789012:root" || aws.ToString(out.UserId) != "123456789012" {
		t.Fatalf("identity = %s %s %s", aws.ToString(out.Account), aws.ToString(out.Arn), aws.ToString(out.UserId))
	}
}

func TestOrganizations(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	c := organizations.NewFromConfig(ts.rootConfig(t))
	o, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		t.Fatalf("DescribeOrganization: %v", err)
	}
	if !regexp.MustCompile(`^o-[a-z0-9]{10}$`).MatchString(aws.ToString(o.Organization.Id)) || aws.ToString(o.Organization.MasterAccountId) != "123456789012" {
		t.Fatalf("organization = %+v", o.Organization)
	}
	la, err := c.ListAccounts(ctx, &organizations.ListAccountsInput{})
	if err != nil || len(la.Accounts) != 1 || aws.ToString(la.Accounts[0].Id) != "123456789012" || la.Accounts[0].Status != orgtypes.AccountStatusActive {
		t.Fatalf("ListAccounts = %+v, %v", la, err)
	}
	da, err := c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String("123456789012")})
	if err != nil || aws.ToString(da.Account.Arn) != aws.ToString(la.Accounts[0].Arn) || da.Account.JoinedTimestamp == nil {
		t.Fatalf("DescribeAccount = %+v, %v", da, err)
	}
	_, err = c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String("000000000000")})
	var anf *orgtypes.AccountNotFoundException
	if !errors.As(err, &anf) {
		t.Fatalf("DescribeAccount(unknown) = %v, want AccountNotFoundException", err)
	}
}

func TestAuthenticationFailures(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	storeID := ts.World.Instance.IdentityStoreID
	tests := []struct {
		name, keyID, secret string
		jsonCode, queryCode string
	}{
		{"wrong secret", testKeyID, "wrong-secret-wrong-secret-wrong-secret00", "InvalidSignatureException", "SignatureDoesNotMatch"},
		{"unknown key", "AKIAUNKNOWNUNKNOWN00", testSecret, "UnrecognizedClientException", "InvalidClientTokenId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ts.awsConfig(t, tt.keyID, tt.secret)
			_, err := identitystore.NewFromConfig(cfg).ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(storeID)})
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != tt.jsonCode {
				t.Fatalf("identitystore: want %s, got %v", tt.jsonCode, err)
			}
			_, err = sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if !errors.As(err, &ae) || ae.ErrorCode() != tt.queryCode {
				t.Fatalf("sts: want %s, got %v", tt.queryCode, err)
			}
		})
	}
}

func TestDataSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ts := startServerAt(t, dir)
	world := ts.World
	c := identitystore.NewFromConfig(ts.rootConfig(t))
	userID := createBojan(t, c, world.Instance.IdentityStoreID)
	ts.stop()

	ts2 := startServerAt(t, dir)
	if ts2.World.Instance.ARN != world.Instance.ARN || ts2.World.Instance.IdentityStoreID != world.Instance.IdentityStoreID ||
		ts2.World.Organization.ID != world.Organization.ID || ts2.World.RootKey.AccessKeyID != world.RootKey.AccessKeyID {
		t.Fatalf("bootstrap regenerated: before %+v after %+v", world, ts2.World)
	}
	if ts2.World.Created {
		t.Fatal("second start claims to have created the world")
	}
	c2 := identitystore.NewFromConfig(ts2.rootConfig(t))
	du, err := c2.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(world.Instance.IdentityStoreID), UserId: aws.String(userID)})
	if err != nil || aws.ToString(du.UserName) != "Bojan" {
		t.Fatalf("after restart DescribeUser = %+v, %v", du, err)
	}
}

func TestNonRootCallerIsDenied(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	const keyID, secret = "AKIAIDCENTERUSER0001", "user/secret/key/0123456789abcdefghijklmn"
	err := ts.Store.Update(ctx, func(tx store.Tx) error {
		return tx.CreateAccessKey(ctx, store.AccessKey{AccessKeyID: keyID, SecretAccessKey: secret, AccountID: "123456789012",
			PrincipalARN: "arn:aws:iam::123456789012:user/alice", UserName: "alice", Status: "Active", CreatedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg := ts.awsConfig(t, keyID, secret)
	storeID := ts.World.Instance.IdentityStoreID
	_, err = identitystore.NewFromConfig(cfg).ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(storeID)})
	var ade *idtypes.AccessDeniedException
	want := "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: identitystore:ListUsers on resource: arn:aws:identitystore::123456789012:identitystore/" + storeID
	if !errors.As(err, &ade) || !strings.HasPrefix(ade.ErrorMessage(), want) {
		t.Fatalf("want AccessDeniedException %q, got %v", want, err)
	}
	// GetCallerIdentity needs no permission.
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(out.Arn) != "arn:aws:iam::123456789012:user/alice" {
		t.Fatalf("GetCallerIdentity = %+v, %v", out, err)
	}
}

func TestDeclaredMemberAccounts(t *testing.T) {
	ts := startServerWith(t, func(c *config.Config) { c.MemberAccounts = []string{"111111111111=dev", "222222222222"} })
	out, err := organizations.NewFromConfig(ts.rootConfig(t)).ListAccounts(context.Background(), &organizations.ListAccountsInput{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, a := range out.Accounts {
		names[aws.ToString(a.Id)] = aws.ToString(a.Name)
	}
	if len(names) != 3 || names["111111111111"] != "dev" || names["222222222222"] != "account-222222222222" || names["123456789012"] != "management" {
		t.Fatalf("accounts = %v", names)
	}
}
