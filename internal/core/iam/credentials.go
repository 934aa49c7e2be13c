package iam

import (
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// SSH public keys, signing certificates and service-specific credentials of
// IAM users.

// IAM error codes of this file.
const (
	CodeDuplicateSSHPublicKey          = "DuplicateSSHPublicKey"
	CodeInvalidPublicKey               = "InvalidPublicKey"
	CodeUnrecognizedPublicKeyEncoding  = "UnrecognizedPublicKeyEncoding"
	CodeMalformedCertificate           = "MalformedCertificate"
	CodeDuplicateCertificate           = "DuplicateCertificate"
	CodeInvalidCertificate             = "InvalidCertificate"
	CodeKeyPairMismatch                = "KeyPairMismatch"
	CodeNotSupportedService            = "NotSupportedService"
	MaxSSHPublicKeysPerUser            = 5
	MaxSigningCertificatesPerUser      = 2
	MaxServiceCredentialsPerUserPerSvc = 2
	minSSHKeyBits                      = 2048
	maxCredentialAgeDays               = 36600
)

func withReason(kind fault.Kind, reason, format string, args ...any) error {
	e := invalidInput(format, args...).(*fault.Error)
	e.Kind, e.Reason = kind, reason
	return e
}

func checkStatus(status string) error {
	if status != "Active" && status != "Inactive" {
		return invalidInput("Status must be Active or Inactive.")
	}
	return nil
}

// checkNoUserCredentials reports DeleteConflict while a user has SSH public
// keys, signing certificates or service-specific credentials, with AWS's
// messages (SSH keys are "referenced objects").
func checkNoUserCredentials(ctx context.Context, tx store.Tx, userID string) error {
	keys, err := tx.ListIAMSSHPublicKeys(ctx, userID)
	if err != nil {
		return err
	}
	if len(keys) > 0 {
		return deleteConflict("Cannot delete entity, must remove referenced objects first.")
	}
	certs, err := tx.ListIAMSigningCertificates(ctx, userID)
	if err != nil {
		return err
	}
	if len(certs) > 0 {
		return deleteConflict("Cannot delete entity, must delete certificates first.")
	}
	creds, err := tx.ListIAMServiceCredentials(ctx, userID)
	if err != nil {
		return err
	}
	if len(creds) > 0 {
		return deleteConflict("Cannot delete entity, must remove referenced objects first.")
	}
	return nil
}

// ---- SSH public keys ----

// SSHPublicKey is an SSH public key with its user's name.
type SSHPublicKey struct {
	store.IAMSSHPublicKey
	UserName string
}

// parseSSHPublicKey accepts an RSA key of at least 2048 bits in the OpenSSH
// (ssh-rsa …) or PEM (PUBLIC KEY, RSA PUBLIC KEY) encoding and returns it in
// the OpenSSH form with its MD5 fingerprint as IAM shows it.
func parseSSHPublicKey(body string) (string, string, error) {
	body = strings.TrimSpace(body)
	var pub ssh.PublicKey
	switch {
	case strings.HasPrefix(body, "-----BEGIN"):
		block, _ := pem.Decode([]byte(body))
		if block == nil {
			return "", "", withReason(fault.Validation, CodeInvalidPublicKey, "The public key is malformed or otherwise invalid.")
		}
		var key any
		var err error
		switch block.Type {
		case "PUBLIC KEY":
			key, err = x509.ParsePKIXPublicKey(block.Bytes)
		case "RSA PUBLIC KEY":
			key, err = x509.ParsePKCS1PublicKey(block.Bytes)
		default:
			return "", "", withReason(fault.Validation, CodeUnrecognizedPublicKeyEncoding, "The public key encoding format is unsupported or unrecognized.")
		}
		if err != nil {
			return "", "", withReason(fault.Validation, CodeInvalidPublicKey, "The public key is malformed or otherwise invalid.")
		}
		if pub, err = ssh.NewPublicKey(key); err != nil {
			return "", "", withReason(fault.Validation, CodeUnrecognizedPublicKeyEncoding, "The public key encoding format is unsupported or unrecognized.")
		}
	case strings.HasPrefix(body, "ssh-"), strings.HasPrefix(body, "ecdsa-"):
		var err error
		if pub, _, _, _, err = ssh.ParseAuthorizedKey([]byte(body)); err != nil {
			return "", "", withReason(fault.Validation, CodeInvalidPublicKey, "The public key is malformed or otherwise invalid.")
		}
	default:
		return "", "", withReason(fault.Validation, CodeUnrecognizedPublicKeyEncoding, "The public key encoding format is unsupported or unrecognized.")
	}
	if pub.Type() != ssh.KeyAlgoRSA {
		return "", "", withReason(fault.Validation, CodeUnrecognizedPublicKeyEncoding, "The public key encoding format is unsupported or unrecognized: only ssh-rsa keys are accepted.")
	}
	ck, ok := pub.(ssh.CryptoPublicKey)
	if !ok {
		return "", "", withReason(fault.Validation, CodeInvalidPublicKey, "The public key is malformed or otherwise invalid.")
	}
	if rk, ok := ck.CryptoPublicKey().(*rsa.PublicKey); !ok || rk.N.BitLen() < minSSHKeyBits {
		return "", "", withReason(fault.Validation, CodeInvalidPublicKey, "The public key is malformed or otherwise invalid: the minimum bit-length of the public key is %d bits.", minSSHKeyBits)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub))), ssh.FingerprintLegacyMD5(pub), nil
}

