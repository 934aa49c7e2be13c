package iam

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

// ServerCertificateARN is the ARN of a server certificate.
func ServerCertificateARN(acct, path, name string) string {
	return arn(acct, "server-certificate", path, name)
}

// ServerCertificateInput is what UploadServerCertificate takes.
type ServerCertificateInput struct {
	Name, Path, Body, PrivateKey, Chain string
	Tags                                []store.Tag
}

func serverCertNotFound(name string) error {
	return noSuchEntity("The Server Certificate with name %s cannot be found.", name)
}

func getServerCert(ctx context.Context, tx store.Tx, acct, name string) (store.IAMServerCertificate, error) {
	c, err := tx.GetIAMServerCertificate(ctx, acct, name)
	return c, notFoundAs(err, func() error { return serverCertNotFound(name) })
}

// parsePrivateKey decodes a PEM private key (PKCS#1, PKCS#8 or SEC 1).
func parsePrivateKey(body string) (crypto.Signer, error) {
	block, _ := pem.Decode([]byte(strings.TrimSpace(body)))
	if block == nil {
		return nil, malformedCertificate("Unable to parse the private key. Please ensure the private key is in PEM format.")
	}
	var key any
	var err error
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	default:
		err = errMalformedKey
	}
	signer, ok := key.(crypto.Signer)
	if err != nil || !ok {
		return nil, malformedCertificate("Unable to parse the private key. Please ensure the private key is in PEM format.")
	}
	return signer, nil
}

var errMalformedKey = malformedCertificate("unsupported private key type")

// samePublicKey compares a certificate's public key with a private key's.
func samePublicKey(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	switch k := a.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
		return k.(equaler).Equal(b)
	}
	return false
}

// UploadServerCertificate stores a certificate with its private key (which
// must match it) and optional chain.
func (s *Service) UploadServerCertificate(ctx context.Context, c Caller, in ServerCertificateInput) (store.IAMServerCertificate, error) {
	if err := checkName("serverCertificateName", in.Name, 128); err != nil {
		return store.IAMServerCertificate{}, err
	}
	path, err := normPath(in.Path)
	if err != nil {
		return store.IAMServerCertificate{}, err
	}
	tags, err := mergeTags(nil, in.Tags)
	if err != nil {
		return store.IAMServerCertificate{}, err
	}
	cert, err := parseOneCertificate(in.Body)
	if err != nil {
		return store.IAMServerCertificate{}, err
	}
	if in.Chain != "" {
		if _, err := parseCertificates(in.Chain); err != nil {
			return store.IAMServerCertificate{}, err
		}
	}
	key, err := parsePrivateKey(in.PrivateKey)
	if err != nil {
		return store.IAMServerCertificate{}, err
	}
	if !samePublicKey(cert.PublicKey, key.Public()) {
		return store.IAMServerCertificate{}, withReason(fault.Validation, CodeKeyPairMismatch,
			"The public key certificate and the private key do not match.")
	}
	id, err := s.uniqueID("ASCA")
	if err != nil {
		return store.IAMServerCertificate{}, err
	}
	sc := store.IAMServerCertificate{AccountID: c.AccountID, CertificateID: id, Name: in.Name, Path: path,
		ARN: ServerCertificateARN(c.AccountID, path, in.Name), Body: strings.TrimSpace(in.Body), Chain: strings.TrimSpace(in.Chain),
		PrivateKey: in.PrivateKey, Expiration: cert.NotAfter.UTC(), Tags: tags, UploadedAt: s.now()}
	err = s.update(ctx, "upload server certificate", func(tx store.Tx) error {
		return existsAs(tx.CreateIAMServerCertificate(ctx, sc), func() error {
			return alreadyExists("The Server Certificate with name %s already exists.", in.Name)
		})
	})
	return sc, err
}

