package identity

import (
	"testing"

	"github.com/idcenter/idcenter/internal/core/fault"
)

const missingID = "1234567890-00000000-0000-4000-8000-000000000000"

func TestCreateGroupMembership(t *testing.T) {
	cases := []struct {
		name   string
		store  string
		group  string // "g" = the group, else literal id
		user   string // "u" = the user
		kind   fault.Kind
		detail string
	}{
		{name: "ok", group: "g", user: "u2"},
		{name: "duplicate", group: "g", user: "u", kind: fault.Conflict, detail: ReasonUniqueness},
		{name: "unknown group", group: missingID, user: "u2", kind: fault.NotFound, detail: ResourceGroup},
		{name: "unknown user", group: "g", user: missingID, kind: fault.NotFound, detail: ResourceUser},
		{name: "unknown store", store: "d-ffffffffff", group: "g", user: "u2", kind: fault.NotFound, detail: ResourceIdentityStore},
		{name: "empty ids", group: "", user: "", kind: fault.Validation},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			g := e.group(t, "devs")
			u := e.user(t, "alice")
			u2 := e.user(t, "bob")
			e.member(t, g.GroupID, u.UserID)
			ids := map[string]string{"g": g.GroupID, "u": u.UserID, "u2": u2.UserID}
			resolve := func(s string) string {
				if v, ok := ids[s]; ok {
					return v
				}
				return s
			}
			st := sid
			if c.store != "" {
				st = c.store
			}
			before := e.snapshot(t)
			id, err := e.svc.CreateGroupMembership(e.ctx, st, resolve(c.group), resolve(c.user))
			if c.kind != 0 {
				wantFault(t, err, c.kind, c.detail)
				if e.snapshot(t) != before {
					t.Fatalf("failed CreateGroupMembership changed the store")
				}
				return
			}
			if err != nil {
				t.Fatalf("CreateGroupMembership: %v", err)
			}
			if !idPattern.MatchString(id) {
				t.Errorf("MembershipID %q", id)
			}
			m, err := e.svc.DescribeGroupMembership(e.ctx, sid, id)
			if err != nil || m.GroupID != g.GroupID || m.UserID != u2.UserID || !m.CreatedAt.Equal(clock) {
				t.Fatalf("DescribeGroupMembership = %+v, %v", m, err)
			}
			got, err := e.svc.GetGroupMembershipID(e.ctx, sid, g.GroupID, u2.UserID)
			if err != nil || got != id {
				t.Fatalf("GetGroupMembershipID = %q, %v", got, err)
			}
		})
	}
}

func TestMembershipLookupsAndDelete(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "alice")
	other := e.user(t, "bob")
	var groups []string
	for _, n := range []string{"g1", "g2", "g3", "g4"} {
		groups = append(groups, e.group(t, n).GroupID)
	}
	var ms []string
	for _, g := range groups[:3] {
		ms = append(ms, e.member(t, g, u.UserID))
	}
	e.member(t, groups[0], other.UserID)

	// For the member, paged by 2: three memberships over two pages.
	page1, next, err := e.svc.ListGroupMembershipsForMember(e.ctx, sid, u.UserID, 2, "")
	if err != nil || len(page1) != 2 || next == "" {
		t.Fatalf("page 1 = %d, %q, %v", len(page1), next, err)
	}
	page2, next2, err := e.svc.ListGroupMembershipsForMember(e.ctx, sid, u.UserID, 2, next)
	if err != nil || len(page2) != 1 || next2 != "" {
		t.Fatalf("page 2 = %d, %q, %v", len(page2), next2, err)
	}
	seen := map[string]bool{}
	for _, m := range append(page1, page2...) {
		seen[m.MembershipID] = true
		if m.UserID != u.UserID {
			t.Errorf("membership of another user: %+v", m)
		}
	}
	if len(seen) != 3 {
		t.Fatalf("memberships seen = %v", seen)
	}
	byGroup, _, err := e.svc.ListGroupMemberships(e.ctx, sid, groups[0], 0, "")
	if err != nil || len(byGroup) != 2 {
		t.Fatalf("ListGroupMemberships = %+v, %v", byGroup, err)
	}
	_, _, err = e.svc.ListGroupMemberships(e.ctx, sid, missingID, 0, "")
	wantFault(t, err, fault.NotFound, ResourceGroup)
	_, _, err = e.svc.ListGroupMembershipsForMember(e.ctx, sid, missingID, 0, "")
	wantFault(t, err, fault.NotFound, ResourceUser)
	_, _, err = e.svc.ListGroupMemberships(e.ctx, sid, groups[0], 0, "garbage!")
	wantFault(t, err, fault.Validation, "")

	res, err := e.svc.IsMemberInGroups(e.ctx, sid, u.UserID, []string{groups[0], groups[3], missingID})
	if err != nil {
		t.Fatalf("IsMemberInGroups: %v", err)
	}
	wantExists := []bool{true, false, false}
	for i, r := range res {
		if r.Exists != wantExists[i] || r.UserID != u.UserID {
			t.Errorf("IsMemberInGroups[%d] = %+v, want exists %v", i, r, wantExists[i])
		}
	}
	_, err = e.svc.IsMemberInGroups(e.ctx, sid, missingID, []string{groups[0]})
	wantFault(t, err, fault.NotFound, ResourceUser)
	_, err = e.svc.IsMemberInGroups(e.ctx, sid, u.UserID, nil)
	wantFault(t, err, fault.Validation, "")
	_, err = e.svc.IsMemberInGroups(e.ctx, sid, u.UserID, make([]string, 101))
	wantFault(t, err, fault.Validation, "")

	_, err = e.svc.GetGroupMembershipID(e.ctx, sid, groups[3], u.UserID)
	wantFault(t, err, fault.NotFound, ResourceGroupMembership)
	_, err = e.svc.DescribeGroupMembership(e.ctx, sid, missingID)
	wantFault(t, err, fault.NotFound, ResourceGroupMembership)

	if err := e.svc.DeleteGroupMembership(e.ctx, sid, ms[0]); err != nil {
		t.Fatalf("DeleteGroupMembership: %v", err)
	}
	wantFault(t, e.svc.DeleteGroupMembership(e.ctx, sid, ms[0]), fault.NotFound, ResourceGroupMembership)
	res, _ = e.svc.IsMemberInGroups(e.ctx, sid, u.UserID, []string{groups[0]})
	if len(res) != 1 || res[0].Exists {
		t.Fatalf("still a member after delete: %+v", res)
	}
	// Re-adding after delete works.
	e.member(t, groups[0], u.UserID)
}