// SSHKeyPEM converts a stored key (OpenSSH form) to PEM (PKIX PUBLIC KEY).
func SSHKeyPEM(body string) (string, error) {
	pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(body))
	if err != nil {
		return "", err
	}
	ck, ok := pub.(ssh.CryptoPublicKey)
	if !ok {
		return "", errors.New("iam: ssh key has no crypto key")
	}
	der, err := x509.MarshalPKIXPublicKey(ck.CryptoPublicKey())
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), nil
}

func sshKeyNotFound(id string) error {
	return noSuchEntity("The Public Key with id %s cannot be found.", id)
}

// userSSHKey finds a key of the named user.
func userSSHKey(ctx context.Context, tx store.Tx, c Caller, name, id string) (store.IAMSSHPublicKey, store.IAMUser, error) {
	u, err := getUser(ctx, tx, c.AccountID, name)
	if err != nil {
		return store.IAMSSHPublicKey{}, u, err
	}
	k, err := tx.GetIAMSSHPublicKey(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && k.UserID != u.UserID) {
		return k, u, sshKeyNotFound(id)
	}
	return k, u, err
}

// UploadSSHPublicKey adds an SSH public key to a user (at most five per user).
func (s *Service) UploadSSHPublicKey(ctx context.Context, c Caller, name, body string) (SSHPublicKey, error) {
	norm, fp, err := parseSSHPublicKey(body)
	if err != nil {
		return SSHPublicKey{}, err
	}
	id, err := s.uniqueID("APKA")
	if err != nil {
		return SSHPublicKey{}, err
	}
	var out SSHPublicKey
	err = s.update(ctx, "upload ssh public key", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		have, err := tx.ListIAMSSHPublicKeys(ctx, u.UserID)
		if err != nil {
			return err
		}
		for _, k := range have {
			if k.Fingerprint == fp {
				return withReason(fault.Conflict, CodeDuplicateSSHPublicKey, "The SSH public key is already associated with the specified IAM user.")
			}
		}
		if len(have) >= MaxSSHPublicKeysPerUser {
			return limitExceeded("Cannot exceed quota for PublicKeysPerUser: %d", MaxSSHPublicKeysPerUser)
		}
		k := store.IAMSSHPublicKey{KeyID: id, AccountID: c.AccountID, UserID: u.UserID, Body: norm, Fingerprint: fp,
			Status: "Active", UploadedAt: s.now()}
		out = SSHPublicKey{IAMSSHPublicKey: k, UserName: u.UserName}
		return tx.CreateIAMSSHPublicKey(ctx, k)
	})
	return out, err
}

