package app_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"

	"github.com/idcenter/idcenter/internal/config"
	corescim "github.com/idcenter/idcenter/internal/core/scim"
	"github.com/idcenter/idcenter/internal/scimtest"
)

// startSCIM starts a server with the given SCIM rate limit and returns it
// with a SCIM client holding a fresh token.
func startSCIM(t testing.TB, rateLimit float64) (*testServer, *scimtest.Client) {
	t.Helper()
	ts := startServerWith(t, func(c *config.Config) { c.SCIMRateLimit = rateLimit })
	storeID := ts.World.Instance.IdentityStoreID
	_, tok, err := (&corescim.Service{Store: ts.Store}).CreateToken(context.Background(), storeID, 0)
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	return ts, &scimtest.Client{Base: ts.URL + "/" + storeID + "/scim/v2/", Token: tok}
}

// directory reads the whole identity store through the identitystore API,
// paging as a client must: users by name, groups by name, and members per group id.
type directory struct {
	users   map[string]types.User
	groups  map[string]types.Group
	members map[string]map[string]bool // group id → user ids
}

func readDirectory(t *testing.T, c *identitystore.Client, storeID string) directory {
	t.Helper()
	ctx := context.Background()
	d := directory{users: map[string]types.User{}, groups: map[string]types.Group{}, members: map[string]map[string]bool{}}
	up := identitystore.NewListUsersPaginator(c, &identitystore.ListUsersInput{IdentityStoreId: aws.String(storeID), MaxResults: aws.Int32(100)})
	for up.HasMorePages() {
		page, err := up.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListUsers: %v", err)
		}
		for _, u := range page.Users {
			d.users[aws.ToString(u.UserName)] = u
		}
	}
	gp := identitystore.NewListGroupsPaginator(c, &identitystore.ListGroupsInput{IdentityStoreId: aws.String(storeID), MaxResults: aws.Int32(100)})
	for gp.HasMorePages() {
		page, err := gp.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListGroups: %v", err)
		}
		for _, g := range page.Groups {
			d.groups[aws.ToString(g.DisplayName)] = g
		}
	}
	for _, g := range d.groups {
		set := map[string]bool{}
		mp := identitystore.NewListGroupMembershipsPaginator(c, &identitystore.ListGroupMembershipsInput{
			IdentityStoreId: aws.String(storeID), GroupId: g.GroupId, MaxResults: aws.Int32(100)})
		for mp.HasMorePages() {
			page, err := mp.NextPage(ctx)
			if err != nil {
				t.Fatalf("ListGroupMemberships: %v", err)
			}
			for _, m := range page.GroupMemberships {
				if id, ok := m.MemberId.(*types.MemberIdMemberUserId); ok {
					set[id.Value] = true
				}
			}
		}
		d.members[aws.ToString(g.GroupId)] = set
	}
	return d
}

