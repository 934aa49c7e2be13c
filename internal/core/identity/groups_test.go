package identity

import (
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

func TestCreateGroup(t *testing.T) {
	cases := []struct {
		name   string
		store  string
		group  store.Group
		kind   fault.Kind
		detail string
	}{
		{name: "ok", group: store.Group{DisplayName: "Engineers", Description: "all of them"}},
		{name: "ok without description", group: store.Group{DisplayName: "Ops"}},
		{name: "duplicate, other case", group: store.Group{DisplayName: "ADMINS"}, kind: fault.Conflict, detail: ReasonUniqueness},
		{name: "missing display name", group: store.Group{Description: "x"}, kind: fault.Validation},
		{name: "reserved name", group: store.Group{DisplayName: "AWSAdministrators"}, kind: fault.Validation},
		{name: "unknown store", store: "d-ffffffffff", group: store.Group{DisplayName: "x"}, kind: fault.NotFound, detail: ResourceIdentityStore},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.group(t, "Admins")
			before := e.snapshot(t)
			st := sid
			if c.store != "" {
				st = c.store
			}
			g, err := e.svc.CreateGroup(e.ctx, st, c.group, "creator")
			if c.kind != 0 {
				wantFault(t, err, c.kind, c.detail)
				if e.snapshot(t) != before {
					t.Fatalf("failed CreateGroup changed the store")
				}
				return
			}
			if err != nil {
				t.Fatalf("CreateGroup: %v", err)
			}
			if !idPattern.MatchString(g.GroupID) {
				t.Errorf("GroupID %q", g.GroupID)
			}
			d, err := e.svc.DescribeGroup(e.ctx, sid, g.GroupID)
			if err != nil {
				t.Fatalf("DescribeGroup: %v", err)
			}
			if d.DisplayName != c.group.DisplayName || d.Description != c.group.Description || d.CreatedBy != "creator" || !d.CreatedAt.Equal(clock) {
				t.Errorf("DescribeGroup = %+v", d)
			}
		})
	}
}

func TestDescribeGroupNotFound(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.DescribeGroup(e.ctx, sid, "1234567890-00000000-0000-4000-8000-000000000000")
	wantFault(t, err, fault.NotFound, ResourceGroup)
}

func TestUpdateGroup(t *testing.T) {
	cases := []struct {
		name   string
		ops    []AttributeOperation
		kind   fault.Kind
		detail string
		want   store.Group // DisplayName and Description
	}{
		{name: "display name", ops: []AttributeOperation{{Path: "displayName", Value: raw(`"Developers"`)}},
			want: store.Group{DisplayName: "Developers", Description: "about devs"}},
		{name: "description", ops: []AttributeOperation{{Path: "description", Value: raw(`"new"`)}},
			want: store.Group{DisplayName: "devs", Description: "new"}},
		{name: "remove description", ops: []AttributeOperation{{Path: "description", Value: raw(`null`)}},
			want: store.Group{DisplayName: "devs"}},
		{name: "remove display name", ops: []AttributeOperation{{Path: "displayName"}}, kind: fault.Validation},
		{name: "unknown path", ops: []AttributeOperation{{Path: "members", Value: raw(`[]`)}}, kind: fault.Validation},
		{name: "wrong type", ops: []AttributeOperation{{Path: "description", Value: raw(`true`)}}, kind: fault.Validation},
		{name: "rename onto taken name", ops: []AttributeOperation{{Path: "displayName", Value: raw(`"admins"`)}},
			kind: fault.Conflict, detail: ReasonUniqueness},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.group(t, "Admins")
			g := e.group(t, "devs")
			before := e.snapshot(t)
			e.svc.Now = func() time.Time { return clock.Add(time.Minute) }
			err := e.svc.UpdateGroup(e.ctx, sid, g.GroupID, c.ops, "editor")
			if c.kind != 0 {
				wantFault(t, err, c.kind, c.detail)
				if e.snapshot(t) != before {
					t.Fatalf("failed UpdateGroup changed the store")
				}
				return
			}
			if err != nil {
				t.Fatalf("UpdateGroup: %v", err)
			}
			d, _ := e.svc.DescribeGroup(e.ctx, sid, g.GroupID)
			if d.DisplayName != c.want.DisplayName || d.Description != c.want.Description ||
				d.UpdatedBy != "editor" || !d.UpdatedAt.Equal(clock.Add(time.Minute)) {
				t.Errorf("group after update = %+v", d)
			}
		})
	}
	e := newEnv(t)
	err := e.svc.UpdateGroup(e.ctx, sid, "1234567890-00000000-0000-4000-8000-000000000000",
		[]AttributeOperation{{Path: "description", Value: raw(`"x"`)}}, "")
	wantFault(t, err, fault.NotFound, ResourceGroup)
}

