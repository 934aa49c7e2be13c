package identity

import (
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

func TestCreateUser(t *testing.T) {
	cases := []struct {
		name     string
		store    string
		mutate   func(*store.User)
		kind     fault.Kind // 0 = success
		detail   string
		existing string
	}{
		{name: "ok", mutate: func(u *store.User) {}},
		{name: "ok with external ids", mutate: func(u *store.User) { u.ExternalIDs = []store.ExternalID{{Issuer: "okta", ID: "1"}} }},
		{name: "ok with enterprise extension", mutate: func(u *store.User) {
			u.Attributes.Extensions = map[string][]byte{"aws:identitystore:enterprise": []byte(`{"department":"eng"}`)}
		}},
		{name: "unknown identity store", store: "d-ffffffffff", mutate: func(u *store.User) {}, kind: fault.NotFound, detail: ResourceIdentityStore},
		{name: "missing user name", mutate: func(u *store.User) { u.UserName = "" }, kind: fault.Validation},
		{name: "user name with space", mutate: func(u *store.User) { u.UserName = "a b" }, kind: fault.Validation},
		{name: "user name too long", mutate: func(u *store.User) { u.UserName = strings.Repeat("a", 129) }, kind: fault.Validation},
		{name: "reserved Administrator", mutate: func(u *store.User) { u.UserName = "Administrator" }, kind: fault.Validation},
		{name: "reserved AWSAdministrators", mutate: func(u *store.User) { u.UserName = "awsadministrators" }, kind: fault.Validation},
		{name: "missing display name", mutate: func(u *store.User) { u.Attributes.DisplayName = "" }, kind: fault.Validation},
		{name: "missing name", mutate: func(u *store.User) { u.Attributes.Name = nil }, kind: fault.Validation},
		{name: "missing family name", mutate: func(u *store.User) { u.Attributes.Name.FamilyName = "" }, kind: fault.Validation},
		{name: "two emails", mutate: func(u *store.User) {
			u.Attributes.Emails = append(u.Attributes.Emails, store.Email{Value: "x@y.z"})
		}, kind: fault.Validation},
		{name: "four photos", mutate: func(u *store.User) {
			u.Attributes.Photos = []store.Photo{{Value: "a"}, {Value: "b"}, {Value: "c"}, {Value: "d"}}
		}, kind: fault.Validation},
		{name: "bad extension name", mutate: func(u *store.User) {
			u.Attributes.Extensions = map[string][]byte{"custom": []byte(`{}`)}
		}, kind: fault.Validation},
		{name: "eleven external ids", mutate: func(u *store.User) {
			for i := 0; i < 11; i++ {
				u.ExternalIDs = append(u.ExternalIDs, store.ExternalID{Issuer: "i", ID: strings.Repeat("x", i+1)})
			}
		}, kind: fault.Validation},
		{name: "duplicate user name, other case", existing: "alice", mutate: func(u *store.User) { u.UserName = "ALICE" },
			kind: fault.Conflict, detail: ReasonUniqueness},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			if c.existing != "" {
				e.user(t, c.existing)
			}
			before := e.snapshot(t)
			in := validUser("bob")
			c.mutate(&in)
			st := sid
			if c.store != "" {
				st = c.store
			}
			got, err := e.svc.CreateUser(e.ctx, st, in, "arn:aws:iam::111111111111:user/admin")
			if c.kind != 0 {
				wantFault(t, err, c.kind, c.detail)
				if after := e.snapshot(t); after != before {
					t.Fatalf("failed CreateUser changed the store")
				}
				return
			}
			if err != nil {
				t.Fatalf("CreateUser: %v", err)
			}
			if !idPattern.MatchString(got.UserID) {
				t.Errorf("UserID %q does not match %s", got.UserID, idPattern)
			}
			if got.Status != "ENABLED" || !got.CreatedAt.Equal(clock) || !got.UpdatedAt.Equal(clock) ||
				got.CreatedBy != "arn:aws:iam::111111111111:user/admin" || got.IdentityStoreID != sid {
				t.Errorf("created user metadata = %+v", got)
			}
			d, err := e.svc.DescribeUser(e.ctx, sid, got.UserID)
			if err != nil {
				t.Fatalf("DescribeUser: %v", err)
			}
			if d.UserName != in.UserName || d.Attributes.DisplayName != in.Attributes.DisplayName ||
				len(d.ExternalIDs) != len(in.ExternalIDs) || len(d.Attributes.Extensions) != len(in.Attributes.Extensions) {
				t.Errorf("DescribeUser = %+v, want %+v", d, in)
			}
		})
	}
}

