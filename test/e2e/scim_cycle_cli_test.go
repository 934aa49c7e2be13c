package e2e

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idcenter/idcenter/internal/scimtest"
)

// TestCLISCIMProvisioningCycle: a token from `idcenter admin scim-token
// create` (its endpoint/token lines, as scripts read them), 1,000 users and 50
// groups pushed over SCIM the way Okta does, then updated and deleted — each
// stage checked with the real CLI's identitystore commands (which page
// through the lists themselves).
func TestCLISCIMProvisioningCycle(t *testing.T) {
	needCLI(t)
	if testing.Short() {
		t.Skip("1,000-user cycle")
	}
	t.Parallel()
	s := startServerAt(t, filepath.Join(t.TempDir(), "data"), "--scim-rate-limit", "0")
	out, err := exec.Command(binPath, "admin", "scim-token", "create", "--data", s.dataDir,
		"--listen", strings.TrimPrefix(s.Endpoint, "http://")).CombinedOutput()
	if err != nil {
		t.Fatalf("admin scim-token create: %v\n%s", err, out)
	}
	lines := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, _ := strings.Cut(l, ": ")
		lines[k] = v
	}
	wantBase := s.Endpoint + "/" + s.IdentityStoreID + "/scim/v2/"
	if lines["endpoint"] != wantBase || !strings.HasPrefix(lines["token"], "idcscim_") || len(lines) != 2 {
		t.Fatalf("admin scim-token create printed %q; want endpoint %s and a token", out, wantBase)
	}
	sc := &scimtest.Client{Base: lines["endpoint"], Token: lines["token"]}
	ctx := context.Background()
	pop, err := scimtest.Provision(ctx, sc, "cli", 1000, 50, 20, 4)
	if err != nil {
		t.Fatalf("provision: %v", err)
	}

	c := newCLI(t, s)
	is := func(args ...string) map[string]any {
		t.Helper()
		return c.ok(append([]string{"identitystore"}, append(args, "--identity-store-id", s.IdentityStoreID)...)...)
	}
	countUsers := func(stage string, want int) {
		t.Helper()
		users := list(t, is("list-users"), "Users")
		if len(users) != want {
			t.Fatalf("%s: list-users shows %d users, want %d", stage, len(users), want)
		}
	}
	countUsers("after create", 1000)
	if groups := list(t, is("list-groups"), "Groups"); len(groups) != 50 {
		t.Fatalf("list-groups shows %d groups, want 50", len(groups))
	}
	members := list(t, is("list-group-memberships", "--group-id", pop.GroupIDs[3]), "GroupMemberships")
	if len(members) != 20 {
		t.Fatalf("list-group-memberships: %d, want 20", len(members))
	}
	got := is("get-user-id", "--alternate-identifier",
		fmt.Sprintf(`{"UniqueAttribute":{"AttributePath":"userName","AttributeValue":%q}}`, pop.Users[3].UserName))
	eq(t, "get-user-id", str(t, got, "UserId"), pop.UserIDs[3])

	// Update (PUT) user 3, delete users 900–999.
	u := pop.Users[3]
	u.Title = "Manager"
	if err := sc.ReplaceUser(ctx, pop.UserIDs[3], u); err != nil {
		t.Fatal(err)
	}
	eq(t, "describe-user Title", str(t, is("describe-user", "--user-id", pop.UserIDs[3]), "Title"), "Manager")
	var last []int
	for i := 900; i < 1000; i++ {
		last = append(last, i)
	}
	if err := pop.Each(ctx, last, 4, func(i int) error { return sc.DeleteUser(ctx, pop.UserIDs[i]) }); err != nil {
		t.Fatalf("delete: %v", err)
	}
	countUsers("after delete", 900)
	c.fail([]string{"ResourceNotFoundException"}, "identitystore", "describe-user",
		"--identity-store-id", s.IdentityStoreID, "--user-id", pop.UserIDs[950])
	// User 950 was in group 0 (950 % 50): the group lost that member.
	members = list(t, is("list-group-memberships", "--group-id", pop.GroupIDs[0]), "GroupMemberships")
	if len(members) != 18 {
		t.Errorf("group 0 after deleting two of its members: %d members, want 18", len(members))
	}
}
