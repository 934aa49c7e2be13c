package federation

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/crewjam/saml"

	"github.com/idcenter/idcenter/internal/store"
)

// SLOPath is the SP's single logout service (HTTP-Redirect and HTTP-POST
// bindings): the IdP's LogoutResponses and LogoutRequests arrive there.
const SLOPath = "/saml/slo"

// sloNext marks a pending request as a LogoutRequest (the pending sign-ins
// and logouts share the store's table; a sign-in's Next is a local path).
const sloNext = "saml:logout"

// ErrInvalidLogout is a logout message that was refused (signature,
// issuer, destination, an unknown or answered request); the wrapped reason
// is for the log.
var ErrInvalidLogout = errors.New("federation: the SAML logout message was refused")

// SLOMessage is what arrived at SLOPath: the query string (HTTP-Redirect
// binding) and the posted form (HTTP-POST binding).
type SLOMessage struct {
	Post     bool
	RawQuery string
	Form     url.Values
}

// SLOResult says what a logout message did.
type SLOResult struct {
	// Response: a LogoutResponse to idcenter's own LogoutRequest, checked.
	Response bool
	// UserName is the user an IdP's LogoutRequest signed out (its portal
	// sessions ended); "" when no identity store user has the NameID.
	UserName string
	// Ended is how many portal sessions the IdP's LogoutRequest ended.
	Ended int
	// Redirect is where to send the browser: the IdP's single logout
	// service with idcenter's signed LogoutResponse.
	Redirect string
}

// sloURL is the IdP's HTTP-Redirect single logout URL ("" when none).
func sloURL(md *saml.EntityDescriptor) string {
	for _, d := range md.IDPSSODescriptors {
		for _, e := range d.SingleLogoutServices {
			if e.Binding == saml.HTTPRedirectBinding {
				return e.Location
			}
		}
	}
	return ""
}

// StartLogout begins an SP-initiated single logout of userName (whose
// portal session the caller has ended): it returns the IdP's single logout
// URL with a LogoutRequest signed with the SP key (HTTP-Redirect binding,
// RSA-SHA256 query signature), or "" when the identity source is not an
// external IdP or its metadata names no HTTP-Redirect single logout service.
// The request id is kept under a random RelayState so that only the IdP's
// answer to it is accepted at SLOPath.
func (s *Service) StartLogout(ctx context.Context, userName string) (string, error) {
	src, err := s.load(ctx)
	if err != nil || src.Type != store.IdentitySourceExternalSAML || userName == "" {
		return "", err
	}

	sp, _, err := s.sp(ctx, src)
	if err != nil {
		return "", err
	}
	dest := sloURL(sp.IDPMetadata)
	if dest == "" {
		return "", nil
	}
	// The NameID (and SessionIndex) of the user's latest sign-in; the user
	// name when none is kept and the NameID is the user name.
	nameID, opts := userName, []saml.LogoutRequestOption(nil)
	now := s.now()
	err = s.Store.View(ctx, func(tx store.Tx) error {
		id, err := tx.FindUserID(ctx, s.IdentityStoreID, store.UserLookup{UserName: userName})
		if err != nil {
			return err
		}
		sub, err := tx.GetSAMLSubject(ctx, s.IdentityStoreID, id)
		if err != nil || !now.Before(sub.ExpiresAt) || sub.NameID == "" {
			if src.UserNameAttribute != "" {
				nameID = "" // the IdP's NameID is unknown
			}
			return nil
		}
		nameID = sub.NameID
		opts = append(opts, saml.WithSessionIndex(sub.SessionIndex))
		if sub.NameIDFormat != "" {
			opts = append(opts, func(r *saml.LogoutRequest) { r.NameID.Format = sub.NameIDFormat })
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return "", nil // the user is gone
	}
	if err != nil {
		return "", fmt.Errorf("federation: user's SAML subject: %w", err)
	}
	if nameID == "" {
		return "", nil
	}
	req, err := sp.MakeLogoutRequest(dest, nameID, opts...)
	if err != nil {
		return "", fmt.Errorf("federation: logout request: %w", err)
	}
	b := make([]byte, 24)
	if _, err := io.ReadFull(s.rand(), b); err != nil {
		return "", fmt.Errorf("federation: relay state: %w", err)
	}
	relay := base64.RawURLEncoding.EncodeToString(b)
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.DeleteExpiredSAML(ctx, now); err != nil {
			return err
		}
		return tx.CreateSAMLRequest(ctx, store.SAMLRequest{RelayStateHash: hashRelay(relay), RequestID: req.ID, Next: sloNext,
			ExpiresAt: now.Add(RequestTTL)})
	})
	if err != nil {
		return "", fmt.Errorf("federation: record logout request: %w", err)
	}
	u, err := sp.RedirectLogoutRequestURL(req, relay)
	if err != nil {
		return "", fmt.Errorf("federation: logout redirect: %w", err)
	}
	return u.String(), nil
}

