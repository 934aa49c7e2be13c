package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIIdentityStoreLifecycle walks users, groups and memberships through the real CLI,
// restarts the server on the same data folder in the middle, and deletes everything at the end.
func TestCLIIdentityStoreLifecycle(t *testing.T) {
	needCLI(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	s := startServerAt(t, dataDir)
	if !strings.HasPrefix(s.InstanceARN, "arn:aws:sso:::instance/ssoins-") {
		t.Errorf("instance line = %q", s.InstanceARN)
	}
	if !strings.HasPrefix(s.IdentityStoreID, "d-") {
		t.Errorf("identity store line = %q", s.IdentityStoreID)
	}
	c := newCLI(t, s)
	store := s.IdentityStoreID
	is := func(args ...string) map[string]any {
		t.Helper()
		return c.ok(append([]string{"identitystore"}, append(args, "--identity-store-id", store)...)...)
	}

	// Create.
	out := is("create-user", "--user-name", "Bojan", "--display-name", "Bojan",
		"--name", "GivenName=Bojan,FamilyName=Komazec",
		"--emails", "Value=bojan@example.com,Type=work,Primary=true")
	userID := str(t, out, "UserId")
	eq(t, "create-user IdentityStoreId", str(t, out, "IdentityStoreId"), store)
	out = is("create-group", "--display-name", "devops")
	groupID := str(t, out, "GroupId")
	eq(t, "create-group IdentityStoreId", str(t, out, "IdentityStoreId"), store)
	out = is("create-group-membership", "--group-id", groupID, "--member-id", "UserId="+userID)
	membershipID := str(t, out, "MembershipId")
	if userID == "" || groupID == "" || membershipID == "" {
		t.Fatalf("empty ids: user %q group %q membership %q", userID, groupID, membershipID)
	}

	// Read, before and after a restart.
	checkAll := func(stage string, displayName string) {
		t.Helper()
		out := is("list-users")
		users := list(t, out, "Users")
		if len(users) != 1 {
			t.Fatalf("%s: list-users: %d users, want 1: %v", stage, len(users), users)
		}
		eq(t, stage+" list-users UserName", str(t, users[0], "UserName"), "Bojan")
		eq(t, stage+" list-users UserId", str(t, users[0], "UserId"), userID)

		groups := list(t, is("list-groups"), "Groups")
		if len(groups) != 1 {
			t.Fatalf("%s: list-groups: %d groups, want 1: %v", stage, len(groups), groups)
		}
		eq(t, stage+" list-groups DisplayName", str(t, groups[0], "DisplayName"), "devops")
		eq(t, stage+" list-groups GroupId", str(t, groups[0], "GroupId"), groupID)

		u := is("describe-user", "--user-id", userID)
		eq(t, stage+" describe-user UserId", str(t, u, "UserId"), userID)
		eq(t, stage+" describe-user UserName", str(t, u, "UserName"), "Bojan")
		eq(t, stage+" describe-user DisplayName", str(t, u, "DisplayName"), displayName)
		eq(t, stage+" describe-user GivenName", str(t, u, "Name", "GivenName"), "Bojan")
		eq(t, stage+" describe-user FamilyName", str(t, u, "Name", "FamilyName"), "Komazec")
		eq(t, stage+" describe-user IdentityStoreId", str(t, u, "IdentityStoreId"), store)
		emails := list(t, u, "Emails")
		if len(emails) != 1 {
			t.Fatalf("%s: describe-user Emails = %v", stage, emails)
		}
		eq(t, stage+" email Value", str(t, emails[0], "Value"), "bojan@example.com")
		eq(t, stage+" email Type", str(t, emails[0], "Type"), "work")
		if p, _ := walk(t, emails[0], "Primary").(bool); !p {
			t.Errorf("%s: email Primary = %v, want true", stage, walk(t, emails[0], "Primary"))
		}

		g := is("describe-group", "--group-id", groupID)
		eq(t, stage+" describe-group GroupId", str(t, g, "GroupId"), groupID)
		eq(t, stage+" describe-group DisplayName", str(t, g, "DisplayName"), "devops")

		ms := list(t, is("list-group-memberships", "--group-id", groupID), "GroupMemberships")
		if len(ms) != 1 {
			t.Fatalf("%s: list-group-memberships: %v", stage, ms)
		}
		eq(t, stage+" membership MembershipId", str(t, ms[0], "MembershipId"), membershipID)
		eq(t, stage+" membership GroupId", str(t, ms[0], "GroupId"), groupID)
		eq(t, stage+" membership MemberId.UserId", str(t, ms[0], "MemberId", "UserId"), userID)

		res := list(t, is("is-member-in-groups", "--member-id", "UserId="+userID, "--group-ids", groupID), "Results")
		if len(res) != 1 {
			t.Fatalf("%s: is-member-in-groups: %v", stage, res)
		}
		eq(t, stage+" is-member GroupId", str(t, res[0], "GroupId"), groupID)
		if e, _ := walk(t, res[0], "MembershipExists").(bool); !e {
			t.Errorf("%s: MembershipExists = %v, want true", stage, walk(t, res[0], "MembershipExists"))
		}

		out = is("get-user-id", "--alternate-identifier",
			`{"UniqueAttribute":{"AttributePath":"userName","AttributeValue":"Bojan"}}`)
		eq(t, stage+" get-user-id", str(t, out, "UserId"), userID)
		out = is("get-group-id", "--alternate-identifier",
			`{"UniqueAttribute":{"AttributePath":"displayName","AttributeValue":"devops"}}`)
		eq(t, stage+" get-group-id", str(t, out, "GroupId"), groupID)
		out = is("get-group-membership-id", "--group-id", groupID, "--member-id", "UserId="+userID)
		eq(t, stage+" get-group-membership-id", str(t, out, "MembershipId"), membershipID)
	}
	checkAll("before update", "Bojan")

	is("update-user", "--user-id", userID, "--operations",
		`[{"AttributePath":"displayName","AttributeValue":"Bojan Komazec"}]`)
	checkAll("after update", "Bojan Komazec")

	// Restart on the same data folder: same instance and store, same data.
	instance := s.InstanceARN
	s.stop()
	s = startServerAt(t, dataDir)
	eq(t, "instance after restart", s.InstanceARN, instance)
	eq(t, "identity store after restart", s.IdentityStoreID, store)
	c = newCLI(t, s)
	inst := list(t, c.ok("sso-admin", "list-instances"), "Instances")
	if len(inst) != 1 {
		t.Fatalf("list-instances after restart: %v", inst)
	}
	eq(t, "list-instances InstanceArn after restart", str(t, inst[0], "InstanceArn"), instance)
	eq(t, "list-instances IdentityStoreId after restart", str(t, inst[0], "IdentityStoreId"), store)
	checkAll("after restart", "Bojan Komazec")

	// Delete and check it is gone.
	is("delete-group-membership", "--membership-id", membershipID)
	if ms := list(t, is("list-group-memberships", "--group-id", groupID), "GroupMemberships"); len(ms) != 0 {
		t.Errorf("memberships after delete: %v", ms)
	}
	res := list(t, is("is-member-in-groups", "--member-id", "UserId="+userID, "--group-ids", groupID), "Results")
	if len(res) == 1 {
		if e, _ := walk(t, res[0], "MembershipExists").(bool); e {
			t.Errorf("MembershipExists after delete = true")
		}
	}
	is("delete-group", "--group-id", groupID)
	is("delete-user", "--user-id", userID)
	c.fail([]string{"ResourceNotFoundException"}, "identitystore", "describe-user",
		"--identity-store-id", store, "--user-id", userID)
	c.fail([]string{"ResourceNotFoundException"}, "identitystore", "describe-group",
		"--identity-store-id", store, "--group-id", groupID)
	c.fail([]string{"ResourceNotFoundException"}, "identitystore", "describe-group-membership",
		"--identity-store-id", store, "--membership-id", membershipID)
	if u := list(t, is("list-users"), "Users"); len(u) != 0 {
		t.Errorf("users after delete: %v", u)
	}
	if g := list(t, is("list-groups"), "Groups"); len(g) != 0 {
		t.Errorf("groups after delete: %v", g)
	}
}

// TestCLIErrors checks that service errors reach the CLI with the right codes.
func TestCLIErrors(t *testing.T) {
	needCLI(t)
	s := startServer(t)
	c := newCLI(t, s)
	store := s.IdentityStoreID

	create := []string{"identitystore", "create-user", "--identity-store-id", store,
		"--user-name", "dup", "--display-name", "Dup", "--name", "GivenName=D,FamilyName=Up"}
	c.ok(create...)
	c.fail([]string{"ConflictException"}, create...)

	c.fail([]string{"ResourceNotFoundException"}, "identitystore", "describe-user",
		"--identity-store-id", store, "--user-id", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
	c.fail([]string{"ResourceNotFoundException"}, "identitystore", "get-user-id",
		"--identity-store-id", store, "--alternate-identifier",
		`{"UniqueAttribute":{"AttributePath":"userName","AttributeValue":"nobody"}}`)

	// Right key id, wrong secret: an authentication error, never a success.
	creds, conf := writeWrongSecretProfile(t, s)
	w := *c
	w.credentialsFile, w.configFile, w.profile = creds, conf, "wrong"
	w.t = t
	authErrs := []string{"InvalidSignatureException", "UnrecognizedClientException", "SignatureDoesNotMatch"}
	r := w.fail(authErrs, "identitystore", "list-users", "--identity-store-id", store)
	t.Logf("identitystore with a wrong secret: %s", strings.TrimSpace(r.stderr))
	r = w.fail(authErrs, "sts", "get-caller-identity")
	t.Logf("sts with a wrong secret: %s", strings.TrimSpace(r.stderr))
	// The same files with the right profile still work (the failure was the secret).
	w.profile = "idcenter"
	w.ok("sts", "get-caller-identity")
}

// TestCLIOtherServices checks sts, sso-admin and organizations through the CLI.
func TestCLIOtherServices(t *testing.T) {
	needCLI(t)
	s := startServer(t)
	c := newCLI(t, s)

	id := c.ok("sts", "get-caller-identity")
	eq(t, "Account", str(t, id, "Account"), managementAccount)
	eq(t, "Arn", str(t, id, "Arn"), "arn:aws:iam::"+managementAccount+":root")

	inst := list(t, c.ok("sso-admin", "list-instances"), "Instances")
	if len(inst) != 1 {
		t.Fatalf("list-instances: %v", inst)
	}
	eq(t, "InstanceArn", str(t, inst[0], "InstanceArn"), s.InstanceARN)
	eq(t, "IdentityStoreId", str(t, inst[0], "IdentityStoreId"), s.IdentityStoreID)

	org := c.ok("organizations", "describe-organization")
	eq(t, "MasterAccountId", str(t, org, "Organization", "MasterAccountId"), managementAccount)
	if oid := str(t, org, "Organization", "Id"); !strings.HasPrefix(oid, "o-") {
		t.Errorf("Organization.Id = %q", oid)
	}
	if arn := str(t, org, "Organization", "Arn"); !strings.HasPrefix(arn, "arn:aws:organizations::"+managementAccount+":organization/o-") {
		t.Errorf("Organization.Arn = %q", arn)
	}

	accounts := list(t, c.ok("organizations", "list-accounts"), "Accounts")
	found := false
	for _, a := range accounts {
		if str(t, a, "Id") == managementAccount {
			found = true
			eq(t, "management account Status", str(t, a, "Status"), "ACTIVE")
		}
	}
	if !found {
		t.Errorf("list-accounts has no %s: %v", managementAccount, accounts)
	}
	acct := c.ok("organizations", "describe-account", "--account-id", managementAccount)
	eq(t, "describe-account Id", str(t, acct, "Account", "Id"), managementAccount)
}

// TestVersion checks the version subcommand.
func TestVersion(t *testing.T) {
	out, err := exec.Command(binPath, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("idcenter version: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), "idcenter ") {
		t.Errorf("idcenter version = %q, want prefix %q", out, "idcenter ")
	}
}

// TestCredentialFiles checks the files the first start writes for the CLI.
func TestCredentialFiles(t *testing.T) {
	s := startServer(t)
	creds, err := os.ReadFile(s.CredentialsFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[idcenter]", rootKeyID, rootSecret} {
		if !strings.Contains(string(creds), want) {
			t.Errorf("credentials file lacks %q", want)
		}
	}
	if fi, err := os.Stat(s.CredentialsFile); err == nil && fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("credentials file mode %v, want no group/other access", fi.Mode().Perm())
	}
	conf, err := os.ReadFile(s.ConfigFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(conf), "[profile idcenter]") || !strings.Contains(string(conf), "region") {
		t.Errorf("config file = %q", conf)
	}
}