func TestDescribeUserNotFound(t *testing.T) {
	e := newEnv(t)
	id := "1234567890-00000000-0000-4000-8000-000000000000"
	_, err := e.svc.DescribeUser(e.ctx, sid, id)
	fe := wantFault(t, err, fault.NotFound, ResourceUser)
	if fe.ResourceID != id {
		t.Errorf("ResourceID = %q", fe.ResourceID)
	}
	_, err = e.svc.DescribeUser(e.ctx, "d-ffffffffff", id)
	wantFault(t, err, fault.NotFound, ResourceIdentityStore)
}

func TestUpdateUser(t *testing.T) {
	cases := []struct {
		name   string
		ops    []AttributeOperation
		kind   fault.Kind
		detail string
		check  func(t *testing.T, u store.User)
	}{
		{name: "display name", ops: []AttributeOperation{{Path: "displayName", Value: raw(`"Bobby"`)}},
			check: func(t *testing.T, u store.User) {
				if u.Attributes.DisplayName != "Bobby" {
					t.Errorf("DisplayName = %q", u.Attributes.DisplayName)
				}
			}},
		{name: "given name and nick name", ops: []AttributeOperation{
			{Path: "name.givenName", Value: raw(`"Robert"`)}, {Path: "nickName", Value: raw(`"rob"`)}},
			check: func(t *testing.T, u store.User) {
				if u.Attributes.Name.GivenName != "Robert" || u.Attributes.Name.FamilyName != "Family" || u.Attributes.NickName != "rob" {
					t.Errorf("attributes = %+v", u.Attributes)
				}
			}},
		{name: "whole name", ops: []AttributeOperation{{Path: "name", Value: raw(`{"givenName":"A","familyName":"B","middleName":"C"}`)}},
			check: func(t *testing.T, u store.User) {
				if n := u.Attributes.Name; n.GivenName != "A" || n.FamilyName != "B" || n.MiddleName != "C" {
					t.Errorf("name = %+v", n)
				}
			}},
		{name: "emails camelCase", ops: []AttributeOperation{{Path: "emails", Value: raw(`[{"value":"new@example.com","type":"home","primary":true}]`)}},
			check: func(t *testing.T, u store.User) {
				em := u.Attributes.Emails
				if len(em) != 1 || em[0].Value != "new@example.com" || em[0].Type != "home" || em[0].Primary == nil || !*em[0].Primary {
					t.Errorf("emails = %+v", em)
				}
			}},
		{name: "addresses", ops: []AttributeOperation{{Path: "addresses", Value: raw(`[{"streetAddress":"1 Main","country":"US"}]`)}},
			check: func(t *testing.T, u store.User) {
				if a := u.Attributes.Addresses; len(a) != 1 || a[0].StreetAddress != "1 Main" {
					t.Errorf("addresses = %+v", a)
				}
			}},
		{name: "remove emails with null", ops: []AttributeOperation{{Path: "emails", Value: raw(`null`)}},
			check: func(t *testing.T, u store.User) {
				if len(u.Attributes.Emails) != 0 {
					t.Errorf("emails = %+v", u.Attributes.Emails)
				}
			}},
		{name: "remove title with nil", ops: []AttributeOperation{{Path: "title", Value: raw(`"CTO"`)}, {Path: "title"}},
			check: func(t *testing.T, u store.User) {
				if u.Attributes.Title != "" {
					t.Errorf("title = %q", u.Attributes.Title)
				}
			}},
		{name: "rename", ops: []AttributeOperation{{Path: "userName", Value: raw(`"robert"`)}},
			check: func(t *testing.T, u store.User) {
				if u.UserName != "robert" {
					t.Errorf("UserName = %q", u.UserName)
				}
			}},
		{name: "rename to other case of itself", ops: []AttributeOperation{{Path: "userName", Value: raw(`"BOB"`)}},
			check: func(t *testing.T, u store.User) {
				if u.UserName != "BOB" {
					t.Errorf("UserName = %q", u.UserName)
				}
			}},
		{name: "extension", ops: []AttributeOperation{{Path: "aws:identitystore:enterprise", Value: raw(`{"employeeNumber":"7"}`)}},
			check: func(t *testing.T, u store.User) {
				if string(u.Attributes.Extensions["aws:identitystore:enterprise"]) != `{"employeeNumber":"7"}` {
					t.Errorf("extensions = %q", u.Attributes.Extensions)
				}
			}},
		{name: "unknown path", ops: []AttributeOperation{{Path: "shoeSize", Value: raw(`"42"`)}}, kind: fault.Validation},
		{name: "number for string", ops: []AttributeOperation{{Path: "displayName", Value: raw(`42`)}}, kind: fault.Validation},
		{name: "string for list", ops: []AttributeOperation{{Path: "emails", Value: raw(`"a@b.c"`)}}, kind: fault.Validation},
		{name: "unknown field in list item", ops: []AttributeOperation{{Path: "emails", Value: raw(`[{"address":"a@b.c"}]`)}}, kind: fault.Validation},
		{name: "two emails", ops: []AttributeOperation{{Path: "emails", Value: raw(`[{"value":"a@b.c"},{"value":"d@e.f"}]`)}}, kind: fault.Validation},
		{name: "remove user name", ops: []AttributeOperation{{Path: "userName", Value: raw(`null`)}}, kind: fault.Validation},
		{name: "remove given name", ops: []AttributeOperation{{Path: "name.givenName"}}, kind: fault.Validation},
		{name: "reserved user name", ops: []AttributeOperation{{Path: "userName", Value: raw(`"Administrator"`)}}, kind: fault.Validation},
		{name: "valid then invalid op changes nothing", ops: []AttributeOperation{
			{Path: "displayName", Value: raw(`"Changed"`)}, {Path: "bogus", Value: raw(`"x"`)}}, kind: fault.Validation},
		{name: "no operations", ops: nil, kind: fault.Validation},
		{name: "rename onto taken name", ops: []AttributeOperation{{Path: "userName", Value: raw(`"Alice"`)}},
			kind: fault.Conflict, detail: ReasonUniqueness},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.user(t, "alice")
			bob := e.user(t, "bob")
			before := e.snapshot(t)
			e.svc.Now = func() time.Time { return clock.Add(time.Hour) }
			err := e.svc.UpdateUser(e.ctx, sid, bob.UserID, c.ops, "editor")
			if c.kind != 0 {
				wantFault(t, err, c.kind, c.detail)
				if e.snapshot(t) != before {
					t.Fatalf("failed UpdateUser changed the store")
				}
				return
			}
			if err != nil {
				t.Fatalf("UpdateUser: %v", err)
			}
			u, err := e.svc.DescribeUser(e.ctx, sid, bob.UserID)
			if err != nil {
				t.Fatalf("DescribeUser: %v", err)
			}
			if !u.UpdatedAt.Equal(clock.Add(time.Hour)) || u.UpdatedBy != "editor" || !u.CreatedAt.Equal(clock) || u.CreatedBy != "admin" {
				t.Errorf("metadata after update = %+v", u)
			}
			c.check(t, u)
		})
	}
}

