package web

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/idcenter/idcenter/internal/core/signin"
	"github.com/idcenter/idcenter/internal/store"
)

// The "MFA devices" page of a signed-in user (/start/mfa-devices): the
// user's authenticator apps and security keys, registering another one and
// deleting one (signin/devices.go has the rules).

// deviceRoutes adds the MFA devices pages.
func (h *Handler) deviceRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /start/mfa-devices", h.devicesPage)
	m.HandleFunc("GET /start/mfa-devices/totp", h.addTOTPPage)
	m.HandleFunc("POST /start/mfa-devices/totp", h.addTOTP)
	m.HandleFunc("POST /start/mfa-devices/webauthn", h.addWebAuthn)
	m.HandleFunc("POST /start/mfa-devices/delete", h.deleteDevice)
	m.HandleFunc("POST /start/mfa-devices/rename", h.renameDevice)
}

// deviceRow is a device as the page lists it.
type deviceRow struct {
	signin.Device
	TypeName  string
	Deletable bool // false: the last device, which the instance keeps
}

// devicesContent is what the MFA devices page shows.
type devicesContent struct {
	signin.DevicesView
	Rows     []deviceRow
	TOTP     bool          // authenticator apps can be registered
	WebAuthn *webauthnView // a security key can be registered here
	Notice   string
	// AfterLast explains what happens at the next sign-in without a device.
	AfterLast string
	// Enrol is the authenticator app being registered (the TOTP page).
	Enrol *enrolView
}

type enrolView struct {
	Secret string
	QR     template.URL // data: URL of the PNG (built here, so trusted)
	URL    template.URL // otpauth: URL (built by the core from a base32 secret)
}

var deviceNotices = map[string]string{
	"added":   "The MFA device was registered. You can use it the next time you sign in.",
	"deleted": "The MFA device was deleted.",
	"renamed": "The MFA device was renamed.",
}

func typeName(t string) string {
	if t == store.MFATypeWebAuthn {
		return "Security key or passkey"
	}
	return "Authenticator app"
}

// devicesError maps the errors of the MFA devices pages.
func devicesError(err error) (int, string, bool) {
	switch {
	case errors.Is(err, signin.ErrSelfServiceOff):
		return http.StatusForbidden, "Your administrator manages MFA devices: you cannot register or delete your own. Ask your administrator.", true
	case errors.Is(err, signin.ErrNeedsMFA):
		return http.StatusForbidden, "You signed in without using an MFA device. Sign out and sign in again with your MFA device to change your MFA devices.", true
	case errors.Is(err, signin.ErrTypeNotAllowed):
		return http.StatusForbidden, "Your organisation does not allow this type of MFA device.", true
	case errors.Is(err, signin.ErrDeviceName):
		return http.StatusBadRequest, "Enter a name for the device.", true
	case errors.Is(err, signin.ErrTooManyDevices):
		return http.StatusConflict, "You have as many devices of this type as you can register (two authenticator apps and six security keys). Delete one first.", true
	case errors.Is(err, signin.ErrLastDevice):
		return http.StatusConflict, "This is your last MFA device, and your organisation does not let anyone sign in without one. Register another device before you delete this one.", true
	case errors.Is(err, signin.ErrNoDevice):
		return http.StatusNotFound, "That MFA device does not exist (it may already be deleted).", true
	case errors.Is(err, signin.ErrInvalidCode):
		return http.StatusUnauthorized, "The code is incorrect. Check the device and enter the code it shows now.", true
	case errors.Is(err, signin.ErrWebAuthnUnavailable):
		return http.StatusBadRequest, "Security keys cannot be used at this address. Open the portal at its https:// address (or at http://localhost).", true
	}
	return signInError(err)
}