// GetSSHPublicKey returns a user's key.
func (s *Service) GetSSHPublicKey(ctx context.Context, c Caller, name, id string) (SSHPublicKey, error) {
	var out SSHPublicKey
	err := s.view(ctx, "get ssh public key", func(tx store.Tx) error {
		k, u, err := userSSHKey(ctx, tx, c, name, id)
		out = SSHPublicKey{IAMSSHPublicKey: k, UserName: u.UserName}
		return err
	})
	return out, err
}

// ListSSHPublicKeys pages a user's keys (the caller's when name is empty), oldest first.
func (s *Service) ListSSHPublicKeys(ctx context.Context, c Caller, name, marker string, max int) (Page[SSHPublicKey], error) {
	return listOfUser(ctx, s, c, name, "list ssh public keys", store.Tx.ListIAMSSHPublicKeys,
		func(k store.IAMSSHPublicKey, u store.IAMUser) SSHPublicKey {
			return SSHPublicKey{IAMSSHPublicKey: k, UserName: u.UserName}
		},
		func(k SSHPublicKey) string { return timeKey(k.UploadedAt) + k.KeyID }, marker, max)
}

// listOfUser pages what list returns for one user (the caller's when name is
// empty), each item wrapped with its user, ordered by key.
func listOfUser[S, T any](ctx context.Context, s *Service, c Caller, name, op string,
	list func(store.Tx, context.Context, string) ([]S, error), wrap func(S, store.IAMUser) T,
	key func(T) string, marker string, max int) (Page[T], error) {
	name, err := userForKeys(c, name)
	if err != nil {
		return Page[T]{}, err
	}
	var out []T
	err = s.view(ctx, op, func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		items, err := list(tx, ctx, u.UserID)
		for _, it := range items {
			out = append(out, wrap(it, u))
		}
		return err
	})
	if err != nil {
		return Page[T]{}, err
	}
	return pageSlice(out, marker, max, key)
}

func timeKey(t time.Time) string { return t.UTC().Format("20060102150405.000000000") }

// UpdateSSHPublicKey sets a key Active or Inactive.
func (s *Service) UpdateSSHPublicKey(ctx context.Context, c Caller, name, id, status string) error {
	if err := checkStatus(status); err != nil {
		return err
	}
	return s.update(ctx, "update ssh public key", func(tx store.Tx) error {
		if _, _, err := userSSHKey(ctx, tx, c, name, id); err != nil {
			return err
		}
		return tx.SetIAMSSHPublicKeyStatus(ctx, id, status)
	})
}

// DeleteSSHPublicKey deletes a user's key.
func (s *Service) DeleteSSHPublicKey(ctx context.Context, c Caller, name, id string) error {
	return s.update(ctx, "delete ssh public key", func(tx store.Tx) error {
		if _, _, err := userSSHKey(ctx, tx, c, name, id); err != nil {
			return err
		}
		return tx.DeleteIAMSSHPublicKey(ctx, id)
	})
}

// ---- signing certificates ----

// SigningCertificate is a signing certificate with its user's name.
type SigningCertificate struct {
	store.IAMSigningCertificate
	UserName string
}

func malformedCertificate(format string, args ...any) error {
	return withReason(fault.Validation, CodeMalformedCertificate, format, args...)
}

// parseCertificates decodes one or more PEM certificates.
func parseCertificates(body string) ([]*x509.Certificate, error) {
	rest := []byte(strings.TrimSpace(body))
	var out []*x509.Certificate
	for len(strings.TrimSpace(string(rest))) > 0 {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil || block.Type != "CERTIFICATE" {
			return nil, malformedCertificate("Unable to parse certificate. Please ensure the certificate is in PEM format.")
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, malformedCertificate("Unable to parse certificate. Please ensure the certificate is in PEM format.")
		}
		out = append(out, cert)
	}
	if len(out) == 0 {
		return nil, malformedCertificate("Unable to parse certificate. Please ensure the certificate is in PEM format.")
	}
	return out, nil
}

// parseOneCertificate decodes exactly one PEM certificate.
func parseOneCertificate(body string) (*x509.Certificate, error) {
	certs, err := parseCertificates(body)
	if err != nil {
		return nil, err
	}
	if len(certs) != 1 {
		return nil, malformedCertificate("The certificate body must contain exactly one certificate.")
	}
	return certs[0], nil
}

