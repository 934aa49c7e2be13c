package web

import (
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/idcenter/idcenter/internal/core/signin"
	"github.com/idcenter/idcenter/internal/store"
)

// ---- sign in, password change, MFA ----

type signInContent struct {
	UserName string
	Password bool // the password step
}

func (h *Handler) signInPage(w http.ResponseWriter, r *http.Request) {
	if h.samlSignIn(w, r, safeNext(r.URL.Query().Get("next"))) { // saml.go: an external IdP signs users in
		return
	}
	h.render(w, r, http.StatusOK, "signin", view{Title: "Sign in", Next: safeNext(r.URL.Query().Get("next")),
		Content: signInContent{}})
}

func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.PostForm.Get("next"))
	if h.samlSignIn(w, r, next) {
		return
	}
	user := strings.TrimSpace(r.PostForm.Get("username"))
	pw := r.PostForm.Get("password")
	if user == "" {
		h.render(w, r, http.StatusBadRequest, "signin", view{Title: "Sign in", Next: next, Error: "Enter your user name.",
			Content: signInContent{}})
		return
	}
	if _, ok := r.PostForm["password"]; !ok {
		h.render(w, r, http.StatusOK, "signin", view{Title: "Sign in", Next: next, Content: signInContent{UserName: user, Password: true}})
		return
	}
	ctxTok := ""
	if c, err := r.Cookie(cookieContext); err == nil {
		ctxTok = c.Value
	}
	s, err := h.d.SignIn.BeginFrom(r.Context(), user, pw, ctxTok, clientOf(r))
	if err != nil {
		status, msg, ok := signInError(err)
		if !ok {
			h.internal(w, r, "sign in", err)
			return
		}
		h.d.Log.Info("web: sign-in failed", "user_name", user, "reason", msg)
		h.render(w, r, status, "signin", view{Title: "Sign in", Next: next, Error: msg,
			Content: signInContent{UserName: user, Password: status != http.StatusForbidden}})
		return
	}
	h.setCookie(w, r, cookieSession, s.ID, 0)
	http.Redirect(w, r, stepPath(s.Next, next), http.StatusSeeOther)
}

func (h *Handler) passwordPage(w http.ResponseWriter, r *http.Request) {
	s, next, ok := h.pending(w, r, signin.StepChangePassword)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, "password", view{Pending: true, Title: "Set a new password", Next: next, User: s.DisplayName})
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) {
	s, next, ok := h.pending(w, r, signin.StepChangePassword)
	if !ok {
		return
	}
	pw := r.PostForm.Get("new_password")
	if pw != r.PostForm.Get("confirm_password") {
		h.render(w, r, http.StatusBadRequest, "password", view{Pending: true, Title: "Set a new password", Next: next, User: s.DisplayName,
			Error: "The two passwords are not the same."})
		return
	}
	s2, err := h.d.SignIn.ChangePassword(r.Context(), sessionID(r), pw)
	if err != nil {
		status, msg, ok := signInError(err)
		if !ok {
			h.internal(w, r, "change password", err)
			return
		}
		h.render(w, r, status, "password", view{Pending: true, Title: "Set a new password", Next: next, User: s.DisplayName, Error: msg})
		return
	}
	http.Redirect(w, r, stepPath(s2.Next, next), http.StatusSeeOther)
}

func (h *Handler) mfaPage(w http.ResponseWriter, r *http.Request) {
	s, next, ok := h.pending(w, r, signin.StepMFA)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, "mfa", view{Pending: true, Title: "Multi-factor authentication", Next: next, User: s.DisplayName,
		Content: h.mfaContentFor(r, s)})
}

func (h *Handler) verifyMFA(w http.ResponseWriter, r *http.Request) {
	s, next, ok := h.pending(w, r, signin.StepMFA)
	if !ok {
		return
	}
	s2, tok, err := h.d.SignIn.VerifyMFAFrom(r.Context(), sessionID(r), r.PostForm.Get("code"), clientOf(r))
	if err != nil {
		status, msg, ok := signInError(err)
		if !ok {
			h.internal(w, r, "verify mfa", err)
			return
		}
		h.render(w, r, status, "mfa", view{Pending: true, Title: "Multi-factor authentication", Next: next, User: s.DisplayName, Error: msg,
			Content: h.mfaContentFor(r, s)})
		return
	}
	h.setCookie(w, r, cookieContext, tok, int(signin.ContextTTL.Seconds()))
	http.Redirect(w, r, stepPath(s2.Next, next), http.StatusSeeOther)
}

type registerContent struct {
	TOTP     bool          // authenticator apps are allowed
	WebAuthn *webauthnView // security keys are allowed and usable here
	Secret   string
	QR       template.URL // data: URL of the PNG (built here, so trusted)
	URL      template.URL // otpauth: URL (built by the core from a base32 secret)
}

func (h *Handler) registerPage(w http.ResponseWriter, r *http.Request) {
	s, next, ok := h.pending(w, r, signin.StepRegisterMFA)
	if !ok {
		return
	}
	h.renderRegisterFor(w, r, http.StatusOK, s, next, "", "") // webauthn.go
}

