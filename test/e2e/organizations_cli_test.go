package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// sessionCLI is a CLI whose profile "member" signs with temporary credentials.
func sessionCLI(t *testing.T, s *server, creds map[string]any) *cli {
	t.Helper()
	dir := t.TempDir()
	credFile := filepath.Join(dir, "credentials")
	confFile := filepath.Join(dir, "config")
	body := "[member]\naws_access_key_id = " + str(t, creds, "Credentials", "AccessKeyId") +
		"\naws_secret_access_key = " + str(t, creds, "Credentials", "SecretAccessKey") +
		"\naws_session_token = " + str(t, creds, "Credentials", "SessionToken") + "\n"
	if err := os.WriteFile(credFile, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(confFile, []byte("[profile member]\nregion = us-east-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return &cli{t: t, home: t.TempDir(), endpoint: s.Endpoint, credentialsFile: credFile, configFile: confFile, profile: "member"}
}

// TestCLIOrganizationsInvitation is an account's way out of and back into the
// organization through the real CLI: created, its access role assumed,
// removed, invited back by e-mail, the invitation accepted by the account's
// own session, a tag policy seen as its effective policy, then it leaves; and
// the organization's resource policy put, read and deleted.
func TestCLIOrganizationsInvitation(t *testing.T) {
	needCLI(t)
	s := startServer(t)
	admin := newCLI(t, s)

	created := admin.ok("organizations", "create-account", "--email", "wanderer@example.com", "--account-name", "wanderer")
	status := admin.ok("organizations", "describe-create-account-status", "--create-account-request-id", str(t, created, "CreateAccountStatus", "Id"))
	eq(t, "create-account state", str(t, status, "CreateAccountStatus", "State"), "SUCCEEDED")
	acct := str(t, status, "CreateAccountStatus", "AccountId")
	role := admin.ok("sts", "assume-role", "--role-arn", "arn:aws:iam::"+acct+":role/OrganizationAccountAccessRole", "--role-session-name", "wanderer")
	member := sessionCLI(t, s, role)
	eq(t, "member identity", str(t, member.ok("sts", "get-caller-identity"), "Account"), acct)

	admin.ok("organizations", "remove-account-from-organization", "--account-id", acct)
	admin.fail([]string{"AccountNotFoundException"}, "organizations", "describe-account", "--account-id", acct)
	inv := admin.ok("organizations", "invite-account-to-organization", "--target", "Id=wanderer@example.com,Type=EMAIL", "--notes", "welcome back")
	hid := str(t, inv, "Handshake", "Id")
	eq(t, "invitation state", str(t, inv, "Handshake", "State"), "OPEN")
	admin.fail([]string{"DuplicateHandshakeException"}, "organizations", "invite-account-to-organization", "--target", "Id=wanderer@example.com,Type=EMAIL")

	received := member.ok("organizations", "list-handshakes-for-account")
	if hs := list(t, received, "Handshakes"); len(hs) != 1 || str(t, hs[0], "Id") != hid {
		t.Fatalf("member's handshakes: %v", received)
	}
	admin.fail([]string{"AccessDeniedException"}, "organizations", "accept-handshake", "--handshake-id", hid)
	acc := member.ok("organizations", "accept-handshake", "--handshake-id", hid)
	eq(t, "accepted", str(t, acc, "Handshake", "State"), "ACCEPTED")
	d := admin.ok("organizations", "describe-account", "--account-id", acct)
	eq(t, "joined method", str(t, d, "Account", "JoinedMethod"), "INVITED")

	// A tag policy on the root is the member's effective policy.
	roots := admin.ok("organizations", "list-roots")
	root := str(t, roots, "Roots", 0, "Id")
	admin.ok("organizations", "enable-policy-type", "--root-id", root, "--policy-type", "TAG_POLICY")
	pol := admin.ok("organizations", "create-policy", "--name", "cost", "--description", "cost center", "--type", "TAG_POLICY",
		"--content", `{"tags":{"costcenter":{"tag_key":{"@@assign":"CostCenter"}}}}`)
	admin.ok("organizations", "attach-policy", "--policy-id", str(t, pol, "Policy", "PolicySummary", "Id"), "--target-id", root)
	eff := member.ok("organizations", "describe-effective-policy", "--policy-type", "TAG_POLICY")
	var content map[string]any
	if err := json.Unmarshal([]byte(str(t, eff, "EffectivePolicy", "PolicyContent")), &content); err != nil {
		t.Fatalf("effective policy: %v", err)
	}
	eq(t, "effective tag_key", str(t, content, "tags", "costcenter", "tag_key"), "CostCenter")
	admin.fail([]string{"InvalidInputException"}, "organizations", "describe-effective-policy", "--policy-type", "SERVICE_CONTROL_POLICY", "--target-id", acct)

	admin.fail([]string{"MasterCannotLeaveOrganizationException"}, "organizations", "leave-organization")
	member.ok("organizations", "leave-organization")
	admin.fail([]string{"AccountNotFoundException"}, "organizations", "describe-account", "--account-id", acct)

	// The resource policy.
	admin.fail([]string{"ResourcePolicyNotFoundException"}, "organizations", "describe-resource-policy")
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:root"},"Action":"organizations:Describe*","Resource":"*"}]}`
	put := admin.ok("organizations", "put-resource-policy", "--content", doc)
	got := admin.ok("organizations", "describe-resource-policy")
	eq(t, "resource policy id", str(t, got, "ResourcePolicy", "ResourcePolicySummary", "Id"), str(t, put, "ResourcePolicy", "ResourcePolicySummary", "Id"))
	eq(t, "resource policy content", str(t, got, "ResourcePolicy", "Content"), doc)
	admin.ok("organizations", "delete-resource-policy")
	admin.fail([]string{"ResourcePolicyNotFoundException"}, "organizations", "delete-resource-policy")
}