func certNotFound(id string) error {
	return noSuchEntity("The Certificate with id %s cannot be found.", id)
}

func userSigningCert(ctx context.Context, tx store.Tx, c Caller, name, id string) (store.IAMSigningCertificate, store.IAMUser, error) {
	u, err := getUser(ctx, tx, c.AccountID, name)
	if err != nil {
		return store.IAMSigningCertificate{}, u, err
	}
	cert, err := tx.GetIAMSigningCertificate(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && cert.UserID != u.UserID) {
		return cert, u, certNotFound(id)
	}
	return cert, u, err
}

// UploadSigningCertificate adds an X.509 signing certificate to a user (the
// caller when name is empty; at most two per user).
func (s *Service) UploadSigningCertificate(ctx context.Context, c Caller, name, body string) (SigningCertificate, error) {
	name, err := userForKeys(c, name)
	if err != nil {
		return SigningCertificate{}, err
	}
	cert, err := parseOneCertificate(body)
	if err != nil {
		return SigningCertificate{}, err
	}
	sum := sha256.Sum256(cert.Raw)
	id, err := s.random("", idAlphabet, 28)
	if err != nil {
		return SigningCertificate{}, err
	}
	var out SigningCertificate
	err = s.update(ctx, "upload signing certificate", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		have, err := tx.ListIAMSigningCertificates(ctx, u.UserID)
		if err != nil {
			return err
		}
		if len(have) >= MaxSigningCertificatesPerUser {
			return limitExceeded("Cannot exceed quota for CertificatesPerUser: %d", MaxSigningCertificatesPerUser)
		}
		sc := store.IAMSigningCertificate{CertificateID: id, AccountID: c.AccountID, UserID: u.UserID,
			Body: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})), Fingerprint: hex.EncodeToString(sum[:]),
			Status: "Active", UploadedAt: s.now()}
		out = SigningCertificate{IAMSigningCertificate: sc, UserName: u.UserName}
		return existsAs(tx.CreateIAMSigningCertificate(ctx, sc), func() error {
			return withReason(fault.Conflict, CodeDuplicateCertificate, "The same certificate is associated with an IAM user in the account.")
		})
	})
	return out, err
}

// ListSigningCertificates pages a user's certificates (the caller's when name is empty).
func (s *Service) ListSigningCertificates(ctx context.Context, c Caller, name, marker string, max int) (Page[SigningCertificate], error) {
	return listOfUser(ctx, s, c, name, "list signing certificates", store.Tx.ListIAMSigningCertificates,
		func(sc store.IAMSigningCertificate, u store.IAMUser) SigningCertificate {
			return SigningCertificate{IAMSigningCertificate: sc, UserName: u.UserName}
		},
		func(sc SigningCertificate) string { return timeKey(sc.UploadedAt) + sc.CertificateID }, marker, max)
}

// UpdateSigningCertificate sets a certificate Active or Inactive.
func (s *Service) UpdateSigningCertificate(ctx context.Context, c Caller, name, id, status string) error {
	name, err := userForKeys(c, name)
	if err != nil {
		return err
	}
	if err := checkStatus(status); err != nil {
		return err
	}
	return s.update(ctx, "update signing certificate", func(tx store.Tx) error {
		if _, _, err := userSigningCert(ctx, tx, c, name, id); err != nil {
			return err
		}
		return tx.SetIAMSigningCertificateStatus(ctx, id, status)
	})
}

// DeleteSigningCertificate deletes a user's certificate.
func (s *Service) DeleteSigningCertificate(ctx context.Context, c Caller, name, id string) error {
	name, err := userForKeys(c, name)
	if err != nil {
		return err
	}
	return s.update(ctx, "delete signing certificate", func(tx store.Tx) error {
		if _, _, err := userSigningCert(ctx, tx, c, name, id); err != nil {
			return err
		}
		return tx.DeleteIAMSigningCertificate(ctx, id)
	})
}

// ---- service-specific credentials ----

