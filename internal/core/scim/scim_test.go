package scim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/sqlite"
)

func TestParseFilter(t *testing.T) {
	cases := []struct {
		in      string
		want    Filter
		wantErr bool
	}{
		{`userName eq "bjensen"`, Filter{{"userName", "bjensen"}}, false},
		{`id eq "g1" AND members eq "u1"`, Filter{{"id", "g1"}, {"members", "u1"}}, false},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a\"b"`, Filter{{"userName", `a"b`}}, false},
		{`active eq true`, Filter{{"active", true}}, false},
		{`userName ne "x"`, nil, true},
		{`userName eq "x" or id eq "y"`, nil, true},
		{`userName eq`, nil, true},
		{`userName eq bare`, nil, true},
		{`(userName eq "x")`, nil, true},
		{`emails[type eq "work"]`, nil, true},
		{``, nil, true},
		{`userName eq "x" and`, nil, true},
	}
	for _, c := range cases {
		got, err := ParseFilter(c.in)
		if c.wantErr {
			if f := fault.As(err); f == nil || f.Reason != ScimTypeInvalidFilter {
				t.Errorf("ParseFilter(%q) err = %v, want invalidFilter", c.in, err)
			}
			continue
		}
		if err != nil || len(got) != len(c.want) {
			t.Errorf("ParseFilter(%q) = %v, %v", c.in, got, err)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("ParseFilter(%q)[%d] = %v, want %v", c.in, i, got[i], c.want[i])
			}
		}
	}
}

func TestApplyPatch(t *testing.T) {
	base := func() map[string]any {
		return userDoc(store.User{UserID: "u", UserName: "a", Status: "ENABLED", Attributes: store.UserAttributes{
			DisplayName: "A", Name: &store.Name{GivenName: "G", FamilyName: "F"},
			Emails: []store.Email{{Value: "old@x", Type: "work"}}}}, DefaultIssuer)
	}
	cases := []struct {
		name  string
		ops   string
		check func(u store.User) bool
	}{
		{"entra string boolean", `[{"op":"Replace","path":"active","value":"False"}]`, func(u store.User) bool { return u.Status == "DISABLED" }},
		{"okta pathless with id", `[{"op":"replace","value":{"id":"u","active":false}}]`, func(u store.User) bool { return u.Status == "DISABLED" && u.UserID == "u" }},
		{"dotted keys", `[{"op":"replace","value":{"name.givenName":"N","displayName":"D"}}]`, func(u store.User) bool {
			return u.Attributes.Name.GivenName == "N" && u.Attributes.Name.FamilyName == "F" && u.Attributes.DisplayName == "D"
		}},
		{"value filter", `[{"op":"replace","path":"emails[type eq \"work\"].value","value":"new@x"}]`, func(u store.User) bool {
			return len(u.Attributes.Emails) == 1 && u.Attributes.Emails[0].Value == "new@x" && u.Attributes.Emails[0].Type == "work"
		}},
		{"value filter creates", `[{"op":"remove","path":"emails"},{"op":"add","path":"emails[type eq \"work\"].value","value":"n@x"}]`, func(u store.User) bool {
			return len(u.Attributes.Emails) == 1 && u.Attributes.Emails[0].Value == "n@x"
		}},
		{"enterprise urn", `[{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"m1"}]`, func(u store.User) bool {
			return bytes.Contains(u.Attributes.Extensions[enterpriseExtension], []byte(`"m1"`))
		}},
		{"remove sub-attribute", `[{"op":"remove","path":"name.givenName"}]`, func(u store.User) bool { return u.Attributes.Name.GivenName == "" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var raw []any
			if err := json.Unmarshal([]byte(c.ops), &raw); err != nil {
				t.Fatal(err)
			}
			ops, err := ParsePatch(map[string]any{"Operations": raw})
			if err != nil {
				t.Fatalf("ParsePatch: %v", err)
			}
			d := base()
			for _, op := range ops {
				if err := applyOp(d, op); err != nil {
					t.Fatalf("apply: %v", err)
				}
			}
			u, err := userFromDoc(d, store.User{UserID: "u"}, DefaultIssuer)
			if err != nil || !c.check(u) {
				t.Fatalf("result %+v (attrs %+v), %v", u, u.Attributes, err)
			}
		})
	}
}

func newService(t *testing.T) (*Service, string, *time.Time) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "idcenter.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	const storeID = "d-1234567890"
	if err := st.Update(ctx, func(tx store.Tx) error {
		return tx.CreateInstance(ctx, store.Instance{ARN: "arn:aws:sso:::instance/ssoins-1", IdentityStoreID: storeID, Status: "ACTIVE"})
	}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return &Service{Store: st, Now: func() time.Time { return now }}, storeID, &now
}