// devicesContentFor builds the page of a signed-in session; withKey starts
// a security key registration when one is possible.
func (h *Handler) devicesContentFor(r *http.Request, withKey bool) (devicesContent, error) {
	v, err := h.d.SignIn.Devices(r.Context(), sessionID(r))
	if err != nil {
		return devicesContent{}, err
	}
	c := devicesContent{DevicesView: v, Notice: deviceNotices[r.URL.Query().Get("done")]}
	usable := 0
	for _, d := range v.Devices {
		if slices.Contains(v.Types, d.Type) {
			usable++
		}
	}
	for _, d := range v.Devices {
		last := usable == 1 && slices.Contains(v.Types, d.Type)
		c.Rows = append(c.Rows, deviceRow{Device: d, TypeName: typeName(d.Type), Deletable: !(last && v.LastDeviceProtected)})
	}
	switch {
	case v.Mode == store.MFANever:
		c.AfterLast = "Your organisation does not ask for MFA at sign-in."
	case v.NoDevice == store.MFANoDeviceBlock:
		c.AfterLast = "Your organisation does not let you sign in without an MFA device, so you cannot delete your last one."
	case v.NoDevice == store.MFANoDeviceAllow:
		c.AfterLast = "If you delete all your MFA devices, you sign in with your password alone."
	default:
		c.AfterLast = "If you delete all your MFA devices, you register a new one the next time you sign in."
	}
	if !v.CanManage || !v.MFAPassed {
		return c, nil
	}
	c.TOTP = slices.Contains(v.Types, store.MFATypeTOTP) && !v.Full(store.MFATypeTOTP)
	if withKey && slices.Contains(v.Types, store.MFATypeWebAuthn) && !v.Full(store.MFATypeWebAuthn) {
		opts, err := h.d.SignIn.BeginAddWebAuthn(r.Context(), sessionID(r))
		if err != nil {
			h.d.Log.Info("web: security keys unavailable", "err", err)
		} else {
			c.WebAuthn = &webauthnView{Options: template.JS(opts)}
		}
	}
	return c, nil
}

// renderDevices shows the MFA devices page (status and msg for an error).
func (h *Handler) renderDevices(w http.ResponseWriter, r *http.Request, s signin.Session, status int, msg string) {
	c, err := h.devicesContentFor(r, true)
	if err != nil {
		h.devicesFailed(w, r, "mfa devices", err)
		return
	}
	h.render(w, r, status, "mfadevices", view{Title: "MFA devices", User: s.DisplayName, Error: msg, Content: c})
}

// devicesFailed answers an error of the core: a known one as a message page
// with its status, a lost session through the sign-in.
func (h *Handler) devicesFailed(w http.ResponseWriter, r *http.Request, what string, err error) {
	if errors.Is(err, signin.ErrNoSession) || errors.Is(err, signin.ErrWrongStep) {
		http.Redirect(w, r, "/start/signin?next="+url.QueryEscape("/start/mfa-devices"), http.StatusSeeOther)
		return
	}
	status, msg, ok := devicesError(err)
	if !ok {
		h.internal(w, r, what, err)
		return
	}
	h.fail(w, r, status, msg)
}

func (h *Handler) devicesPage(w http.ResponseWriter, r *http.Request) {
	s, ok := h.session(w, r)
	if !ok {
		return
	}
	h.renderDevices(w, r, s, http.StatusOK, "")
}

// renderAddTOTP shows the authenticator app registration (a new secret
// unless one is given).
func (h *Handler) renderAddTOTP(w http.ResponseWriter, r *http.Request, s signin.Session, status int, secret, msg string) {
	var en signin.Enrolment
	var err error
	if secret != "" {
		en, err = h.d.SignIn.EnrolmentFor(s.UserName, secret)
	}
	if secret == "" || err != nil {
		if en, err = h.d.SignIn.BeginAddTOTP(r.Context(), sessionID(r)); err != nil {
			h.devicesFailed(w, r, "add totp", err)
			return
		}
	}
	png, err := qrcode.Encode(en.URL, qrcode.Medium, 256)
	if err != nil {
		h.internal(w, r, "qr code", err)
		return
	}
	c, err := h.devicesContentFor(r, false)
	if err != nil {
		h.devicesFailed(w, r, "mfa devices", err)
		return
	}
	c.Enrol = &enrolView{Secret: en.Secret, URL: template.URL(en.URL),
		QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))}
	h.render(w, r, status, "mfadevices", view{Title: "Register an authenticator app", User: s.DisplayName, Error: msg, Content: c})
}

