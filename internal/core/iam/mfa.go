package iam

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"image/png"
	"io"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// Virtual MFA devices: RFC 6238 TOTP (SHA-1, 6 digits, 30 s), as AWS's
// virtual devices and every authenticator app use.

// CodeInvalidAuthenticationCode is IAM's error for wrong MFA codes.
const CodeInvalidAuthenticationCode = "InvalidAuthenticationCode"

const (
	mfaPeriod = 30
	// mfaSeedBytes gives a 64-character base32 seed, as AWS's are.
	mfaSeedBytes = 40
	// mfaWindow is how many time steps back the first of two consecutive
	// codes may be (AWS associates a device even when its codes are
	// submitted late; 10 minutes here).
	mfaWindow = 20
	// MaxMFADevicesPerUser is IAM's quota of MFA devices per user.
	MaxMFADevicesPerUser = 8
	mfaQRSize            = 256
)

func mfaOpts() totp.ValidateOpts {
	return totp.ValidateOpts{Period: mfaPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
}

// MFACode computes the TOTP code of a base32 seed at t (for tests and
// scripts that hold the seed).
func MFACode(seed string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(seed, t, mfaOpts())
}

func invalidCode() error {
	return &fault.Error{Kind: fault.Validation, Reason: CodeInvalidAuthenticationCode, Message: "Authentication code for device is not valid."}
}

// MFASerial is the serial number (ARN) of a virtual MFA device.
func MFASerial(acct, path, name string) string { return arn(acct, "mfa", path, name) }

// NewVirtualMFADevice is a created device with its one-time secrets.
type NewVirtualMFADevice struct {
	Device store.IAMMFADevice
	// Seed is the base32 seed; QRCodePNG encodes its otpauth:// URL.
	Seed      string
	QRCodePNG []byte
}

// CreateVirtualMFADevice makes an unassigned virtual device. Its seed and QR
// code are returned once; the seed is stored to verify codes.
func (s *Service) CreateVirtualMFADevice(ctx context.Context, c Caller, name, path string, tags []store.Tag) (NewVirtualMFADevice, error) {
	if err := checkName("virtualMFADeviceName", name, 226); err != nil {
		return NewVirtualMFADevice{}, err
	}
	path, err := normPath(path)
	if err != nil {
		return NewVirtualMFADevice{}, err
	}
	if tags, err = mergeTags(nil, tags); err != nil {
		return NewVirtualMFADevice{}, err
	}
	raw := make([]byte, mfaSeedBytes)
	if _, err := io.ReadFull(s.rand(), raw); err != nil {
		return NewVirtualMFADevice{}, fmt.Errorf("iam: mfa seed: %w", err)
	}
	seed := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw)
	alias, err := s.AccountAlias(ctx, c.AccountID)
	if err != nil {
		return NewVirtualMFADevice{}, err
	}
	if alias == "" {
		alias = c.AccountID
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Amazon Web Services", AccountName: name + "@" + alias,
		Period: mfaPeriod, Secret: raw, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return NewVirtualMFADevice{}, fmt.Errorf("iam: mfa url: %w", err)
	}
	img, err := key.Image(mfaQRSize, mfaQRSize)
	if err != nil {
		return NewVirtualMFADevice{}, fmt.Errorf("iam: mfa qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return NewVirtualMFADevice{}, fmt.Errorf("iam: mfa qr code: %w", err)
	}
	d := store.IAMMFADevice{SerialNumber: MFASerial(c.AccountID, path, name), AccountID: c.AccountID, DeviceName: name,
		Path: path, Secret: seed, Tags: tags, CreatedAt: s.now()}
	err = s.update(ctx, "create virtual mfa device", func(tx store.Tx) error {
		return existsAs(tx.CreateIAMMFADevice(ctx, d), func() error {
			return alreadyExists("MFADevice entity at the same path and name already exists.")
		})
	})
	return NewVirtualMFADevice{Device: d, Seed: seed, QRCodePNG: buf.Bytes()}, err
}

func mfaNotFound(serial string) error {
	return noSuchEntity("VirtualMFADevice with serial number %s doesn't exist.", serial)
}

// getMFA finds a device of the caller's account.
func getMFA(ctx context.Context, tx store.Tx, acct, serial string) (store.IAMMFADevice, error) {
	d, err := tx.GetIAMMFADevice(ctx, serial)
	if err == nil && d.AccountID != acct {
		return d, mfaNotFound(serial)
	}
	return d, notFoundAs(err, func() error { return mfaNotFound(serial) })
}

// userMFA finds a device assigned to the named user.
func userMFA(ctx context.Context, tx store.Tx, acct, userName, serial string) (store.IAMUser, store.IAMMFADevice, error) {
	u, err := getUser(ctx, tx, acct, userName)
	if err != nil {
		return u, store.IAMMFADevice{}, err
	}
	d, err := getMFA(ctx, tx, acct, serial)
	if err == nil && d.UserID != u.UserID {
		err = noSuchEntity("MFA Device with serial number %s is not associated with user %s.", serial, u.UserName)
	}
	return u, d, err
}

// consecutiveStep finds the time step st within [now-back, now] whose code is
// code1 and whose next code is code2, the second of them newer than the
// device's last used step (a pair already used is refused). It compares in
// constant time.
func consecutiveStep(seed, code1, code2 string, lastUsed int64, now time.Time, back int64) (int64, bool) {
	cur := now.Unix() / mfaPeriod
	var found int64
	ok := false
	codeAt := func(st int64) string {
		c, err := totp.GenerateCodeCustom(seed, time.Unix(st*mfaPeriod, 0), mfaOpts())
		if err != nil {
			return ""
		}
		return c
	}
	next := codeAt(cur - back)
	for st := cur - back; st <= cur; st++ {
		this := next
		next = codeAt(st + 1)
		if this == "" || st+1 <= lastUsed {
			continue
		}
		m1 := subtle.ConstantTimeCompare([]byte(this), []byte(strings.TrimSpace(code1)))
		m2 := subtle.ConstantTimeCompare([]byte(next), []byte(strings.TrimSpace(code2)))
		if m1&m2 == 1 && !ok {
			found, ok = st, true
		}
	}
	return found, ok
}

// EnableMFADevice assigns a virtual device to a user once two consecutive
// codes of the device check.
func (s *Service) EnableMFADevice(ctx context.Context, c Caller, userName, serial, code1, code2 string) error {
	if s.rootTarget(ctx, c, userName) {
		return s.enableRootMFA(ctx, c, serial, code1, code2) // root_mfa.go
	}
	userName, err := userForSelf(c, userName)
	if err != nil {
		return err
	}
	now := s.now()
	return s.update(ctx, "enable mfa device", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, userName)
		if err != nil {
			return err
		}
		d, err := getMFA(ctx, tx, c.AccountID, serial)
		if err != nil {
			return err
		}
		if d.UserID != "" || d.Root {
			return alreadyExists("MFA Device is already in use.")
		}
		mine, err := tx.ListIAMMFADevicesForUser(ctx, u.UserID)
		if err != nil {
			return err
		}
		if len(mine) >= MaxMFADevicesPerUser {
			return limitExceeded("Cannot exceed quota for MFADevicesPerUser: %d", MaxMFADevicesPerUser)
		}
		st, ok := consecutiveStep(d.Secret, code1, code2, d.LastUsedStep, now, mfaWindow)
		if !ok {
			return invalidCode()
		}
		d.UserID, d.EnabledAt, d.LastUsedStep = u.UserID, now, st+1
		return tx.ReplaceIAMMFADevice(ctx, d)
	})
}

