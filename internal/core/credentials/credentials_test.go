package credentials

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/authn"
	"github.com/idcenter/idcenter/internal/core/authz"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/policy"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/sqlite"
)

const acct = "123456789012"

func setup(t *testing.T) (*Service, *time.Time) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	err = st.Update(ctx, func(tx store.Tx) error {
		return tx.CreateIAMRole(ctx, store.IAMRole{AccountID: acct, RoleID: "AROAEXAMPLEEXAMPLE12", RoleName: "Deploy", Path: "/",
			ARN: "arn:aws:iam::" + acct + ":role/Deploy", MaxSessionDuration: 7200, CreatedAt: now,
			AssumeRolePolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + acct + `"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"xid"}}}]}`})
	})
	if err != nil {
		t.Fatal(err)
	}
	s := &Service{Store: st, Now: func() time.Time { return now },
		Authz: &authz.Authorizer{ManagementAccountID: acct, Cache: policy.NewCache(8), Policies: &authz.IAMPolicies{Store: st}}}
	return s, &now
}

var root = authz.Caller{AccountID: acct, ARN: "arn:aws:iam::" + acct + ":root", Type: "Account", UserID: acct, AccessKeyID: "AKIAROOT"}

func TestAssumeRoleRules(t *testing.T) {
	s, _ := setup(t)
	role := "arn:aws:iam::" + acct + ":role/Deploy"
	tests := []struct {
		name string
		in   AssumeRoleInput
		want string // "" = success, else the fault's Reason or Kind
	}{
		{"ok", AssumeRoleInput{RoleARN: role, RoleSessionName: "ci", ExternalID: "xid"}, ""},
		{"max duration", AssumeRoleInput{RoleARN: role, RoleSessionName: "ci", ExternalID: "xid", DurationSeconds: 7200}, ""},
		{"above max duration", AssumeRoleInput{RoleARN: role, RoleSessionName: "ci", ExternalID: "xid", DurationSeconds: 7201}, CodeValidation},
		{"below min duration", AssumeRoleInput{RoleARN: role, RoleSessionName: "ci", ExternalID: "xid", DurationSeconds: 899}, CodeValidation},
		{"bad session name", AssumeRoleInput{RoleARN: role, RoleSessionName: "c i", ExternalID: "xid"}, CodeValidation},
		{"wrong external id", AssumeRoleInput{RoleARN: role, RoleSessionName: "ci", ExternalID: "nope"}, "AccessDenied"},
		{"missing external id", AssumeRoleInput{RoleARN: role, RoleSessionName: "ci"}, "AccessDenied"},
		{"no such role", AssumeRoleInput{RoleARN: "arn:aws:iam::" + acct + ":role/Nope", RoleSessionName: "ci", ExternalID: "xid"}, "AccessDenied"},
		{"malformed session policy", AssumeRoleInput{RoleARN: role, RoleSessionName: "ci", ExternalID: "xid",
			SessionPolicies: SessionPolicies{Policy: `{"Statement":`}}, CodeMalformedPolicy},
		{"bad policy arn", AssumeRoleInput{RoleARN: role, RoleSessionName: "ci", ExternalID: "xid",
			SessionPolicies: SessionPolicies{PolicyARNs: []string{"nope"}}}, CodeValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := s.AssumeRole(context.Background(), root, tt.in)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("AssumeRole: %v", err)
				}
				if out.ARN != "arn:aws:sts::"+acct+":assumed-role/Deploy/ci" || out.ID != "AROAEXAMPLEEXAMPLE12:ci" || len(out.Credentials.AccessKeyID) != 20 {
					t.Fatalf("issued %+v", out)
				}
				return
			}
			fe := fault.As(err)
			if fe == nil || (fe.Reason != tt.want && !(tt.want == "AccessDenied" && fe.Kind == fault.AccessDenied)) {
				t.Fatalf("want %s, got %v", tt.want, err)
			}
		})
	}
}

func TestResolveSession(t *testing.T) {
	s, now := setup(t)
	ctx := context.Background()
	out, err := s.AssumeRole(ctx, root, AssumeRoleInput{RoleARN: "arn:aws:iam::" + acct + ":role/Deploy", RoleSessionName: "ci", ExternalID: "xid", DurationSeconds: 900})
	if err != nil {
		t.Fatal(err)
	}
	key := store.AccessKey{AccessKeyID: out.Credentials.AccessKeyID}
	tests := []struct {
		name  string
		token string
		after time.Duration
		want  authn.Kind // 0 = valid
	}{
		{"valid", out.Credentials.SessionToken, 0, 0},
		{"one second before expiry", out.Credentials.SessionToken, 899 * time.Second, 0},
		{"at expiry", out.Credentials.SessionToken, 900 * time.Second, authn.KindExpiredToken},
		{"tampered", out.Credentials.SessionToken + "x", 0, authn.KindInvalidToken},
		{"empty", "", 0, authn.KindInvalidToken},
	}
	start := *now
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			*now = start.Add(tt.after)
			sess, err := s.ResolveSession(ctx, key, tt.token)
			if tt.want == 0 {
				if err != nil || sess.ARN != out.ARN || sess.UserID != out.ID {
					t.Fatalf("ResolveSession = %+v, %v", sess, err)
				}
				return
			}
			if authn.KindOf(err) != tt.want {
				t.Fatalf("want %v, got %v", tt.want, err)
			}
		})
	}
	*now = start
	if _, err := s.ResolveSession(ctx, store.AccessKey{AccessKeyID: "ASIANOSUCHKEY0000000"}, out.Credentials.SessionToken); authn.KindOf(err) != authn.KindInvalidToken {
		t.Fatalf("unknown key: %v", err)
	}
}

func TestGetSessionTokenDurations(t *testing.T) {
	s, _ := setup(t)
	user := authz.Caller{AccountID: acct, ARN: "arn:aws:iam::" + acct + ":user/bob", Type: "User", UserName: "bob", AccessKeyID: "AKIABOB"}
	tests := []struct {
		name   string
		caller authz.Caller
		d      int
		ok     bool
	}{
		{"user default", user, 0, true},
		{"user max", user, 129600, true},
		{"user above max", user, 129601, false},
		{"root max is an hour", root, 3601, false},
		{"root default", root, 0, true},
		{"session credentials", authz.Caller{AccountID: acct, ARN: "arn:aws:sts::" + acct + ":assumed-role/r/s", Type: "AssumedRole", AccessKeyID: "ASIAX"}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.GetSessionToken(context.Background(), tt.caller, tt.d, "", "")
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
