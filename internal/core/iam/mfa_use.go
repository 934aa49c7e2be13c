package iam

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// ErrMFAFailed is returned (wrapped in a fault.AccessDenied) when an MFA code
// presented to STS does not check; ErrMFADevice when the device is not the
// caller's.
var (
	ErrMFAFailed = errors.New("MultiFactorAuthentication failed with invalid MFA one time pass code.")
	ErrMFADevice = errors.New("MultiFactorAuthentication failed, unable to validate MFA code.")
)

// mfaUseWindow is how many time steps either side of now a code presented
// to STS may be from (clock drift of the device).
const mfaUseWindow = 1

// UseMFACode verifies a TOTP code of the virtual MFA device serial, which
// must be assigned to the IAM user userName of account acct (RootMFAUser: to
// the account's root user, root_mfa.go), and consumes it:
// the code's time step (and every earlier one) cannot be used again.
// Failures are fault.AccessDenied with AWS's STS messages.
func (s *Service) UseMFACode(ctx context.Context, acct, userName, serial, code string) error {
	deny := func(e error) error { return &fault.Error{Kind: fault.AccessDenied, Message: e.Error(), Err: e} }
	if userName == "" || serial == "" || code == "" {
		return deny(ErrMFADevice)
	}
	now := s.now()
	return s.update(ctx, "use mfa code", func(tx store.Tx) error {
		var u store.IAMUser
		if userName != RootMFAUser { // the root user's device (root_mfa.go) has no user
			var err error
			u, err = tx.GetIAMUser(ctx, acct, userName)
			if errors.Is(err, store.ErrNotFound) {
				return deny(ErrMFADevice)
			}
			if err != nil {
				return err
			}
		}
		d, err := tx.GetIAMMFADevice(ctx, serial)
		if errors.Is(err, store.ErrNotFound) || err == nil && (d.AccountID != acct || d.UserID != u.UserID || d.Root != (userName == RootMFAUser)) {
			return deny(ErrMFADevice)
		}
		if err != nil {
			return err
		}
		cur := now.Unix() / mfaPeriod
		found := int64(-1)
		for st := cur - mfaUseWindow; st <= cur+mfaUseWindow; st++ {
			want, err := MFACode(d.Secret, time.Unix(st*mfaPeriod, 0))
			if err != nil || st <= d.LastUsedStep {
				continue
			}
			if subtle.ConstantTimeCompare([]byte(want), []byte(strings.TrimSpace(code))) == 1 && found < 0 {
				found = st
			}
		}
		if found < 0 {
			return deny(ErrMFAFailed)
		}
		d.LastUsedStep = found
		return tx.ReplaceIAMMFADevice(ctx, d)
	})
}
