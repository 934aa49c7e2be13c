package app_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
)

// selfSigned writes a certificate for 127.0.0.1 and returns its paths and pool.
func selfSigned(t *testing.T) (certPath, keyPath string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "idcenter test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certPath, keyPath, pool
}

// running is an app.Run in the background with its start-up lines.
type running struct {
	lines  map[string]string
	cancel context.CancelFunc
	done   chan error
}

// runApp starts app.Run with cfg and waits for its "ready" line.
func runApp(t *testing.T, cfg config.Config) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	r := &running{lines: map[string]string{}, cancel: cancel, done: make(chan error, 1)}
	go func() {
		err := app.Run(ctx, cfg, pw, io.Discard)
		pw.Close()
		r.done <- err
	}()
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if sc.Text() == "ready" {
			break
		}
		k, v, _ := strings.Cut(sc.Text(), ": ")
		r.lines[k] = v
	}
	go io.Copy(io.Discard, pr)
	t.Cleanup(func() { r.stop(t) })
	return r
}

// stop cancels Run and checks it returned nil.
func (r *running) stop(t *testing.T) {
	t.Helper()
	if r.cancel == nil {
		return
	}
	r.cancel()
	r.cancel = nil
	select {
	case err := <-r.done:
		if err != nil {
			t.Fatalf("Run returned %v after cancel, want nil", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func baseConfig(t *testing.T) config.Config {
	cfg := config.FromEnv(func(string) string { return "" })
	cfg.DataDir = t.TempDir()
	cfg.Listen = "127.0.0.1:0"
	cfg.RootAccessKeyID, cfg.RootSecretAccessKey = testKeyID, testSecret
	return cfg
}

// TestRunServesTLSAndShutsDownGracefully runs the real Run loop with TLS, reads
// its start-up lines, makes a signed call over HTTPS and cancels it.
func TestRunServesTLSAndShutsDownGracefully(t *testing.T) {
	certPath, keyPath, pool := selfSigned(t)
	cfg := baseConfig(t)
	cfg.TLSCert, cfg.TLSKey = certPath, keyPath
	r := runApp(t, cfg)
	endpoint := r.lines["endpoint"]
	if !strings.HasPrefix(endpoint, "https://127.0.0.1:") {
		t.Fatalf("endpoint line %q (lines %v)", endpoint, r.lines)
	}
	for _, k := range []string{"instance", "identity store", "credentials"} {
		if r.lines[k] == "" {
			t.Fatalf("start-up line %q missing: %v", k, r.lines)
		}
	}
	if want := filepath.Join(cfg.DataDir, "credentials") + " (profile idcenter)"; r.lines["credentials"] != want {
		t.Fatalf("credentials line %q, want %q", r.lines["credentials"], want)
	}
	t.Setenv("AWS_CA_BUNDLE", "")
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	c := sts.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), HTTPClient: client,
		Credentials: staticCreds(testKeyID, testSecret)})
	out, err := c.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(out.Account) != "123456789012" {
		t.Fatalf("GetCallerIdentity over TLS = %+v, %v", out, err)
	}
	r.stop(t)
}