func TestTokens(t *testing.T) {
	s, storeID, now := newService(t)
	ctx := context.Background()
	a, secretA, err := s.CreateToken(ctx, storeID, 0)
	if err != nil || !a.ExpiresAt.Equal(now.Add(DefaultTokenTTL)) {
		t.Fatalf("CreateToken = %+v, %v", a, err)
	}
	if _, _, err := s.CreateToken(ctx, storeID, 0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateToken(ctx, storeID, 0); fault.As(err) == nil || fault.As(err).Kind != fault.QuotaExceeded {
		t.Fatalf("third token: %v", err)
	}
	if got, err := s.Authenticate(ctx, secretA); err != nil || got != storeID {
		t.Fatalf("Authenticate = %q, %v", got, err)
	}
	for _, bad := range []string{"", "x", secretA + "x", secretA[:len(secretA)-1]} {
		if _, err := s.Authenticate(ctx, bad); !errors.Is(err, ErrUnauthorized) {
			t.Errorf("Authenticate(%q) = %v", bad, err)
		}
	}
	*now = now.Add(DefaultTokenTTL)
	if _, err := s.Authenticate(ctx, secretA); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("expired token accepted: %v", err)
	}
	if _, _, err := s.CreateToken(ctx, storeID, 0); err != nil {
		t.Errorf("expired tokens must not count: %v", err)
	}
	if err := s.DeleteToken(ctx, storeID, a.ID); err != nil {
		t.Fatal(err)
	}
	if ts, _ := s.ListTokens(ctx, storeID); len(ts) != 2 {
		t.Errorf("tokens after delete = %d", len(ts))
	}
}

func TestUsersAndGroups(t *testing.T) {
	s, storeID, _ := newService(t)
	ctx := context.Background()
	u, err := s.CreateUser(ctx, storeID, map[string]any{"userName": "bob", "externalId": "e1", "active": "False"})
	if err != nil || u["active"] != false || u["displayName"] != "bob" {
		t.Fatalf("CreateUser = %v, %v", u, err)
	}
	uid := u["id"].(string)
	if _, err := s.CreateUser(ctx, storeID, map[string]any{"userName": "other", "externalId": "e1"}); fault.As(err) == nil || fault.As(err).Reason != ScimTypeUniqueness {
		t.Fatalf("duplicate externalId: %v", err)
	}
	g, err := s.CreateGroup(ctx, storeID, map[string]any{"displayName": "G", "members": []any{map[string]any{"value": uid}}})
	if err != nil {
		t.Fatal(err)
	}
	gid := g["id"].(string)
	res, err := s.ListGroups(ctx, storeID, ListQuery{Filter: `members eq "` + uid + `"`, Count: -1})
	if err != nil || res.TotalResults != 1 {
		t.Fatalf("groups of user = %+v, %v", res, err)
	}
	ops, _ := ParsePatch(map[string]any{"Operations": []any{map[string]any{"op": "Remove", "path": "members", "value": []any{map[string]any{"value": uid}}}}})
	if g, err = s.PatchGroup(ctx, storeID, gid, ops); err != nil || len(g["members"].([]any)) != 0 {
		t.Fatalf("PatchGroup = %v, %v", g, err)
	}
	res, err = s.ListUsers(ctx, storeID, ListQuery{Filter: `externalId eq "e1"`, Count: -1})
	if err != nil || res.TotalResults != 1 {
		t.Fatalf("ListUsers by externalId = %+v, %v", res, err)
	}
	if err := s.DeleteUser(ctx, storeID, uid); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetUser(ctx, storeID, uid); fault.As(err) == nil || fault.As(err).Kind != fault.NotFound {
		t.Fatalf("deleted user: %v", err)
	}
}

func FuzzFilter(f *testing.F) {
	for _, s := range []string{`userName eq "a"`, `a eq "b" and c eq true`, `x[y eq "z"]`, `"`, `a eq "\u00e9"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		flt, err := ParseFilter(s)
		if err != nil {
			if fault.As(err) == nil {
				t.Fatalf("non-fault error %v", err)
			}
			return
		}
		if len(flt) == 0 {
			t.Fatalf("empty filter accepted for %q", s)
		}
		_ = matches(map[string]any{"userName": "a"}, flt)
	})
}

func FuzzPatch(f *testing.F) {
	for _, s := range []string{
		`{"Operations":[{"op":"replace","value":{"name.givenName":"x"}}]}`,
		`{"Operations":[{"op":"Add","path":"emails[type eq \"work\"].value","value":"a@b"}]}`,
		`{"Operations":[{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"}]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d map[string]any
		if json.Unmarshal([]byte(s), &d) != nil || d == nil {
			return
		}
		ops, err := ParsePatch(d)
		if err != nil {
			return
		}
		doc := userDoc(store.User{UserID: "u", UserName: "a", Status: "ENABLED"}, DefaultIssuer)
		for _, op := range ops {
			if err := applyOp(doc, op); err != nil {
				if fault.As(err) == nil {
					t.Fatalf("non-fault error %v", err)
				}
				return
			}
		}
		if _, err := userFromDoc(doc, store.User{UserID: "u"}, DefaultIssuer); err != nil && fault.As(err) == nil {
			t.Fatalf("non-fault error %v", err)
		}
	})
}
