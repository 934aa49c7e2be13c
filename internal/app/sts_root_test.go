package app_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
)

func TestAssumeRootSDK(t *testing.T) {
	ctx := context.Background()
	ts, org := orgMembers(t)
	mgmt := ts.World.Organization.ManagementAccountID
	root := iam.NewFromConfig(ts.rootConfig(t))
	const audit = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"
	const password = "arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword"

	keyOf := func(user, policy string) *sts.Client {
		t.Helper()
		if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(user)}); err != nil {
			t.Fatal(err)
		}
		if policy != "" {
			if _, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String("p"), PolicyDocument: aws.String(policy)}); err != nil {
				t.Fatal(err)
			}
		}
		k, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(user)})
		if err != nil {
			t.Fatal(err)
		}
		return sts.NewFromConfig(ts.awsConfig(t, aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey)))
	}
	ops := keyOf("rootops", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRoot","Resource":"*",
	  "Condition":{"StringEquals":{"sts:TaskPolicyArn":"`+audit+`"}}}]}`)
	nobody := keyOf("nobody", "")
	assume := func(c *sts.Client, target, task string) (*sts.AssumeRootOutput, error) {
		return c.AssumeRoot(ctx, &sts.AssumeRootInput{TargetPrincipal: aws.String(target), TaskPolicyArn: &ststypes.PolicyDescriptorType{Arn: aws.String(task)}})
	}

	_, err := assume(ops, "111111111111", audit)
	stsWantCode(t, err, "AccessDenied") // root sessions not enabled yet
	if _, err := org.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("iam.amazonaws.com")}); err != nil {
		t.Fatal(err)
	}
	if _, err := root.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{}); err != nil {
		t.Fatal(err)
	}

	out, err := assume(ops, "111111111111", audit)
	if err != nil {
		t.Fatalf("AssumeRoot: %v", err)
	}
	cfg := sessionConfig(t, ts, out.Credentials)
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Arn) != "arn:aws:iam::111111111111:root" || aws.ToString(id.Account) != "111111111111" {
		t.Fatalf("GetCallerIdentity = %+v, %v", id, err)
	}
	member := iam.NewFromConfig(cfg)
	if _, err := member.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}); err != nil {
		t.Fatalf("the audit task's GetAccountSummary: %v", err)
	}
	_, err = member.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
	wantAPIError(t, "outside the task policy", err, "AccessDenied")

	refused := []struct {
		name         string
		c            *sts.Client
		target, task string
		code         string
	}{
		{"task the policy does not allow", ops, "111111111111", password, "AccessDenied"},
		{"no policy allows sts:AssumeRoot", nobody, "111111111111", audit, "AccessDenied"},
		{"the management account", ops, mgmt, audit, "AccessDenied"},
		{"an account outside the organization", ops, "999999999999", audit, "AccessDenied"},
		{"root user credentials", sts.NewFromConfig(ts.rootConfig(t)), "111111111111", audit, "AccessDenied"},
		{"not a root task policy", ops, "111111111111", "arn:aws:iam::aws:policy/AdministratorAccess", "ValidationError"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			_, err := assume(tt.c, tt.target, tt.task)
			stsWantCode(t, err, tt.code)
		})
	}
	// IAM's delegated administrator may call it too (not before it is registered).
	created, err := org.CreateAccount(ctx, &organizations.CreateAccountInput{Email: aws.String("sec@example.com"), AccountName: aws.String("security")})
	if err != nil {
		t.Fatal(err)
	}
	st, err := org.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: created.CreateAccountStatus.Id})
	if err != nil || st.CreateAccountStatus.AccountId == nil {
		t.Fatalf("create account: %+v, %v", st, err)
	}
	sec := aws.ToString(st.CreateAccountStatus.AccountId)
	as, err := sts.NewFromConfig(ts.rootConfig(t)).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + sec + ":role/OrganizationAccountAccessRole"), RoleSessionName: aws.String("admin")})
	if err != nil {
		t.Fatal(err)
	}
	secAdmin := sts.NewFromConfig(sessionConfig(t, ts, as.Credentials))
	_, err = assume(secAdmin, "111111111111", audit)
	stsWantCode(t, err, "AccessDenied")
	if _, err := org.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String(sec),
		ServicePrincipal: aws.String("iam.amazonaws.com")}); err != nil {
		t.Fatal(err)
	}
	if _, err := assume(secAdmin, "111111111111", password); err != nil {
		t.Fatalf("AssumeRoot by IAM's delegated administrator: %v", err)
	}

	_, err = ops.AssumeRoot(ctx, &sts.AssumeRootInput{TargetPrincipal: aws.String("111111111111"),
		TaskPolicyArn: &ststypes.PolicyDescriptorType{Arn: aws.String(audit)}, DurationSeconds: aws.Int32(3600)})
	stsWantCode(t, err, "ValidationError")
}
