package app_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
)

func TestAcceptTestCredentials(t *testing.T) {
	ctx := context.Background()
	for _, accept := range []bool{false, true} {
		var logs bytes.Buffer
		cfg := config.FromEnv(func(string) string { return "" })
		cfg.DataDir = t.TempDir()
		cfg.AcceptTestCredentials = accept
		s, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(&logs, nil)), app.Options{})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(s.Handler)
		ts := &testServer{Server: s, URL: hs.URL, httpSrv: hs}
		t.Cleanup(ts.stop)
		awsCfg := ts.awsConfig(t, "test", "test")

		id, err := sts.NewFromConfig(awsCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		_, lerr := identitystore.NewFromConfig(awsCfg).ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(s.World.Instance.IdentityStoreID)})
		warned := strings.Contains(logs.String(), "INSECURE: --accept-test-credentials")
		if !accept {
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidClientTokenId" || !errors.As(lerr, &ae) || ae.ErrorCode() != "UnrecognizedClientException" {
				t.Fatalf("without the flag: sts %v, identitystore %v", err, lerr)
			}
			if warned {
				t.Fatal("warning logged without the flag")
			}
			continue
		}
		if err != nil || aws.ToString(id.Arn) != "arn:aws:iam::123456789012:root" || lerr != nil {
			t.Fatalf("with the flag: %+v, %v; identitystore %v", id, err, lerr)
		}
		if !warned {
			t.Fatalf("no warning logged with the flag: %s", logs.String())
		}
		// The real root key still verifies its signature.
		_, err = sts.NewFromConfig(ts.awsConfig(t, s.World.RootKey.AccessKeyID, "wrong-secret")).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "SignatureDoesNotMatch" {
			t.Fatalf("known key with a wrong secret under the flag: %v", err)
		}
	}
}