func TestUpdateUserNotFound(t *testing.T) {
	e := newEnv(t)
	err := e.svc.UpdateUser(e.ctx, sid, "1234567890-00000000-0000-4000-8000-000000000000",
		[]AttributeOperation{{Path: "displayName", Value: raw(`"x"`)}}, "")
	wantFault(t, err, fault.NotFound, ResourceUser)
}

func TestDeleteUser(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "alice")
	g := e.group(t, "devs")
	m := e.member(t, g.GroupID, u.UserID)
	if err := e.svc.DeleteUser(e.ctx, sid, u.UserID); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	_, err := e.svc.DescribeUser(e.ctx, sid, u.UserID)
	wantFault(t, err, fault.NotFound, ResourceUser)
	_, err = e.svc.DescribeGroupMembership(e.ctx, sid, m)
	wantFault(t, err, fault.NotFound, ResourceGroupMembership)
	err = e.svc.DeleteUser(e.ctx, sid, u.UserID)
	wantFault(t, err, fault.NotFound, ResourceUser)
	// The name is free again.
	e.user(t, "alice")
}

func TestListUsers(t *testing.T) {
	e := newEnv(t)
	want := map[string]bool{}
	for _, n := range []string{"u1", "u2", "u3", "u4", "u5"} {
		want[e.user(t, n).UserID] = true
	}
	seen := map[string]bool{}
	token, pages := "", 0
	for {
		us, next, err := e.svc.ListUsers(e.ctx, sid, nil, 2, token)
		if err != nil {
			t.Fatalf("ListUsers: %v", err)
		}
		pages++
		if len(us) > 2 {
			t.Fatalf("page of %d users", len(us))
		}
		for _, u := range us {
			if seen[u.UserID] || !want[u.UserID] {
				t.Fatalf("unexpected or repeated user %s", u.UserID)
			}
			seen[u.UserID] = true
		}
		if next == "" {
			break
		}
		token = next
	}
	if pages != 3 || len(seen) != 5 {
		t.Fatalf("pages = %d, users = %d; want 3 and 5", pages, len(seen))
	}
	us, next, err := e.svc.ListUsers(e.ctx, sid, nil, 0, "")
	if err != nil || len(us) != 5 || next != "" {
		t.Fatalf("default page = %d users, %q, %v", len(us), next, err)
	}
	us, _, err = e.svc.ListUsers(e.ctx, sid, []Filter{{AttributePath: "UserName", AttributeValue: "U3"}}, 0, "")
	if err != nil || len(us) != 1 || us[0].UserName != "u3" {
		t.Fatalf("filtered = %+v, %v", us, err)
	}

	bad := []struct {
		name    string
		filters []Filter
		max     int
		token   string
		kind    fault.Kind
	}{
		{"bad token", nil, 0, "!!notatoken", fault.Validation},
		{"max too large", nil, 101, "", fault.Validation},
		{"negative max", nil, -1, "", fault.Validation},
		{"unsupported filter path", []Filter{{AttributePath: "Title", AttributeValue: "x"}}, 0, "", fault.Validation},
		{"two filters", []Filter{{"UserName", "a"}, {"UserName", "b"}}, 0, "", fault.Validation},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := e.svc.ListUsers(e.ctx, sid, c.filters, c.max, c.token)
			wantFault(t, err, c.kind, "")
		})
	}
	_, _, err = e.svc.ListUsers(e.ctx, "d-ffffffffff", nil, 0, "")
	wantFault(t, err, fault.NotFound, ResourceIdentityStore)
}

