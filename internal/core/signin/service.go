package signin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/idcenter/idcenter/internal/store"
)

// Rules of the sign-in.
const (
	// MaxFailedAttempts wrong passwords or codes in a row lock the user out
	// for LockoutDuration.
	MaxFailedAttempts = 5
	LockoutDuration   = 15 * time.Minute
	// DefaultSessionTTL is the portal session's lifetime (AWS's default).
	DefaultSessionTTL = 8 * time.Hour
	// PendingTTL bounds a sign-in that has not reached StepDone.
	PendingTTL = 15 * time.Minute
	// ContextTTL is how long a browser stays known after an MFA (CONTEXT_CHANGE mode).
	ContextTTL = 30 * 24 * time.Hour
)

// Step is what a sign-in needs next.
type Step string

const (
	StepChangePassword Step = "CHANGE_PASSWORD" // a one-time password was used
	StepRegisterMFA    Step = "REGISTER_MFA"    // MFA is required and the user has no device
	StepMFA            Step = "MFA"             // a code from the user's device
	StepDone           Step = "DONE"            // signed in
)

// Errors of the sign-in. The web layer shows them without saying more (an
// unknown user and a wrong password are the same ErrInvalidCredentials).
var (
	ErrInvalidCredentials = errors.New("signin: the user name or password is wrong")
	ErrLocked             = errors.New("signin: too many failed attempts; try again later")
	ErrInvalidCode        = errors.New("signin: the code is wrong or was already used")
	ErrNoSession          = errors.New("signin: no such session, or it has expired")
	ErrWrongStep          = errors.New("signin: this step is not the one the sign-in is at")
	ErrMFABlocked         = errors.New("signin: MFA is required and the user has no registered device; ask an administrator")
	ErrUserNotFound       = errors.New("signin: no user has that user name")
)

// Settings are an instance's sign-in settings: its MFA settings (as AWS
// has them) and the portal session's lifetime.
type Settings struct {
	Mode     string // store.MFAAlways (default), store.MFAContextChange, store.MFANever
	NoDevice string // store.MFANoDeviceRegister (default), store.MFANoDeviceBlock, store.MFANoDeviceAllow
	// Types are the MFA types users may register and sign in with
	// (store.MFATypeTOTP, store.MFATypeWebAuthn); both by default.
	Types []string
	// SessionDuration is the portal session's lifetime, 15 minutes to 90
	// days; DefaultSessionTTL (8 hours) by default.
	SessionDuration time.Duration
	// DevicesAdminOnly: users may not register or delete their own MFA
	// devices on the portal's MFA devices page (devices.go). False by
	// default: as in AWS, users manage their own devices.
	DevicesAdminOnly bool
}

// Limits of the portal session's lifetime (AWS's).
const (
	MinSessionDuration = 15 * time.Minute
	MaxSessionDuration = 90 * 24 * time.Hour
)

// allows reports whether the settings allow an MFA type.
func (st Settings) allows(typ string) bool { return contains(st.Types, typ) }

// Session is a portal session as the web layer sees it.
type Session struct {
	// ID is the secret session id (the cookie value); set only by Begin.
	ID          string
	UserID      string
	UserName    string
	DisplayName string
	Next        Step
	CreatedAt   time.Time
	ExpiresAt   time.Time
	// Methods are the MFA types the user may use: at StepMFA those of the
	// user's registered devices that the instance allows, at
	// StepRegisterMFA the types the instance allows.
	Methods []string
}

// Service signs users of one instance's identity store in.
type Service struct {
	Store           store.Store
	IdentityStoreID string
	InstanceARN     string
	// Issuer names the service in authenticator apps; "idcenter" when empty.
	Issuer string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Rand is the source of secrets; crypto/rand when nil.
	Rand io.Reader
	// SessionTTL overrides the instance's portal session lifetime when
	// non-zero (tests).
	SessionTTL time.Duration
	// PublicURL is the URL browsers reach the portal at (scheme://host:port):
	// WebAuthn's relying party id is its host and its origin the only one
	// accepted.
	PublicURL string
	// Hash are argon2id's costs; DefaultHashParams when zero.
	Hash HashParams

	dummyOnce sync.Once
	dummy     string // a hash to verify against when the user is unknown
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) rand() io.Reader {
	if s.Rand != nil {
		return s.Rand
	}
	return rand.Reader
}

