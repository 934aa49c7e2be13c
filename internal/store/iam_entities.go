package store

import (
	"context"
	"time"
)

// IAMInstanceProfile is an instance profile. (AccountID, lower-case
// InstanceProfileName) is unique; InstanceProfileID (AIPA…) is unique across
// accounts. RoleID is the role in the profile (empty for none; IAM allows at
// most one); deleting the role clears it.
type IAMInstanceProfile struct {
	AccountID           string
	InstanceProfileID   string
	InstanceProfileName string
	Path                string
	ARN                 string
	RoleID              string
	// RoleName is filled in by the reads (the role's current name).
	RoleName  string
	Tags      []Tag
	CreatedAt time.Time
}

// IAMSSHPublicKey is an SSH public key of an IAM user. KeyID (APKA…) is
// unique. Body is the key in the OpenSSH authorized_keys form.
type IAMSSHPublicKey struct {
	KeyID       string
	AccountID   string
	UserID      string
	Body        string
	Fingerprint string
	Status      string // Active, Inactive
	UploadedAt  time.Time
}

// IAMSigningCertificate is an X.509 signing certificate of an IAM user.
// CertificateID is unique; (AccountID, Fingerprint) is unique (the same
// certificate cannot be uploaded twice in an account).
type IAMSigningCertificate struct {
	CertificateID string
	AccountID     string
	UserID        string
	Body          string // PEM
	Fingerprint   string // hex SHA-256 of the DER certificate
	Status        string // Active, Inactive
	UploadedAt    time.Time
}

// IAMServerCertificate is a server certificate with its private key (kept,
// never returned by the API). (AccountID, lower-case Name) is unique;
// CertificateID (ASCA…) is unique across accounts.
type IAMServerCertificate struct {
	AccountID     string
	CertificateID string
	Name          string
	Path          string
	ARN           string
	Body          string
	Chain         string
	PrivateKey    string
	Expiration    time.Time
	Tags          []Tag
	UploadedAt    time.Time
}

// IAMServiceCredential is a service-specific credential of an IAM user: a
// user name and password for one AWS service. Only the password's hash is
// stored. CredentialID (ACCA…) is unique.
type IAMServiceCredential struct {
	CredentialID    string
	AccountID       string
	UserID          string
	ServiceName     string
	ServiceUserName string
	PasswordHash    string
	Status          string // Active, Inactive
	CreatedAt       time.Time
	// ExpiresAt is zero when the credential does not expire.
	ExpiresAt time.Time
}

// IAMEntityRepo holds instance profiles, IAM users' SSH public keys, signing
// certificates and service-specific credentials, and server certificates.
// A user's keys, certificates and credentials go with the user; the caller
// checks for them to report DeleteConflict.
type IAMEntityRepo interface {
	// CreateIAMInstanceProfile: ErrAlreadyExists when the name or id is taken.
	CreateIAMInstanceProfile(ctx context.Context, p IAMInstanceProfile) error
	// GetIAMInstanceProfile finds a profile by name; ErrNotFound when absent.
	GetIAMInstanceProfile(ctx context.Context, accountID, name string) (IAMInstanceProfile, error)
	// ReplaceIAMInstanceProfile overwrites the role and tags of the profile
	// with p.InstanceProfileID; ErrNotFound when absent, ErrNotFound when
	// p.RoleID names no role.
	ReplaceIAMInstanceProfile(ctx context.Context, p IAMInstanceProfile) error
	// DeleteIAMInstanceProfile removes a profile by id; ErrNotFound when absent.
	DeleteIAMInstanceProfile(ctx context.Context, accountID, id string) error
	// ListIAMInstanceProfiles pages the account's profiles by lower-case name.
	ListIAMInstanceProfiles(ctx context.Context, accountID string, f IAMListFilter, p Page) ([]IAMInstanceProfile, error)
	// ListIAMInstanceProfilesForRole lists the profiles holding a role by lower-case name.
	ListIAMInstanceProfilesForRole(ctx context.Context, roleID string) ([]IAMInstanceProfile, error)

	// CreateIAMSSHPublicKey: ErrAlreadyExists on a duplicate id; ErrNotFound
	// when the user does not exist.
	CreateIAMSSHPublicKey(ctx context.Context, k IAMSSHPublicKey) error
	GetIAMSSHPublicKey(ctx context.Context, keyID string) (IAMSSHPublicKey, error)
	SetIAMSSHPublicKeyStatus(ctx context.Context, keyID, status string) error
	DeleteIAMSSHPublicKey(ctx context.Context, keyID string) error
	// ListIAMSSHPublicKeys lists a user's keys, oldest first.
	ListIAMSSHPublicKeys(ctx context.Context, userID string) ([]IAMSSHPublicKey, error)

	// CreateIAMSigningCertificate: ErrAlreadyExists on a duplicate id or a
	// certificate already in the account.
	CreateIAMSigningCertificate(ctx context.Context, c IAMSigningCertificate) error
	GetIAMSigningCertificate(ctx context.Context, certificateID string) (IAMSigningCertificate, error)
	SetIAMSigningCertificateStatus(ctx context.Context, certificateID, status string) error
	DeleteIAMSigningCertificate(ctx context.Context, certificateID string) error
	// ListIAMSigningCertificates lists a user's certificates, oldest first.
	ListIAMSigningCertificates(ctx context.Context, userID string) ([]IAMSigningCertificate, error)

	// CreateIAMServerCertificate: ErrAlreadyExists when the name or id is taken.
	CreateIAMServerCertificate(ctx context.Context, c IAMServerCertificate) error
	// GetIAMServerCertificate finds a certificate by name; ErrNotFound when absent.
	GetIAMServerCertificate(ctx context.Context, accountID, name string) (IAMServerCertificate, error)
	// ReplaceIAMServerCertificate overwrites the name, path, ARN and tags of
	// the certificate with c.CertificateID; ErrAlreadyExists on a taken name.
	ReplaceIAMServerCertificate(ctx context.Context, c IAMServerCertificate) error
	DeleteIAMServerCertificate(ctx context.Context, accountID, certificateID string) error
	// ListIAMServerCertificates pages the account's certificates by lower-case name.
	ListIAMServerCertificates(ctx context.Context, accountID string, f IAMListFilter, p Page) ([]IAMServerCertificate, error)

	// CreateIAMServiceCredential: ErrAlreadyExists on a duplicate id;
	// ErrNotFound when the user does not exist.
	CreateIAMServiceCredential(ctx context.Context, c IAMServiceCredential) error
	GetIAMServiceCredential(ctx context.Context, credentialID string) (IAMServiceCredential, error)
	// ReplaceIAMServiceCredential overwrites the password hash, status and
	// expiry of the credential with c.CredentialID.
	ReplaceIAMServiceCredential(ctx context.Context, c IAMServiceCredential) error
	DeleteIAMServiceCredential(ctx context.Context, credentialID string) error
	// ListIAMServiceCredentials lists a user's credentials, oldest first.
	ListIAMServiceCredentials(ctx context.Context, userID string) ([]IAMServiceCredential, error)
}
