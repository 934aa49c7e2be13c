package signin

import (
	"context"
	"errors"
	"fmt"

	"github.com/idcenter/idcenter/internal/store"
)

// Errors of a sign-in at an external identity provider.
var (
	// ErrExternalSource: the instance's users sign in at an external IdP;
	// passwords are not used.
	ErrExternalSource = errors.New("signin: users sign in at the external identity provider; passwords are not used")
	// ErrNotExternal: an external sign-in while the identity store is the source.
	ErrNotExternal = errors.New("signin: the identity source is the identity store, not an external identity provider")
	// ErrUserDisabled: the user exists but is disabled.
	ErrUserDisabled = errors.New("signin: the user is disabled")
)

// External reports whether the instance's identity source is an external
// identity provider (SAML 2.0).
func (s *Service) External(ctx context.Context) (bool, error) {
	var ext bool
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		ext, err = s.external(ctx, tx)
		return err
	})
	return ext, err
}

func (s *Service) external(ctx context.Context, tx store.Tx) (bool, error) {
	src, err := tx.GetIdentitySource(ctx, s.InstanceARN)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("signin: identity source: %w", err)
	}
	return src.Type == store.IdentitySourceExternalSAML, nil
}

// BeginExternal signs in a user the external identity provider has
// authenticated (a verified SAML assertion whose NameID is userName). The
// IdP is responsible for the password and MFA, so the session is signed in
// (StepDone) at once. Unknown users get ErrUserNotFound, disabled ones
// ErrUserDisabled; with the identity store as the source, ErrNotExternal.
func (s *Service) BeginExternal(ctx context.Context, userName string) (Session, error) {
	id, err := s.randomToken()
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	var out Session
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		ext, err := s.external(ctx, tx)
		if err != nil {
			return err
		}
		if !ext {
			return ErrNotExternal
		}
		u, err := s.findUser(ctx, tx, userName)
		if err != nil {
			return err
		}
		if u.Status == "DISABLED" {
			return ErrUserDisabled
		}
		if _, err := tx.DeleteExpiredWebSessions(ctx, now); err != nil {
			return err
		}
		set, err := s.settings(ctx, tx)
		if err != nil {
			return err
		}
		ws := store.WebSession{IDHash: hashSecret(id), IdentityStoreID: s.IdentityStoreID, UserID: u.UserID,
			CreatedAt: now, ExpiresAt: now.Add(s.sessionTTL(set)), MFADone: true}
		if err := tx.CreateWebSession(ctx, ws); err != nil {
			return fmt.Errorf("signin: create session: %w", err)
		}
		out, err = s.describe(ctx, tx, ws)
		return err
	})
	if err != nil {
		return Session{}, err
	}
	out.ID = id
	return out, nil
}
