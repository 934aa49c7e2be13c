package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/core/federation"
	"github.com/idcenter/idcenter/internal/core/signin"
)

//go:embed templates/*.html
var templateFS embed.FS

// Cookie names.
const (
	cookieSession = "idc_session"
	cookieCSRF    = "idc_csrf"
	cookieContext = "idc_ctx"
)

// maxForm bounds a form body.
const maxForm = 64 << 10

// DeviceAuthorization is a pending sso-oidc device authorisation as the
// confirmation page shows it.
type DeviceAuthorization struct {
	UserCode   string
	ClientName string
	Scopes     []string
	ExpiresAt  time.Time
}

// AuthorizeRequest is an authorisation-code (PKCE) request of /authorize.
type AuthorizeRequest struct {
	ClientID, RedirectURI, State, CodeChallenge, CodeChallengeMethod string
	Scopes                                                           []string
}

// OIDC is what the pages need of the sso-oidc service.
type OIDC interface {
	LookupUserCode(ctx context.Context, userCode string) (DeviceAuthorization, error)
	ApproveDevice(ctx context.Context, userCode, userID string) error
	DenyDevice(ctx context.Context, userCode string) error
	// Authorize approves a PKCE request for the user and returns the URL to
	// redirect the browser to (the client's redirect URI with code and state).
	Authorize(ctx context.Context, req AuthorizeRequest, userID string) (redirect string, err error)
}

// Account is an AWS account the user may use.
type Account struct{ ID, Name, Email string }

// Credentials are short-term role credentials.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	Expiration                                 time.Time
}

// Portal is what the pages need of the portal service.
type Portal interface {
	Accounts(ctx context.Context, userID string) ([]Account, error)
	Roles(ctx context.Context, userID, accountID string) ([]string, error)
	RoleCredentials(ctx context.Context, userID, accountID, roleName string) (Credentials, error)
}

// Deps are the handler's collaborators. OIDC and Portal may be nil: their
// pages then answer 503.
type Deps struct {
	SignIn *signin.Service
	OIDC   OIDC
	Portal Portal
	Log    *slog.Logger
	// Rand is the source of CSRF tokens; crypto/rand when nil.
	Rand io.Reader
	// Secure marks cookies Secure (also set for requests that came over TLS).
	Secure bool
	// Region is shown in the command line access panel (AWS_DEFAULT_REGION).
	Region string
	// SAML is the identity source and SAML sign-in (saml.go); nil: the
	// identity store is the only source and /saml/ answers 404.
	SAML *federation.Service
}

// Handler serves the portal pages.
type Handler struct {
	d     Deps
	pages map[string]*template.Template
	mux   *http.ServeMux
}

// IsPath reports whether the handler serves a request path: /start[/…],
// /authorize and the SAML service provider's /saml/….
func IsPath(p string) bool {
	return p == "/start" || strings.HasPrefix(p, "/start/") || p == "/authorize" || isSAMLPath(p)
}

// New builds the handler.
func New(d Deps) (*Handler, error) {
	if d.SignIn == nil {
		return nil, errors.New("web: Deps.SignIn is required")
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Rand == nil {
		d.Rand = rand.Reader
	}
	h := &Handler{d: d, pages: map[string]*template.Template{}}
	base, err := template.New("layout.html").Funcs(template.FuncMap{"join": strings.Join}).
		ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	names, err := templateFS.ReadDir("templates")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	for _, n := range names {
		if n.Name() == "layout.html" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+n.Name())
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", n.Name(), err)
		}
		h.pages[strings.TrimSuffix(n.Name(), ".html")] = t
	}
	m := http.NewServeMux()
	m.HandleFunc("GET /start", h.home)
	m.HandleFunc("GET /start/{$}", h.home)
	m.HandleFunc("GET /start/signin", h.signInPage)
	m.HandleFunc("POST /start/signin", h.signIn)
	m.HandleFunc("GET /start/password", h.passwordPage)
	m.HandleFunc("POST /start/password", h.changePassword)
	m.HandleFunc("GET /start/mfa", h.mfaPage)
	m.HandleFunc("POST /start/mfa", h.verifyMFA)
	m.HandleFunc("GET /start/mfa/register", h.registerPage)
	m.HandleFunc("POST /start/mfa/register", h.register)
	h.webauthnRoutes(m) // webauthn.go
	h.deviceRoutes(m)   // devices.go: the MFA devices page
	m.HandleFunc("GET /start/device", h.devicePage)
	m.HandleFunc("POST /start/device", h.device)
	m.HandleFunc("POST /start/credentials", h.credentials)
	m.HandleFunc("POST /start/signout", h.signOut)
	m.HandleFunc("GET /authorize", h.authorizePage)
	m.HandleFunc("POST /authorize", h.authorize)
	h.mux = m
	return h, nil
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	if isSAMLPath(r.URL.Path) { // saml.go: the IdP posts the ACS, without a CSRF token
		h.serveSAML(w, r)
		return
	}
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		c, err := r.Cookie(cookieCSRF)
		tok := r.PostForm.Get("csrf_token")
		if err != nil || tok == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(tok)) != 1 {
			http.Error(w, "Forbidden: missing or invalid CSRF token. Reload the page and try again.", http.StatusForbidden)
			return
		}
	}
	h.mux.ServeHTTP(w, r)
}