func (s *Service) hashParams() HashParams {
	if s.Hash == (HashParams{}) {
		return DefaultHashParams()
	}
	return s.Hash
}

func (s *Service) sessionTTL(set Settings) time.Duration {
	if s.SessionTTL > 0 {
		return s.SessionTTL
	}
	if set.SessionDuration > 0 {
		return set.SessionDuration
	}
	return DefaultSessionTTL
}

func (s *Service) issuer() string {
	if s.Issuer != "" {
		return s.Issuer
	}
	return "idcenter"
}

func hashSecret(v string) []byte {
	h := sha256.Sum256([]byte(v))
	return h[:]
}

func (s *Service) randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(s.rand(), b); err != nil {
		return "", fmt.Errorf("signin: random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// findUser finds a user of the instance's identity store by user name.
func (s *Service) findUser(ctx context.Context, tx store.Tx, userName string) (store.User, error) {
	id, err := tx.FindUserID(ctx, s.IdentityStoreID, store.UserLookup{UserName: userName})
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, ErrUserNotFound
	}
	if err != nil {
		return store.User{}, fmt.Errorf("signin: find user: %w", err)
	}
	u, err := tx.GetUser(ctx, s.IdentityStoreID, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, ErrUserNotFound
	}
	if err != nil {
		return store.User{}, fmt.Errorf("signin: get user: %w", err)
	}
	return u, nil
}

// MFASettings returns the instance's MFA settings (defaults when never set).
func (s *Service) MFASettings(ctx context.Context) (Settings, error) {
	var out Settings
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		out, err = s.settings(ctx, tx)
		return err
	})
	return out, err
}

func (s *Service) settings(ctx context.Context, tx store.Tx) (Settings, error) {
	st, err := tx.GetMFASettings(ctx, s.InstanceARN)
	if errors.Is(err, store.ErrNotFound) {
		return DefaultSettings(), nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("signin: mfa settings: %w", err)
	}
	out := Settings{Mode: st.Mode, NoDevice: st.NoDevice, Types: st.Types, SessionDuration: st.SessionDuration,
		DevicesAdminOnly: st.DevicesAdminOnly}
	if len(out.Types) == 0 {
		out.Types = DefaultSettings().Types
	}
	if out.SessionDuration == 0 {
		out.SessionDuration = DefaultSessionTTL
	}
	return out, nil
}

// DefaultSettings are an instance's settings until an administrator changes them.
func DefaultSettings() Settings {
	return Settings{Mode: store.MFAAlways, NoDevice: store.MFANoDeviceRegister,
		Types: []string{store.MFATypeTOTP, store.MFATypeWebAuthn}, SessionDuration: DefaultSessionTTL}
}

// SetMFASettings replaces the instance's sign-in settings. Empty fields
// take their defaults (Mode ALWAYS, NoDevice REGISTER, both Types, an
// 8-hour session); an invalid value changes nothing. Sessions already
// signed in keep their expiry.
func (s *Service) SetMFASettings(ctx context.Context, in Settings) error {
	def := DefaultSettings()
	if in.Mode == "" {
		in.Mode = def.Mode
	}
	if in.NoDevice == "" {
		in.NoDevice = def.NoDevice
	}
	if len(in.Types) == 0 {
		in.Types = def.Types
	}
	if in.SessionDuration == 0 {
		in.SessionDuration = def.SessionDuration
	}
	switch in.Mode {
	case store.MFAAlways, store.MFAContextChange, store.MFANever:
	default:
		return fmt.Errorf("signin: MFA mode %q: want ALWAYS, CONTEXT_CHANGE or NEVER", in.Mode)
	}
	switch in.NoDevice {
	case store.MFANoDeviceRegister, store.MFANoDeviceBlock, store.MFANoDeviceAllow:
	default:
		return fmt.Errorf("signin: no-device behaviour %q: want REGISTER, BLOCK or ALLOW", in.NoDevice)
	}
	var types []string
	for _, t := range in.Types {
		switch t {
		case store.MFATypeTOTP, store.MFATypeWebAuthn:
		default:
			return fmt.Errorf("signin: MFA type %q: want TOTP or WEBAUTHN", t)
		}
		if !contains(types, t) {
			types = append(types, t)
		}
	}
	if in.SessionDuration < MinSessionDuration || in.SessionDuration > MaxSessionDuration {
		return fmt.Errorf("signin: portal session duration %s: want 15m to 2160h (90 days)", in.SessionDuration)
	}
	if in.SessionDuration%time.Second != 0 {
		return fmt.Errorf("signin: portal session duration %s: want whole seconds", in.SessionDuration)
	}
	return s.Store.Update(ctx, func(tx store.Tx) error {
		return tx.PutMFASettings(ctx, store.MFASettings{InstanceARN: s.InstanceARN, Mode: in.Mode, NoDevice: in.NoDevice,
			Types: types, SessionDuration: in.SessionDuration, DevicesAdminOnly: in.DevicesAdminOnly})
	})
}

