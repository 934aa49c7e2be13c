package signin

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/sqlite"
)

const (
	testStoreID = "d-1234567890"
	testARN     = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
	goodPW      = "Correct-Horse-9"
)

var start = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

type env struct {
	t   *testing.T
	ctx context.Context
	now time.Time
	st  store.Store
	svc *Service
}

func newEnv(t *testing.T, users ...string) *env {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "idcenter.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{t: t, ctx: ctx, now: start, st: st}
	e.svc = &Service{Store: st, IdentityStoreID: testStoreID, InstanceARN: testARN, Now: func() time.Time { return e.now },
		Hash: HashParams{Memory: 64, Time: 1, Threads: 1}}
	err = st.Update(ctx, func(tx store.Tx) error {
		for i, u := range users {
			if err := tx.CreateUser(ctx, store.User{IdentityStoreID: testStoreID, UserID: "u-" + string(rune('a'+i)), UserName: u,
				Status: "ENABLED", CreatedAt: start, UpdatedAt: start}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) setPassword(user, pw string) {
	e.t.Helper()
	if err := e.svc.SetPassword(e.ctx, user, pw); err != nil {
		e.t.Fatalf("SetPassword: %v", err)
	}
}

func (e *env) begin(user, pw, contextToken string) Session {
	e.t.Helper()
	s, err := e.svc.Begin(e.ctx, user, pw, contextToken)
	if err != nil {
		e.t.Fatalf("Begin(%s): %v", user, err)
	}
	return s
}

func (e *env) code(secret string, at time.Time) string {
	e.t.Helper()
	c, err := Code(secret, at)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// register signs a new user in through TOTP registration and returns the secret.
func (e *env) register(user string) (string, string) {
	e.t.Helper()
	s := e.begin(user, goodPW, "")
	if s.Next != StepRegisterMFA {
		e.t.Fatalf("Next = %s, want %s", s.Next, StepRegisterMFA)
	}
	en, err := e.svc.BeginTOTPRegistration(e.ctx, s.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	done, tok, err := e.svc.RegisterTOTP(e.ctx, s.ID, en.Secret, e.code(en.Secret, e.now), "phone")
	if err != nil || done.Next != StepDone || tok == "" {
		e.t.Fatalf("RegisterTOTP = %+v, %q, %v", done, tok, err)
	}
	return en.Secret, tok
}

func TestCheckPolicy(t *testing.T) {
	for _, tc := range []struct {
		pw string
		ok bool
	}{
		{"Abcdef1!", true},
		{"Abcde1!", false},                 // 7 characters
		{"abcdef1!", false},                // no upper case
		{"ABCDEF1!", false},                // no lower case
		{"Abcdefg!", false},                // no digit
		{"Abcdefg1", false},                // no symbol
		{strings.Repeat("Aa1!", 16), true}, // 64
		{strings.Repeat("Aa1!", 16) + "x", false},
		{"Bojan-Pw1", true},
		{"Bojan\x00Pw1", false},
	} {
		err := CheckPolicy("bojan", tc.pw)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrPasswordPolicy)) {
			t.Errorf("CheckPolicy(%q) = %v, want ok=%v", tc.pw, err, tc.ok)
		}
	}
	if err := CheckPolicy("Bojan-Pw1", "bojan-pw1"); !errors.Is(err, ErrPasswordPolicy) {
		t.Errorf("password equal to the user name: %v", err)
	}
}

func TestPasswordHash(t *testing.T) {
	e := newEnv(t)
	for _, p := range []HashParams{DefaultHashParams(), {Memory: 64, Time: 1, Threads: 1}} {
		h, err := hashPassword(e.svc.rand(), p, goodPW)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(h, "$argon2id$v=19$") || strings.Contains(h, goodPW) {
			t.Fatalf("hash %q", h)
		}
		h2, _ := hashPassword(e.svc.rand(), p, goodPW)
		if h == h2 {
			t.Fatal("two hashes of one password are equal: no salt")
		}
		for _, tc := range []struct {
			pw   string
			want bool
		}{{goodPW, true}, {"correct-horse-9", false}, {"", false}} {
			if ok, err := verifyPassword(h, tc.pw); err != nil || ok != tc.want {
				t.Errorf("verify(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
			}
		}
	}
	if _, err := verifyPassword("$2a$10$bcrypt", goodPW); err == nil {
		t.Error("a non-argon2id hash was accepted")
	}
	for i := 0; i < 50; i++ {
		pw, err := generatePassword(e.svc.rand())
		if err != nil || CheckPolicy("", pw) != nil || len(pw) != otpLength {
			t.Fatalf("generated %q: %v", pw, err)
		}
	}
}

func TestLockout(t *testing.T) {
	e := newEnv(t, "bojan")
	e.setPassword("bojan", goodPW)
	for i := 1; i < MaxFailedAttempts; i++ {
		if _, err := e.svc.CheckPassword(e.ctx, "bojan", "Wrong-pass1"); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	if _, err := e.svc.CheckPassword(e.ctx, "bojan", "Wrong-pass1"); !errors.Is(err, ErrLocked) {
		t.Fatalf("failure %d: %v, want ErrLocked", MaxFailedAttempts, err)
	}
	e.now = e.now.Add(LockoutDuration - time.Second)
	if _, err := e.svc.CheckPassword(e.ctx, "bojan", goodPW); !errors.Is(err, ErrLocked) {
		t.Fatalf("right password while locked: %v", err)
	}
	e.now = e.now.Add(time.Second)
	if id, err := e.svc.CheckPassword(e.ctx, "BOJAN", goodPW); err != nil || id != "u-a" {
		t.Fatalf("after the lockout (user name in another case): %q, %v", id, err)
	}
	// A success resets the count: four more failures do not lock.
	for i := 1; i < MaxFailedAttempts; i++ {
		if _, err := e.svc.CheckPassword(e.ctx, "bojan", "Wrong-pass1"); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("failure %d after reset: %v", i, err)
		}
	}
	if _, err := e.svc.CheckPassword(e.ctx, "bojan", goodPW); err != nil {
		t.Fatalf("right password after 4 failures: %v", err)
	}
}

func TestUnknownAndDisabledUsers(t *testing.T) {
	e := newEnv(t, "bojan", "nopass")
	e.setPassword("bojan", goodPW)
	for _, tc := range []struct{ user, pw string }{{"nobody", goodPW}, {"nopass", goodPW}, {"", ""}} {
		if _, err := e.svc.Begin(e.ctx, tc.user, tc.pw, ""); !errors.Is(err, ErrInvalidCredentials) {
			t.Errorf("Begin(%q): %v", tc.user, err)
		}
	}
	if err := e.svc.SetPassword(e.ctx, "nobody", goodPW); !errors.Is(err, ErrUserNotFound) {
		t.Errorf("SetPassword(nobody): %v", err)
	}
	if err := e.svc.SetPassword(e.ctx, "bojan", "short"); !errors.Is(err, ErrPasswordPolicy) {
		t.Errorf("SetPassword(weak): %v", err)
	}
	if err := e.svc.SetMFASettings(e.ctx, Settings{Mode: store.MFANever, NoDevice: store.MFANoDeviceRegister}); err != nil {
		t.Fatal(err)
	}
	s := e.begin("bojan", goodPW, "")
	if s.Next != StepDone || s.UserID != "u-a" || !s.ExpiresAt.Equal(start.Add(DefaultSessionTTL)) {
		t.Fatalf("session %+v", s)
	}
	err := e.st.Update(e.ctx, func(tx store.Tx) error {
		u, err := tx.GetUser(e.ctx, testStoreID, "u-a")
		if err != nil {
			return err
		}
		u.Status = "DISABLED"
		return tx.ReplaceUser(e.ctx, u)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Session(e.ctx, s.ID); !errors.Is(err, ErrNoSession) {
		t.Errorf("session of a disabled user: %v", err)
	}
	if _, err := e.svc.Begin(e.ctx, "bojan", goodPW, ""); !errors.Is(err, ErrInvalidCredentials) {
		t.Errorf("disabled user signs in: %v", err)
	}
}

func TestOneTimePasswordAndRegistration(t *testing.T) {
	e := newEnv(t, "bojan")
	otp, err := e.svc.SetOneTimePassword(e.ctx, "bojan")
	if err != nil {
		t.Fatal(err)
	}
	s := e.begin("bojan", otp, "")
	if s.Next != StepChangePassword || !s.ExpiresAt.Equal(start.Add(PendingTTL)) {
		t.Fatalf("after a one-time password: %+v", s)
	}
	if _, err := e.svc.BeginTOTPRegistration(e.ctx, s.ID); !errors.Is(err, ErrWrongStep) {
		t.Fatalf("registration before the password change: %v", err)
	}
	for _, bad := range []string{"weak", otp} {
		if _, err := e.svc.ChangePassword(e.ctx, s.ID, bad); !errors.Is(err, ErrPasswordPolicy) {
			t.Fatalf("ChangePassword(%q): %v", bad, err)
		}
	}
	s2, err := e.svc.ChangePassword(e.ctx, s.ID, goodPW)
	if err != nil || s2.Next != StepRegisterMFA {
		t.Fatalf("ChangePassword = %+v, %v", s2, err)
	}
	if _, err := e.svc.Begin(e.ctx, "bojan", otp, ""); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("the one-time password still works: %v", err)
	}
	en, err := e.svc.BeginTOTPRegistration(e.ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(en.URL, "otpauth://totp/idcenter:bojan?") || !strings.Contains(en.URL, "secret="+en.Secret) {
		t.Fatalf("otpauth URL %q", en.URL)
	}
	if _, _, err := e.svc.RegisterTOTP(e.ctx, s.ID, en.Secret, "000000", ""); !errors.Is(err, ErrInvalidCode) {
		t.Fatalf("wrong registration code: %v", err)
	}
	if _, _, err := e.svc.RegisterTOTP(e.ctx, s.ID, "not base32!", "000000", ""); !errors.Is(err, ErrInvalidCode) {
		t.Fatalf("bad secret: %v", err)
	}
	done, _, err := e.svc.RegisterTOTP(e.ctx, s.ID, strings.ToLower(en.Secret), e.code(en.Secret, e.now), "")
	if err != nil || done.Next != StepDone || !done.ExpiresAt.Equal(start.Add(DefaultSessionTTL)) {
		t.Fatalf("RegisterTOTP = %+v, %v", done, err)
	}
	got, err := e.svc.Session(e.ctx, s.ID)
	if err != nil || got.Next != StepDone || got.UserName != "bojan" {
		t.Fatalf("Session = %+v, %v", got, err)
	}
	// The next sign-in asks for a code.
	e.now = e.now.Add(time.Minute)
	if s3 := e.begin("bojan", goodPW, ""); s3.Next != StepMFA {
		t.Fatalf("second sign-in: %+v", s3)
	}
	// Expiry and sign-out.
	e.now = start.Add(DefaultSessionTTL)
	if _, err := e.svc.Session(e.ctx, s.ID); !errors.Is(err, ErrNoSession) {
		t.Fatalf("expired session: %v", err)
	}
	e.now = start.Add(time.Minute)
	if err := e.svc.End(e.ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Session(e.ctx, s.ID); !errors.Is(err, ErrNoSession) {
		t.Fatalf("ended session: %v", err)
	}
}

func TestTOTPWindowAndSingleUse(t *testing.T) {
	e := newEnv(t, "bojan")
	e.setPassword("bojan", goodPW)
	secret, _ := e.register("bojan") // uses the code of start's step
	e.now = start.Add(5 * time.Minute)
	for _, tc := range []struct {
		name string
		at   time.Duration // the code's time relative to now
		want error
	}{
		{"two steps ahead", 60 * time.Second, ErrInvalidCode},
		{"two steps behind", -60 * time.Second, ErrInvalidCode},
		{"one step behind", -30 * time.Second, nil},
		{"the same code again", -30 * time.Second, ErrInvalidCode},
		{"current step", 0, nil},
		{"current step replayed", 0, ErrInvalidCode},
		{"one step ahead", 30 * time.Second, nil},
		{"an older step after a newer one", 0, ErrInvalidCode},
	} {
		s := e.begin("bojan", goodPW, "")
		_, _, err := e.svc.VerifyMFA(e.ctx, s.ID, e.code(secret, e.now.Add(tc.at)))
		if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
			t.Fatalf("%s: %v, want %v", tc.name, err, tc.want)
		}
		if tc.want != nil {
			// Keep the failures under the lockout threshold.
			e.now = e.now.Add(time.Nanosecond)
			if err := e.svc.SetPassword(e.ctx, "bojan", goodPW); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestMFAFailuresLockOut(t *testing.T) {
	e := newEnv(t, "bojan")
	e.setPassword("bojan", goodPW)
	e.register("bojan")
	s := e.begin("bojan", goodPW, "")
	for i := 1; i < MaxFailedAttempts; i++ {
		if _, _, err := e.svc.VerifyMFA(e.ctx, s.ID, "123456"); !errors.Is(err, ErrInvalidCode) {
			t.Fatalf("wrong code %d: %v", i, err)
		}
	}
	if _, _, err := e.svc.VerifyMFA(e.ctx, s.ID, "123456"); !errors.Is(err, ErrLocked) {
		t.Fatalf("fifth wrong code: %v", err)
	}
	if _, err := e.svc.Session(e.ctx, s.ID); !errors.Is(err, ErrNoSession) {
		t.Fatalf("the sign-in survives the lockout: %v", err)
	}
	if _, err := e.svc.Begin(e.ctx, "bojan", goodPW, ""); !errors.Is(err, ErrLocked) {
		t.Fatalf("sign-in while locked: %v", err)
	}
}

func TestMFAModes(t *testing.T) {
	for _, tc := range []struct {
		name        string
		set         Settings
		registered  bool
		withContext bool
		want        Step
		wantErr     error
	}{
		{name: "always, no device", set: Settings{Mode: store.MFAAlways, NoDevice: store.MFANoDeviceRegister}, want: StepRegisterMFA},
		{name: "always, device", set: Settings{Mode: store.MFAAlways, NoDevice: store.MFANoDeviceRegister}, registered: true, want: StepMFA},
		{name: "always, known browser", set: Settings{Mode: store.MFAAlways, NoDevice: store.MFANoDeviceRegister}, registered: true, withContext: true, want: StepMFA},
		{name: "context change, known browser", set: Settings{Mode: store.MFAContextChange, NoDevice: store.MFANoDeviceRegister}, registered: true, withContext: true, want: StepDone},
		{name: "context change, new browser", set: Settings{Mode: store.MFAContextChange, NoDevice: store.MFANoDeviceRegister}, registered: true, want: StepMFA},
		{name: "never", set: Settings{Mode: store.MFANever, NoDevice: store.MFANoDeviceBlock}, want: StepDone},
		{name: "block without device", set: Settings{Mode: store.MFAAlways, NoDevice: store.MFANoDeviceBlock}, wantErr: ErrMFABlocked},
		{name: "block with device", set: Settings{Mode: store.MFAAlways, NoDevice: store.MFANoDeviceBlock}, registered: true, want: StepMFA},
		{name: "allow without device", set: Settings{Mode: store.MFAAlways, NoDevice: store.MFANoDeviceAllow}, want: StepDone},
		{name: "allow with device", set: Settings{Mode: store.MFAAlways, NoDevice: store.MFANoDeviceAllow}, registered: true, want: StepMFA},
		{name: "TOTP device but only WebAuthn allowed", set: Settings{Mode: store.MFAAlways, Types: []string{store.MFATypeWebAuthn}},
			registered: true, want: StepRegisterMFA},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "bojan")
			e.setPassword("bojan", goodPW)
			var tok string
			if tc.registered {
				_, tok = e.register("bojan")
			}
			if !tc.withContext {
				tok = ""
			}
			if err := e.svc.SetMFASettings(e.ctx, tc.set); err != nil {
				t.Fatal(err)
			}
			s, err := e.svc.Begin(e.ctx, "bojan", goodPW, tok)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Begin: %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil || s.Next != tc.want {
				t.Fatalf("Begin = %+v, %v; want %s", s, err, tc.want)
			}
		})
	}
	e := newEnv(t)
	if err := e.svc.SetMFASettings(e.ctx, Settings{Mode: "SOMETIMES", NoDevice: store.MFANoDeviceBlock}); err == nil {
		t.Error("unknown mode accepted")
	}
	if got, err := e.svc.MFASettings(e.ctx); err != nil || !reflect.DeepEqual(got, DefaultSettings()) {
		t.Errorf("default settings = %+v, %v", got, err)
	}
}

func TestResetMFA(t *testing.T) {
	e := newEnv(t, "bojan")
	e.setPassword("bojan", goodPW)
	e.register("bojan")
	s := e.begin("bojan", goodPW, "")
	n, err := e.svc.ResetMFA(e.ctx, "bojan")
	if err != nil || n != 1 {
		t.Fatalf("ResetMFA = %d, %v", n, err)
	}
	if _, err := e.svc.Session(e.ctx, s.ID); !errors.Is(err, ErrNoSession) {
		t.Fatalf("session after reset: %v", err)
	}
	if s := e.begin("bojan", goodPW, ""); s.Next != StepRegisterMFA {
		t.Fatalf("after reset: %+v", s)
	}
	if _, err := e.svc.ResetMFA(e.ctx, "nobody"); !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("ResetMFA(nobody): %v", err)
	}
}
