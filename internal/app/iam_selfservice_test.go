package app_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// An IAM user without any policy may change its own password, and read the
// password policy, exactly when the account's password policy has
// AllowUsersToChangePassword; an explicit deny still wins; another user's
// password stays out of reach.
func TestIAMChangePasswordSelfService(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	root := iam.NewFromConfig(ts.rootConfig(t))
	me := map[string]*iam.Client{}
	for _, u := range []string{"pat", "denied"} {
		if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(u)}); err != nil {
			t.Fatal(err)
		}
		if _, err := root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(u), Password: aws.String("first-Passw0rd!")}); err != nil {
			t.Fatal(err)
		}
		k, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(u)})
		if err != nil {
			t.Fatal(err)
		}
		me[u] = iam.NewFromConfig(ts.awsConfig(t, aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey)))
	}
	if _, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("denied"), PolicyName: aws.String("no"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ChangePassword","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	change := func(user, old, new string) error {
		_, err := me[user].ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String(old), NewPassword: aws.String(new)})
		return err
	}
	setPolicy := func(allow bool) {
		t.Helper()
		if _, err := root.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(8),
			AllowUsersToChangePassword: allow}); err != nil {
			t.Fatal(err)
		}
	}

	// No password policy: no implicit permission.
	wantAPIError(t, "no password policy", change("pat", "first-Passw0rd!", "second-Passw0rd!"), "AccessDenied")
	setPolicy(false)
	wantAPIError(t, "AllowUsersToChangePassword false", change("pat", "first-Passw0rd!", "second-Passw0rd!"), "AccessDenied")
	_, err := me["pat"].GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	wantAPIError(t, "reading the policy while users may not change passwords", err, "AccessDenied")

	setPolicy(true)
	if err := change("pat", "first-Passw0rd!", "second-Passw0rd!"); err != nil {
		t.Fatalf("ChangePassword with AllowUsersToChangePassword: %v", err)
	}
	if _, err := me["pat"].GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{}); err != nil {
		t.Fatalf("GetAccountPasswordPolicy with AllowUsersToChangePassword: %v", err)
	}
	wantAPIError(t, "wrong old password", change("pat", "nope-Passw0rd!", "third-Passw0rd!"), "InvalidUserType")
	wantAPIError(t, "explicit deny", change("denied", "first-Passw0rd!", "second-Passw0rd!"), "AccessDenied")
	// Nothing else comes with it.
	_, err = me["pat"].UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("denied"), Password: aws.String("x-Passw0rd!")})
	wantAPIError(t, "another user's password", err, "AccessDenied")
	_, err = me["pat"].ListUsers(ctx, &iam.ListUsersInput{})
	wantAPIError(t, "ListUsers", err, "AccessDenied")
}
