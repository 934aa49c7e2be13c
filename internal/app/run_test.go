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

// TestRunServesTLSAndShutsDownGracefully runs the real Run loop with TLS, reads
// its start-up lines, makes a signed call over HTTPS and cancels it.
func TestRunServesTLSAndShutsDownGracefully(t *testing.T) {
	certPath, keyPath, pool := selfSigned(t)
	cfg := config.FromEnv(func(string) string { return "" })
	cfg.DataDir = t.TempDir()
	cfg.Listen = "127.0.0.1:0"
	cfg.TLSCert, cfg.TLSKey = certPath, keyPath
	cfg.RootAccessKeyID, cfg.RootSecretAccessKey = testKeyID, testSecret

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := app.Run(ctx, cfg, pw, io.Discard)
		pw.Close()
		done <- err
	}()
	lines := map[string]string{}
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if sc.Text() == "ready" {
			break
		}
		k, v, _ := strings.Cut(sc.Text(), ": ")
		lines[k] = v
	}
	go io.Copy(io.Discard, pr)
	endpoint := lines["endpoint"]
	if !strings.HasPrefix(endpoint, "https://127.0.0.1:") {
		t.Fatalf("endpoint line %q (lines %v)", endpoint, lines)
	}
	for _, k := range []string{"instance", "identity store", "credentials"} {
		if lines[k] == "" {
			t.Fatalf("start-up line %q missing: %v", k, lines)
		}
	}
	if want := filepath.Join(cfg.DataDir, "credentials") + " (profile idcenter)"; lines["credentials"] != want {
		t.Fatalf("credentials line %q, want %q", lines["credentials"], want)
	}

	t.Setenv("AWS_CA_BUNDLE", "")
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	c := sts.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), HTTPClient: client,
		Credentials: staticCreds(testKeyID, testSecret)})
	out, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(out.Account) != "123456789012" {
		t.Fatalf("GetCallerIdentity over TLS = %+v, %v", out, err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run returned %v after cancel, want nil", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}
