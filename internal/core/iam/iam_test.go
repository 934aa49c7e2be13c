package iam

import (
	"bytes"
	"context"
	"github.com/idcenter/idcenter/internal/policy"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/sqlite"
)

var clock = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func newService(t *testing.T) *Service {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "iam.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	// Deterministic randomness: a long repeating byte stream.
	return &Service{Store: st, Now: func() time.Time { return clock }, Rand: bytes.NewReader(bytes.Repeat([]byte("0123456789abcdefghij"), 5000))}
}

func reason(err error) string {
	if fe := fault.As(err); fe != nil {
		return fe.Reason
	}
	return ""
}

var root = Caller{AccountID: "123456789012", ARN: "arn:aws:iam::123456789012:root", IsRoot: true}

func TestCheckDocument(t *testing.T) {
	tests := []struct {
		doc  string
		kind policy.Kind
		want string
	}{
		{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, policy.KindIdentity, ""},
		{`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, policy.KindIdentity, ""},
		{`{"Statement":{"Effect":"Allow"}}`, policy.KindIdentity, CodeMalformedPolicyDocument},
		{`{"Version":"2012-10-17"}`, policy.KindIdentity, CodeMalformedPolicyDocument},
		{`{"Version":"2019-01-01","Statement":[]}`, policy.KindIdentity, CodeMalformedPolicyDocument},
		{`not json`, policy.KindIdentity, CodeMalformedPolicyDocument},
		{`{"Version":"2012-10-17","Statement":"x"}`, policy.KindIdentity, CodeMalformedPolicyDocument},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`, policy.KindIdentity, CodeMalformedPolicyDocument},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, policy.KindTrust, ""},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`, policy.KindTrust, CodeMalformedPolicyDocument},
	}
	for _, tt := range tests {
		if got := reason(checkDocument(tt.doc, tt.kind)); got != tt.want {
			t.Errorf("checkDocument(%s, %v) = %q, want %q", tt.doc, tt.kind, got, tt.want)
		}
	}
}

func TestUsersAndKeys(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	u, err := s.CreateUser(ctx, root, "Alice", "/eng/", "", nil)
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if !regexp.MustCompile(`^AIDA[A-Z0-9]{17}$`).MatchString(u.UserID) || u.ARN != "arn:aws:iam::123456789012:user/eng/Alice" || !u.CreatedAt.Equal(clock) {
		t.Fatalf("user = %+v", u)
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"duplicate other case", second(s.CreateUser(ctx, root, "alice", "/", "", nil)), CodeEntityAlreadyExists},
		{"bad name", second(s.CreateUser(ctx, root, "a b", "/", "", nil)), CodeInvalidInput},
		{"bad path", second(s.CreateUser(ctx, root, "bob", "eng", "", nil)), CodeInvalidInput},
		{"unknown boundary", second(s.CreateUser(ctx, root, "bob", "/", "arn:aws:iam::aws:policy/Nope", nil)), CodeNoSuchEntity},
		{"missing user", second(s.GetUser(ctx, root, "nobody")), CodeNoSuchEntity},
		{"root key listing", second(s.ListAccessKeys(ctx, root, "", "", 0)), CodeInvalidInput},
	}
	for _, tt := range tests {
		if got := reason(tt.err); got != tt.want {
			t.Errorf("%s: %v (reason %q), want %q", tt.name, tt.err, got, tt.want)
		}
	}
	k, err := s.CreateAccessKey(ctx, root, "alice")
	if err != nil || !strings.HasPrefix(k.AccessKeyID, "AKIA") || len(k.AccessKeyID) != 20 || len(k.SecretAccessKey) != 40 || k.PrincipalARN != u.ARN {
		t.Fatalf("CreateAccessKey = %+v, %v", k, err)
	}
	// Renaming moves the key to the new name and ARN.
	if err := s.UpdateUser(ctx, root, "alice", "alicia", "/"); err != nil {
		t.Fatalf("UpdateUser: %v", err)
	}
	var got store.AccessKey
	if err := s.Store.View(ctx, func(tx store.Tx) error { var err error; got, err = tx.GetAccessKey(ctx, k.AccessKeyID); return err }); err != nil {
		t.Fatal(err)
	}
	if got.UserName != "alicia" || got.PrincipalARN != "arn:aws:iam::123456789012:user/alicia" {
		t.Fatalf("key after rename = %+v", got)
	}
	// An IAM user caller manages its own keys without naming itself.
	me := Caller{AccountID: root.AccountID, UserName: "alicia"}
	if p, err := s.ListAccessKeys(ctx, me, "", "", 0); err != nil || len(p.Items) != 1 {
		t.Fatalf("ListAccessKeys self = %+v, %v", p, err)
	}
	if err := s.DeleteAccessKey(ctx, root, "alicia", "AKIANOTAKEY000000000"); reason(err) != CodeNoSuchEntity {
		t.Fatalf("DeleteAccessKey unknown = %v", err)
	}
	if err := s.DeleteUser(ctx, root, "alicia"); reason(err) != CodeDeleteConflict {
		t.Fatalf("DeleteUser with key = %v", err)
	}
}

func second[T any](_ T, err error) error { return err }

func TestTagsMergeCaseInsensitively(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	if _, err := s.CreateUser(ctx, root, "u", "", "", []store.Tag{{Key: "Team", Value: "a"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.TagUser(ctx, root, "u", []store.Tag{{Key: "team", Value: "b"}, {Key: "env", Value: "x"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.UntagUser(ctx, root, "u", []string{"ENV"}); err != nil {
		t.Fatal(err)
	}
	p, err := s.ListUserTags(ctx, root, "u", "", 0)
	if err != nil || len(p.Items) != 1 || p.Items[0] != (store.Tag{Key: "team", Value: "b"}) {
		t.Fatalf("tags = %+v, %v", p.Items, err)
	}
	err = s.TagUser(ctx, root, "u", []store.Tag{{Key: "a", Value: "1"}, {Key: "A", Value: "2"}})
	if reason(err) != CodeInvalidInput {
		t.Fatalf("duplicate keys = %v", err)
	}
}
