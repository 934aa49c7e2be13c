package signin

import (
	"context"
	"errors"
	"fmt"

	"github.com/idcenter/idcenter/internal/store"
)

// SetInitialPassword sets a user's password (policy-checked) only when the
// user has none yet, and reports whether it did: the world file's initial
// passwords, applied on every start without ending sessions or undoing a
// change the user made.
func (s *Service) SetInitialPassword(ctx context.Context, userName, password string) (bool, error) {
	has := false
	err := s.Store.View(ctx, func(tx store.Tx) error {
		u, err := s.findUser(ctx, tx, userName)
		if err != nil {
			return err
		}
		_, err = tx.GetUserCredential(ctx, s.IdentityStoreID, u.UserID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		has = err == nil
		return err
	})
	if err != nil || has {
		return false, err
	}
	return true, s.SetPassword(ctx, userName, password)
}

// AddTOTPDevice registers an authenticator app with a known secret (base32)
// for a user, without a code (the world file's TOTP secrets, so that tests
// can compute codes); a device with the same secret is not added twice.
func (s *Service) AddTOTPDevice(ctx context.Context, userName, secret, name string) (bool, error) {
	secret, err := normaliseSecret(secret)
	if err != nil {
		return false, err
	}
	if name == "" {
		name = "Authenticator app"
	}
	created := false
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		u, err := s.findUser(ctx, tx, userName)
		if err != nil {
			return err
		}
		devs, err := tx.ListTOTPDevices(ctx, s.IdentityStoreID, u.UserID)
		if err != nil {
			return err
		}
		for _, d := range devs {
			if d.Secret == secret {
				return nil
			}
		}
		devID, err := s.randomToken()
		if err != nil {
			return err
		}
		created = true
		if err := tx.CreateTOTPDevice(ctx, store.TOTPDevice{DeviceID: devID[:22], IdentityStoreID: s.IdentityStoreID,
			UserID: u.UserID, Name: name, Secret: secret, CreatedAt: s.now()}); err != nil {
			return fmt.Errorf("signin: add device: %w", err)
		}
		return nil
	})
	return created, err
}
