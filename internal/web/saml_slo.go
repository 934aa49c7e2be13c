package web

import (
	"errors"
	"net/http"

	"github.com/idcenter/idcenter/internal/core/federation"
)

// sessionUserName is the user name of the browser's portal session ("" if
// none).
func (h *Handler) sessionUserName(r *http.Request) string {
	id := sessionID(r)
	if id == "" {
		return ""
	}
	s, err := h.d.SignIn.Session(r.Context(), id)
	if err != nil {
		return ""
	}
	return s.UserName
}

// samlSignOut sends the browser, whose portal session has ended, to the
// external IdP's single logout service with a signed LogoutRequest, and
// reports whether it did. Without an external IdP, or one without a single
// logout service, the local sign-out is all.
func (h *Handler) samlSignOut(w http.ResponseWriter, r *http.Request, userName string) bool {
	if h.d.SAML == nil || userName == "" {
		return false
	}
	to, err := h.d.SAML.StartLogout(r.Context(), userName)
	if err != nil {
		h.d.Log.Warn("web: SAML single logout not started; signed out here only", "user_name", userName, "err", err)
		return false
	}
	if to == "" {
		return false
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return true
}

// samlSLO serves /saml/slo: the IdP's LogoutResponse to idcenter's
// LogoutRequest ends at a "signed out" page; the IdP's LogoutRequest ends
// the user's portal sessions (this browser's too) and goes back to the IdP
// with idcenter's LogoutResponse.
func (h *Handler) samlSLO(w http.ResponseWriter, r *http.Request) {
	m := federation.SLOMessage{RawQuery: r.URL.RawQuery}
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxSAMLForm)
		if err := r.ParseForm(); err != nil {
			h.fail(w, r, http.StatusBadRequest, "The logout message is not a valid form.")
			return
		}
		m.Post, m.Form = true, r.PostForm
	}
	res, err := h.d.SAML.HandleSLO(r.Context(), m)
	switch {
	case err == nil && res.Response:
		h.setCookie(w, r, cookieSession, "", -1)
		h.render(w, r, http.StatusOK, "message", view{Title: "Signed out", Content: "You have signed out here and at your identity provider."})
	case err == nil:
		h.d.Log.Info("web: SAML logout by the IdP", "user_name", res.UserName, "sessions_ended", res.Ended)
		_ = h.d.SignIn.End(r.Context(), sessionID(r))
		h.setCookie(w, r, cookieSession, "", -1)
		if res.Redirect != "" {
			http.Redirect(w, r, res.Redirect, http.StatusSeeOther)
			return
		}
		h.render(w, r, http.StatusOK, "message", view{Title: "Signed out", Content: "You have signed out."})
	case res.Response:
		h.d.Log.Warn("web: SAML logout response", "reason", err)
		h.setCookie(w, r, cookieSession, "", -1)
		h.render(w, r, http.StatusOK, "message", view{Title: "Signed out", Content: "You have signed out here; your identity provider did not confirm its own sign-out."})
	case errors.Is(err, federation.ErrInvalidLogout):
		h.d.Log.Warn("web: SAML logout message refused", "reason", err)
		h.fail(w, r, http.StatusForbidden, "The logout message was refused (signature, issuer or an unknown request).")
	case errors.Is(err, federation.ErrNotExternal):
		h.fail(w, r, http.StatusNotFound, "SAML sign-in is not configured.")
	default:
		h.internal(w, r, "saml slo", err)
	}
}