// GetServerCertificate returns a certificate (the caller must not return its private key).
func (s *Service) GetServerCertificate(ctx context.Context, c Caller, name string) (store.IAMServerCertificate, error) {
	var out store.IAMServerCertificate
	err := s.view(ctx, "get server certificate", func(tx store.Tx) error {
		var err error
		out, err = getServerCert(ctx, tx, c.AccountID, name)
		return err
	})
	return out, err
}

// ListServerCertificates pages the account's certificates by name.
func (s *Service) ListServerCertificates(ctx context.Context, c Caller, pathPrefix, marker string, max int) (Page[store.IAMServerCertificate], error) {
	p, limit, err := storePage(marker, max)
	if err != nil {
		return Page[store.IAMServerCertificate]{}, err
	}
	var cs []store.IAMServerCertificate
	err = s.view(ctx, "list server certificates", func(tx store.Tx) error {
		cs, err = tx.ListIAMServerCertificates(ctx, c.AccountID, store.IAMListFilter{PathPrefix: pathPrefix}, p)
		return err
	})
	if err != nil {
		return Page[store.IAMServerCertificate]{}, err
	}
	items, next := paging.Trim(cs, limit, func(c store.IAMServerCertificate) string { return strings.ToLower(c.Name) })
	return Page[store.IAMServerCertificate]{Items: items, Marker: next}, nil
}

func (s *Service) modifyServerCert(ctx context.Context, c Caller, op, name string, fn func(*store.IAMServerCertificate) error) error {
	return s.update(ctx, op, func(tx store.Tx) error {
		sc, err := getServerCert(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		if err := fn(&sc); err != nil {
			return err
		}
		return tx.ReplaceIAMServerCertificate(ctx, sc)
	})
}

// UpdateServerCertificate renames a certificate and/or changes its path (empty = unchanged).
func (s *Service) UpdateServerCertificate(ctx context.Context, c Caller, name, newName, newPath string) error {
	if newName != "" {
		if err := checkName("newServerCertificateName", newName, 128); err != nil {
			return err
		}
	}
	if newPath != "" {
		if _, err := normPath(newPath); err != nil {
			return err
		}
	}
	err := s.modifyServerCert(ctx, c, "update server certificate", name, func(sc *store.IAMServerCertificate) error {
		if newName != "" {
			sc.Name = newName
		}
		if newPath != "" {
			sc.Path = newPath
		}
		sc.ARN = ServerCertificateARN(c.AccountID, sc.Path, sc.Name)
		return nil
	})
	return existsAs(err, func() error { return alreadyExists("The Server Certificate with name %s already exists.", newName) })
}

// DeleteServerCertificate deletes a certificate.
func (s *Service) DeleteServerCertificate(ctx context.Context, c Caller, name string) error {
	return s.update(ctx, "delete server certificate", func(tx store.Tx) error {
		sc, err := getServerCert(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		return tx.DeleteIAMServerCertificate(ctx, c.AccountID, sc.CertificateID)
	})
}

// TagServerCertificate adds or replaces tags on a certificate.
func (s *Service) TagServerCertificate(ctx context.Context, c Caller, name string, tags []store.Tag) error {
	return s.modifyServerCert(ctx, c, "tag server certificate", name, func(sc *store.IAMServerCertificate) error {
		var err error
		sc.Tags, err = mergeTags(sc.Tags, tags)
		return err
	})
}

// UntagServerCertificate removes tag keys from a certificate.
func (s *Service) UntagServerCertificate(ctx context.Context, c Caller, name string, keys []string) error {
	return s.modifyServerCert(ctx, c, "untag server certificate", name, func(sc *store.IAMServerCertificate) error {
		sc.Tags = removeTags(sc.Tags, keys)
		return nil
	})
}

// ListServerCertificateTags pages a certificate's tags.
func (s *Service) ListServerCertificateTags(ctx context.Context, c Caller, name, marker string, max int) (Page[store.Tag], error) {
	sc, err := s.GetServerCertificate(ctx, c, name)
	if err != nil {
		return Page[store.Tag]{}, err
	}
	return pageTags(sc.Tags, marker, max)
}