// serviceCredentialServices are the services IAM issues service-specific
// credentials for; apiKey marks those whose credentials are API keys
// (ServiceCredentialAlias/ServiceCredentialSecret, optional expiry).
var serviceCredentialServices = map[string]struct{ apiKey bool }{
	"codecommit.amazonaws.com": {},
	"cassandra.amazonaws.com":  {},
	"bedrock.amazonaws.com":    {apiKey: true},
	"logs.amazonaws.com":       {apiKey: true},
}

// ServiceCredential is a service-specific credential with its user's name;
// Password is set only when the credential was just created or reset.
type ServiceCredential struct {
	store.IAMServiceCredential
	UserName string
	Password string
	// APIKey: the service takes the credential as an API key (alias and secret).
	APIKey bool
}

// StatusAt is the credential's status at now: Expired past its expiry.
func (c ServiceCredential) StatusAt(now time.Time) string {
	if !c.ExpiresAt.IsZero() && !now.Before(c.ExpiresAt) {
		return "Expired"
	}
	return c.Status
}

func hashServicePassword(p string) string {
	sum := sha256.Sum256([]byte(p))
	return hex.EncodeToString(sum[:])
}

// VerifyServicePassword reports whether password is the credential's (constant time).
func VerifyServicePassword(c store.IAMServiceCredential, password string) bool {
	return subtle.ConstantTimeCompare([]byte(hashServicePassword(password)), []byte(c.PasswordHash)) == 1
}

func (s *Service) servicePassword() (string, error) {
	raw, err := s.random("", secretAlphabet, 43)
	if err != nil {
		return "", err
	}
	// 43 characters of base64's alphabet and its padding: the shape of IAM's passwords.
	return raw + "=", nil
}

func credNotFound(id string) error {
	return noSuchEntity("No such credential %s exists.", id)
}

func userServiceCred(ctx context.Context, tx store.Tx, c Caller, name, id string) (store.IAMServiceCredential, store.IAMUser, error) {
	u, err := getUser(ctx, tx, c.AccountID, name)
	if err != nil {
		return store.IAMServiceCredential{}, u, err
	}
	sc, err := tx.GetIAMServiceCredential(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && sc.UserID != u.UserID) {
		return sc, u, credNotFound(id)
	}
	return sc, u, err
}

// CreateServiceSpecificCredential makes a credential for a user and one
// service (at most two per user and service); the password is returned once
// and only its hash is kept. ageDays (0 = none) sets an expiry for API-key services.
func (s *Service) CreateServiceSpecificCredential(ctx context.Context, c Caller, name, service string, ageDays int) (ServiceCredential, error) {
	svc, ok := serviceCredentialServices[service]
	if !ok {
		return ServiceCredential{}, withReason(fault.NotFound, CodeNotSupportedService, "The specified service %s is not supported.", service)
	}
	if ageDays != 0 && (!svc.apiKey || ageDays < 1 || ageDays > maxCredentialAgeDays) {
		return ServiceCredential{}, invalidInput("CredentialAgeDays is valid only for API keys and must be between 1 and %d.", maxCredentialAgeDays)
	}
	id, err := s.uniqueID("ACCA")
	if err != nil {
		return ServiceCredential{}, err
	}
	password, err := s.servicePassword()
	if err != nil {
		return ServiceCredential{}, err
	}
	var out ServiceCredential
	err = s.update(ctx, "create service specific credential", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		have, err := tx.ListIAMServiceCredentials(ctx, u.UserID)
		if err != nil {
			return err
		}
		n := 0
		for _, h := range have {
			if h.ServiceName == service {
				n++
			}
		}
		if n >= MaxServiceCredentialsPerUserPerSvc {
			return limitExceeded("Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: %d", MaxServiceCredentialsPerUserPerSvc)
		}
		now := s.now()
		sc := store.IAMServiceCredential{CredentialID: id, AccountID: c.AccountID, UserID: u.UserID, ServiceName: service,
			ServiceUserName: u.UserName + "-at-" + c.AccountID, PasswordHash: hashServicePassword(password), Status: "Active", CreatedAt: now}
		if ageDays > 0 {
			sc.ExpiresAt = now.AddDate(0, 0, ageDays)
		}
		out = ServiceCredential{IAMServiceCredential: sc, UserName: u.UserName, Password: password, APIKey: svc.apiKey}
		return tx.CreateIAMServiceCredential(ctx, sc)
	})
	return out, err
}

