package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/idcenter/idcenter/internal/core/federation"
	"github.com/idcenter/idcenter/internal/core/signin"
)

// maxSAMLForm bounds the body posted to the ACS (IdPs that send many group
// attributes make responses of tens of kilobytes).
const maxSAMLForm = federation.MaxResponseSize + 16<<10

// cookieSAMLRelay binds an SP-initiated sign-in to the browser that started
// it: it holds the RelayState, and over HTTPS the ACS accepts the answer to
// a pending request only from a browser that has it (no login CSRF with a
// response obtained by someone else). It is SameSite=None (the IdP's page
// posts the ACS from another site), so only Secure cookies can carry it;
// over plain HTTP the binding is not checked.
const cookieSAMLRelay = "idc_saml_relay"

// isSAMLPath reports whether p is one of the SAML service provider's URLs.
func isSAMLPath(p string) bool { return strings.HasPrefix(p, "/saml/") }

// serveSAML serves the SP's URLs: GET /saml/metadata, GET /saml/login
// (starts an SP-initiated sign-in), POST /saml/acs (the IdP's response,
// HTTP-POST binding) and GET/POST /saml/slo (single logout, saml_slo.go). The ACS is posted by the IdP's page, so it carries no
// CSRF token: the response's signature, audience, destination and request
// id stand for it.
func (h *Handler) serveSAML(w http.ResponseWriter, r *http.Request) {
	if h.d.SAML == nil {
		http.NotFound(w, r)
		return
	}
	switch {
	case r.URL.Path == federation.MetadataPath && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		h.samlMetadata(w, r)
	case r.URL.Path == federation.LoginPath && r.Method == http.MethodGet:
		h.samlStart(w, r, safeNext(r.URL.Query().Get("next")))
	case r.URL.Path == federation.ACSPath && r.Method == http.MethodPost:
		h.samlACS(w, r)
	case r.URL.Path == federation.SLOPath && (r.Method == http.MethodGet || r.Method == http.MethodPost):
		h.samlSLO(w, r)
	case r.URL.Path == federation.SLOPath:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	case r.URL.Path == federation.ACSPath:
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	case r.URL.Path == federation.MetadataPath || r.URL.Path == federation.LoginPath:
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	default:
		http.NotFound(w, r)
	}
}

func (h *Handler) samlMetadata(w http.ResponseWriter, r *http.Request) {
	md, err := h.d.SAML.SPMetadata(r.Context())
	if errors.Is(err, federation.ErrNotExternal) {
		http.Error(w, "SAML sign-in is not configured: the identity source is the identity store.", http.StatusNotFound)
		return
	}
	if err != nil {
		h.internal(w, r, "saml metadata", err)
		return
	}
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	_, _ = w.Write(md)
}

// samlSignIn sends the browser to the external IdP when the identity source
// is one, and reports whether it did (or answered with an error).
func (h *Handler) samlSignIn(w http.ResponseWriter, r *http.Request, next string) bool {
	if h.d.SAML == nil {
		return false
	}
	ext, err := h.d.SAML.External(r.Context())
	if err != nil {
		h.internal(w, r, "identity source", err)
		return true
	}
	if !ext {
		return false
	}
	h.samlStart(w, r, next)
	return true
}

func (h *Handler) samlStart(w http.ResponseWriter, r *http.Request, next string) {
	to, err := h.d.SAML.StartSignIn(r.Context(), next)
	if errors.Is(err, federation.ErrNotExternal) {
		http.Redirect(w, r, "/start/signin?next="+url.QueryEscape(next), http.StatusSeeOther)
		return
	}
	if err != nil {
		h.internal(w, r, "saml start", err)
		return
	}
	if u, err := url.Parse(to); err == nil && u.Query().Get("RelayState") != "" {
		c := &http.Cookie{Name: cookieSAMLRelay, Value: u.Query().Get("RelayState"), Path: federation.ACSPath,
			MaxAge: int(federation.RequestTTL.Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode}
		if h.secure(r) {
			c.Secure, c.SameSite = true, http.SameSiteNoneMode
		}
		http.SetCookie(w, c)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (h *Handler) samlACS(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxSAMLForm)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, http.StatusBadRequest, "The sign-in response is not a valid form.")
		return
	}
	relay := r.PostForm.Get("RelayState")
	var res federation.Result
	var err error
	if h.secure(r) && relay != "" && !strings.HasPrefix(relay, "/") && !h.boundRelay(r, relay) {
		err = federation.ErrUnsolicited // an SP-initiated answer posted by a browser that did not start it
	} else {
		res, err = h.d.SAML.Consume(r.Context(), r.PostForm.Get("SAMLResponse"), relay)
	}
	if err == nil {
		var s signin.Session
		s, err = h.d.SignIn.BeginExternal(r.Context(), res.UserName)
		if err == nil {
			h.d.Log.Info("web: SAML sign-in", "user_name", res.UserName)
			http.SetCookie(w, &http.Cookie{Name: cookieSAMLRelay, Path: federation.ACSPath, MaxAge: -1, HttpOnly: true, Secure: h.secure(r)})
			h.setCookie(w, r, cookieSession, s.ID, 0)
			http.Redirect(w, r, safeNext(res.Next), http.StatusSeeOther)
			return
		}
	}
	h.d.Log.Warn("web: SAML sign-in refused", "user_name", res.UserName, "reason", err)
	switch {
	case errors.Is(err, federation.ErrUnknownUser), errors.Is(err, signin.ErrUserNotFound):
		h.fail(w, r, http.StatusForbidden, "Your identity provider signed you in as "+res.UserName+
			", but the identity store has no user with that user name. Ask your administrator to provision your user (SCIM) with the same user name as the NameID your identity provider sends.")
	case errors.Is(err, signin.ErrUserDisabled):
		h.fail(w, r, http.StatusForbidden, "Your user is disabled. Ask your administrator.")
	case errors.Is(err, federation.ErrUnsolicited):
		h.fail(w, r, http.StatusForbidden, "This sign-in was not started here or has expired. Go to the AWS access portal and sign in again.")
	case errors.Is(err, federation.ErrInvalidResponse):
		h.fail(w, r, http.StatusForbidden, "The sign-in response of your identity provider was refused (signature, audience or validity period). Try again; if it keeps failing, ask your administrator to check the SAML configuration.")
	case errors.Is(err, federation.ErrNotExternal), errors.Is(err, signin.ErrNotExternal):
		h.fail(w, r, http.StatusNotFound, "SAML sign-in is not configured: sign in with your user name and password.")
	default:
		h.internal(w, r, "saml acs", err)
	}
}

// boundRelay reports whether the browser holds the RelayState of the
// sign-in it started (constant-time compare).
func (h *Handler) boundRelay(r *http.Request, relay string) bool {
	c, err := r.Cookie(cookieSAMLRelay)
	return err == nil && subtle.ConstantTimeCompare([]byte(c.Value), []byte(relay)) == 1
}
