package iam

import (
	"context"
	"errors"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// The root user's MFA. As in AWS, the account's root user may assign a
// virtual MFA device to itself. AWS offers that in its console only
// (EnableMFADevice's UserName is required by the API model, so the SDKs and
// the CLI cannot omit it); here the root user calls CreateVirtualMFADevice,
// then EnableMFADevice with its own credentials and UserName set to the
// account id (or, in a raw request, without UserName) — an idcenter
// extension. AWS names the console's device
// arn:aws:iam::<account>:mfa/root-account-mfa-device; any device name of the
// account works here. The device is marked Root (it has no IAM user);
// ListMFADevices, ResyncMFADevice and DeactivateMFADevice called by root
// without UserName (or with the account id) act on it, and STS accepts its
// codes for the root user's GetSessionToken (and AssumeRole) through
// UseMFACode with RootMFAUser, so the session has aws:MultiFactorAuthPresent.
// GetAccountSummary's AccountMFAEnabled and the credential report's
// <root_account> row (mfa_active) report it.

// RootMFAUser is the user name the credentials core passes to UseMFACode for
// the root user's devices (no IAM user name can contain '<').
const RootMFAUser = "<root_account>"

// rootTarget reports whether an MFA operation of caller c on userName is
// about the root user's own devices: c is root and names no user, or names
// the account id while no IAM user has that name.
func (s *Service) rootTarget(ctx context.Context, c Caller, userName string) bool {
	if !c.IsRoot {
		return false
	}
	if userName == "" {
		return true
	}
	if userName != c.AccountID {
		return false
	}
	err := s.view(ctx, "find mfa user", func(tx store.Tx) error {
		_, err := tx.GetIAMUser(ctx, c.AccountID, userName)
		return err
	})
	return errors.Is(err, store.ErrNotFound)
}

// rootMFA finds a device of the account assigned to its root user.
func rootMFA(ctx context.Context, tx store.Tx, acct, serial string) (store.IAMMFADevice, error) {
	d, err := getMFA(ctx, tx, acct, serial)
	if err == nil && !d.Root {
		err = noSuchEntity("MFA Device with serial number %s is not associated with the root user.", serial)
	}
	return d, err
}

// rootMFADevices lists the devices assigned to the account's root user.
func rootMFADevices(ctx context.Context, tx store.Tx, acct string) ([]store.IAMMFADevice, error) {
	all, err := tx.ListIAMMFADevices(ctx, acct)
	if err != nil {
		return nil, err
	}
	var out []store.IAMMFADevice
	for _, d := range all {
		if d.Root {
			out = append(out, d)
		}
	}
	return out, nil
}

// enableRootMFA assigns a virtual device to the root user once two
// consecutive codes check (EnableMFADevice without UserName, as root).
func (s *Service) enableRootMFA(ctx context.Context, c Caller, serial, code1, code2 string) error {
	now := s.now()
	return s.update(ctx, "enable root mfa device", func(tx store.Tx) error {
		d, err := getMFA(ctx, tx, c.AccountID, serial)
		if err != nil {
			return err
		}
		if d.UserID != "" || d.Root {
			return alreadyExists("MFA Device is already in use.")
		}
		mine, err := rootMFADevices(ctx, tx, c.AccountID)
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
		d.Root, d.EnabledAt, d.LastUsedStep = true, now, st+1
		return tx.ReplaceIAMMFADevice(ctx, d)
	})
}

// resyncRootMFA re-synchronises a root device with two consecutive codes.
func (s *Service) resyncRootMFA(ctx context.Context, c Caller, serial, code1, code2 string) error {
	now := s.now()
	return s.update(ctx, "resync root mfa device", func(tx store.Tx) error {
		d, err := rootMFA(ctx, tx, c.AccountID, serial)
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

// deactivateRootMFA unassigns a device from the root user; the device stays.
func (s *Service) deactivateRootMFA(ctx context.Context, c Caller, serial string) error {
	return s.update(ctx, "deactivate root mfa device", func(tx store.Tx) error {
		d, err := rootMFA(ctx, tx, c.AccountID, serial)
		if err != nil {
			return err
		}
		d.Root, d.EnabledAt = false, time.Time{}
		return tx.ReplaceIAMMFADevice(ctx, d)
	})
}

// listRootMFA pages the root user's devices.
func (s *Service) listRootMFA(ctx context.Context, c Caller, marker string, max int) (Page[store.IAMMFADevice], error) {
	var ds []store.IAMMFADevice
	err := s.view(ctx, "list root mfa devices", func(tx store.Tx) error {
		var err error
		ds, err = rootMFADevices(ctx, tx, c.AccountID)
		return err
	})
	if err != nil {
		return Page[store.IAMMFADevice]{}, err
	}
	return pageSlice(ds, marker, max, mfaKey)
}

// rootMFAActive reports whether the account's root user has an MFA device.
func rootMFAActive(ctx context.Context, tx store.Tx, acct string) (bool, error) {
	ds, err := rootMFADevices(ctx, tx, acct)
	return len(ds) > 0, err
}