func (h *Handler) addTOTPPage(w http.ResponseWriter, r *http.Request) {
	s, ok := h.session(w, r)
	if !ok {
		return
	}
	h.renderAddTOTP(w, r, s, http.StatusOK, "", "")
}

func (h *Handler) addTOTP(w http.ResponseWriter, r *http.Request) {
	s, ok := h.session(w, r)
	if !ok {
		return
	}
	secret := r.PostForm.Get("secret")
	d, err := h.d.SignIn.AddTOTP(r.Context(), sessionID(r), secret, r.PostForm.Get("code"), r.PostForm.Get("device_name"))
	if errors.Is(err, signin.ErrInvalidCode) {
		status, msg, _ := devicesError(err)
		h.renderAddTOTP(w, r, s, status, secret, msg)
		return
	}
	if err != nil {
		h.devicesFailed(w, r, "add totp", err)
		return
	}
	h.d.Log.Info("web: mfa device registered", "user_id", s.UserID, "type", d.Type, "device_id", d.ID)
	http.Redirect(w, r, "/start/mfa-devices?done=added", http.StatusSeeOther)
}

func (h *Handler) addWebAuthn(w http.ResponseWriter, r *http.Request) {
	s, ok := h.session(w, r)
	if !ok {
		return
	}
	cred := r.PostForm.Get("credential")
	if cred == "" || len(cred) > maxCredential {
		h.renderDevices(w, r, s, http.StatusBadRequest, "Security keys need JavaScript in this browser. Turn it on, or register an authenticator app.")
		return
	}
	d, err := h.d.SignIn.AddWebAuthn(r.Context(), sessionID(r), []byte(cred), r.PostForm.Get("device_name"))
	if errors.Is(err, signin.ErrInvalidCode) {
		h.renderDevices(w, r, s, http.StatusUnauthorized, "The security key was not registered (it may be registered already). Try again.")
		return
	}
	if err != nil {
		h.devicesFailed(w, r, "add security key", err)
		return
	}
	h.d.Log.Info("web: mfa device registered", "user_id", s.UserID, "type", d.Type, "device_id", d.ID)
	http.Redirect(w, r, "/start/mfa-devices?done=added", http.StatusSeeOther)
}

func (h *Handler) deleteDevice(w http.ResponseWriter, r *http.Request) {
	s, ok := h.session(w, r)
	if !ok {
		return
	}
	d, err := h.d.SignIn.DeleteDevice(r.Context(), sessionID(r), r.PostForm.Get("device_id"))
	if errors.Is(err, signin.ErrLastDevice) || errors.Is(err, signin.ErrNoDevice) {
		status, msg, _ := devicesError(err)
		h.renderDevices(w, r, s, status, msg)
		return
	}
	if err != nil {
		h.devicesFailed(w, r, "delete mfa device", err)
		return
	}
	h.d.Log.Info("web: mfa device deleted", "user_id", s.UserID, "type", d.Type, "device_id", d.ID)
	http.Redirect(w, r, "/start/mfa-devices?done=deleted", http.StatusSeeOther)
}

func (h *Handler) renameDevice(w http.ResponseWriter, r *http.Request) {
	s, ok := h.session(w, r)
	if !ok {
		return
	}
	d, err := h.d.SignIn.RenameDevice(r.Context(), sessionID(r), r.PostForm.Get("device_id"), r.PostForm.Get("device_name"))
	if errors.Is(err, signin.ErrDeviceName) || errors.Is(err, signin.ErrNoDevice) {
		status, msg, _ := devicesError(err)
		h.renderDevices(w, r, s, status, msg)
		return
	}
	if err != nil {
		h.devicesFailed(w, r, "rename mfa device", err)
		return
	}
	h.d.Log.Info("web: mfa device renamed", "user_id", s.UserID, "type", d.Type, "device_id", d.ID)
	http.Redirect(w, r, "/start/mfa-devices?done=renamed", http.StatusSeeOther)
}