// TestSCIMProvisioningCycle pushes 1,000 users and 50 groups with memberships
// the way Okta does, then updates, deactivates and deletes some of them, and
// checks every stage through the identitystore API with aws-sdk-go-v2.
func TestSCIMProvisioningCycle(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000-user cycle")
	}
	const users, groups = 1000, 50
	ts, sc := startSCIM(t, 0)
	ctx := context.Background()
	storeID := ts.World.Instance.IdentityStoreID
	is := newIdentityClient(t, ts)

	pop, err := scimtest.Provision(ctx, sc, "cyc", users, groups, 10, 4)
	if err != nil {
		t.Fatalf("provision: %v", err)
	}
	d := readDirectory(t, is, storeID)
	if len(d.users) != users || len(d.groups) != groups {
		t.Fatalf("after create: %d users, %d groups; want %d, %d", len(d.users), len(d.groups), users, groups)
	}
	for i, u := range pop.Users {
		got, ok := d.users[u.UserName]
		if !ok || aws.ToString(got.UserId) != pop.UserIDs[i] {
			t.Fatalf("user %s: listed %v, SCIM id %s", u.UserName, got.UserId, pop.UserIDs[i])
		}
		if aws.ToString(got.Name.GivenName) != u.GivenName || len(got.Emails) != 1 || aws.ToString(got.Emails[0].Value) != u.Email {
			t.Fatalf("user %s attributes: %+v", u.UserName, got)
		}
		if len(got.ExternalIds) != 1 || aws.ToString(got.ExternalIds[0].Id) != u.ExternalID {
			t.Fatalf("user %s ExternalIds = %+v, want id %s", u.UserName, got.ExternalIds, u.ExternalID)
		}
	}
	wantMembers := func(stage string, gone map[int]bool) {
		t.Helper()
		for g, name := range pop.Groups {
			grp, ok := d.groups[name]
			if !ok {
				continue // deleted group
			}
			want := map[string]bool{}
			for _, i := range pop.Members[g] {
				if !gone[i] {
					want[pop.UserIDs[i]] = true
				}
			}
			got := d.members[aws.ToString(grp.GroupId)]
			if len(got) != len(want) {
				t.Fatalf("%s: group %s has %d members, want %d", stage, name, len(got), len(want))
			}
			for id := range want {
				if !got[id] {
					t.Fatalf("%s: group %s lacks member %s", stage, name, id)
				}
			}
		}
	}
	wantMembers("after create", nil)
	// GetUserId and IsMemberInGroups answer for SCIM-made records too.
	uid, err := is.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: aws.String(storeID),
		AlternateIdentifier: &types.AlternateIdentifierMemberUniqueAttribute{Value: types.UniqueAttribute{
			AttributePath: aws.String("userName"), AttributeValue: document.NewLazyDocument(pop.Users[7].UserName)}}})
	if err != nil || aws.ToString(uid.UserId) != pop.UserIDs[7] {
		t.Fatalf("GetUserId = %v, %v", uid, err)
	}
	in, err := is.IsMemberInGroups(ctx, &identitystore.IsMemberInGroupsInput{IdentityStoreId: aws.String(storeID),
		MemberId: &types.MemberIdMemberUserId{Value: pop.UserIDs[7]}, GroupIds: []string{pop.GroupIDs[7], pop.GroupIDs[8]}})
	if err != nil || len(in.Results) != 2 || !in.Results[0].MembershipExists || in.Results[1].MembershipExists {
		t.Fatalf("IsMemberInGroups = %+v, %v", in, err)
	}

	// Update users 0–99 as Okta does (PUT of the whole user).
	idx := func(from, to int) []int {
		out := make([]int, 0, to-from)
		for i := from; i < to; i++ {
			out = append(out, i)
		}
		return out
	}
	if err := pop.Each(ctx, idx(0, 100), 4, func(i int) error {
		u := pop.Users[i]
		u.GivenName, u.Title = "Renamed", "Manager"
		return sc.ReplaceUser(ctx, pop.UserIDs[i], u)
	}); err != nil {
		t.Fatalf("update: %v", err)
	}
	// Deactivate 100–199, delete 200–299 and groups 40–49.
	if err := pop.Each(ctx, idx(100, 200), 4, func(i int) error { return sc.DeactivateUser(ctx, pop.UserIDs[i]) }); err != nil {
		t.Fatalf("deactivate: %v", err)
	}
	if err := pop.Each(ctx, idx(200, 300), 4, func(i int) error { return sc.DeleteUser(ctx, pop.UserIDs[i]) }); err != nil {
		t.Fatalf("delete users: %v", err)
	}
	for g := 40; g < groups; g++ {
		if err := sc.DeleteGroup(ctx, pop.GroupIDs[g]); err != nil {
			t.Fatalf("delete group: %v", err)
		}
	}

	d = readDirectory(t, is, storeID)
	if len(d.users) != users-100 || len(d.groups) != groups-10 {
		t.Fatalf("after delete: %d users, %d groups; want %d, %d", len(d.users), len(d.groups), users-100, groups-10)
	}
	gone := map[int]bool{}
	for i := 200; i < 300; i++ {
		gone[i] = true
		if _, ok := d.users[pop.Users[i].UserName]; ok {
			t.Fatalf("deleted user %s still listed", pop.Users[i].UserName)
		}
	}
	wantMembers("after delete", gone)
	for _, i := range []int{0, 57, 99} {
		u := d.users[pop.Users[i].UserName]
		if aws.ToString(u.Name.GivenName) != "Renamed" || aws.ToString(u.Title) != "Manager" {
			t.Errorf("updated user %d: given %v title %v", i, aws.ToString(u.Name.GivenName), aws.ToString(u.Title))
		}
	}
	for _, i := range []int{100, 150, 199} {
		out, err := is.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String(pop.UserIDs[i])})
		if err != nil {
			t.Fatalf("DescribeUser deactivated: %v", err)
		}
		if out.UserStatus != "DISABLED" {
			t.Errorf("deactivated user %d: UserStatus %q, want DISABLED", i, out.UserStatus)
		}
		if got, err := sc.GetUser(ctx, pop.UserIDs[i]); err != nil || got["active"] != false {
			t.Errorf("SCIM GET deactivated user %d: active %v, %v", i, got["active"], err)
		}
	}
	if out, err := is.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String(pop.UserIDs[300])}); err != nil || out.UserStatus == "DISABLED" {
		t.Errorf("untouched user: %v, %v", out, err)
	}
	_, err = is.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String(pop.UserIDs[250])})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("DescribeUser of a SCIM-deleted user: %v, want ResourceNotFoundException", err)
	}
	if st, _, err := sc.Do(ctx, http.MethodGet, "Users/"+pop.UserIDs[250], nil); err != nil || st != http.StatusNotFound {
		t.Errorf("SCIM GET deleted user: %d, %v", st, err)
	}
}

// TestSCIMThrottling checks the per-token rate limit: a burst beyond it gets
// 429 with Retry-After and a SCIM error, another token is not affected, and a
// client that honours Retry-After gets through.
func TestSCIMThrottling(t *testing.T) {
	ts, sc := startSCIM(t, 1) // 1 request/s, bursts of 2
	ctx := context.Background()
	codes := map[int]int{}
	for i := 0; i < 5; i++ {
		st, out, err := sc.Do(ctx, http.MethodGet, "ServiceProviderConfig", nil)
		if err != nil {
			t.Fatal(err)
		}
		codes[st]++
		if st == http.StatusTooManyRequests && out["status"] != "429" {
			t.Errorf("429 body %v", out)
		}
	}
	// Do retried the 429s after Retry-After, so every call ended in 200.
	if codes[http.StatusOK] != 5 || sc.Throttled.Load() == 0 {
		t.Fatalf("statuses %v, throttled %d: want 5×200 after retries and at least one 429", codes, sc.Throttled.Load())
	}

	// A raw request beyond the burst sees the 429 itself.
	req, _ := http.NewRequest(http.MethodGet, sc.Base+"Users", nil)
	req.Header.Set("Authorization", "Bearer "+sc.Token)
	var resp *http.Response
	for i := 0; i < 3; i++ {
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		resp = r
		if r.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("burst: status %d Retry-After %q, want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// A second token has its own bucket.
	_, other, err := (&corescim.Service{Store: ts.Store}).CreateToken(ctx, ts.World.Instance.IdentityStoreID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if st, _, err := (&scimtest.Client{Base: sc.Base, Token: other}).Do(ctx, http.MethodGet, "Users", nil); err != nil || st != http.StatusOK {
		t.Fatalf("other token: %d, %v", st, err)
	}
}
