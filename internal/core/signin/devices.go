package signin

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/pquerna/otp/totp"

	"github.com/idcenter/idcenter/internal/store"
)

// Users managing their own MFA devices after signing in (the portal's "MFA
// devices" page). The instance's Settings.DevicesAdminOnly turns it off
// (AWS: "Users can add and manage their own MFA devices", on by default).
//
// Rules:
//   - only a signed-in (StepDone) session lists and changes devices;
//   - a change needs a session that passed MFA (or whose user has no
//     device it could have passed MFA with, e.g. NoDevice ALLOW): a session
//     signed in through a known browser or with the password alone cannot
//     add or remove the factor it skipped;
//   - only types the instance allows can be registered;
//   - a user cannot delete the last device when MFA is required and a user
//     without a device is blocked (ErrLastDevice): they would be locked out.
//     With REGISTER the next sign-in asks for a new device, with ALLOW it
//     takes the password alone.
var (
	ErrSelfServiceOff = errors.New("signin: your administrator manages MFA devices; users cannot register or delete their own")
	ErrNeedsMFA       = errors.New("signin: sign in again with your MFA device before changing your MFA devices")
	ErrLastDevice     = errors.New("signin: this is your last MFA device and your organisation blocks sign-in without one; register another device first")
	ErrNoDevice       = errors.New("signin: no such MFA device")
	ErrTypeNotAllowed = errors.New("signin: your organisation does not allow this MFA type")
	ErrDeviceName     = errors.New("signin: enter a device name")
	ErrTooManyDevices = errors.New("signin: a user can register at most 2 authenticator apps and 6 security keys")
)

// AWS's limits of a user's MFA devices: two authenticator apps and six
// FIDO authenticators (security keys, passkeys), eight in all.
const (
	MaxTOTPDevices     = 2
	MaxWebAuthnDevices = 6
)

// Full reports whether the user has as many devices of type typ as allowed.
func (v DevicesView) Full(typ string) bool {
	n := 0
	for _, d := range v.Devices {
		if d.Type == typ {
			n++
		}
	}
	if typ == store.MFATypeWebAuthn {
		return n >= MaxWebAuthnDevices
	}
	return n >= MaxTOTPDevices
}

// Device is an MFA device of a user as the portal lists it.
type Device struct {
	// ID identifies the device in forms: a TOTP device's id, or "wa-" and
	// the base64url WebAuthn credential id.
	ID   string
	Type string // store.MFATypeTOTP or store.MFATypeWebAuthn
	Name string
	// CreatedAt is when it was registered; LastUsedAt when a code or
	// assertion of it was last accepted (zero: never, for security keys).
	CreatedAt, LastUsedAt time.Time
}

// DevicesView is the MFA devices page of a user.
type DevicesView struct {
	Devices []Device
	// CanManage: the instance lets users register and delete their devices.
	CanManage bool
	// Types are the MFA types the instance allows registering.
	Types []string
	// MFAPassed: this session passed MFA (or the user has no device), so it
	// may change devices.
	MFAPassed bool
	// LastDeviceProtected: deleting the last device is refused
	// (Mode is not NEVER and NoDevice is BLOCK).
	LastDeviceProtected bool
	// NoDevice is what happens at sign-in to a user without a device.
	NoDevice string
	Mode     string
}

const webauthnDevicePrefix = "wa-"

// signedIn loads a StepDone session.
func (s *Service) signedIn(ctx context.Context, tx store.Tx, id string) (store.WebSession, Session, error) {
	ws, sess, err := s.load(ctx, tx, id)
	if err != nil {
		return ws, sess, err
	}
	if sess.Next != StepDone {
		return ws, sess, ErrWrongStep
	}
	return ws, sess, nil
}