// ResyncMFADevice re-synchronises an assigned device with two consecutive codes.
func (s *Service) ResyncMFADevice(ctx context.Context, c Caller, userName, serial, code1, code2 string) error {
	if s.rootTarget(ctx, c, userName) {
		return s.resyncRootMFA(ctx, c, serial, code1, code2) // root_mfa.go
	}
	userName, err := userForSelf(c, userName)
	if err != nil {
		return err
	}
	now := s.now()
	return s.update(ctx, "resync mfa device", func(tx store.Tx) error {
		_, d, err := userMFA(ctx, tx, c.AccountID, userName, serial)
		if err != nil {
			return err
		}
		st, ok := consecutiveStep(d.Secret, code1, code2, d.LastUsedStep, now, mfaWindow)
		if !ok {
			return invalidCode()
		}
		d.LastUsedStep = st + 1
		return tx.ReplaceIAMMFADevice(ctx, d)
	})
}

// DeactivateMFADevice unassigns a device from a user; the device stays.
func (s *Service) DeactivateMFADevice(ctx context.Context, c Caller, userName, serial string) error {
	if s.rootTarget(ctx, c, userName) {
		return s.deactivateRootMFA(ctx, c, serial) // root_mfa.go
	}
	userName, err := userForSelf(c, userName)
	if err != nil {
		return err
	}
	return s.update(ctx, "deactivate mfa device", func(tx store.Tx) error {
		_, d, err := userMFA(ctx, tx, c.AccountID, userName, serial)
		if err != nil {
			return err
		}
		d.UserID, d.EnabledAt = "", time.Time{}
		return tx.ReplaceIAMMFADevice(ctx, d)
	})
}