func TestGetUserID(t *testing.T) {
	e := newEnv(t)
	in := validUser("alice")
	in.ExternalIDs = []store.ExternalID{{Issuer: "okta", ID: "00u1"}}
	alice, err := e.svc.CreateUser(e.ctx, sid, in, "")
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	e.user(t, "bob")
	cases := []struct {
		name string
		alt  AlternateIdentifier
		kind fault.Kind
	}{
		{"user name", AlternateIdentifier{UniqueAttribute: &UniqueAttribute{Path: "userName", Value: raw(`"ALICE"`)}}, 0},
		{"email", AlternateIdentifier{UniqueAttribute: &UniqueAttribute{Path: "emails.value", Value: raw(`"alice@example.com"`)}}, 0},
		{"external id", AlternateIdentifier{ExternalID: &store.ExternalID{Issuer: "okta", ID: "00u1"}}, 0},
		{"unknown user name", AlternateIdentifier{UniqueAttribute: &UniqueAttribute{Path: "userName", Value: raw(`"carol"`)}}, fault.NotFound},
		{"unknown external id", AlternateIdentifier{ExternalID: &store.ExternalID{Issuer: "okta", ID: "nope"}}, fault.NotFound},
		{"unsupported path", AlternateIdentifier{UniqueAttribute: &UniqueAttribute{Path: "title", Value: raw(`"x"`)}}, fault.Validation},
		{"non-string value", AlternateIdentifier{UniqueAttribute: &UniqueAttribute{Path: "userName", Value: raw(`{"a":1}`)}}, fault.Validation},
		{"neither", AlternateIdentifier{}, fault.Validation},
		{"both", AlternateIdentifier{ExternalID: &store.ExternalID{Issuer: "a", ID: "b"},
			UniqueAttribute: &UniqueAttribute{Path: "userName", Value: raw(`"alice"`)}}, fault.Validation},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id, err := e.svc.GetUserID(e.ctx, sid, c.alt)
			if c.kind != 0 {
				wantFault(t, err, c.kind, "")
				return
			}
			if err != nil || id != alice.UserID {
				t.Fatalf("GetUserID = %q, %v; want %q", id, err, alice.UserID)
			}
		})
	}
}
