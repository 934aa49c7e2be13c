package app_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/idcenter/idcenter/internal/sigv4"
)

// BenchmarkDescribeUserIAMUser is BenchmarkDescribeUser signed by an IAM
// user of the management account with AdministratorAccess instead of the
// root user: the request path then also finds the user's policies, the
// identity store user's owning instance (authz ResourceOwner) and evaluates
// the policies.
func BenchmarkDescribeUserIAMUser(b *testing.B) {
	ts := startServer(b)
	b.Setenv("AWS_CA_BUNDLE", "")
	ctx := context.Background()
	c := newIdentityClient(b, ts)
	storeID := ts.World.Instance.IdentityStoreID
	userID := createBojan(b, c, storeID)

	root := iam.NewFromConfig(ts.rootConfig(b))
	name := "bench-admin"
	if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: &name}); err != nil {
		b.Fatal(err)
	}
	if _, err := root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: &name,
		PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}); err != nil {
		b.Fatal(err)
	}
	k, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: &name})
	if err != nil {
		b.Fatal(err)
	}
	creds := sigv4.Credentials{AccessKeyID: aws.ToString(k.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(k.AccessKey.SecretAccessKey)}

	body := []byte(`{"IdentityStoreId":"` + storeID + `","UserId":"` + userID + `"}`)
	req, _ := http.NewRequest("POST", ts.URL+"/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSIdentityStore.DescribeUser")
	if err := sigv4.Sign(req, body, creds, "us-east-1", "identitystore", time.Now()); err != nil {
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
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	do()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		do()
	}
}
