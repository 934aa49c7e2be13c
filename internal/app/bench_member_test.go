package app_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/idcenter/idcenter/internal/sigv4"
)

// BenchmarkMemberAccountListUsers measures a call of a member account's
// principal — an OrganizationAccountAccessRole session (temporary
// credentials) calling iam:ListUsers in its own account — through the whole
// stack: on top of a management-account call it checks that the account is
// open, finds the session's role policies and the account's SCPs.
func BenchmarkMemberAccountListUsers(b *testing.B) {
	ts := startServer(b)
	b.Setenv("AWS_CA_BUNDLE", "")
	ctx := context.Background()
	org := organizations.NewFromConfig(ts.rootConfig(b))
	out, err := org.CreateAccount(ctx, &organizations.CreateAccountInput{Email: aws.String("bench@example.com"), AccountName: aws.String("bench")})
	if err != nil {
		b.Fatal(err)
	}
	st, err := org.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: out.CreateAccountStatus.Id})
	if err != nil || st.CreateAccountStatus.State != orgtypes.CreateAccountStateSucceeded {
		b.Fatalf("create account: %+v, %v", st, err)
	}
	acct := aws.ToString(st.CreateAccountStatus.AccountId)
	as, err := sts.NewFromConfig(ts.rootConfig(b)).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + acct + ":role/OrganizationAccountAccessRole"), RoleSessionName: aws.String("bench")})
	if err != nil {
		b.Fatal(err)
	}
	creds := sigv4.Credentials{AccessKeyID: aws.ToString(as.Credentials.AccessKeyId),
		SecretAccessKey: aws.ToString(as.Credentials.SecretAccessKey), SessionToken: aws.ToString(as.Credentials.SessionToken)}

	body := []byte("Action=ListUsers&Version=2010-05-08")
	req, _ := http.NewRequest("POST", ts.URL+"/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if err := sigv4.Sign(req, body, creds, "us-east-1", "iam", time.Now()); err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	do := func() {
		r := req.Clone(req.Context())
		r.Body = io.NopCloser(bytes.NewReader(body))
		resp, err := client.Do(r)
		if err != nil {
			b.Fatal(err)
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d: %s", resp.StatusCode, msg)
		}
	}
	do()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		do()
	}
}