// devices lists the user's devices of every type (allowed or not).
func (s *Service) devices(ctx context.Context, tx store.Tx, userID string) ([]Device, error) {
	var out []Device
	devs, err := tx.ListTOTPDevices(ctx, s.IdentityStoreID, userID)
	if err != nil {
		return nil, fmt.Errorf("signin: devices: %w", err)
	}
	for _, d := range devs {
		out = append(out, Device{ID: d.DeviceID, Type: store.MFATypeTOTP, Name: d.Name, CreatedAt: d.CreatedAt,
			LastUsedAt: time.Unix(d.LastUsedStep*totpPeriod, 0).UTC()})
	}
	creds, err := tx.ListWebAuthnCredentials(ctx, s.IdentityStoreID, userID)
	if err != nil {
		return nil, fmt.Errorf("signin: security keys: %w", err)
	}
	for _, c := range creds {
		out = append(out, Device{ID: webauthnDevicePrefix + base64.RawURLEncoding.EncodeToString(c.CredentialID),
			Type: store.MFATypeWebAuthn, Name: c.Name, CreatedAt: c.CreatedAt, LastUsedAt: c.LastUsedAt})
	}
	return out, nil
}

// manageView computes the page of a signed-in session.
func (s *Service) manageView(ctx context.Context, tx store.Tx, ws store.WebSession, sess Session) (DevicesView, error) {
	set, err := s.settings(ctx, tx)
	if err != nil {
		return DevicesView{}, err
	}
	devs, err := s.devices(ctx, tx, sess.UserID)
	if err != nil {
		return DevicesView{}, err
	}
	methods, err := s.userMethods(ctx, tx, set, s.IdentityStoreID, sess.UserID)
	if err != nil {
		return DevicesView{}, err
	}
	return DevicesView{Devices: devs, CanManage: !set.DevicesAdminOnly, Types: set.Types,
		MFAPassed: ws.MFADone || len(methods) == 0, Mode: set.Mode, NoDevice: set.NoDevice,
		LastDeviceProtected: set.Mode != store.MFANever && set.NoDevice == store.MFANoDeviceBlock}, nil
}

// Devices returns the MFA devices page of a signed-in session.
func (s *Service) Devices(ctx context.Context, id string) (DevicesView, error) {
	var out DevicesView
	err := s.Store.View(ctx, func(tx store.Tx) error {
		ws, sess, err := s.signedIn(ctx, tx, id)
		if err != nil {
			return err
		}
		out, err = s.manageView(ctx, tx, ws, sess)
		return err
	})
	return out, err
}

// mayChange checks that a signed-in session may register or delete a
// device (of type typ, when not empty).
func (s *Service) mayChange(ctx context.Context, tx store.Tx, id, typ string) (store.WebSession, Session, DevicesView, error) {
	ws, sess, err := s.signedIn(ctx, tx, id)
	if err != nil {
		return ws, sess, DevicesView{}, err
	}
	v, err := s.manageView(ctx, tx, ws, sess)
	if err != nil {
		return ws, sess, v, err
	}
	switch {
	case !v.CanManage:
		return ws, sess, v, ErrSelfServiceOff
	case !v.MFAPassed:
		return ws, sess, v, ErrNeedsMFA
	case typ != "" && !contains(v.Types, typ):
		return ws, sess, v, ErrTypeNotAllowed
	case typ != "" && v.Full(typ):
		return ws, sess, v, ErrTooManyDevices
	}
	return ws, sess, v, nil
}

// BeginAddTOTP makes a new TOTP secret for a signed-in user adding an
// authenticator app. Nothing is stored until AddTOTP proves a code.
func (s *Service) BeginAddTOTP(ctx context.Context, id string) (Enrolment, error) {
	var sess Session
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		_, sess, _, err = s.mayChange(ctx, tx, id, store.MFATypeTOTP)
		return err
	})
	if err != nil {
		return Enrolment{}, err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: s.issuer(), AccountName: sess.UserName, Period: totpPeriod,
		SecretSize: totpSecretSize, Digits: totpDigits, Rand: s.rand()})
	if err != nil {
		return Enrolment{}, fmt.Errorf("signin: totp secret: %w", err)
	}
	return Enrolment{Secret: key.Secret(), URL: key.URL()}, nil
}

// deviceName trims a device name to 64 characters, def when empty.
func deviceName(name, def string) string {
	if name = strings.TrimSpace(name); name == "" {
		return def
	}
	if r := []rune(name); len(r) > 64 {
		name = string(r[:64])
	}
	return name
}