// ListServiceSpecificCredentials pages the credentials of a user (the
// caller's when name is empty) or, with allUsers, of every user of the
// account; service filters by service name when non-empty.
func (s *Service) ListServiceSpecificCredentials(ctx context.Context, c Caller, name, service string, allUsers bool, marker string, max int) (Page[ServiceCredential], error) {
	if !allUsers {
		var err error
		if name, err = userForKeys(c, name); err != nil {
			return Page[ServiceCredential]{}, err
		}
	}
	now := s.now()
	var out []ServiceCredential
	err := s.view(ctx, "list service specific credentials", func(tx store.Tx) error {
		var users []store.IAMUser
		if allUsers && name == "" {
			var err error
			if users, err = tx.ListIAMUsers(ctx, c.AccountID, store.IAMListFilter{}, store.Page{}); err != nil {
				return err
			}
		} else {
			u, err := getUser(ctx, tx, c.AccountID, name)
			if err != nil {
				return err
			}
			users = []store.IAMUser{u}
		}
		for _, u := range users {
			creds, err := tx.ListIAMServiceCredentials(ctx, u.UserID)
			if err != nil {
				return err
			}
			for _, sc := range creds {
				if service == "" || sc.ServiceName == service {
					sc.Status = ServiceCredential{IAMServiceCredential: sc}.StatusAt(now)
					out = append(out, ServiceCredential{IAMServiceCredential: sc, UserName: u.UserName,
						APIKey: serviceCredentialServices[sc.ServiceName].apiKey})
				}
			}
		}
		return nil
	})
	if err != nil {
		return Page[ServiceCredential]{}, err
	}
	return pageSlice(out, marker, max, func(sc ServiceCredential) string {
		return strings.ToLower(sc.UserName) + "\x00" + timeKey(sc.CreatedAt) + sc.CredentialID
	})
}

// ResetServiceSpecificCredential gives a credential a new password, returned once.
func (s *Service) ResetServiceSpecificCredential(ctx context.Context, c Caller, name, id string) (ServiceCredential, error) {
	name, err := userForKeys(c, name)
	if err != nil {
		return ServiceCredential{}, err
	}
	password, err := s.servicePassword()
	if err != nil {
		return ServiceCredential{}, err
	}
	var out ServiceCredential
	err = s.update(ctx, "reset service specific credential", func(tx store.Tx) error {
		sc, u, err := userServiceCred(ctx, tx, c, name, id)
		if err != nil {
			return err
		}
		sc.PasswordHash = hashServicePassword(password)
		out = ServiceCredential{IAMServiceCredential: sc, UserName: u.UserName, Password: password,
			APIKey: serviceCredentialServices[sc.ServiceName].apiKey}
		return tx.ReplaceIAMServiceCredential(ctx, sc)
	})
	return out, err
}

// UpdateServiceSpecificCredential sets a credential Active or Inactive.
func (s *Service) UpdateServiceSpecificCredential(ctx context.Context, c Caller, name, id, status string) error {
	name, err := userForKeys(c, name)
	if err != nil {
		return err
	}
	if err := checkStatus(status); err != nil {
		return err
	}
	return s.update(ctx, "update service specific credential", func(tx store.Tx) error {
		sc, _, err := userServiceCred(ctx, tx, c, name, id)
		if err != nil {
			return err
		}
		sc.Status = status
		return tx.ReplaceIAMServiceCredential(ctx, sc)
	})
}

// DeleteServiceSpecificCredential deletes a credential.
func (s *Service) DeleteServiceSpecificCredential(ctx context.Context, c Caller, name, id string) error {
	name, err := userForKeys(c, name)
	if err != nil {
		return err
	}
	return s.update(ctx, "delete service specific credential", func(tx store.Tx) error {
		if _, _, err := userServiceCred(ctx, tx, c, name, id); err != nil {
			return err
		}
		return tx.DeleteIAMServiceCredential(ctx, id)
	})
}
