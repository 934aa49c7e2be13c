package oidc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// userCodeAlphabet has no vowels (no words) and no look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B).
const userCodeAlphabet = "CDFGHJKMNPQRTVWXY"

// DeviceStart is the answer to StartDeviceAuthorization.
type DeviceStart struct {
	DeviceCode, UserCode                     string
	VerificationURI, VerificationURIComplete string
	ExpiresIn, Interval                      int
}

// DeviceAuthorization is what the web portal shows on the confirmation page.
type DeviceAuthorization struct {
	UserCode, ClientName string
	Scopes               []string
	ExpiresAt            time.Time
}

func (s *Service) userCode() (string, error) {
	out := make([]byte, 0, 9)
	limit := 256 - 256%len(userCodeAlphabet)
	var one [1]byte
	for len(out) < 9 {
		if len(out) == 4 {
			out = append(out, '-')
			continue
		}
		if _, err := io.ReadFull(s.reader(), one[:]); err != nil {
			return "", fmt.Errorf("oidc: randomness: %w", err)
		}
		if int(one[0]) < limit {
			out = append(out, userCodeAlphabet[int(one[0])%len(userCodeAlphabet)])
		}
	}
	return string(out), nil
}

// NormalizeUserCode upper-cases a typed user code and puts the dash back.
func NormalizeUserCode(c string) string {
	c = strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(c)))
	if len(c) == 8 {
		return c[:4] + "-" + c[4:]
	}
	return c
}

// StartDeviceAuthorization starts a device-code grant for a client.
func (s *Service) StartDeviceAuthorization(ctx context.Context, clientID, clientSecret, startURL string) (DeviceStart, error) {
	device, err := s.token("", 48)
	if err != nil {
		return DeviceStart{}, err
	}
	now := s.now()
	var out DeviceStart
	for attempt := 0; ; attempt++ {
		code, err := s.userCode()
		if err != nil {
			return DeviceStart{}, err
		}
		err = s.Store.Update(ctx, func(tx store.Tx) error {
			c, err := s.client(ctx, tx, clientID, clientSecret)
			if err != nil {
				return err
			}
			if !mayUseGrant(c, GrantDeviceCode) {
				return oauthErr(CodeUnauthorizedClient, "The client is not authorized for the device code grant")
			}
			if err := tx.DeleteExpiredOIDC(ctx, now.Add(-time.Hour)); err != nil {
				return err
			}
			return tx.CreateDeviceAuthorization(ctx, store.DeviceAuthorization{DeviceCodeHash: hash(device), UserCode: code,
				ClientID: clientID, StartURL: startURL, Scopes: c.Scopes, Status: store.DevicePending, Interval: s.interval(),
				ExpiresAt: now.Add(DeviceTTL), CreatedAt: now})
		})
		if errors.Is(err, store.ErrAlreadyExists) && attempt < 5 {
			continue // the user code is taken
		}
		if err != nil {
			return DeviceStart{}, mapErr("start device authorization", err)
		}
		out = DeviceStart{DeviceCode: device, UserCode: code, VerificationURI: s.Issuer + "/start/device",
			VerificationURIComplete: s.Issuer + "/start/device?user_code=" + code,
			ExpiresIn:               int(DeviceTTL / time.Second), Interval: s.interval()}
		return out, nil
	}
}

func notFoundCode() error {
	return fault.NotFoundf("UserCode", "", "The code is not valid or has expired.")
}

// pendingByUserCode finds a pending, unexpired, unlocked authorization.
func (s *Service) pendingByUserCode(ctx context.Context, tx store.Tx, userCode string) (store.DeviceAuthorization, error) {
	d, err := tx.GetDeviceAuthorizationByUserCode(ctx, NormalizeUserCode(userCode))
	if errors.Is(err, store.ErrNotFound) {
		return d, notFoundCode()
	}
	if err != nil {
		return d, err
	}
	if d.Status != store.DevicePending || !s.now().Before(d.ExpiresAt) || d.FailedAttempts >= MaxFailedConfirmations {
		return d, notFoundCode()
	}
	return d, nil
}

// LookupUserCode returns the pending device authorization for a user code
// (NotFound fault otherwise). A code confirmed wrongly MaxFailedConfirmations
// times (see FailConfirmation) is locked.
func (s *Service) LookupUserCode(ctx context.Context, userCode string) (DeviceAuthorization, error) {
	var out DeviceAuthorization
	err := s.Store.View(ctx, func(tx store.Tx) error {
		d, err := s.pendingByUserCode(ctx, tx, userCode)
		if err != nil {
			return err
		}
		out = DeviceAuthorization{UserCode: d.UserCode, Scopes: d.Scopes, ExpiresAt: d.ExpiresAt}
		c, err := tx.GetOIDCClient(ctx, d.ClientID)
		if err == nil {
			out.ClientName = c.Name
		}
		return nil
	})
	return out, mapErr("look up user code", err)
}

// FailConfirmation counts a failed confirmation of a user code (the user
// said it is not the code their terminal shows, or failed to re-authenticate);
// after MaxFailedConfirmations the code is locked and its grant denied.
func (s *Service) FailConfirmation(ctx context.Context, userCode string) error {
	return mapErr("fail confirmation", s.Store.Update(ctx, func(tx store.Tx) error {
		d, err := s.pendingByUserCode(ctx, tx, userCode)
		if err != nil {
			return err
		}
		d.FailedAttempts++
		if d.FailedAttempts >= MaxFailedConfirmations {
			d.Status = store.DeviceDenied
		}
		return tx.UpdateDeviceAuthorization(ctx, d)
	}))
}

// ApproveDevice approves a pending device authorization for a signed-in user.
func (s *Service) ApproveDevice(ctx context.Context, userCode, userID string) error {
	if userID == "" {
		return fault.Validationf("a signed-in user is required")
	}
	return mapErr("approve device", s.Store.Update(ctx, func(tx store.Tx) error {
		d, err := s.pendingByUserCode(ctx, tx, userCode)
		if err != nil {
			return err
		}
		d.Status, d.UserID = store.DeviceApproved, userID
		return tx.UpdateDeviceAuthorization(ctx, d)
	}))
}

// DenyDevice denies a pending device authorization.
func (s *Service) DenyDevice(ctx context.Context, userCode string) error {
	return mapErr("deny device", s.Store.Update(ctx, func(tx store.Tx) error {
		d, err := s.pendingByUserCode(ctx, tx, userCode)
		if err != nil {
			return err
		}
		d.Status = store.DeviceDenied
		return tx.UpdateDeviceAuthorization(ctx, d)
	}))
}