// AddTOTP registers an authenticator app of a signed-in user when code is
// its current code (ErrInvalidCode otherwise; the user holds the secret, so
// a wrong code is not counted towards the lockout). The session then counts
// as having passed MFA.
func (s *Service) AddTOTP(ctx context.Context, id, secret, code, name string) (Device, error) {
	secret, err := normaliseSecret(secret)
	if err != nil {
		return Device{}, err
	}
	devID, err := s.randomToken()
	if err != nil {
		return Device{}, err
	}
	now := s.now()
	var out Device
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		ws, sess, _, err := s.mayChange(ctx, tx, id, store.MFATypeTOTP)
		if err != nil {
			return err
		}
		st, ok := matchStep(secret, code, now)
		if !ok {
			return ErrInvalidCode
		}
		d := store.TOTPDevice{DeviceID: devID[:22], IdentityStoreID: s.IdentityStoreID, UserID: sess.UserID,
			Name: deviceName(name, "Authenticator app"), Secret: secret, LastUsedStep: st, CreatedAt: now}
		if err := tx.CreateTOTPDevice(ctx, d); err != nil {
			return fmt.Errorf("signin: register device: %w", err)
		}
		if !ws.MFADone {
			ws.MFADone = true
			if err := tx.UpdateWebSession(ctx, ws); err != nil {
				return fmt.Errorf("signin: update session: %w", err)
			}
		}
		out = Device{ID: d.DeviceID, Type: store.MFATypeTOTP, Name: d.Name, CreatedAt: now,
			LastUsedAt: time.Unix(st*totpPeriod, 0).UTC()}
		return nil
	})
	return out, err
}

// BeginAddWebAuthn starts registering a security key or passkey of a
// signed-in user and returns the PublicKeyCredentialCreationOptions (JSON);
// the user's registered keys are excluded.
func (s *Service) BeginAddWebAuthn(ctx context.Context, id string) ([]byte, error) {
	var out []byte
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		ws, sess, _, err := s.mayChange(ctx, tx, id, store.MFATypeWebAuthn)
		if err != nil {
			return err
		}
		wa, err := s.relyingParty()
		if err != nil {
			return err
		}
		u, err := s.loadUser(ctx, tx, sess)
		if err != nil {
			return err
		}
		excl := make([]protocol.CredentialDescriptor, 0, len(u.creds))
		for i := range u.creds {
			excl = append(excl, u.creds[i].Descriptor())
		}
		c, sd, err := wa.BeginRegistration(u, webauthn.WithExclusions(excl))
		if err != nil {
			return fmt.Errorf("signin: webauthn options: %w", err)
		}
		data, err := json.Marshal(sd)
		if err != nil {
			return err
		}
		if err := tx.SetWebSessionCeremony(ctx, ws.IDHash, data); err != nil {
			return fmt.Errorf("signin: keep webauthn ceremony: %w", err)
		}
		out, err = json.Marshal(c.Response)
		return err
	})
	return out, err
}

