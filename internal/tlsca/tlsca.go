package tlsca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// File names inside the data folder.
const (
	CertFile = "ca.pem"
	KeyFile  = "ca-key.pem"
)

const (
	caLifetime   = 10 * 365 * 24 * time.Hour
	leafLifetime = 397 * 24 * time.Hour // the longest lifetime clients accept for a leaf
)

// CA issues leaf certificates.
type CA struct {
	cert    *x509.Certificate
	key     crypto.Signer
	certPEM []byte
	now     func() time.Time
	rand    io.Reader

	mu     sync.Mutex
	leaves map[string]*tls.Certificate
}

// LoadOrCreate reads the CA from dir, creating it on first use.
func LoadOrCreate(dir string, now func() time.Time, rand io.Reader) (*CA, error) {
	certPath, keyPath := filepath.Join(dir, CertFile), filepath.Join(dir, KeyFile)
	certPEM, errC := os.ReadFile(certPath)
	keyPEM, errK := os.ReadFile(keyPath)
	switch {
	case errC == nil && errK == nil:
		return parse(certPEM, keyPEM, now, rand)
	case errors.Is(errC, os.ErrNotExist) && errors.Is(errK, os.ErrNotExist):
	default:
		return nil, fmt.Errorf("tlsca: %s and %s must both exist or both be absent (%v, %v)", certPath, keyPath, errC, errK)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand)
	if err != nil {
		return nil, fmt.Errorf("tlsca: generate key: %w", err)
	}
	serial, err := serialNumber(rand)
	if err != nil {
		return nil, err
	}
	start := now().Add(-time.Hour)
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "idcenter local CA", Organization: []string{"idcenter"}},
		NotBefore:             start,
		NotAfter:              start.Add(caLifetime),
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("tlsca: create CA certificate: %w", err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("tlsca: encode key: %w", err)
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})
	// Key first: a crash between the two writes leaves a key without a
	// certificate, which the next start reports instead of silently replacing.
	if err := writeNew(keyPath, keyPEM, 0o600); err != nil {
		return nil, err
	}
	if err := writeNew(certPath, certPEM, 0o644); err != nil {
		return nil, err
	}
	return parse(certPEM, keyPEM, now, rand)
}

func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return fmt.Errorf("tlsca: write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("tlsca: write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("tlsca: write %s: %w", path, err)
	}
	return f.Close()
}

func parse(certPEM, keyPEM []byte, now func() time.Time, rand io.Reader) (*CA, error) {
	cb, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	if cb == nil || kb == nil {
		return nil, errors.New("tlsca: ca.pem or ca-key.pem is not PEM")
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("tlsca: parse CA certificate: %w", err)
	}
	k, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("tlsca: parse CA key: %w", err)
	}
	signer, ok := k.(crypto.Signer)
	if !ok || !cert.IsCA {
		return nil, errors.New("tlsca: ca.pem is not a CA certificate for ca-key.pem")
	}
	return &CA{cert: cert, key: signer, certPEM: certPEM, now: now, rand: rand, leaves: map[string]*tls.Certificate{}}, nil
}

// serialNumber draws a positive 127-bit serial number.
func serialNumber(rand io.Reader) (*big.Int, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(rand, b); err != nil {
		return nil, fmt.Errorf("tlsca: serial number: %w", err)
	}
	b[0] &= 0x7f
	return new(big.Int).SetBytes(b), nil
}

// CertPEM is the CA certificate clients should trust.
func (ca *CA) CertPEM() []byte { return ca.certPEM }

// Leaf returns a certificate for host (a DNS name or an IP address), issuing
// it on first use and again when the cached one nears expiry.
func (ca *CA) Leaf(host string) (*tls.Certificate, error) {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "" {
		return nil, errors.New("tlsca: empty host name")
	}
	now := ca.now()
	ca.mu.Lock()
	defer ca.mu.Unlock()
	if c, ok := ca.leaves[host]; ok && now.Before(c.Leaf.NotAfter.Add(-24*time.Hour)) {
		return c, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), ca.rand)
	if err != nil {
		return nil, fmt.Errorf("tlsca: leaf key: %w", err)
	}
	serial, err := serialNumber(ca.rand)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: host},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(leafLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if ip := net.ParseIP(host); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	} else {
		tmpl.DNSNames = []string{host}
	}
	der, err := x509.CreateCertificate(ca.rand, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, fmt.Errorf("tlsca: issue %s: %w", host, err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("tlsca: issue %s: %w", host, err)
	}
	c := &tls.Certificate{Certificate: [][]byte{der, ca.cert.Raw}, PrivateKey: key, Leaf: leaf}
	if len(ca.leaves) >= 1024 {
		ca.leaves = map[string]*tls.Certificate{}
	}
	ca.leaves[host] = c
	return c, nil
}

// TLSConfig serves leaf certificates chosen by SNI; a client that sends no
// SNI (an IP address) gets the certificate of defaultHost.
func (ca *CA) TLSConfig(defaultHost string) *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
			host := hello.ServerName
			if host == "" {
				host = defaultHost
			}
			if !Allowed(host) && host != defaultHost {
				host = defaultHost
			}
			return ca.Leaf(host)
		},
	}
}
