package store

import (
	"context"
	"time"
)

// MFA modes of an instance (when a user must present a second factor).
const (
	MFAAlways        = "ALWAYS"         // at every sign-in (the default)
	MFAContextChange = "CONTEXT_CHANGE" // when the browser is not one the user passed MFA in
	MFANever         = "NEVER"
)

// What happens at sign-in when MFA is required and the user has no device.
const (
	MFANoDeviceRegister = "REGISTER" // the user registers one (the default)
	MFANoDeviceBlock    = "BLOCK"    // sign-in is refused
)

// UserCredential is the password of an identity store user and its lockout
// state. The password is kept only as a self-describing memory-hard hash.
type UserCredential struct {
	IdentityStoreID string
	UserID          string
	PasswordHash    string // PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash)
	MustChange      bool   // a one-time password: change at the next sign-in
	FailedAttempts  int
	LockedUntil     time.Time // zero: not locked
	UpdatedAt       time.Time
}

// TOTPDevice is an authenticator app registered by a user. The secret must be
// recoverable to verify codes, so it is stored as given. LastUsedStep is the
// last RFC 6238 time step accepted (codes are single-use).
type TOTPDevice struct {
	DeviceID        string
	IdentityStoreID string
	UserID          string
	Name            string
	Secret          string // base32
	LastUsedStep    int64
	CreatedAt       time.Time
}

// WebSession is a web access portal session. Only the SHA-256 of the random
// session id (the cookie) is stored.
type WebSession struct {
	IDHash          []byte
	IdentityStoreID string
	UserID          string
	CreatedAt       time.Time
	ExpiresAt       time.Time
	MFADone         bool // false: the password was checked, the second factor not yet
}

// KnownContext records a browser (the hash of its context cookie) in which a
// user completed MFA, for the CONTEXT_CHANGE mode.
type KnownContext struct {
	Hash            []byte
	IdentityStoreID string
	UserID          string
	CreatedAt       time.Time
	ExpiresAt       time.Time
	// ClientHash is the SHA-256 of the browser's user agent and address
	// when the context was made (nil: not bound to them).
	ClientHash []byte
}

// MFASettings are the MFA settings of an Identity Center instance.
type MFASettings struct {
	InstanceARN string
	Mode        string // MFAAlways, MFAContextChange, MFANever
	NoDevice    string // MFANoDeviceRegister, MFANoDeviceBlock, MFANoDeviceAllow
	// Types are the MFA types users may register and use (MFATypeTOTP,
	// MFATypeWebAuthn); empty means all.
	Types []string
	// SessionDuration is the portal session's lifetime; 0 means the default.
	SessionDuration time.Duration
	// DevicesAdminOnly: users may not register or delete their own MFA
	// devices in the portal (AWS's "Users can add and manage their own MFA
	// devices" turned off). False, the default as in AWS, lets them.
	DevicesAdminOnly bool
}

// SignInRepo keeps what the web access portal needs to sign users in. Every
// record belongs to an identity store user (ErrNotFound on create when the
// user does not exist) and is removed with it.
type SignInRepo interface {
	// PutUserCredential creates or replaces the user's credential.
	PutUserCredential(ctx context.Context, c UserCredential) error
	// GetUserCredential: ErrNotFound when the user has no password.
	GetUserCredential(ctx context.Context, storeID, userID string) (UserCredential, error)

	// CreateTOTPDevice: ErrAlreadyExists on a duplicate DeviceID.
	CreateTOTPDevice(ctx context.Context, d TOTPDevice) error
	// ListTOTPDevices returns the user's devices, oldest first (CreatedAt, DeviceID).
	ListTOTPDevices(ctx context.Context, storeID, userID string) ([]TOTPDevice, error)
	// UseTOTPStep records step as the device's last used step only if it is
	// greater than the one recorded: ErrConflict when it is not (a replayed
	// code), ErrNotFound when there is no such device.
	UseTOTPStep(ctx context.Context, deviceID string, step int64) error
	// DeleteTOTPDevices removes the user's devices and reports how many.
	DeleteTOTPDevices(ctx context.Context, storeID, userID string) (int, error)
	// DeleteTOTPDevice removes one device of the user; ErrNotFound when
	// the user has no device deviceID.
	DeleteTOTPDevice(ctx context.Context, storeID, userID, deviceID string) error
	// RenameTOTPDevice sets the name of one device of the user; ErrNotFound
	// when the user has no device deviceID.
	RenameTOTPDevice(ctx context.Context, storeID, userID, deviceID, name string) error

	// CreateWebSession: ErrAlreadyExists on a duplicate IDHash.
	CreateWebSession(ctx context.Context, s WebSession) error
	// GetWebSession: ErrNotFound when absent (expiry is the caller's check).
	GetWebSession(ctx context.Context, idHash []byte) (WebSession, error)
	// UpdateWebSession replaces ExpiresAt and MFADone; ErrNotFound when absent.
	UpdateWebSession(ctx context.Context, s WebSession) error
	// DeleteWebSession: ErrNotFound when absent.
	DeleteWebSession(ctx context.Context, idHash []byte) error
	// DeleteUserWebSessions ends every session of a user and reports how many.
	DeleteUserWebSessions(ctx context.Context, storeID, userID string) (int, error)
	// DeleteExpiredWebSessions removes sessions and known contexts that
	// expired at or before t and reports how many sessions it removed.
	DeleteExpiredWebSessions(ctx context.Context, t time.Time) (int, error)

	// PutKnownContext creates or replaces a known context.
	PutKnownContext(ctx context.Context, k KnownContext) error
	// GetKnownContext: ErrNotFound when absent (expiry is the caller's check).
	GetKnownContext(ctx context.Context, hash []byte) (KnownContext, error)
	// DeleteUserKnownContexts forgets every known context of a user.
	DeleteUserKnownContexts(ctx context.Context, storeID, userID string) error

	// GetMFASettings: ErrNotFound when the instance's settings were never set.
	GetMFASettings(ctx context.Context, instanceARN string) (MFASettings, error)
	// PutMFASettings creates or replaces the instance's settings.
	PutMFASettings(ctx context.Context, s MFASettings) error
}
