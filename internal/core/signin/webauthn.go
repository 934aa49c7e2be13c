package signin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/idcenter/idcenter/internal/store"
)

// ErrWebAuthnUnavailable: the server's public URL is not one a browser
// allows WebAuthn at (it must be https, or http on localhost, with a host
// name rather than an IP address).
var ErrWebAuthnUnavailable = errors.New("signin: security keys need the portal at https://<name> or http://localhost")

// ceremonyTTL bounds a WebAuthn registration or assertion in progress.
const ceremonyTTL = 5 * time.Minute

// relyingParty configures WebAuthn from the public URL: the relying party
// id is its host name and its origin the only one accepted. A loopback IP
// address is replaced by localhost (browsers refuse IP addresses as ids).
func (s *Service) relyingParty() (*webauthn.WebAuthn, error) {
	u, err := url.Parse(s.PublicURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, ErrWebAuthnUnavailable
	}
	host := u.Hostname()
	origin := u.Scheme + "://" + u.Host
	if ip := net.ParseIP(host); ip != nil {
		if !ip.IsLoopback() {
			return nil, ErrWebAuthnUnavailable
		}
		host = "localhost"
		origin = u.Scheme + "://localhost"
		if p := u.Port(); p != "" {
			origin += ":" + p
		}
	}
	if u.Scheme == "http" && host != "localhost" && !strings.HasSuffix(host, ".localhost") {
		return nil, ErrWebAuthnUnavailable
	}
	return webauthn.New(&webauthn.Config{
		RPID:          host,
		RPDisplayName: s.issuer(),
		RPOrigins:     []string{origin},
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			UserVerification: protocol.VerificationPreferred,
			ResidentKey:      protocol.ResidentKeyRequirementPreferred,
		},
		Timeouts: webauthn.TimeoutsConfig{
			Login:        webauthn.TimeoutConfig{Enforce: true, Timeout: ceremonyTTL, TimeoutUVD: ceremonyTTL},
			Registration: webauthn.TimeoutConfig{Enforce: true, Timeout: ceremonyTTL, TimeoutUVD: ceremonyTTL},
		},
	})
}

// waUser is a user as go-webauthn sees it: the user handle is the identity
// store user id.
type waUser struct {
	sess  Session
	creds []webauthn.Credential
}

func (u waUser) WebAuthnID() []byte                         { return []byte(u.sess.UserID) }
func (u waUser) WebAuthnName() string                       { return u.sess.UserName }
func (u waUser) WebAuthnDisplayName() string                { return u.sess.DisplayName }
func (u waUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

// loadUser reads the user's registered credentials.
func (s *Service) loadUser(ctx context.Context, tx store.Tx, sess Session) (waUser, error) {
	stored, err := tx.ListWebAuthnCredentials(ctx, s.IdentityStoreID, sess.UserID)
	if err != nil {
		return waUser{}, fmt.Errorf("signin: security keys: %w", err)
	}
	u := waUser{sess: sess}
	for _, c := range stored {
		var wc webauthn.Credential
		if err := json.Unmarshal(c.Data, &wc); err != nil {
			return waUser{}, fmt.Errorf("signin: stored security key: %w", err)
		}
		wc.Authenticator.SignCount = c.SignCount
		u.creds = append(u.creds, wc)
	}
	return u, nil
}

// beginCeremony runs start on the session at step want (whose methods
// include WebAuthn), keeps the ceremony with the session and returns the
// options for navigator.credentials as JSON.
func (s *Service) beginCeremony(ctx context.Context, id string, want Step,
	start func(wa *webauthn.WebAuthn, u waUser) (any, *webauthn.SessionData, error)) ([]byte, error) {
	wa, err := s.relyingParty()
	if err != nil {
		return nil, err
	}
	var out []byte
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		ws, sess, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if sess.Next != want || !contains(sess.Methods, store.MFATypeWebAuthn) {
			return ErrWrongStep
		}
		u, err := s.loadUser(ctx, tx, sess)
		if err != nil {
			return err
		}
		opts, sd, err := start(wa, u)
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
		out, err = json.Marshal(opts)
		return err
	})
	return out, err
}

// takeCeremony reads and clears (single use) the session's ceremony.
func takeCeremony(ctx context.Context, tx store.Tx, id string) (webauthn.SessionData, bool, error) {
	h := hashSecret(id)
	raw, err := tx.GetWebSessionCeremony(ctx, h)
	if err != nil {
		return webauthn.SessionData{}, false, fmt.Errorf("signin: webauthn ceremony: %w", err)
	}
	if raw == nil {
		return webauthn.SessionData{}, false, nil
	}
	if err := tx.SetWebSessionCeremony(ctx, h, nil); err != nil {
		return webauthn.SessionData{}, false, fmt.Errorf("signin: webauthn ceremony: %w", err)
	}
	var sd webauthn.SessionData
	if err := json.Unmarshal(raw, &sd); err != nil {
		return webauthn.SessionData{}, false, nil
	}
	return sd, true, nil
}