// SetPassword sets a user's password as given (it must meet the policy),
// clears the lockout and ends the user's portal sessions.
func (s *Service) SetPassword(ctx context.Context, userName, password string) error {
	if err := CheckPolicy(userName, password); err != nil {
		return err
	}
	return s.setPassword(ctx, userName, password, false)
}

// SetOneTimePassword gives the user a random password that must be changed
// at the next sign-in, and returns it (it is not kept).
func (s *Service) SetOneTimePassword(ctx context.Context, userName string) (string, error) {
	pw, err := generatePassword(s.rand())
	if err != nil {
		return "", err
	}
	if err := s.setPassword(ctx, userName, pw, true); err != nil {
		return "", err
	}
	return pw, nil
}

func (s *Service) setPassword(ctx context.Context, userName, password string, mustChange bool) error {
	h, err := hashPassword(s.rand(), s.hashParams(), password)
	if err != nil {
		return err
	}
	now := s.now()
	return s.Store.Update(ctx, func(tx store.Tx) error {
		u, err := s.findUser(ctx, tx, userName)
		if err != nil {
			return err
		}
		if err := tx.PutUserCredential(ctx, store.UserCredential{IdentityStoreID: s.IdentityStoreID, UserID: u.UserID,
			PasswordHash: h, MustChange: mustChange, UpdatedAt: now}); err != nil {
			return fmt.Errorf("signin: set password: %w", err)
		}
		if _, err := tx.DeleteUserWebSessions(ctx, s.IdentityStoreID, u.UserID); err != nil {
			return fmt.Errorf("signin: end sessions: %w", err)
		}
		return nil
	})
}

// ResetMFA removes the user's MFA devices and known browsers and ends the
// user's sessions; it reports how many devices were removed.
func (s *Service) ResetMFA(ctx context.Context, userName string) (int, error) {
	var n int
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		u, err := s.findUser(ctx, tx, userName)
		if err != nil {
			return err
		}
		if n, err = tx.DeleteTOTPDevices(ctx, s.IdentityStoreID, u.UserID); err != nil {
			return fmt.Errorf("signin: reset mfa: %w", err)
		}
		k, err := tx.DeleteWebAuthnCredentials(ctx, s.IdentityStoreID, u.UserID)
		if err != nil {
			return fmt.Errorf("signin: reset mfa: %w", err)
		}
		n += k
		if err := tx.DeleteUserKnownContexts(ctx, s.IdentityStoreID, u.UserID); err != nil {
			return fmt.Errorf("signin: reset mfa: %w", err)
		}
		if _, err := tx.DeleteUserWebSessions(ctx, s.IdentityStoreID, u.UserID); err != nil {
			return fmt.Errorf("signin: end sessions: %w", err)
		}
		return nil
	})
	return n, err
}

