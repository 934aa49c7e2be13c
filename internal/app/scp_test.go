package app_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestSCPDeniesMemberAccount: an SCP attached to a member account denies its
// principals even with AdministratorAccess, and does not touch the management
// account.
func TestSCPDeniesMemberAccount(t *testing.T) {
	ctx := context.Background()
	ts, c := orgMembers(t)
	out, err := c.CreateAccount(ctx, &organizations.CreateAccountInput{Email: aws.String("member@example.com"), AccountName: aws.String("member")})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: out.CreateAccountStatus.Id})
	if err != nil || st.CreateAccountStatus.State != orgtypes.CreateAccountStateSucceeded {
		t.Fatalf("create account: %+v, %v", st, err)
	}
	acct := aws.ToString(st.CreateAccountStatus.AccountId)
	as, err := sts.NewFromConfig(ts.rootConfig(t)).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + acct + ":role/OrganizationAccountAccessRole"), RoleSessionName: aws.String("admin")})
	if err != nil {
		t.Fatal(err)
	}
	member := iam.NewFromConfig(sessionConfig(t, ts, as.Credentials))
	// Before the SCP: AdministratorAccess lets the session create a user in its account.
	if _, err := member.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("before")}); err != nil {
		t.Fatalf("CreateUser before the SCP: %v", err)
	}
	pol, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("NoIAMUsers"), Description: aws.String("deny"),
		Type:    orgtypes.PolicyTypeServiceControlPolicy,
		Content: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: pol.Policy.PolicySummary.Id, TargetId: aws.String(acct)}); err != nil {
		t.Fatal(err)
	}
	_, err = member.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("after")})
	wantDenied(t, err, "AccessDenied", "User: arn:aws:sts::"+acct+":assumed-role/OrganizationAccountAccessRole/admin is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::"+acct+":user/after with an explicit deny in a service control policy")
	// Other actions still pass; the management account is never subject to SCPs.
	if _, err := member.ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatalf("ListUsers under the SCP: %v", err)
	}
	if _, err := iam.NewFromConfig(ts.rootConfig(t)).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("mgmt")}); err != nil {
		t.Fatalf("management account under a member's SCP: %v", err)
	}
}