// BeginWebAuthnRegistration starts registering a security key or passkey
// at StepRegisterMFA and returns the PublicKeyCredentialCreationOptions
// (JSON, binary fields base64url) for navigator.credentials.create.
func (s *Service) BeginWebAuthnRegistration(ctx context.Context, id string) ([]byte, error) {
	return s.beginCeremony(ctx, id, StepRegisterMFA, func(wa *webauthn.WebAuthn, u waUser) (any, *webauthn.SessionData, error) {
		excl := make([]protocol.CredentialDescriptor, 0, len(u.creds))
		for i := range u.creds {
			excl = append(excl, u.creds[i].Descriptor())
		}
		c, sd, err := wa.BeginRegistration(u, webauthn.WithExclusions(excl))
		if err != nil {
			return nil, nil, err
		}
		return c.Response, sd, nil
	})
}

// RegisterWebAuthn completes a registration with the browser's
// PublicKeyCredential (JSON) and completes the MFA, like RegisterTOTP. A
// response that does not verify counts as a failed attempt (ErrInvalidCode).
func (s *Service) RegisterWebAuthn(ctx context.Context, id string, response []byte, name string, client Client) (Session, string, error) {
	wa, err := s.relyingParty()
	if err != nil {
		return Session{}, "", err
	}
	parsed, perr := protocol.ParseCredentialCreationResponseBytes(response)
	return s.mfa(ctx, id, StepRegisterMFA, store.MFATypeWebAuthn, client, func(tx store.Tx, sess Session, now time.Time) (bool, error) {
		sd, ok, err := takeCeremony(ctx, tx, id)
		if err != nil || !ok || perr != nil {
			return false, err
		}
		u, err := s.loadUser(ctx, tx, sess)
		if err != nil {
			return false, err
		}
		cred, err := wa.CreateCredential(u, sd, parsed)
		if err != nil {
			return false, nil
		}
		data, err := json.Marshal(cred)
		if err != nil {
			return false, err
		}
		if name = strings.TrimSpace(name); name == "" {
			name = "Security key"
		}
		if len(name) > 64 {
			name = name[:64]
		}
		err = tx.CreateWebAuthnCredential(ctx, store.WebAuthnCredential{CredentialID: cred.ID, IdentityStoreID: s.IdentityStoreID,
			UserID: sess.UserID, Name: name, Data: data, SignCount: cred.Authenticator.SignCount, CreatedAt: now})
		if errors.Is(err, store.ErrAlreadyExists) {
			return false, nil // that authenticator's credential is registered already
		}
		if err != nil {
			return false, fmt.Errorf("signin: register security key: %w", err)
		}
		return true, nil
	})
}

// BeginWebAuthnLogin starts an MFA challenge with the user's registered
// security keys at StepMFA and returns the PublicKeyCredentialRequestOptions
// (JSON) for navigator.credentials.get.
func (s *Service) BeginWebAuthnLogin(ctx context.Context, id string) ([]byte, error) {
	return s.beginCeremony(ctx, id, StepMFA, func(wa *webauthn.WebAuthn, u waUser) (any, *webauthn.SessionData, error) {
		a, sd, err := wa.BeginLogin(u)
		if err != nil {
			return nil, nil, err
		}
		return a.Response, sd, nil
	})
}

// VerifyWebAuthn checks the browser's assertion (JSON) at StepMFA. The
// authenticator's signature counter must grow (unless it keeps none): a
// counter that does not is refused as a possibly cloned key. A bad
// assertion counts as a failed attempt (ErrInvalidCode).
func (s *Service) VerifyWebAuthn(ctx context.Context, id string, response []byte, client Client) (Session, string, error) {
	wa, err := s.relyingParty()
	if err != nil {
		return Session{}, "", err
	}
	parsed, perr := protocol.ParseCredentialRequestResponseBytes(response)
	return s.mfa(ctx, id, StepMFA, store.MFATypeWebAuthn, client, func(tx store.Tx, sess Session, now time.Time) (bool, error) {
		sd, ok, err := takeCeremony(ctx, tx, id)
		if err != nil || !ok || perr != nil {
			return false, err
		}
		u, err := s.loadUser(ctx, tx, sess)
		if err != nil {
			return false, err
		}
		cred, err := wa.ValidateLogin(u, sd, parsed)
		if err != nil || cred.Authenticator.CloneWarning {
			return false, nil
		}
		data, err := json.Marshal(cred)
		if err != nil {
			return false, err
		}
		err = tx.UseWebAuthnCredential(ctx, cred.ID, cred.Authenticator.SignCount, data, now)
		if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("signin: use security key: %w", err)
		}
		return true, nil
	})
}
