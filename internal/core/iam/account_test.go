package iam

import (
	"context"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

func TestCheckAlias(t *testing.T) {
	tests := []struct {
		alias string
		ok    bool
	}{
		{"abc", true}, {"my-company-1", true}, {"ab", false}, {"-abc", false}, {"abc-", false},
		{"a--b", false}, {"ABC", false}, {"a_b", false}, {string(make([]byte, 64)), false},
		{"a23456789012345678901234567890123456789012345678901234567890123", true},
	}
	for _, tt := range tests {
		if err := checkAlias(tt.alias); (err == nil) != tt.ok {
			t.Errorf("checkAlias(%q) = %v, want ok=%v", tt.alias, err, tt.ok)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	strict := &store.IAMPasswordPolicy{MinimumPasswordLength: 10, RequireSymbols: true, RequireNumbers: true,
		RequireUppercaseCharacters: true, RequireLowercaseCharacters: true}
	tests := []struct {
		name   string
		policy *store.IAMPasswordPolicy
		pw     string
		want   string
	}{
		{"default ok", nil, "Abcdefg1", ""},
		{"default three kinds", nil, "abcdefg1!", ""},
		{"default too short", nil, "Abc1!", CodePasswordPolicyViolation},
		{"default two kinds", nil, "abcdefgh1", CodePasswordPolicyViolation},
		{"strict ok", strict, "Abcdefgh1!", ""},
		{"strict short", strict, "Abcdef1!", CodePasswordPolicyViolation},
		{"strict no symbol", strict, "Abcdefgh12", CodePasswordPolicyViolation},
		{"strict no upper", strict, "abcdefgh1!", CodePasswordPolicyViolation},
		{"strict no lower", strict, "ABCDEFGH1!", CodePasswordPolicyViolation},
		{"strict no number", strict, "Abcdefghi!", CodePasswordPolicyViolation},
		{"too long", nil, "Aa1!" + string(make([]byte, 130)), CodePasswordPolicyViolation},
	}
	for _, tt := range tests {
		if got := reason(checkPassword(tt.policy, tt.pw)); got != tt.want {
			t.Errorf("%s: checkPassword = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestConsecutiveStep(t *testing.T) {
	const seed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	now := clock
	code := func(d time.Duration) string {
		c, err := MFACode(seed, now.Add(d))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	cur := now.Unix() / mfaPeriod
	tests := []struct {
		name         string
		c1, c2       string
		lastUsed     int64
		ok           bool
		wantStepDiff int64
	}{
		{"previous and current", code(-30 * time.Second), code(0), 0, true, -1},
		{"current and next", code(0), code(30 * time.Second), 0, true, 0},
		{"five minutes late", code(-5 * time.Minute), code(-5*time.Minute + 30*time.Second), 0, true, -10},
		{"too late", code(-15 * time.Minute), code(-15*time.Minute + 30*time.Second), 0, false, 0},
		{"not consecutive", code(-60 * time.Second), code(0), 0, false, 0},
		{"reversed", code(0), code(-30 * time.Second), 0, false, 0},
		{"same code twice", code(0), code(0), 0, false, 0},
		{"wrong", "000000", "111111", 0, false, 0},
		{"already used", code(-30 * time.Second), code(0), cur, false, 0},
		{"second code new", code(-30 * time.Second), code(0), cur - 1, true, -1},
	}
	for _, tt := range tests {
		st, ok := consecutiveStep(seed, tt.c1, tt.c2, tt.lastUsed, now, mfaWindow)
		if ok != tt.ok || (ok && st != cur+tt.wantStepDiff) {
			t.Errorf("%s: consecutiveStep = %d, %v; want step %d, %v", tt.name, st, ok, cur+tt.wantStepDiff, tt.ok)
		}
	}
}

func TestLoginProfileLifecycle(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	if _, err := s.CreateUser(ctx, root, "machine", "", "", nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateLoginProfile(ctx, root, "machine", "weak", false); reason(err) != CodePasswordPolicyViolation {
		t.Fatalf("weak password: %v", err)
	}
	if _, _, err := s.CreateLoginProfile(ctx, root, "machine", "Str0ng-Passw0rd", true); err != nil {
		t.Fatalf("CreateLoginProfile: %v", err)
	}
	if _, _, err := s.CreateLoginProfile(ctx, root, "machine", "Str0ng-Passw0rd", true); reason(err) != CodeEntityAlreadyExists {
		t.Fatalf("second profile: %v", err)
	}
	if err := s.DeleteUser(ctx, root, "machine"); reason(err) != CodeDeleteConflict {
		t.Fatalf("DeleteUser with a login profile: %v", err)
	}
	me := Caller{AccountID: root.AccountID, UserName: "machine"}
	if err := s.ChangePassword(ctx, me, "wrong", "An0ther-Passw0rd"); reason(err) != CodeInvalidUserType {
		t.Fatalf("ChangePassword with a wrong old password: %v", err)
	}
	if err := s.ChangePassword(ctx, me, "Str0ng-Passw0rd", "An0ther-Passw0rd"); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	lp, _, err := s.GetLoginProfile(ctx, root, "machine")
	if err != nil || lp.PasswordResetRequired {
		t.Fatalf("after ChangePassword = %+v, %v", lp, err)
	}
	if ok, err := verifyPassword(lp.PasswordHash, "An0ther-Passw0rd"); !ok || err != nil {
		t.Fatalf("new password does not verify: %v", err)
	}
	if err := s.DeleteLoginProfile(ctx, root, "machine"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.GetLoginProfile(ctx, root, "machine"); reason(err) != CodeNoSuchEntity {
		t.Fatalf("deleted profile: %v", err)
	}
}
