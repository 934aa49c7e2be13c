package web

import (
	"embed"
	"errors"
	"html/template"
	"net"
	"net/http"
	"slices"

	"github.com/idcenter/idcenter/internal/core/signin"
	"github.com/idcenter/idcenter/internal/store"
)

//go:embed static/webauthn.js
var staticFS embed.FS

// maxCredential bounds the browser's WebAuthn answer.
const maxCredential = 32 << 10

// webauthnRoutes adds the security key endpoints and the page script.
func (h *Handler) webauthnRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /start/webauthn.js", serveWebAuthnJS)
	m.HandleFunc("POST /start/mfa/webauthn", h.verifyWebAuthn)
	m.HandleFunc("POST /start/mfa/webauthn/register", h.registerWebAuthn)
}

func serveWebAuthnJS(w http.ResponseWriter, _ *http.Request) {
	b, err := staticFS.ReadFile("static/webauthn.js")
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	_, _ = w.Write(b)
}

// clientOf is the browser of a request, for the CONTEXT_CHANGE MFA mode.
func clientOf(r *http.Request) signin.Client {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	return signin.Client{UserAgent: r.UserAgent(), IP: ip}
}

// webauthnView is the security key part of an MFA page.
type webauthnView struct {
	Options template.JS // JSON made by the core (json.Marshal escapes <, >, &)
}

// mfaContent is what the MFA challenge page shows.
type mfaContent struct {
	TOTP     bool
	WebAuthn *webauthnView
}

// webauthnOptions starts a ceremony for the page (nil when the session
// cannot use security keys, or the server's URL does not allow them).
func (h *Handler) webauthnOptions(r *http.Request, s signin.Session, register bool) *webauthnView {
	if !slices.Contains(s.Methods, store.MFATypeWebAuthn) {
		return nil
	}
	var opts []byte
	var err error
	if register {
		opts, err = h.d.SignIn.BeginWebAuthnRegistration(r.Context(), sessionID(r))
	} else {
		opts, err = h.d.SignIn.BeginWebAuthnLogin(r.Context(), sessionID(r))
	}
	if err != nil {
		h.d.Log.Info("web: security keys unavailable", "err", err)
		return nil
	}
	return &webauthnView{Options: template.JS(opts)}
}

func (h *Handler) mfaContentFor(r *http.Request, s signin.Session) mfaContent {
	return mfaContent{TOTP: slices.Contains(s.Methods, store.MFATypeTOTP), WebAuthn: h.webauthnOptions(r, s, false)}
}

// webauthnError maps the errors of a WebAuthn step to what the user reads.
func webauthnError(err error) (int, string, bool) {
	if errors.Is(err, signin.ErrInvalidCode) {
		return http.StatusUnauthorized, "The security key was not accepted. Try again, or use another registered device.", true
	}
	return signInError(err)
}

func (h *Handler) verifyWebAuthn(w http.ResponseWriter, r *http.Request) {
	s, next, ok := h.pending(w, r, signin.StepMFA)
	if !ok {
		return
	}
	cred := r.PostForm.Get("credential")
	if cred == "" || len(cred) > maxCredential {
		h.render(w, r, http.StatusBadRequest, "mfa", view{Pending: true, Title: "Multi-factor authentication", Next: next, User: s.DisplayName,
			Error:   "Security keys need JavaScript in this browser. Turn it on, or use an authenticator app code.",
			Content: h.mfaContentFor(r, s)})
		return
	}
	s2, tok, err := h.d.SignIn.VerifyWebAuthn(r.Context(), sessionID(r), []byte(cred), clientOf(r))
	if err != nil {
		status, msg, ok := webauthnError(err)
		if !ok {
			h.internal(w, r, "verify security key", err)
			return
		}
		if errors.Is(err, signin.ErrLocked) || errors.Is(err, signin.ErrNoSession) {
			h.render(w, r, status, "message", view{Title: "Sign-in stopped", Error: msg})
			return
		}
		h.render(w, r, status, "mfa", view{Pending: true, Title: "Multi-factor authentication", Next: next, User: s.DisplayName, Error: msg,
			Content: h.mfaContentFor(r, s)})
		return
	}
	h.setCookie(w, r, cookieContext, tok, int(signin.ContextTTL.Seconds()))
	http.Redirect(w, r, stepPath(s2.Next, next), http.StatusSeeOther)
}

func (h *Handler) registerWebAuthn(w http.ResponseWriter, r *http.Request) {
	s, next, ok := h.pending(w, r, signin.StepRegisterMFA)
	if !ok {
		return
	}
	cred := r.PostForm.Get("credential")
	if cred == "" || len(cred) > maxCredential {
		h.renderRegisterFor(w, r, http.StatusBadRequest, s, next, "",
			"Security keys need JavaScript in this browser. Turn it on, or register an authenticator app.")
		return
	}
	s2, tok, err := h.d.SignIn.RegisterWebAuthn(r.Context(), sessionID(r), []byte(cred), r.PostForm.Get("device_name"), clientOf(r))
	if err != nil {
		status, msg, ok := webauthnError(err)
		if !ok {
			h.internal(w, r, "register security key", err)
			return
		}
		if errors.Is(err, signin.ErrLocked) || errors.Is(err, signin.ErrNoSession) {
			h.render(w, r, status, "message", view{Title: "Sign-in stopped", Error: msg})
			return
		}
		h.renderRegisterFor(w, r, status, s, next, "", msg)
		return
	}
	h.setCookie(w, r, cookieContext, tok, int(signin.ContextTTL.Seconds()))
	http.Redirect(w, r, stepPath(s2.Next, next), http.StatusSeeOther)
}

// renderRegisterFor shows the registration page with a new TOTP secret
// (unless secret is given) when the instance allows authenticator apps.
func (h *Handler) renderRegisterFor(w http.ResponseWriter, r *http.Request, status int, s signin.Session, next, secret, msg string) {
	var en signin.Enrolment
	if slices.Contains(s.Methods, store.MFATypeTOTP) {
		var err error
		if secret != "" {
			en, err = h.d.SignIn.EnrolmentFor(s.UserName, secret)
		}
		if secret == "" || err != nil {
			if en, err = h.d.SignIn.BeginTOTPRegistration(r.Context(), sessionID(r)); err != nil {
				h.internal(w, r, "totp registration", err)
				return
			}
		}
	}
	h.renderRegister(w, r, status, s, next, en.Secret, en.URL, msg)
}