func TestDeleteGroup(t *testing.T) {
	e := newEnv(t)
	g := e.group(t, "devs")
	u := e.user(t, "alice")
	m := e.member(t, g.GroupID, u.UserID)
	if err := e.svc.DeleteGroup(e.ctx, sid, g.GroupID); err != nil {
		t.Fatalf("DeleteGroup: %v", err)
	}
	_, err := e.svc.DescribeGroupMembership(e.ctx, sid, m)
	wantFault(t, err, fault.NotFound, ResourceGroupMembership)
	wantFault(t, e.svc.DeleteGroup(e.ctx, sid, g.GroupID), fault.NotFound, ResourceGroup)
	ms, _, err := e.svc.ListGroupMembershipsForMember(e.ctx, sid, u.UserID, 0, "")
	if err != nil || len(ms) != 0 {
		t.Fatalf("memberships of user after group delete = %v, %v", ms, err)
	}
}

func TestListGroupsAndGetGroupID(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for _, n := range []string{"a", "b", "c"} {
		ids = append(ids, e.group(t, n).GroupID)
	}
	var got []string
	token := ""
	for i := 0; ; i++ {
		gs, next, err := e.svc.ListGroups(e.ctx, sid, nil, 1, token)
		if err != nil {
			t.Fatalf("ListGroups: %v", err)
		}
		for _, g := range gs {
			got = append(got, g.GroupID)
		}
		if next == "" {
			break
		}
		token = next
		if i > 10 {
			t.Fatal("paging does not end")
		}
	}
	if len(got) != 3 {
		t.Fatalf("listed %v", got)
	}
	gs, _, err := e.svc.ListGroups(e.ctx, sid, []Filter{{AttributePath: "DisplayName", AttributeValue: "B"}}, 0, "")
	if err != nil || len(gs) != 1 || gs[0].DisplayName != "b" {
		t.Fatalf("filtered = %+v, %v", gs, err)
	}
	_, _, err = e.svc.ListGroups(e.ctx, sid, []Filter{{AttributePath: "UserName", AttributeValue: "B"}}, 0, "")
	wantFault(t, err, fault.Validation, "")

	id, err := e.svc.GetGroupID(e.ctx, sid, AlternateIdentifier{UniqueAttribute: &UniqueAttribute{Path: "displayName", Value: raw(`"C"`)}})
	if err != nil || (id != ids[2]) {
		t.Fatalf("GetGroupID = %q, %v; want %q", id, err, ids[2])
	}
	_, err = e.svc.GetGroupID(e.ctx, sid, AlternateIdentifier{UniqueAttribute: &UniqueAttribute{Path: "displayName", Value: raw(`"zzz"`)}})
	wantFault(t, err, fault.NotFound, ResourceGroup)
	_, err = e.svc.GetGroupID(e.ctx, sid, AlternateIdentifier{UniqueAttribute: &UniqueAttribute{Path: "description", Value: raw(`"x"`)}})
	wantFault(t, err, fault.Validation, "")
	_, err = e.svc.GetGroupID(e.ctx, sid, AlternateIdentifier{ExternalID: &store.ExternalID{Issuer: "x", ID: "y"}})
	wantFault(t, err, fault.NotFound, ResourceGroup)
}
