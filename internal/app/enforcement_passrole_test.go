package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestEnforcementPassRole: putting a role into an instance profile passes the
// role on, so besides iam:AddRoleToInstanceProfile the caller needs
// iam:PassRole on the role (its ARN with path), as in AWS; without it the
// profile stays empty.
func TestEnforcementPassRole(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	const profileOnly = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreateInstanceProfile","iam:AddRoleToInstanceProfile"],"Resource":"*"}]}`
	const withPass = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreateInstanceProfile","iam:AddRoleToInstanceProfile"],"Resource":"*"},
		{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/svc/*"}]}`
	root := iam.NewFromConfig(ts.rootConfig(t))
	cfg := machineUser(t, ts, "ops", func(c *iam.Client) {
		mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ops")}))
		mustDo[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("ops"),
			PolicyName: aws.String("p"), PolicyDocument: aws.String(profileOnly)}))
		mustDo[*iam.CreateRoleOutput](t, "CreateRole")(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), Path: aws.String("/svc/"),
			AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)}))
	})
	c := iam.NewFromConfig(cfg)
	mustDo[*iam.CreateInstanceProfileOutput](t, "CreateInstanceProfile")(c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("web")}))
	add := func() error {
		_, err := c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("app")})
		return err
	}
	wantDenied(t, add(), "AccessDenied", "User: arn:aws:iam::123456789012:user/ops is not authorized to perform: iam:PassRole on resource: "+
		"arn:aws:iam::123456789012:role/svc/app because no identity-based policy allows the iam:PassRole action")
	ip := mustDo[*iam.GetInstanceProfileOutput](t, "GetInstanceProfile")(root.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("web")}))
	if len(ip.InstanceProfile.Roles) != 0 {
		t.Fatalf("the refused call put a role in the profile: %+v", ip.InstanceProfile.Roles)
	}

	mustDo[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("ops"),
		PolicyName: aws.String("p"), PolicyDocument: aws.String(withPass)}))
	var err error
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) { // policies are cached briefly
		if err = add(); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("AddRoleToInstanceProfile with iam:PassRole: %v", err)
	}
	ip = mustDo[*iam.GetInstanceProfileOutput](t, "GetInstanceProfile")(root.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("web")}))
	if len(ip.InstanceProfile.Roles) != 1 || aws.ToString(ip.InstanceProfile.Roles[0].RoleName) != "app" {
		t.Fatalf("profile roles = %+v", ip.InstanceProfile.Roles)
	}
}