// ---- helpers ----

// view is what every page template receives.
type view struct {
	Title string
	CSRF  string
	User  string // display name when signed in
	// Pending: signed in but not through the password change or MFA yet
	// (no portal navigation in the header).
	Pending bool
	Error   string
	Next    string
	Content any
}

func (h *Handler) secure(r *http.Request) bool { return h.d.Secure || r.TLS != nil }

func (h *Handler) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: h.secure(r), SameSite: http.SameSiteLaxMode})
}

// csrf returns the browser's CSRF token, giving it one when it has none.
func (h *Handler) csrf(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(cookieCSRF); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	b := make([]byte, 32)
	if _, err := io.ReadFull(h.d.Rand, b); err != nil {
		h.d.Log.Error("web: csrf token", "err", err)
		return ""
	}
	v := base64.RawURLEncoding.EncodeToString(b)
	h.setCookie(w, r, cookieCSRF, v, 0)
	return v
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	t, ok := h.pages[page]
	if !ok {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	v.CSRF = h.csrf(w, r)
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		h.d.Log.Error("web: render", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	h.render(w, r, status, "message", view{Title: "Something went wrong", Error: msg})
}

func (h *Handler) internal(w http.ResponseWriter, r *http.Request, what string, err error) {
	h.d.Log.Error("web: "+what, "err", err)
	h.fail(w, r, http.StatusInternalServerError, "Something went wrong on the server. Try again later.")
}

func sessionID(r *http.Request) string {
	if c, err := r.Cookie(cookieSession); err == nil {
		return c.Value
	}
	return ""
}

// safeNext keeps only local paths (no open redirect).
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") {
		return "/start"
	}
	return next
}

// stepPath is the page of a sign-in step.
func stepPath(s signin.Step, next string) string {
	q := "?next=" + url.QueryEscape(next)
	switch s {
	case signin.StepChangePassword:
		return "/start/password" + q
	case signin.StepMFA:
		return "/start/mfa" + q
	case signin.StepRegisterMFA:
		return "/start/mfa/register" + q
	}
	return next
}

// session returns the signed-in (StepDone) session, or redirects the
// browser through the sign-in (back to this request's URL) and returns false.
func (h *Handler) session(w http.ResponseWriter, r *http.Request) (signin.Session, bool) {
	s, err := h.d.SignIn.Session(r.Context(), sessionID(r))
	if err == nil && s.Next == signin.StepDone {
		return s, true
	}
	if err != nil && !errors.Is(err, signin.ErrNoSession) && !errors.Is(err, signin.ErrMFABlocked) {
		h.internal(w, r, "session", err)
		return s, false
	}
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		next = r.URL.Path
	}
	if err == nil {
		http.Redirect(w, r, stepPath(s.Next, safeNext(next)), http.StatusSeeOther)
		return s, false
	}
	http.Redirect(w, r, "/start/signin?next="+url.QueryEscape(safeNext(next)), http.StatusSeeOther)
	return s, false
}

// pending returns the session of a sign-in in progress at step want.
func (h *Handler) pending(w http.ResponseWriter, r *http.Request, want signin.Step) (signin.Session, string, bool) {
	next := safeNext(r.FormValue("next"))
	s, err := h.d.SignIn.Session(r.Context(), sessionID(r))
	switch {
	case errors.Is(err, signin.ErrNoSession):
		http.Redirect(w, r, "/start/signin?next="+url.QueryEscape(next), http.StatusSeeOther)
		return s, next, false
	case errors.Is(err, signin.ErrMFABlocked):
		h.fail(w, r, http.StatusForbidden, "Multi-factor authentication is required and you have no registered device. Ask your administrator.")
		return s, next, false
	case err != nil:
		h.internal(w, r, "session", err)
		return s, next, false
	case s.Next != want:
		http.Redirect(w, r, stepPath(s.Next, next), http.StatusSeeOther)
		return s, next, false
	}
	return s, next, true
}

// signInError maps a sign-in error to a status and a message for the user.
func signInError(err error) (int, string, bool) {
	switch {
	case errors.Is(err, signin.ErrInvalidCredentials):
		return http.StatusUnauthorized, "The user name or password is incorrect.", true
	case errors.Is(err, signin.ErrLocked):
		return http.StatusTooManyRequests, "Too many failed attempts. Your sign-in is locked; try again in 15 minutes.", true
	case errors.Is(err, signin.ErrInvalidCode):
		return http.StatusUnauthorized, "The code is incorrect or was already used. Wait for the next code and try again.", true
	case errors.Is(err, signin.ErrPasswordPolicy):
		return http.StatusBadRequest, strings.TrimPrefix(err.Error(), "password does not meet the policy: ") + ".", true
	case errors.Is(err, signin.ErrMFABlocked):
		return http.StatusForbidden, "Multi-factor authentication is required and you have no registered device. Ask your administrator.", true
	case errors.Is(err, signin.ErrNoSession), errors.Is(err, signin.ErrWrongStep):
		return http.StatusUnauthorized, "Your sign-in has expired. Sign in again.", true
	}
	return 0, "", false
}