// CheckPassword verifies a user's password with the lockout rules and
// returns the user's id. Unknown users, users without a password and
// DISABLED users get ErrInvalidCredentials; a locked user ErrLocked.
func (s *Service) CheckPassword(ctx context.Context, userName, password string) (string, error) {
	var u store.User
	var cred store.UserCredential
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		if u, err = s.findUser(ctx, tx, userName); err != nil {
			return err
		}
		cred, err = tx.GetUserCredential(ctx, s.IdentityStoreID, u.UserID)
		return err
	})
	if errors.Is(err, ErrUserNotFound) || errors.Is(err, store.ErrNotFound) {
		// Spend the same time as a real check: no user enumeration by timing.
		s.dummyOnce.Do(func() { s.dummy, _ = hashPassword(s.rand(), s.hashParams(), "dummy password") })
		_, _ = verifyPassword(s.dummy, password)
		return "", ErrInvalidCredentials
	}
	if err != nil {
		return "", fmt.Errorf("signin: check password: %w", err)
	}
	now := s.now()
	if now.Before(cred.LockedUntil) {
		return "", ErrLocked
	}
	ok, err := verifyPassword(cred.PasswordHash, password)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", s.fail(ctx, u.UserID, ErrInvalidCredentials)
	}
	if u.Status == "DISABLED" {
		return "", ErrInvalidCredentials
	}
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		c, err := tx.GetUserCredential(ctx, s.IdentityStoreID, u.UserID)
		if err != nil {
			return err
		}
		if c.FailedAttempts == 0 && c.LockedUntil.IsZero() {
			return nil
		}
		c.FailedAttempts, c.LockedUntil = 0, time.Time{}
		return tx.PutUserCredential(ctx, c)
	})
	if err != nil {
		return "", fmt.Errorf("signin: record success: %w", err)
	}
	return u.UserID, nil
}

// fail counts a failed attempt of a user and returns why (ErrLocked when
// this attempt locks the user out, else cause). Locking ends the user's
// sign-ins in progress.
func (s *Service) fail(ctx context.Context, userID string, cause error) error {
	now := s.now()
	out := cause
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		c, err := tx.GetUserCredential(ctx, s.IdentityStoreID, userID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		c.FailedAttempts++
		if c.FailedAttempts >= MaxFailedAttempts {
			c.FailedAttempts, c.LockedUntil = 0, now.Add(LockoutDuration)
			out = ErrLocked
		}
		return tx.PutUserCredential(ctx, c)
	})
	if err != nil {
		return fmt.Errorf("signin: record failure: %w", err)
	}
	return out
}

// Begin checks the password and starts a sign-in. contextToken is the
// browser's known-context cookie (may be empty). The returned Session has
// its ID set; its Next step says what the user must do next.
func (s *Service) Begin(ctx context.Context, userName, password, contextToken string) (Session, error) {
	return s.BeginFrom(ctx, userName, password, contextToken, Client{})
}

// BeginFrom is Begin for a browser: in the CONTEXT_CHANGE mode a known
// context only spares the MFA when it was made from the same client (user
// agent and address).
func (s *Service) BeginFrom(ctx context.Context, userName, password, contextToken string, client Client) (Session, error) {
	if ext, err := s.External(ctx); err != nil {
		return Session{}, err
	} else if ext {
		return Session{}, ErrExternalSource // external.go
	}
	userID, err := s.CheckPassword(ctx, userName, password)
	if err != nil {
		return Session{}, err
	}
	id, err := s.randomToken()
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	var out Session
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.DeleteExpiredWebSessions(ctx, now); err != nil {
			return err
		}
		set, err := s.settings(ctx, tx)
		if err != nil {
			return err
		}
		mfaDone := set.Mode == store.MFANever
		if set.Mode == store.MFAContextChange && contextToken != "" {
			k, err := tx.GetKnownContext(ctx, hashSecret(contextToken))
			switch {
			case err == nil:
				mfaDone = k.UserID == userID && k.IdentityStoreID == s.IdentityStoreID && now.Before(k.ExpiresAt) &&
					(k.ClientHash == nil || subtle.ConstantTimeCompare(k.ClientHash, client.hash()) == 1)
			case !errors.Is(err, store.ErrNotFound):
				return err
			}
		}
		ws := store.WebSession{IDHash: hashSecret(id), IdentityStoreID: s.IdentityStoreID, UserID: userID,
			CreatedAt: now, ExpiresAt: now.Add(PendingTTL), MFADone: mfaDone}
		sess, err := s.describe(ctx, tx, ws)
		if err != nil {
			return err
		}
		if sess.Next == StepDone {
			ws.ExpiresAt = now.Add(s.sessionTTL(set))
			sess.ExpiresAt = ws.ExpiresAt
		}
		if err := tx.CreateWebSession(ctx, ws); err != nil {
			return fmt.Errorf("signin: create session: %w", err)
		}
		out = sess
		return nil
	})
	if err != nil {
		return Session{}, err
	}
	out.ID = id
	return out, nil
}