// HandleSLO checks a message posted or redirected to SLOPath by the IdP
// with the library (signature by a key of the IdP's metadata — required
// with the HTTP-Redirect binding —, issuer, destination, times, a request
// id seen once):
//
//   - a LogoutResponse must answer the pending LogoutRequest its RelayState
//     names (then taken, so it is accepted once);
//   - a LogoutRequest (IdP-initiated logout, or the IdP propagating a
//     logout that began at another SP) ends every portal session of the
//     identity store user whose user name is the NameID, and is answered
//     with a signed LogoutResponse sent back through the browser.
func (s *Service) HandleSLO(ctx context.Context, m SLOMessage) (SLOResult, error) {
	src, err := s.load(ctx)
	if err != nil {
		return SLOResult{}, err
	}
	sp, _, err := s.sp(ctx, src)
	if err != nil {
		return SLOResult{}, err
	}
	// The library reads the message from an *http.Request; this one only
	// carries what arrived (no network, no handler).
	form := m.Form
	if form == nil {
		form = url.Values{}
	}
	r := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: SLOPath, RawQuery: m.RawQuery}, Form: form, PostForm: form}
	if m.Post {
		r.Method = http.MethodPost
		r.URL.RawQuery = ""
	}
	q, _ := url.ParseQuery(r.URL.RawQuery)
	get := func(k string) string {
		if m.Post {
			return form.Get(k)
		}
		return q.Get(k)
	}
	switch {
	case get("SAMLResponse") != "":
		return s.logoutResponse(ctx, sp, r, get("RelayState"))
	case get("SAMLRequest") != "":
		return s.logoutRequest(ctx, src, sp, r, get("RelayState"))
	}
	return SLOResult{}, fmt.Errorf("%w: neither SAMLRequest nor SAMLResponse", ErrInvalidLogout)
}

func libraryReason(err error) error {
	var ire *saml.InvalidResponseError
	if errors.As(err, &ire) && ire.PrivateErr != nil {
		return ire.PrivateErr
	}
	return err
}

func (s *Service) logoutResponse(ctx context.Context, sp *saml.ServiceProvider, r *http.Request, relay string) (SLOResult, error) {
	if relay == "" {
		return SLOResult{}, fmt.Errorf("%w: a LogoutResponse without RelayState", ErrInvalidLogout)
	}
	var req store.SAMLRequest
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		req, err = tx.TakeSAMLRequest(ctx, hashRelay(relay))
		return err
	})
	if errors.Is(err, store.ErrNotFound) || (err == nil && (req.Next != sloNext || !s.now().Before(req.ExpiresAt))) {
		return SLOResult{}, fmt.Errorf("%w: no pending logout request for the RelayState (answered already or expired)", ErrInvalidLogout)
	}
	if err != nil {
		return SLOResult{}, fmt.Errorf("federation: pending logout request: %w", err)
	}
	resp, err := sp.ParseLogoutResponse(r, []string{req.RequestID})
	if err != nil {
		return SLOResult{}, fmt.Errorf("%w: %v", ErrInvalidLogout, libraryReason(err))
	}
	if resp.Status.StatusCode.Value != saml.StatusSuccess {
		// idcenter's session has ended anyway; the IdP's may not have.
		return SLOResult{Response: true}, fmt.Errorf("%w: the IdP answered %s", ErrInvalidLogout, resp.Status.StatusCode.Value)
	}
	return SLOResult{Response: true}, nil
}

func (s *Service) logoutRequest(ctx context.Context, src store.IdentitySource, sp *saml.ServiceProvider, r *http.Request, relay string) (SLOResult, error) {
	lr, err := sp.ValidateLogoutRequest(r)
	if err != nil {
		return SLOResult{}, fmt.Errorf("%w: %v", ErrInvalidLogout, libraryReason(err))
	}
	out := SLOResult{}
	if lr.NameID != nil {
		name := strings.TrimSpace(lr.NameID.Value)
		attrMode := src.UserNameAttribute != ""
		err = s.Store.Update(ctx, func(tx store.Tx) error {
			// The users the IdP named so at their latest sign-in, and the
			// user whose user name is the NameID (unless user names come
			// from an attribute).
			subs, err := tx.FindSAMLSubjects(ctx, s.IdentityStoreID, name)
			if err != nil {
				return err
			}
			ids := map[string]bool{}
			for _, sub := range subs {
				ids[sub.UserID] = true
			}
			if !attrMode {
				id, err := tx.FindUserID(ctx, s.IdentityStoreID, store.UserLookup{UserName: name})
				if err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
				if err == nil {
					ids[id] = true
				}
			}
			for id := range ids {
				n, err := tx.DeleteUserWebSessions(ctx, s.IdentityStoreID, id)
				if err != nil {
					return err
				}
				out.Ended += n
			}
			if len(ids) > 0 {
				out.UserName = name
			}
			return nil
		})
		if err != nil {
			return SLOResult{}, fmt.Errorf("federation: end portal sessions: %w", err)
		}
	}
	if sloURL(sp.IDPMetadata) != "" {
		u, err := sp.MakeRedirectLogoutResponse(lr.ID, relay)
		if err != nil {
			return out, fmt.Errorf("federation: logout response: %w", err)
		}
		out.Redirect = u.String()
	}
	return out, nil
}
