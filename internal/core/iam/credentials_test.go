package iam

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

func wantReason(t *testing.T, what string, err error, reason string) {
	t.Helper()
	fe := fault.As(err)
	if reason == "" {
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return
	}
	if fe == nil || fe.Reason != reason {
		t.Fatalf("%s: err = %v, want %s", what, err, reason)
	}
}

func TestParseSSHPublicKey(t *testing.T) {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := ssh.NewPublicKey(&rk.PublicKey)
	authorized := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub)))
	pkix, _ := x509.MarshalPKIXPublicKey(&rk.PublicKey)
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	smallPub, _ := ssh.NewPublicKey(&small.PublicKey)
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	edKey, _ := ssh.NewPublicKey(edPub)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecPKIX, _ := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)

	tests := []struct {
		name, body, reason string
	}{
		{"ssh-rsa", authorized, ""},
		{"ssh-rsa with comment and spaces", "  " + authorized + " me@host\n", ""},
		{"PEM PKIX", string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pkix})), ""},
		{"PEM PKCS#1", string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&rk.PublicKey)})), ""},
		{"1024 bits", string(ssh.MarshalAuthorizedKey(smallPub)), CodeInvalidPublicKey},
		{"ed25519", string(ssh.MarshalAuthorizedKey(edKey)), CodeUnrecognizedPublicKeyEncoding},
		{"EC PEM", string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: ecPKIX})), CodeUnrecognizedPublicKeyEncoding},
		{"PEM of a certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", CodeUnrecognizedPublicKeyEncoding},
		{"truncated ssh-rsa", authorized[:40], CodeInvalidPublicKey},
		{"garbage", "not a key", CodeUnrecognizedPublicKeyEncoding},
		{"empty", "", CodeUnrecognizedPublicKeyEncoding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			norm, fp, err := parseSSHPublicKey(tt.body)
			wantReason(t, tt.name, err, tt.reason)
			if tt.reason == "" && (norm != authorized || fp != ssh.FingerprintLegacyMD5(pub)) {
				t.Fatalf("got %q %q, want %q %q", norm, fp, authorized, ssh.FingerprintLegacyMD5(pub))
			}
		})
	}
	// PEM output round-trips to the same key.
	out, err := SSHKeyPEM(authorized)
	if err != nil {
		t.Fatal(err)
	}
	norm, _, err := parseSSHPublicKey(out)
	if err != nil || norm != authorized {
		t.Fatalf("PEM round trip = %q, %v", norm, err)
	}
}

func testCert(t *testing.T, key any, pub any) string {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "x"}, NotBefore: time.Unix(0, 0),
		NotAfter: time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func TestServerCertificateKeyChecks(t *testing.T) {
	ec1, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ec2, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	cert1 := testCert(t, ec1, &ec1.PublicKey)
	cert2 := testCert(t, ec2, &ec2.PublicKey)
	edCert := testCert(t, edPriv, edPub)
	pkcs8 := func(k any) string {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	}
	sec1, _ := x509.MarshalECPrivateKey(ec1)

	s := newService(t)
	c := Caller{AccountID: "123456789012", IsRoot: true}
	tests := []struct {
		name   string
		in     ServerCertificateInput
		reason string
	}{
		{"EC PKCS#8", ServerCertificateInput{Name: "a", Body: cert1, PrivateKey: pkcs8(ec1)}, ""},
		{"EC SEC 1 with chain", ServerCertificateInput{Name: "b", Body: cert1, PrivateKey: string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1})),
			Chain: cert2 + cert1}, ""},
		{"ed25519", ServerCertificateInput{Name: "c", Body: edCert, PrivateKey: pkcs8(edPriv)}, ""},
		{"mismatch", ServerCertificateInput{Name: "d", Body: cert1, PrivateKey: pkcs8(ec2)}, CodeKeyPairMismatch},
		{"two certificates as body", ServerCertificateInput{Name: "e", Body: cert1 + cert2, PrivateKey: pkcs8(ec1)}, CodeMalformedCertificate},
		{"unknown key block", ServerCertificateInput{Name: "f", Body: cert1, PrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"}, CodeMalformedCertificate},
		{"bad name", ServerCertificateInput{Name: "a b", Body: cert1, PrivateKey: pkcs8(ec1)}, CodeInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.UploadServerCertificate(t.Context(), c, tt.in)
			wantReason(t, tt.name, err, tt.reason)
			if err == nil && (!got.Expiration.Equal(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)) || got.PrivateKey != tt.in.PrivateKey) {
				t.Fatalf("stored %+v", got)
			}
		})
	}
}

func TestServiceCredentialStatusAndPassword(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tt := range []struct {
		name    string
		expires time.Time
		status  string
		want    string
	}{
		{"no expiry", time.Time{}, "Active", "Active"},
		{"before expiry", now.Add(time.Second), "Inactive", "Inactive"},
		{"at expiry", now, "Active", "Expired"},
		{"after expiry", now.Add(-time.Hour), "Inactive", "Expired"},
	} {
		c := ServiceCredential{IAMServiceCredential: store.IAMServiceCredential{Status: tt.status, ExpiresAt: tt.expires}}
		if got := c.StatusAt(now); got != tt.want {
			t.Errorf("%s: StatusAt = %s, want %s", tt.name, got, tt.want)
		}
	}
	stored := store.IAMServiceCredential{PasswordHash: hashServicePassword("secret+/=")}
	if !VerifyServicePassword(stored, "secret+/=") || VerifyServicePassword(stored, "secret+/") || stored.PasswordHash == "secret+/=" {
		t.Fatal("password verification")
	}
}