// describe computes the Session of a stored web session.
func (s *Service) describe(ctx context.Context, tx store.Tx, ws store.WebSession) (Session, error) {
	u, err := tx.GetUser(ctx, ws.IdentityStoreID, ws.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("signin: session user: %w", err)
	}
	if u.Status == "DISABLED" {
		return Session{}, ErrNoSession
	}
	out := Session{UserID: u.UserID, UserName: u.UserName, DisplayName: u.Attributes.DisplayName,
		CreatedAt: ws.CreatedAt, ExpiresAt: ws.ExpiresAt, Next: StepDone}
	if out.DisplayName == "" {
		out.DisplayName = u.UserName
	}
	// With an external IdP (external.go) the IdP checked the password and
	// MFA: only sessions it signed in (MFADone) are valid.
	if ext, err := s.external(ctx, tx); err != nil {
		return Session{}, err
	} else if ext {
		if !ws.MFADone {
			return Session{}, ErrNoSession
		}
		return out, nil
	}
	cred, err := tx.GetUserCredential(ctx, ws.IdentityStoreID, ws.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("signin: session credential: %w", err)
	}
	switch {
	case cred.MustChange:
		out.Next = StepChangePassword
	case !ws.MFADone:
		set, err := s.settings(ctx, tx)
		if err != nil {
			return Session{}, err
		}
		methods, err := s.userMethods(ctx, tx, set, ws.IdentityStoreID, ws.UserID)
		if err != nil {
			return Session{}, err
		}
		if len(methods) > 0 {
			out.Next, out.Methods = StepMFA, methods
			break
		}
		switch set.NoDevice {
		case store.MFANoDeviceBlock:
			return Session{}, ErrMFABlocked
		case store.MFANoDeviceAllow:
			// AWS's "Allow them to sign in": the password alone.
		default:
			out.Next, out.Methods = StepRegisterMFA, set.Types
		}
	}
	return out, nil
}

// load reads a live session by its secret id.
func (s *Service) load(ctx context.Context, tx store.Tx, id string) (store.WebSession, Session, error) {
	if id == "" {
		return store.WebSession{}, Session{}, ErrNoSession
	}
	ws, err := tx.GetWebSession(ctx, hashSecret(id))
	if errors.Is(err, store.ErrNotFound) {
		return ws, Session{}, ErrNoSession
	}
	if err != nil {
		return ws, Session{}, fmt.Errorf("signin: get session: %w", err)
	}
	if !s.now().Before(ws.ExpiresAt) {
		return ws, Session{}, ErrNoSession
	}
	sess, err := s.describe(ctx, tx, ws)
	return ws, sess, err
}

// Session returns the live session of a session id: ErrNoSession when it is
// unknown, expired, or its user was deleted or disabled.
func (s *Service) Session(ctx context.Context, id string) (Session, error) {
	var out Session
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		_, out, err = s.load(ctx, tx, id)
		return err
	})
	return out, err
}

// End signs a session out (no error when it is already gone).
func (s *Service) End(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	err := s.Store.Update(ctx, func(tx store.Tx) error { return tx.DeleteWebSession(ctx, hashSecret(id)) })
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("signin: end session: %w", err)
	}
	return nil
}

// advance stores a step's result and extends the session once it is Done.
func (s *Service) advance(ctx context.Context, tx store.Tx, ws store.WebSession) (Session, error) {
	sess, err := s.describe(ctx, tx, ws)
	if err != nil {
		return Session{}, err
	}
	if sess.Next == StepDone {
		set, err := s.settings(ctx, tx)
		if err != nil {
			return Session{}, err
		}
		ws.ExpiresAt = s.now().Add(s.sessionTTL(set))
		sess.ExpiresAt = ws.ExpiresAt
	}
	if err := tx.UpdateWebSession(ctx, ws); err != nil {
		return Session{}, fmt.Errorf("signin: update session: %w", err)
	}
	return sess, nil
}