// AddWebAuthn completes BeginAddWebAuthn with the browser's
// PublicKeyCredential (JSON). A response that does not verify, or a key
// already registered, is ErrInvalidCode.
func (s *Service) AddWebAuthn(ctx context.Context, id string, response []byte, name string) (Device, error) {
	parsed, perr := protocol.ParseCredentialCreationResponseBytes(response)
	now := s.now()
	var out Device
	bad := false
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		ws, sess, _, err := s.mayChange(ctx, tx, id, store.MFATypeWebAuthn)
		if err != nil {
			return err
		}
		wa, err := s.relyingParty()
		if err != nil {
			return err
		}
		sd, ok, err := takeCeremony(ctx, tx, id)
		if err != nil {
			return err
		}
		if !ok || perr != nil {
			bad = true
			return nil // the ceremony is cleared either way
		}
		u, err := s.loadUser(ctx, tx, sess)
		if err != nil {
			return err
		}
		cred, err := wa.CreateCredential(u, sd, parsed)
		if err != nil {
			bad = true
			return nil
		}
		data, err := json.Marshal(cred)
		if err != nil {
			return err
		}
		c := store.WebAuthnCredential{CredentialID: cred.ID, IdentityStoreID: s.IdentityStoreID, UserID: sess.UserID,
			Name: deviceName(name, "Security key"), Data: data, SignCount: cred.Authenticator.SignCount, CreatedAt: now}
		err = tx.CreateWebAuthnCredential(ctx, c)
		if errors.Is(err, store.ErrAlreadyExists) {
			bad = true
			return nil
		}
		if err != nil {
			return fmt.Errorf("signin: register security key: %w", err)
		}
		if !ws.MFADone {
			ws.MFADone = true
			if err := tx.UpdateWebSession(ctx, ws); err != nil {
				return fmt.Errorf("signin: update session: %w", err)
			}
		}
		out = Device{ID: webauthnDevicePrefix + base64.RawURLEncoding.EncodeToString(c.CredentialID), Type: store.MFATypeWebAuthn,
			Name: c.Name, CreatedAt: now}
		return nil
	})
	if err == nil && bad {
		err = ErrInvalidCode
	}
	return out, err
}

// DeleteDevice removes one of a signed-in user's MFA devices (by its
// Device.ID) and returns it. The user's remembered browsers (CONTEXT_CHANGE
// mode) are forgotten: a browser remembered through the deleted device
// should not spare the next MFA. The user's other sessions stay signed in.
func (s *Service) DeleteDevice(ctx context.Context, id, deviceID string) (Device, error) {
	var out Device
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		_, sess, v, err := s.mayChange(ctx, tx, id, "")
		if err != nil {
			return err
		}
		found := false
		usable := 0 // devices of allowed types left after the deletion
		for _, d := range v.Devices {
			if d.ID == deviceID {
				out, found = d, true
				continue
			}
			if contains(v.Types, d.Type) {
				usable++
			}
		}
		if !found {
			return ErrNoDevice
		}
		if usable == 0 && v.LastDeviceProtected {
			return ErrLastDevice
		}
		if out.Type == store.MFATypeWebAuthn {
			raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(deviceID, webauthnDevicePrefix))
			if err != nil {
				return ErrNoDevice
			}
			err = tx.DeleteWebAuthnCredential(ctx, s.IdentityStoreID, sess.UserID, raw)
			if err != nil {
				return fmt.Errorf("signin: delete security key: %w", err)
			}
		} else if err := tx.DeleteTOTPDevice(ctx, s.IdentityStoreID, sess.UserID, deviceID); err != nil {
			return fmt.Errorf("signin: delete device: %w", err)
		}
		if err := tx.DeleteUserKnownContexts(ctx, s.IdentityStoreID, sess.UserID); err != nil {
			return fmt.Errorf("signin: forget browsers: %w", err)
		}
		return nil
	})
	return out, err
}

// RenameDevice names one of a signed-in user's MFA devices (by its
// Device.ID; the name is trimmed and cut to 64 characters) and returns it.
func (s *Service) RenameDevice(ctx context.Context, id, deviceID, name string) (Device, error) {
	name = deviceName(name, "")
	if name == "" {
		return Device{}, ErrDeviceName
	}
	var out Device
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		_, sess, v, err := s.mayChange(ctx, tx, id, "")
		if err != nil {
			return err
		}
		found := false
		for _, d := range v.Devices {
			if d.ID == deviceID {
				out, found = d, true
			}
		}
		if !found {
			return ErrNoDevice
		}
		out.Name = name
		if out.Type == store.MFATypeWebAuthn {
			raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(deviceID, webauthnDevicePrefix))
			if err != nil {
				return ErrNoDevice
			}
			if err := tx.RenameWebAuthnCredential(ctx, s.IdentityStoreID, sess.UserID, raw, name); err != nil {
				return fmt.Errorf("signin: rename security key: %w", err)
			}
			return nil
		}
		if err := tx.RenameTOTPDevice(ctx, s.IdentityStoreID, sess.UserID, deviceID, name); err != nil {
			return fmt.Errorf("signin: rename device: %w", err)
		}
		return nil
	})
	return out, err
}
