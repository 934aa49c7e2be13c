package browser_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"github.com/idcenter/idcenter/internal/store"
)

// atLocalhost makes the browser reach the server as http://localhost:PORT:
// WebAuthn needs a secure context and a host name as relying party id, and
// Chromium takes http://localhost as potentially trustworthy (127.0.0.1 is
// not a valid relying party id).
func atLocalhost(srv *server) {
	srv.URL = strings.Replace(srv.URL, "http://127.0.0.1:", "http://localhost:", 1)
	srv.SetBaseURL(srv.URL)
}

// addVirtualAuthenticator gives the page's tab a CTAP2 platform
// authenticator with resident keys and user verification that answers
// without a person (Chromium's DevTools WebAuthn domain).
func (p *page) addVirtualAuthenticator() webauthn.AuthenticatorID {
	p.t.Helper()
	var id webauthn.AuthenticatorID
	p.do("add a virtual authenticator", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, webauthn.Enable, webauthn.EnableParams{}); err != nil {
			return err
		}
		res, err := cdp.Call(ctx, t, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
			Options: &webauthn.VirtualAuthenticatorOptions{
				Protocol:                    webauthn.AuthenticatorProtocolCtap2,
				Ctap2version:                webauthn.Ctap2versionCtap21,
				Transport:                   webauthn.AuthenticatorTransportInternal,
				HasResidentKey:              true,
				HasUserVerification:         true,
				IsUserVerified:              true,
				AutomaticPresenceSimulation: true,
			}})
		id = res.AuthenticatorID
		return err
	}))
	return id
}

// addCredential is WebAuthn.addCredential with a credential of only the
// basic fields (cdproto's sends every extension field, which Chromium
// refuses for an authenticator without those extensions).
var addCredential = cdp.Command[addCredentialParams, cdp.Empty]{Method: webauthn.CommandAddCredential}

type addCredentialParams struct {
	AuthenticatorID webauthn.AuthenticatorID `json:"authenticatorId"`
	Credential      struct {
		CredentialID         []byte `json:"credentialId"`
		IsResidentCredential bool   `json:"isResidentCredential"`
		RpID                 string `json:"rpId"`
		PrivateKey           []byte `json:"privateKey"`
		UserHandle           []byte `json:"userHandle,omitempty"`
		SignCount            int    `json:"signCount"`
	} `json:"credential"`
}

// cloneKeys puts the authenticator's credentials back with their signature
// counters reset, as a copy of the key made earlier would present them.
func (p *page) cloneKeys(id webauthn.AuthenticatorID) {
	p.t.Helper()
	p.do("reset the key's counter", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		res, err := cdp.Call(ctx, t, webauthn.GetCredentials, webauthn.GetCredentialsParams{AuthenticatorID: id})
		if err != nil {
			return err
		}
		if len(res.Credentials) == 0 {
			return fmt.Errorf("the virtual authenticator has no credential")
		}
		if _, err := cdp.Call(ctx, t, webauthn.ClearCredentials, webauthn.ClearCredentialsParams{AuthenticatorID: id}); err != nil {
			return err
		}
		for _, c := range res.Credentials {
			// Only the fields an authenticator without extensions takes.
			in := addCredentialParams{AuthenticatorID: id}
			in.Credential.CredentialID, in.Credential.IsResidentCredential = c.CredentialID, c.IsResidentCredential
			in.Credential.RpID, in.Credential.PrivateKey, in.Credential.UserHandle = c.RpID, c.PrivateKey, c.UserHandle
			if _, err := cdp.Call(ctx, t, addCredential, in); err != nil {
				return err
			}
		}
		return nil
	}))
}

// keysOf reads the user's stored security keys.
func (s *server) keysOf(t *testing.T, u *user) []store.WebAuthnCredential {
	t.Helper()
	var out []store.WebAuthnCredential
	err := s.Store.View(context.Background(), func(tx store.Tx) error {
		var err error
		out, err = tx.ListWebAuthnCredentials(context.Background(), s.World.Instance.IdentityStoreID, u.ID)
		return err
	})
	if err != nil {
		t.Fatalf("ListWebAuthnCredentials: %v", err)
	}
	return out
}

// TestSecurityKeyRegistrationAndSignIn: at the first sign-in a user registers
// a security key (a virtual authenticator in Chromium) instead of an
// authenticator app; after signing out, the sign-in asks for the key (no
// code field: the user has no app), refuses a forged answer, and accepts
// the key, whose signature counter grows; a copy of the key whose counter
// is behind is refused.
func TestSecurityKeyRegistrationAndSignIn(t *testing.T) {
	srv := startServer(t)
	atLocalhost(srv)
	u := srv.createUser(t, "Wren")
	p := newPage(t, srv)
	auth := p.addVirtualAuthenticator()

	p.open("/start")
	p.signInPassword(u.Name, u.Password)
	p.wantPath("after the password", "/start/mfa/register")
	p.wantText("the registration page", "Register a security key or passkey", "Register an authenticator app")
	p.submit("register the security key", fill("key_name", "laptop"),
		click("/start/mfa/webauthn/register", "Register security key"))
	p.wantPath("after registering the key", "/start")
	p.wantText("after registering the key", "Signed in as Wren")
	keys := srv.keysOf(t, u)
	if len(keys) != 1 || keys[0].Name != "laptop" || len(keys[0].CredentialID) == 0 {
		t.Fatalf("stored keys = %+v; want one named laptop", keys)
	}
	first := keys[0].SignCount

	p.signOut()
	p.open("/start")
	p.signInPassword(u.Name, u.Password)
	p.wantPath("after the password, second sign-in", "/start/mfa")
	if p.has("#code") {
		t.Fatal("the MFA page asks for an authenticator code; the user has only a security key")
	}
	// A forged answer (not from the authenticator) is refused and counted.
	resp := p.submit("a forged answer",
		js(`document.querySelector('form[data-webauthn] input[name=credential]').value = '{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AAAA","signature":"AAAA"}}'`),
		click("/start/mfa/webauthn", "Use security key"))
	if resp.Status != 401 {
		t.Fatalf("forged answer: status %d, want 401", resp.Status)
	}
	if got := p.text("#error"); !strings.Contains(got, "security key was not accepted") {
		t.Fatalf("forged answer: error %q", got)
	}
	p.submit("use the security key", click("/start/mfa/webauthn", "Use security key"))
	p.wantPath("after the security key", "/start")
	p.wantText("after the security key", "Signed in as Wren")
	keys = srv.keysOf(t, u)
	if len(keys) != 1 || keys[0].LastUsedAt.IsZero() {
		t.Fatalf("stored keys after use = %+v", keys)
	}
	if keys[0].SignCount <= first {
		t.Fatalf("signature counter %d after use, was %d: want it to grow", keys[0].SignCount, first)
	}

	// A copy of the key (its counter behind the one last seen) is refused.
	p.signOut()
	p.cloneKeys(auth)
	p.open("/start")
	p.signInPassword(u.Name, u.Password)
	resp = p.submit("a cloned key", click("/start/mfa/webauthn", "Use security key"))
	if resp.Status != 401 {
		t.Fatalf("cloned key: status %d, want 401", resp.Status)
	}
	if got := p.text("#error"); !strings.Contains(got, "security key was not accepted") {
		t.Fatalf("cloned key: error %q", got)
	}
	if after := srv.keysOf(t, u); after[0].SignCount != keys[0].SignCount {
		t.Fatalf("the stored counter moved to %d after a refused key (was %d)", after[0].SignCount, keys[0].SignCount)
	}
}