// ChangePassword replaces a one-time password at StepChangePassword.
func (s *Service) ChangePassword(ctx context.Context, id, newPassword string) (Session, error) {
	cur, err := s.Session(ctx, id)
	if err != nil {
		return Session{}, err
	}
	if cur.Next != StepChangePassword {
		return Session{}, ErrWrongStep
	}
	if err := CheckPolicy(cur.UserName, newPassword); err != nil {
		return Session{}, err
	}
	h, err := hashPassword(s.rand(), s.hashParams(), newPassword)
	if err != nil {
		return Session{}, err
	}
	var out Session
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		ws, sess, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if sess.Next != StepChangePassword {
			return ErrWrongStep
		}
		c, err := tx.GetUserCredential(ctx, s.IdentityStoreID, sess.UserID)
		if err != nil {
			return fmt.Errorf("signin: credential: %w", err)
		}
		if same, _ := verifyPassword(c.PasswordHash, newPassword); same {
			return fmt.Errorf("%w: choose a password other than the one-time password", ErrPasswordPolicy)
		}
		c.PasswordHash, c.MustChange, c.UpdatedAt = h, false, s.now()
		if err := tx.PutUserCredential(ctx, c); err != nil {
			return fmt.Errorf("signin: change password: %w", err)
		}
		out, err = s.advance(ctx, tx, ws)
		return err
	})
	return out, err
}

// BeginTOTPRegistration makes a new TOTP secret for a session at
// StepRegisterMFA. Nothing is stored until RegisterTOTP proves a code.
func (s *Service) BeginTOTPRegistration(ctx context.Context, id string) (Enrolment, error) {
	sess, err := s.Session(ctx, id)
	if err != nil {
		return Enrolment{}, err
	}
	if sess.Next != StepRegisterMFA || !contains(sess.Methods, store.MFATypeTOTP) {
		return Enrolment{}, ErrWrongStep
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: s.issuer(), AccountName: sess.UserName, Period: totpPeriod,
		SecretSize: totpSecretSize, Digits: totpDigits, Rand: s.rand()})
	if err != nil {
		return Enrolment{}, fmt.Errorf("signin: totp secret: %w", err)
	}
	return Enrolment{Secret: key.Secret(), URL: key.URL()}, nil
}

// RegisterTOTP registers the device of secret when code is its current code
// (at StepRegisterMFA) and completes the MFA. It returns the session and a
// known-context token for the browser.
func (s *Service) RegisterTOTP(ctx context.Context, id, secret, code, name string) (Session, string, error) {
	return s.RegisterTOTPFrom(ctx, id, secret, code, name, Client{})
}

// RegisterTOTPFrom is RegisterTOTP binding the known context to a client.
func (s *Service) RegisterTOTPFrom(ctx context.Context, id, secret, code, name string, client Client) (Session, string, error) {
	secret, err := normaliseSecret(secret)
	if err != nil {
		return Session{}, "", err
	}
	return s.mfa(ctx, id, StepRegisterMFA, store.MFATypeTOTP, client, func(tx store.Tx, sess Session, now time.Time) (bool, error) {
		st, ok := matchStep(secret, code, now)
		if !ok {
			return false, nil
		}
		devID, err := s.randomToken()
		if err != nil {
			return false, err
		}
		if name == "" {
			name = "Authenticator app"
		}
		err = tx.CreateTOTPDevice(ctx, store.TOTPDevice{DeviceID: devID[:22], IdentityStoreID: s.IdentityStoreID,
			UserID: sess.UserID, Name: name, Secret: secret, LastUsedStep: st, CreatedAt: now})
		if err != nil {
			return false, fmt.Errorf("signin: register device: %w", err)
		}
		return true, nil
	})
}

// VerifyMFA checks a code of one of the user's devices at StepMFA; each code
// is accepted once. It returns the session and a known-context token.
func (s *Service) VerifyMFA(ctx context.Context, id, code string) (Session, string, error) {
	return s.VerifyMFAFrom(ctx, id, code, Client{})
}

