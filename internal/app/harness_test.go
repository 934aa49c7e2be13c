package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
)

const (
	testKeyID  = "AKIAIDCENTERTEST0001"
	testSecret = "idcenter/test/secret/key/0123456789abcdef"
)

// testServer is an in-process idcenter on a temporary SQLite store.
type testServer struct {
	*app.Server
	URL     string
	httpSrv *httptest.Server
}

func startServer(t testing.TB) *testServer {
	return startServerAt(t, t.TempDir())
}

func startServerAt(t testing.TB, dir string) *testServer {
	return startServerWith(t, func(c *config.Config) { c.DataDir = dir })
}

// startServerWith starts a server on a fresh data folder after mutate has
// adjusted the configuration.
func startServerWith(t testing.TB, mutate func(*config.Config)) *testServer {
	t.Helper()
	cfg := config.FromEnv(func(string) string { return "" })
	cfg.DataDir = t.TempDir()
	cfg.RootAccessKeyID = testKeyID
	cfg.RootSecretAccessKey = testSecret
	mutate(&cfg)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := app.Open(context.Background(), cfg, log, app.Options{})
	if err != nil {
		t.Fatalf("open server: %v", err)
	}
	hs := httptest.NewServer(s.Handler)
	s.SetBaseURL(hs.URL)
	ts := &testServer{Server: s, URL: hs.URL, httpSrv: hs}
	t.Cleanup(ts.stop)
	return ts
}

func (ts *testServer) stop() {
	if ts.httpSrv != nil {
		ts.httpSrv.Close()
		ts.httpSrv = nil
		ts.Close()
	}
}

// awsConfig returns an SDK config signing with the given key against the server.
func (ts *testServer) awsConfig(t testing.TB, keyID, secret string) aws.Config {
	t.Helper()
	t.Setenv("AWS_CA_BUNDLE", "")
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  staticCreds(keyID, secret),
		BaseEndpoint: aws.String(ts.URL),
		HTTPClient:   &http.Client{},
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
}

func (ts *testServer) rootConfig(t testing.TB) aws.Config {
	return ts.awsConfig(t, testKeyID, testSecret)
}

func staticCreds(keyID, secret string) aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(keyID, secret, "")
}