// DeleteVirtualMFADevice deletes an unassigned device.
func (s *Service) DeleteVirtualMFADevice(ctx context.Context, c Caller, serial string) error {
	return s.update(ctx, "delete virtual mfa device", func(tx store.Tx) error {
		d, err := getMFA(ctx, tx, c.AccountID, serial)
		if err != nil {
			return err
		}
		if d.UserID != "" {
			return deleteConflict("MFA device %s is still in use by user %s; deactivate it first.", serial, d.UserName)
		}
		if d.Root {
			return deleteConflict("MFA device %s is still in use by the root user; deactivate it first.", serial)
		}
		return tx.DeleteIAMMFADevice(ctx, serial)
	})
}

// GetMFADevice returns a device (of the named user when a name is given).
func (s *Service) GetMFADevice(ctx context.Context, c Caller, userName, serial string) (store.IAMMFADevice, error) {
	var d store.IAMMFADevice
	err := s.view(ctx, "get mfa device", func(tx store.Tx) error {
		var err error
		if userName != "" {
			_, d, err = userMFA(ctx, tx, c.AccountID, userName, serial)
			return err
		}
		d, err = getMFA(ctx, tx, c.AccountID, serial)
		return err
	})
	return d, err
}

// ListMFADevices pages the devices assigned to a user (the calling user when
// name is empty; none for other callers).
func (s *Service) ListMFADevices(ctx context.Context, c Caller, name, marker string, max int) (Page[store.IAMMFADevice], error) {
	if s.rootTarget(ctx, c, name) {
		return s.listRootMFA(ctx, c, marker, max) // root_mfa.go
	}
	if name == "" && c.UserName == "" {
		return pageSlice([]store.IAMMFADevice(nil), marker, max, mfaKey)
	}
	if name == "" {
		name = c.UserName
	}
	var ds []store.IAMMFADevice
	err := s.view(ctx, "list mfa devices", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		ds, err = tx.ListIAMMFADevicesForUser(ctx, u.UserID)
		return err
	})
	if err != nil {
		return Page[store.IAMMFADevice]{}, err
	}
	return pageSlice(ds, marker, max, mfaKey)
}

func mfaKey(d store.IAMMFADevice) string { return d.SerialNumber }

// ListVirtualMFADevices pages the account's virtual devices; status is
// Assigned, Unassigned or Any (empty = Any).
func (s *Service) ListVirtualMFADevices(ctx context.Context, c Caller, status, marker string, max int) (Page[store.IAMMFADevice], error) {
	switch status {
	case "", "Any", "Assigned", "Unassigned":
	default:
		return Page[store.IAMMFADevice]{}, invalidInput("AssignmentStatus must be Assigned, Unassigned or Any.")
	}
	var ds []store.IAMMFADevice
	err := s.view(ctx, "list virtual mfa devices", func(tx store.Tx) error {
		all, err := tx.ListIAMMFADevices(ctx, c.AccountID)
		for _, d := range all {
			assigned := d.UserID != "" || d.Root // root_mfa.go
			if status == "Assigned" && !assigned || status == "Unassigned" && assigned {
				continue
			}
			ds = append(ds, d)
		}
		return err
	})
	if err != nil {
		return Page[store.IAMMFADevice]{}, err
	}
	return pageSlice(ds, marker, max, mfaKey)
}

// TagMFADevice adds or replaces tags on a device.
func (s *Service) TagMFADevice(ctx context.Context, c Caller, serial string, tags []store.Tag) error {
	return s.update(ctx, "tag mfa device", func(tx store.Tx) error {
		d, err := getMFA(ctx, tx, c.AccountID, serial)
		if err != nil {
			return err
		}
		if d.Tags, err = mergeTags(d.Tags, tags); err != nil {
			return err
		}
		return tx.ReplaceIAMMFADevice(ctx, d)
	})
}

// UntagMFADevice removes tag keys from a device.
func (s *Service) UntagMFADevice(ctx context.Context, c Caller, serial string, keys []string) error {
	return s.update(ctx, "untag mfa device", func(tx store.Tx) error {
		d, err := getMFA(ctx, tx, c.AccountID, serial)
		if err != nil {
			return err
		}
		d.Tags = removeTags(d.Tags, keys)
		return tx.ReplaceIAMMFADevice(ctx, d)
	})
}

// ListMFADeviceTags pages a device's tags.
func (s *Service) ListMFADeviceTags(ctx context.Context, c Caller, serial, marker string, max int) (Page[store.Tag], error) {
	d, err := s.GetMFADevice(ctx, c, "", serial)
	if err != nil {
		return Page[store.Tag]{}, err
	}
	return pageTags(d.Tags, marker, max)
}
