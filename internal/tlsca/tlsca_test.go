package tlsca

import (
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestLoadOrCreateKeepsTheCA(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	ca, err := LoadOrCreate(dir, clock, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", fi.Mode().Perm(), err)
	}
	again, err := LoadOrCreate(dir, clock, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if string(again.CertPEM()) != string(ca.CertPEM()) {
		t.Fatal("second load made a new CA")
	}
	// A key without its certificate is an error, not a silent new CA.
	os.Remove(filepath.Join(dir, CertFile))
	if _, err := LoadOrCreate(dir, clock, rand.Reader); err == nil {
		t.Fatal("missing ca.pem with a present key was accepted")
	}
}

func TestLeafVerifiesAgainstCA(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	ca, err := LoadOrCreate(t.TempDir(), func() time.Time { return now }, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca.CertPEM()) {
		t.Fatal("ca.pem does not parse")
	}
	for _, host := range []string{"sts.us-east-1.amazonaws.com", "portal.sso.eu-west-1.amazonaws.com", "127.0.0.1"} {
		c, err := ca.Leaf(host)
		if err != nil {
			t.Fatal(err)
		}
		opts := x509.VerifyOptions{Roots: pool, CurrentTime: now, DNSName: host}
		if _, err := c.Leaf.Verify(opts); err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		if _, err := c.Leaf.Verify(x509.VerifyOptions{Roots: pool, CurrentTime: now, DNSName: "evil.example.com"}); err == nil {
			t.Fatalf("%s leaf verifies for another host", host)
		}
		same, _ := ca.Leaf(host)
		if same != c {
			t.Fatalf("%s: leaf not cached", host)
		}
	}
	// A real handshake picks the leaf by SNI.
	cfg := ca.TLSConfig("127.0.0.1")
	cert, err := cfg.GetCertificate(&tls.ClientHelloInfo{ServerName: "iam.amazonaws.com"})
	if err != nil || cert.Leaf.DNSNames[0] != "iam.amazonaws.com" {
		t.Fatalf("SNI leaf = %v, %v", cert, err)
	}
	cert, err = cfg.GetCertificate(&tls.ClientHelloInfo{ServerName: "www.example.com"})
	if err != nil || len(cert.Leaf.IPAddresses) != 1 {
		t.Fatalf("non-AWS SNI should get the default host's leaf, got %v, %v", cert, err)
	}
}

func TestAllowedAndRegion(t *testing.T) {
	tests := []struct {
		host    string
		allowed bool
		region  string
	}{
		{"oidc.us-east-1.amazonaws.com", true, "us-east-1"},
		{"portal.sso.eu-central-1.amazonaws.com", true, "eu-central-1"},
		{"portal.sso-fips.us-gov-west-1.amazonaws.com", true, "us-gov-west-1"},
		{"sso.ap-southeast-2.amazonaws.com", true, "ap-southeast-2"},
		{"identitystore-fips.us-east-2.amazonaws.com", true, "us-east-2"},
		{"sts.amazonaws.com", true, ""},
		{"sts.us-west-2.amazonaws.com", true, "us-west-2"},
		{"iam.amazonaws.com", true, ""},
		{"organizations.us-east-1.amazonaws.com", true, "us-east-1"},
		{"organizations.eu-west-1.amazonaws.com", false, ""},
		{"s3.amazonaws.com", false, ""},
		{"example.com", false, ""},
		{"sts.amazonaws.com.evil.com", false, ""},
		{"evilsts.amazonaws.com", false, ""},
	}
	for _, tt := range tests {
		if got := Allowed(tt.host); got != tt.allowed {
			t.Errorf("Allowed(%q) = %v", tt.host, got)
		}
		if got := Region(tt.host); got != tt.region {
			t.Errorf("Region(%q) = %q, want %q", tt.host, got, tt.region)
		}
	}
}