// VerifyMFAFrom is VerifyMFA binding the known context to a client.
func (s *Service) VerifyMFAFrom(ctx context.Context, id, code string, client Client) (Session, string, error) {
	return s.mfa(ctx, id, StepMFA, store.MFATypeTOTP, client, func(tx store.Tx, sess Session, now time.Time) (bool, error) {
		devs, err := tx.ListTOTPDevices(ctx, s.IdentityStoreID, sess.UserID)
		if err != nil {
			return false, fmt.Errorf("signin: devices: %w", err)
		}
		for _, d := range devs {
			st, ok := matchStep(d.Secret, code, now)
			if !ok {
				continue
			}
			err := tx.UseTOTPStep(ctx, d.DeviceID, st)
			if errors.Is(err, store.ErrConflict) {
				continue // replayed
			}
			if err != nil {
				return false, fmt.Errorf("signin: use code: %w", err)
			}
			return true, nil
		}
		return false, nil
	})
}

// mfa runs a second-factor step of an MFA type: check(…) says whether the
// code (or assertion) is good; a bad one counts as a failed attempt.
func (s *Service) mfa(ctx context.Context, id string, want Step, typ string, client Client,
	check func(tx store.Tx, sess Session, now time.Time) (bool, error)) (Session, string, error) {
	token, err := s.randomToken()
	if err != nil {
		return Session{}, "", err
	}
	now := s.now()
	var out Session
	var failedUser string
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		ws, sess, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if sess.Next != want || !contains(sess.Methods, typ) {
			return ErrWrongStep
		}
		c, err := tx.GetUserCredential(ctx, s.IdentityStoreID, sess.UserID)
		if err != nil {
			return fmt.Errorf("signin: credential: %w", err)
		}
		if now.Before(c.LockedUntil) {
			return ErrLocked
		}
		ok, err := check(tx, sess, now)
		if err != nil {
			return err
		}
		if !ok {
			failedUser = sess.UserID
			return nil
		}
		if c.FailedAttempts != 0 {
			c.FailedAttempts = 0
			if err := tx.PutUserCredential(ctx, c); err != nil {
				return err
			}
		}
		if err := tx.PutKnownContext(ctx, store.KnownContext{Hash: hashSecret(token), IdentityStoreID: s.IdentityStoreID,
			UserID: sess.UserID, CreatedAt: now, ExpiresAt: now.Add(ContextTTL), ClientHash: client.hash()}); err != nil {
			return fmt.Errorf("signin: remember browser: %w", err)
		}
		ws.MFADone = true
		out, err = s.advance(ctx, tx, ws)
		return err
	})
	if err != nil {
		return Session{}, "", err
	}
	if failedUser != "" {
		err := s.fail(ctx, failedUser, ErrInvalidCode)
		if errors.Is(err, ErrLocked) {
			_ = s.End(ctx, id)
		}
		return Session{}, "", err
	}
	return out, token, nil
}

// Client is the browser a sign-in comes from, for the CONTEXT_CHANGE mode.
// The zero Client binds nothing.
type Client struct {
	UserAgent string
	IP        string
}

// hash is the SHA-256 of the client, nil for the zero Client.
func (c Client) hash() []byte {
	if c == (Client{}) {
		return nil
	}
	return hashSecret(c.UserAgent + "\x00" + c.IP)
}

// userMethods are the MFA types of the user's registered devices that the
// instance allows.
func (s *Service) userMethods(ctx context.Context, tx store.Tx, set Settings, storeID, userID string) ([]string, error) {
	var out []string
	if set.allows(store.MFATypeTOTP) {
		devs, err := tx.ListTOTPDevices(ctx, storeID, userID)
		if err != nil {
			return nil, fmt.Errorf("signin: devices: %w", err)
		}
		if len(devs) > 0 {
			out = append(out, store.MFATypeTOTP)
		}
	}
	if set.allows(store.MFATypeWebAuthn) {
		creds, err := tx.ListWebAuthnCredentials(ctx, storeID, userID)
		if err != nil {
			return nil, fmt.Errorf("signin: security keys: %w", err)
		}
		if len(creds) > 0 {
			out = append(out, store.MFATypeWebAuthn)
		}
	}
	return out, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
