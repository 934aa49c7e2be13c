package signin

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

func TestSetMFASettingsValidates(t *testing.T) {
	e := newEnv(t)
	good := Settings{Mode: store.MFAContextChange, NoDevice: store.MFANoDeviceAllow,
		Types: []string{store.MFATypeWebAuthn, store.MFATypeWebAuthn}, SessionDuration: 12 * time.Hour}
	if err := e.svc.SetMFASettings(e.ctx, good); err != nil {
		t.Fatal(err)
	}
	want := good
	want.Types = []string{store.MFATypeWebAuthn}
	for _, tc := range []struct {
		name string
		in   Settings
	}{
		{"unknown mode", Settings{Mode: "SOMETIMES"}},
		{"unknown no-device", Settings{NoDevice: "EMAIL"}},
		{"unknown type", Settings{Types: []string{"SMS"}}},
		{"session too short", Settings{SessionDuration: 14 * time.Minute}},
		{"session too long", Settings{SessionDuration: 91 * 24 * time.Hour}},
		{"fractional seconds", Settings{SessionDuration: time.Hour + time.Millisecond}},
	} {
		if err := e.svc.SetMFASettings(e.ctx, tc.in); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
	got, err := e.svc.MFASettings(e.ctx)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("settings after refused changes = %+v, %v; want %+v", got, err, want)
	}
	// Empty fields take the defaults.
	if err := e.svc.SetMFASettings(e.ctx, Settings{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.svc.MFASettings(e.ctx); !reflect.DeepEqual(got, DefaultSettings()) {
		t.Fatalf("settings = %+v; want the defaults", got)
	}
}

func TestPortalSessionLifetime(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  time.Duration
		want time.Duration
	}{
		{"default", 0, 8 * time.Hour},
		{"15 minutes", 15 * time.Minute, 15 * time.Minute},
		{"90 days", 90 * 24 * time.Hour, 90 * 24 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "bojan")
			e.setPassword("bojan", goodPW)
			if err := e.svc.SetMFASettings(e.ctx, Settings{Mode: store.MFANever, SessionDuration: tc.set}); err != nil {
				t.Fatal(err)
			}
			s := e.begin("bojan", goodPW, "")
			if s.Next != StepDone || !s.ExpiresAt.Equal(e.now.Add(tc.want)) {
				t.Fatalf("session = %+v; want done, expiring after %s", s, tc.want)
			}
			e.now = e.now.Add(tc.want - time.Second)
			if _, err := e.svc.Session(e.ctx, s.ID); err != nil {
				t.Fatalf("session a second before its end: %v", err)
			}
			e.now = e.now.Add(time.Second)
			if _, err := e.svc.Session(e.ctx, s.ID); !errors.Is(err, ErrNoSession) {
				t.Fatalf("session at its end: %v; want ErrNoSession", err)
			}
		})
	}
}

func TestContextChangeBindsTheClient(t *testing.T) {
	e := newEnv(t, "bojan")
	e.setPassword("bojan", goodPW)
	if err := e.svc.SetMFASettings(e.ctx, Settings{Mode: store.MFAContextChange}); err != nil {
		t.Fatal(err)
	}
	browser := Client{UserAgent: "Mozilla/5.0 test", IP: "192.0.2.10"}
	s, err := e.svc.BeginFrom(e.ctx, "bojan", goodPW, "", browser)
	if err != nil || s.Next != StepRegisterMFA {
		t.Fatalf("first sign-in = %+v, %v", s, err)
	}
	en, err := e.svc.BeginTOTPRegistration(e.ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, tok, err := e.svc.RegisterTOTPFrom(e.ctx, s.ID, en.Secret, e.code(en.Secret, e.now), "phone", browser)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		token  string
		client Client
		want   Step
	}{
		{"same browser", tok, browser, StepDone},
		{"no cookie", "", browser, StepMFA},
		{"new address", tok, Client{UserAgent: browser.UserAgent, IP: "198.51.100.7"}, StepMFA},
		{"new user agent", tok, Client{UserAgent: "curl/8", IP: browser.IP}, StepMFA},
		{"someone else's cookie value", "x" + tok[1:], browser, StepMFA},
	} {
		s, err := e.svc.BeginFrom(e.ctx, "bojan", goodPW, tc.token, tc.client)
		if err != nil || s.Next != tc.want {
			t.Errorf("%s: %+v, %v; want %s", tc.name, s.Next, err, tc.want)
		}
	}
}
