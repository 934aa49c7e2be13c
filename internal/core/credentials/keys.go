package credentials

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/idcenter/idcenter/internal/store"
)

// Server keys of STS, made on first use and kept in the store's meta table
// (shared by every replica): the key that seals authorization messages and
// the keys that sign outbound web identity tokens.
const (
	metaAuthzMessageKey = "sts.authorization-message-key" // base64, 32 bytes (AES-256-GCM)
	metaTokenKeyRS256   = "sts.web-identity-key.RS256"    // PKCS#8 PEM
	metaTokenKeyES384   = "sts.web-identity-key.ES384"    // PKCS#8 PEM
)

// keyCache holds the server keys once read.
type keyCache struct {
	mu   sync.Mutex
	vals map[string]string
}

// serverKey returns the meta value name, making it with gen (in the same
// transaction, so concurrent replicas agree on one) when absent.
func (s *Service) serverKey(ctx context.Context, name string, gen func(io.Reader) (string, error)) (string, error) {
	s.serverKeys.mu.Lock()
	v, ok := s.serverKeys.vals[name]
	s.serverKeys.mu.Unlock()
	if ok {
		return v, nil
	}
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		v, err = tx.GetMeta(ctx, name)
		if err == nil || !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if v, err = gen(s.reader()); err != nil {
			return err
		}
		return tx.PutMeta(ctx, name, v)
	})
	if err != nil {
		return "", fmt.Errorf("credentials: server key %s: %w", name, err)
	}
	s.serverKeys.mu.Lock()
	if s.serverKeys.vals == nil {
		s.serverKeys.vals = map[string]string{}
	}
	s.serverKeys.vals[name] = v
	s.serverKeys.mu.Unlock()
	return v, nil
}

func genAESKey(r io.Reader) (string, error) {
	k := make([]byte, 32)
	if _, err := io.ReadFull(r, k); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(k), nil
}

func genRSAKey(r io.Reader) (string, error) {
	k, err := rsa.GenerateKey(r, 2048)
	if err != nil {
		return "", err
	}
	return pkcs8PEM(k)
}

func genES384Key(r io.Reader) (string, error) {
	k, err := ecdsa.GenerateKey(elliptic.P384(), r)
	if err != nil {
		return "", err
	}
	return pkcs8PEM(k)
}

func pkcs8PEM(k any) (string, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}

func parsePKCS8PEM(s string) (any, error) {
	b, _ := pem.Decode([]byte(s))
	if b == nil {
		return nil, errors.New("credentials: stored key is not PEM")
	}
	return x509.ParsePKCS8PrivateKey(b.Bytes)
}
