package app_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// refusalLines returns the "access denied" lines of out.
func refusalLines(out string) []string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, `msg="access denied"`) {
			lines = append(lines, l)
		}
	}
	return lines
}

// wantOneRefusal checks that err is an access denial and that the log holds
// exactly one "access denied" line for it, containing every part of want.
func wantOneRefusal(t *testing.T, what string, err error, logs *lockedBuffer, before int, want ...string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || !strings.HasPrefix(ae.ErrorCode(), "AccessDenied") {
		t.Fatalf("%s: want an access denial, got %v", what, err)
	}
	lines := refusalLines(logs.String())[before:]
	if len(lines) != 1 {
		t.Fatalf("%s: %d access denied lines, want exactly one:\n%s", what, len(lines), strings.Join(lines, "\n"))
	}
	for _, w := range want {
		if !strings.Contains(lines[0], w) {
			t.Fatalf("%s: log line lacks %q:\n%s", what, w, lines[0])
		}
	}
}

// TestRefusalLogOrganizationsGate: a member account's principal that IAM
// allows but the organization does not let in (org.Service.MayCall) is
// refused after the authorisation point; the refusal is logged once with
// the principal, action and the answer's message. A plain policy denial is
// still logged once (by the authorisation point, not again), and so is the
// credentials core's refusal of an MFA code.
func TestRefusalLogOrganizationsGate(t *testing.T) {
	ctx := context.Background()
	ts, c := orgMembers(t)
	logs := &lockedBuffer{}
	ts.Server.Log = slog.New(slog.NewTextHandler(logs, nil))
	acct, member, _ := newMember(t, ts, c, "gated@example.com")

	n := len(refusalLines(logs.String()))
	_, err := member.ListAccounts(ctx, &organizations.ListAccountsInput{})
	wantOneRefusal(t, "member ListAccounts", err, logs, n,
		"principal=arn:aws:sts::"+acct+":assumed-role/OrganizationAccountAccessRole/", "action=organizations:ListAccounts", "reason=", "request_id=")

	// A policy denial: logged by the authorisation point only.
	root := iam.NewFromConfig(ts.rootConfig(t))
	if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bare")}); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	k, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bare")})
	if err != nil {
		t.Fatalf("CreateAccessKey: %v", err)
	}
	bare := organizations.NewFromConfig(ts.awsConfig(t, aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey)))
	n = len(refusalLines(logs.String()))
	_, err = bare.ListAccounts(ctx, &organizations.ListAccountsInput{})
	wantOneRefusal(t, "bare user ListAccounts", err, logs, n,
		"principal=arn:aws:iam::123456789012:user/bare", "action=organizations:ListAccounts", "reason=\"ImplicitDeny: no identity-based policy allows\"")

	// The credentials core's own refusal (GetSessionToken needs no
	// permission; an MFA device the user does not have is refused by STS).
	bareSTS := sts.NewFromConfig(ts.awsConfig(t, aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey)))
	n = len(refusalLines(logs.String()))
	_, err = bareSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/none"),
		TokenCode: aws.String("123456")})
	wantOneRefusal(t, "GetSessionToken with an unknown MFA device", err, logs, n,
		"principal=arn:aws:iam::123456789012:user/bare", "action=sts:GetSessionToken", "reason=\"MultiFactorAuthentication failed")
}

// TestRefusalLogDelegatedAdministrator: sso-admin's delegated administrator
// may not assign in the management account; the access core refuses it after
// the authorisation point allowed the call, and the refusal is logged once,
// its reason naming the management account.
func TestRefusalLogDelegatedAdministrator(t *testing.T) {
	ctx := context.Background()
	w := newSSOWorld(t, startServer(t))
	ts := w.ts
	logs := &lockedBuffer{}
	ts.Server.Log = slog.New(slog.NewTextHandler(logs, nil))
	org := organizations.NewFromConfig(ts.rootConfig(t))
	delegatedAcct, delegatedSession := newMemberAccount(t, ts, org, "security")
	admin := ssoadmin.NewFromConfig(adminUser(t, ts, delegatedSession, "idc-admin"))
	inst := w.inst
	group := w.devOpsGroup(t)
	if _, err := org.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("sso.amazonaws.com")}); err != nil {
		t.Fatalf("EnableAWSServiceAccess: %v", err)
	}
	if _, err := org.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{
		AccountId: &delegatedAcct, ServicePrincipal: aws.String("sso.amazonaws.com")}); err != nil {
		t.Fatalf("RegisterDelegatedAdministrator: %v", err)
	}
	created, err := admin.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("Workload")})
	if err != nil {
		t.Fatalf("delegated CreatePermissionSet: %v", err)
	}
	n := len(refusalLines(logs.String()))
	_, err = admin.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &inst,
		PermissionSetArn: created.PermissionSet.PermissionSetArn, TargetId: aws.String(seedAccount), TargetType: ssotypes.TargetTypeAwsAccount,
		PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: &group})
	wantOneRefusal(t, "delegated CreateAccountAssignment in the management account", err, logs, n,
		"principal=arn:aws:iam::"+delegatedAcct+":user/idc-admin", "action=sso:CreateAccountAssignment",
		"on resource: arn:aws:sso:::account/"+seedAccount)
}

// TestRefusalLogPassRole: iam:PassRole, which AddRoleToInstanceProfile
// authorises itself after its own action, is refused through the
// authorisation point: one line, with iam:PassRole on the role.
func TestRefusalLogPassRole(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	logs := &lockedBuffer{}
	ts.Server.Log = slog.New(slog.NewTextHandler(logs, nil))
	root := iam.NewFromConfig(ts.rootConfig(t))
	mustDo[*iam.CreateRoleOutput](t, "CreateRole")(root.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)}))
	mustDo[*iam.CreateInstanceProfileOutput](t, "CreateInstanceProfile")(root.CreateInstanceProfile(ctx,
		&iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("prof")}))
	adder := iam.NewFromConfig(machineUser(t, ts, "adder", func(c *iam.Client) {
		mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("adder")}))
		mustDo[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("adder"),
			PolicyName: aws.String("p"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:AddRoleToInstanceProfile","Resource":"*"}]}`)}))
	}))
	n := len(refusalLines(logs.String()))
	_, err := adder.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("prof"), RoleName: aws.String("app")})
	wantOneRefusal(t, "AddRoleToInstanceProfile without iam:PassRole", err, logs, n,
		"principal=arn:aws:iam::123456789012:user/adder", "action=iam:PassRole", "resource=arn:aws:iam::123456789012:role/app",
		"reason=\"ImplicitDeny: no identity-based policy allows\"")
}