func (h *Handler) renderRegister(w http.ResponseWriter, r *http.Request, status int, s signin.Session, next, secret, otpURL, msg string) {
	c := registerContent{TOTP: slices.Contains(s.Methods, store.MFATypeTOTP), WebAuthn: h.webauthnOptions(r, s, true),
		Secret: secret, URL: template.URL(otpURL)}
	if otpURL != "" {
		png, err := qrcode.Encode(otpURL, qrcode.Medium, 256)
		if err != nil {
			h.internal(w, r, "qr code", err)
			return
		}
		c.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	}
	h.render(w, r, status, "register", view{Pending: true, Title: "Register an MFA device", Next: next, User: s.DisplayName,
		Error: msg, Content: c})
}

func (h *Handler) register(w http.ResponseWriter, r *http.Request) {
	s, next, ok := h.pending(w, r, signin.StepRegisterMFA)
	if !ok {
		return
	}
	secret := r.PostForm.Get("secret")
	s2, tok, err := h.d.SignIn.RegisterTOTPFrom(r.Context(), sessionID(r), secret, r.PostForm.Get("code"), r.PostForm.Get("device_name"), clientOf(r))
	if err != nil {
		status, msg, ok := signInError(err)
		if !ok {
			h.internal(w, r, "register totp", err)
			return
		}
		if errors.Is(err, signin.ErrLocked) || errors.Is(err, signin.ErrNoSession) {
			h.render(w, r, status, "message", view{Title: "Sign-in stopped", Error: msg})
			return
		}
		en, err := h.d.SignIn.EnrolmentFor(s.UserName, secret)
		if err != nil { // a tampered secret: start the registration again
			if en, err = h.d.SignIn.BeginTOTPRegistration(r.Context(), sessionID(r)); err != nil {
				h.internal(w, r, "totp registration", err)
				return
			}
		}
		h.renderRegister(w, r, status, s, next, en.Secret, en.URL, msg)
		return
	}
	h.setCookie(w, r, cookieContext, tok, int(signin.ContextTTL.Seconds()))
	http.Redirect(w, r, stepPath(s2.Next, next), http.StatusSeeOther)
}

func (h *Handler) signOut(w http.ResponseWriter, r *http.Request) {
	userName := h.sessionUserName(r) // saml.go: for the IdP's single logout
	if err := h.d.SignIn.End(r.Context(), sessionID(r)); err != nil {
		h.internal(w, r, "sign out", err)
		return
	}
	h.setCookie(w, r, cookieSession, "", -1)
	if h.samlSignOut(w, r, userName) { // saml.go: single logout at the external IdP
		return
	}
	h.render(w, r, http.StatusOK, "message", view{Title: "Signed out", Content: "You have signed out."})
}

// ---- accounts, roles, credentials ----

type accountView struct {
	Account
	Roles []string
}

type accountsContent struct {
	Accounts    []accountView
	Creds       *credsView
	Unavailable bool
}

type credsView struct {
	AccountID, RoleName string
	Credentials
	Region string
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	s, ok := h.session(w, r)
	if !ok {
		return
	}
	h.renderAccounts(w, r, s, nil)
}

func (h *Handler) renderAccounts(w http.ResponseWriter, r *http.Request, s signin.Session, creds *credsView) {
	v := view{Title: "AWS access portal", User: s.DisplayName}
	if h.d.Portal == nil {
		v.Content = accountsContent{Unavailable: true}
		h.render(w, r, http.StatusServiceUnavailable, "accounts", v)
		return
	}
	accts, err := h.d.Portal.Accounts(r.Context(), s.UserID)
	if err != nil {
		h.internal(w, r, "accounts", err)
		return
	}
	sort.Slice(accts, func(i, j int) bool { return accts[i].Name < accts[j].Name })
	out := accountsContent{Creds: creds}
	for _, a := range accts {
		roles, err := h.d.Portal.Roles(r.Context(), s.UserID, a.ID)
		if err != nil {
			h.internal(w, r, "roles", err)
			return
		}
		sort.Strings(roles)
		out.Accounts = append(out.Accounts, accountView{Account: a, Roles: roles})
	}
	v.Content = out
	h.render(w, r, http.StatusOK, "accounts", v)
}

func (h *Handler) credentials(w http.ResponseWriter, r *http.Request) {
	s, ok := h.session(w, r)
	if !ok {
		return
	}
	if h.d.Portal == nil {
		h.fail(w, r, http.StatusServiceUnavailable, "The portal service is not available on this server yet.")
		return
	}
	acct, role := r.PostForm.Get("account_id"), r.PostForm.Get("role_name")
	c, err := h.d.Portal.RoleCredentials(r.Context(), s.UserID, acct, role)
	if err != nil {
		h.d.Log.Info("web: role credentials refused", "user_id", s.UserID, "account_id", acct, "role", role, "err", err)
		h.fail(w, r, http.StatusForbidden, fmt.Sprintf("No credentials for role %s in account %s.", role, acct))
		return
	}
	h.renderAccounts(w, r, s, &credsView{AccountID: acct, RoleName: role, Credentials: c, Region: h.d.Region})
}

