package idcentertest

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
)

// Server is a running in-process idcenter.
type Server struct {
	// URL is the endpoint, e.g. http://127.0.0.1:41234.
	URL string
	// Region, AccountID (the management account), InstanceARN and
	// IdentityStoreID describe the bootstrapped world.
	Region, AccountID, InstanceARN, IdentityStoreID string
	// AccessKeyID and SecretAccessKey are the management account's root key.
	AccessKeyID, SecretAccessKey string
	// DataDir is the server's data folder (inside the test's temporary folder).
	DataDir string

	app  *app.Server
	http *httptest.Server
}

// Reset returns the server to the exact state it started in (same instance,
// identity store and root key, the world file's entities with the same ids;
// everything created since is gone), in one transaction. It takes a few
// milliseconds for a small world (docs/performance.md), so it can run before
// every test.
func (s *Server) Reset() error { return s.app.Reset(context.Background()) }

// Option changes how Start configures the server.
type Option func(*options)

type options struct {
	cfg config.Config
	log io.Writer
}

// WithAccountID sets the management account id (default 123456789012).
func WithAccountID(id string) Option { return func(o *options) { o.cfg.AccountID = id } }

// WithRegion sets the instance's region (default us-east-1).
func WithRegion(r string) Option { return func(o *options) { o.cfg.Region = r } }

// WithLogger makes the server log every request to w at debug level (default: discarded).
func WithLogger(w io.Writer) Option { return func(o *options) { o.log = w } }

// WithWorld starts the server with a world file (the YAML of `idcenter
// serve --world`, see docs/world.md): applied, provisioning included, before
// Start returns; ${ENV} references are read from the environment. Reset
// returns to it.
func WithWorld(path string) Option { return func(o *options) { o.cfg.World = path } }

// Start runs a fresh server for the test and stops it in t.Cleanup.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := New(opts...)
	if err != nil {
		t.Fatalf("idcentertest: start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("idcentertest: close: %v", err)
		}
	})
	return s
}

// New runs a fresh server outside a test (examples, TestMain); Close stops
// it and removes its data folder.
func New(opts ...Option) (*Server, error) {
	dir, err := os.MkdirTemp("", "idcentertest-")
	if err != nil {
		return nil, fmt.Errorf("idcentertest: data folder: %w", err)
	}
	o := options{cfg: config.FromEnv(func(string) string { return "" }), log: io.Discard}
	o.cfg.DataDir = dir
	o.cfg.AllowReset = true // Reset restores the snapshot kept at start
	if o.cfg.RootAccessKeyID, o.cfg.RootSecretAccessKey, err = randomKey(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	for _, opt := range opts {
		opt(&o)
	}
	cfg := o.cfg
	log := slog.New(slog.NewTextHandler(o.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := app.Open(context.Background(), cfg, log, app.Options{})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	hs := httptest.NewServer(s.Handler)
	s.SetBaseURL(hs.URL)
	return &Server{
		URL:             hs.URL,
		Region:          s.World.Instance.Region,
		AccountID:       s.World.Organization.ManagementAccountID,
		InstanceARN:     s.World.Instance.ARN,
		IdentityStoreID: s.World.Instance.IdentityStoreID,
		AccessKeyID:     s.World.RootKey.AccessKeyID,
		SecretAccessKey: s.World.RootKey.SecretAccessKey,
		DataDir:         cfg.DataDir,
		app:             s,
		http:            hs,
	}, nil
}

// Close stops the server and removes its data folder.
func (s *Server) Close() error {
	s.http.Close()
	err := s.app.Close()
	return errors.Join(err, os.RemoveAll(s.DataDir))
}

// AWSConfig is an aws-sdk-go-v2 configuration that signs with the root key and
// sends every service's requests to the server. It uses its own HTTP client,
// so an AWS_CA_BUNDLE in the environment does not get in the way.
func (s *Server) AWSConfig() aws.Config {
	return aws.Config{
		Region:       s.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(s.AccessKeyID, s.SecretAccessKey, ""),
		BaseEndpoint: aws.String(s.URL),
		HTTPClient:   &http.Client{},
	}
}

func randomKey() (id, secret string, err error) {
	var b [40]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", fmt.Errorf("idcentertest: randomness: %w", err)
	}
	return "AKIA" + base32.StdEncoding.EncodeToString(b[:10]), base64.StdEncoding.EncodeToString(b[10:40]), nil
}
