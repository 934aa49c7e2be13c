package e2e

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// TestAdminDelegationTokenOutbox: a delegation request's trade-in token is
// read with `idcenter admin delegation-token` while the server runs, once,
// and exchanged with STS GetDelegatedAccessToken (the AWS CLI v2.9 predates
// these operations, so the SDK makes the calls).
func TestAdminDelegationTokenOutbox(t *testing.T) {
	ctx := context.Background()
	s := startServer(t)
	cfg := replicaConfig(s, rootKeyID, rootSecret)
	c := iam.NewFromConfig(cfg)
	p, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("Template"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`)})
	if err != nil {
		t.Fatalf("CreatePolicy: %v", err)
	}
	req, err := c.CreateDelegationRequest(ctx, &iam.CreateDelegationRequestInput{Description: aws.String("e2e"),
		RequestorWorkflowId: aws.String("e2e-workflow"), NotificationChannel: aws.String("arn:aws:sns:us-east-1:123456789012:partner"),
		SessionDuration: aws.Int32(900), Permissions: &iamtypes.DelegationPermission{PolicyTemplateArn: p.Policy.Arn}})
	if err != nil {
		t.Fatalf("CreateDelegationRequest: %v", err)
	}
	id := aws.ToString(req.DelegationRequestId)
	for _, step := range []func() error{
		func() error {
			_, err := c.AssociateDelegationRequest(ctx, &iam.AssociateDelegationRequestInput{DelegationRequestId: aws.String(id)})
			return err
		},
		func() error {
			_, err := c.AcceptDelegationRequest(ctx, &iam.AcceptDelegationRequestInput{DelegationRequestId: aws.String(id)})
			return err
		},
		func() error {
			_, err := c.SendDelegationToken(ctx, &iam.SendDelegationTokenInput{DelegationRequestId: aws.String(id)})
			return err
		},
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}

	admin := func() (string, error) {
		cmd := exec.Command(binPath, "admin", "delegation-token", "--data", s.dataDir, "--request-id", id)
		cmd.Env = cleanEnv(t.TempDir())
		out, err := cmd.CombinedOutput()
		return strings.TrimSpace(string(out)), err
	}
	token, err := admin()
	if err != nil || !strings.HasPrefix(token, "idcdt."+id+".") {
		t.Fatalf("admin delegation-token: %v\n%s", err, token)
	}
	if out, err := admin(); err == nil || !strings.Contains(out, "already read") {
		t.Fatalf("second admin delegation-token: %v\n%s", err, out)
	}

	stsc := sts.NewFromConfig(cfg)
	got, err := stsc.GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(token)})
	if err != nil || aws.ToString(got.AssumedPrincipal) != "arn:aws:iam::"+managementAccount+":root" {
		t.Fatalf("GetDelegatedAccessToken = %+v, %v", got, err)
	}
	dcfg := cfg.Copy()
	dcfg.Credentials = aws.NewCredentialsCache(staticSessionCreds{got})
	delegated := iam.NewFromConfig(dcfg)
	if _, err := delegated.ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatalf("ListUsers with delegated credentials: %v", err)
	}
	_, err = delegated.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" {
		t.Fatalf("CreateUser with delegated credentials: %v, want AccessDenied", err)
	}
}

type staticSessionCreds struct {
	out *sts.GetDelegatedAccessTokenOutput
}

func (s staticSessionCreds) Retrieve(context.Context) (aws.Credentials, error) {
	c := s.out.Credentials
	return aws.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken: aws.ToString(c.SessionToken)}, nil
}