// ---- device code confirmation ----

type deviceContent struct {
	UserCode string
	Auth     *DeviceAuthorization
	Done     string // "approved" or "denied"
}

func (h *Handler) devicePage(w http.ResponseWriter, r *http.Request) {
	s, ok := h.session(w, r)
	if !ok {
		return
	}
	if h.d.OIDC == nil {
		h.fail(w, r, http.StatusServiceUnavailable, "Device authorization is not available on this server yet.")
		return
	}
	code := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("user_code")))
	v := view{Title: "Authorize request", User: s.DisplayName, Content: deviceContent{}}
	if code == "" {
		h.render(w, r, http.StatusOK, "device", v)
		return
	}
	da, err := h.d.OIDC.LookupUserCode(r.Context(), code)
	if err != nil {
		v.Error = "That code is not valid or has expired. Check the code your terminal shows."
		v.Content = deviceContent{UserCode: code}
		h.render(w, r, http.StatusNotFound, "device", v)
		return
	}
	v.Content = deviceContent{UserCode: code, Auth: &da}
	h.render(w, r, http.StatusOK, "device", v)
}

func (h *Handler) device(w http.ResponseWriter, r *http.Request) {
	s, ok := h.session(w, r)
	if !ok {
		return
	}
	if h.d.OIDC == nil {
		h.fail(w, r, http.StatusServiceUnavailable, "Device authorization is not available on this server yet.")
		return
	}
	code := strings.ToUpper(strings.TrimSpace(r.PostForm.Get("user_code")))
	v := view{Title: "Authorize request", User: s.DisplayName}
	var err error
	var done string
	switch r.PostForm.Get("action") {
	case "approve":
		err, done = h.d.OIDC.ApproveDevice(r.Context(), code, s.UserID), "approved"
	case "deny":
		err, done = h.d.OIDC.DenyDevice(r.Context(), code), "denied"
	default:
		http.Redirect(w, r, "/start/device?user_code="+url.QueryEscape(code), http.StatusSeeOther)
		return
	}
	if err != nil {
		h.d.Log.Info("web: device confirmation failed", "user_id", s.UserID, "err", err)
		v.Error = "That code is not valid or has expired. Start again from your terminal."
		v.Content = deviceContent{UserCode: code}
		h.render(w, r, http.StatusBadRequest, "device", v)
		return
	}
	v.Content = deviceContent{UserCode: code, Done: done}
	h.render(w, r, http.StatusOK, "device", v)
}

// ---- PKCE authorization ----

func authorizeRequest(q url.Values) AuthorizeRequest {
	return AuthorizeRequest{ClientID: q.Get("client_id"), RedirectURI: q.Get("redirect_uri"), State: q.Get("state"),
		CodeChallenge: q.Get("code_challenge"), CodeChallengeMethod: q.Get("code_challenge_method"),
		Scopes: strings.FieldsFunc(q.Get("scopes"), func(r rune) bool { return r == ',' || r == ' ' })}
}

type authorizeContent struct {
	Req    AuthorizeRequest
	Scopes string
	Done   string
}

func (h *Handler) authorizePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("response_type") != "code" || q.Get("client_id") == "" || q.Get("redirect_uri") == "" ||
		q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256" {
		h.fail(w, r, http.StatusBadRequest, "This authorization request is not valid: it needs response_type=code, client_id, redirect_uri, code_challenge and code_challenge_method=S256.")
		return
	}
	s, ok := h.session(w, r)
	if !ok {
		return
	}
	if h.d.OIDC == nil {
		h.fail(w, r, http.StatusServiceUnavailable, "Authorization is not available on this server yet.")
		return
	}
	req := authorizeRequest(q)
	h.render(w, r, http.StatusOK, "authorize", view{Title: "Allow access", User: s.DisplayName,
		Content: authorizeContent{Req: req, Scopes: strings.Join(req.Scopes, " ")}})
}

func (h *Handler) authorize(w http.ResponseWriter, r *http.Request) {
	s, ok := h.session(w, r)
	if !ok {
		return
	}
	if h.d.OIDC == nil {
		h.fail(w, r, http.StatusServiceUnavailable, "Authorization is not available on this server yet.")
		return
	}
	req := authorizeRequest(r.PostForm)
	if r.PostForm.Get("action") != "approve" {
		h.render(w, r, http.StatusOK, "authorize", view{Title: "Allow access", User: s.DisplayName,
			Content: authorizeContent{Req: req, Done: "denied"}})
		return
	}
	to, err := h.d.OIDC.Authorize(r.Context(), req, s.UserID)
	if err != nil {
		h.d.Log.Info("web: authorization refused", "user_id", s.UserID, "client_id", req.ClientID, "err", err)
		h.fail(w, r, http.StatusBadRequest, "This authorization request is not valid or has expired. Start again from your application.")
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}
