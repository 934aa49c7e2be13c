package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// machineCLI is a CLI whose profile "machine" signs with an IAM user's access key.
func machineCLI(t *testing.T, s *server, keyID, secret string) *cli {
	t.Helper()
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	conf := filepath.Join(dir, "config")
	if err := os.WriteFile(creds, []byte("[machine]\naws_access_key_id = "+keyID+"\naws_secret_access_key = "+secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, []byte("[profile machine]\nregion = eu-west-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return &cli{t: t, home: t.TempDir(), endpoint: s.Endpoint, credentialsFile: creds, configFile: conf, profile: "machine"}
}

// TestCLIMachineUserLifecycle is the life of a machine user ("service
// account") through the real CLI: created with an access key, used, its last
// use read back, its key rotated (second key, switch, deactivate, delete the
// old one), its policy simulated and enforced, and its row read from the
// credential report.
func TestCLIMachineUserLifecycle(t *testing.T) {
	needCLI(t)
	s := startServer(t)
	admin := newCLI(t, s)
	const userARN = "arn:aws:iam::123456789012:user/machines/ci-bot"

	out := admin.ok("iam", "create-user", "--user-name", "ci-bot", "--path", "/machines/", "--tags", "Key=kind,Value=service-account")
	eq(t, "create-user Arn", str(t, out, "User", "Arn"), userARN)
	policy := `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"ReadIAM","Effect":"Allow","Action":["iam:List*","iam:Get*"],"Resource":"*"},` +
		`{"Sid":"NeverDelete","Effect":"Deny","Action":"iam:Delete*","Resource":"*"}]}`
	admin.ok("iam", "put-user-policy", "--user-name", "ci-bot", "--policy-name", "ci", "--policy-document", policy)

	// First key: used at once, and its use is recorded.
	k1 := admin.ok("iam", "create-access-key", "--user-name", "ci-bot")
	k1ID, k1Secret := str(t, k1, "AccessKey", "AccessKeyId"), str(t, k1, "AccessKey", "SecretAccessKey")
	lu := admin.ok("iam", "get-access-key-last-used", "--access-key-id", k1ID)
	eq(t, "never used ServiceName", str(t, lu, "AccessKeyLastUsed", "ServiceName"), "N/A")
	m1 := machineCLI(t, s, k1ID, k1Secret)
	eq(t, "get-caller-identity Arn", str(t, m1.ok("sts", "get-caller-identity"), "Arn"), userARN)
	lu = admin.ok("iam", "get-access-key-last-used", "--access-key-id", k1ID)
	eq(t, "get-access-key-last-used UserName", str(t, lu, "UserName"), "ci-bot")
	eq(t, "last used ServiceName", str(t, lu, "AccessKeyLastUsed", "ServiceName"), "sts")
	eq(t, "last used Region", str(t, lu, "AccessKeyLastUsed", "Region"), "eu-west-1")
	if d := str(t, lu, "AccessKeyLastUsed", "LastUsedDate"); d == "" {
		t.Errorf("LastUsedDate missing: %v", lu)
	}

	// Rotation: a second key, switch to it, deactivate the first, delete it.
	k2 := admin.ok("iam", "create-access-key", "--user-name", "ci-bot")
	k2ID, k2Secret := str(t, k2, "AccessKey", "AccessKeyId"), str(t, k2, "AccessKey", "SecretAccessKey")
	m2 := machineCLI(t, s, k2ID, k2Secret)
	eq(t, "new key get-caller-identity Arn", str(t, m2.ok("sts", "get-caller-identity"), "Arn"), userARN)
	admin.fail([]string{"LimitExceeded"}, "iam", "create-access-key", "--user-name", "ci-bot")
	admin.ok("iam", "update-access-key", "--user-name", "ci-bot", "--access-key-id", k1ID, "--status", "Inactive")
	// Access keys are cached for a second: the deactivation takes effect within that.
	refused := false
	for i := 0; i < 100 && !refused; i++ {
		if r := m1.run("sts", "get-caller-identity"); r.code != 0 {
			refused = true
			if !strings.Contains(r.stderr, "InvalidClientTokenId") {
				t.Errorf("inactive key refused with %s, want InvalidClientTokenId", r.stderr)
			}
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !refused {
		t.Fatal("the deactivated key is still accepted")
	}
	admin.ok("iam", "delete-access-key", "--user-name", "ci-bot", "--access-key-id", k1ID)
	keys := list(t, admin.ok("iam", "list-access-keys", "--user-name", "ci-bot"), "AccessKeyMetadata")
	if len(keys) != 1 || str(t, keys[0], "AccessKeyId") != k2ID || str(t, keys[0], "Status") != "Active" {
		t.Fatalf("list-access-keys after rotation = %v, want only %s Active", keys, k2ID)
	}
	admin.fail([]string{"NoSuchEntity"}, "iam", "get-access-key-last-used", "--access-key-id", k1ID)

	// The policy, simulated and enforced.
	sim := admin.ok("iam", "simulate-principal-policy", "--policy-source-arn", userARN,
		"--action-names", "iam:ListUsers", "iam:DeleteUser", "iam:CreateUser")
	want := map[string]string{"iam:ListUsers": "allowed", "iam:DeleteUser": "explicitDeny", "iam:CreateUser": "implicitDeny"}
	results := list(t, sim, "EvaluationResults")
	if len(results) != 3 {
		t.Fatalf("simulate-principal-policy: %d results, want 3: %v", len(results), sim)
	}
	for _, r := range results {
		action := str(t, r, "EvalActionName")
		eq(t, "simulated "+action, str(t, r, "EvalDecision"), want[action])
		if want[action] != "implicitDeny" {
			eq(t, action+" matched policy", str(t, r, "MatchedStatements", 0, "SourcePolicyId"), "ci")
			eq(t, action+" matched policy type", str(t, r, "MatchedStatements", 0, "SourcePolicyType"), "user")
		}
	}
	custom := admin.ok("iam", "simulate-custom-policy", "--policy-input-list", policy,
		"--action-names", "iam:GetUser", "--resource-arns", userARN)
	eq(t, "simulate-custom-policy decision", str(t, custom, "EvaluationResults", 0, "EvalDecision"), "allowed")
	eq(t, "simulate-custom-policy source", str(t, custom, "EvaluationResults", 0, "MatchedStatements", 0, "SourcePolicyId"), "PolicyInputList.1")
	// Cross-account: a bucket of another account whose policy names the user.
	cross := admin.ok("iam", "simulate-custom-policy", "--policy-input-list",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`,
		"--action-names", "s3:GetObject", "--resource-arns", "arn:aws:s3:::partner/report.csv",
		"--resource-policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+userARN+`"},"Action":"s3:GetObject","Resource":"*"}]}`,
		"--caller-arn", userARN, "--resource-owner", "arn:aws:iam::210987654321:root")
	eq(t, "cross-account decision", str(t, cross, "EvaluationResults", 0, "EvalDecision"), "allowed")
	eq(t, "cross-account IAM Policy detail", str(t, cross, "EvaluationResults", 0, "EvalDecisionDetails", "IAM Policy"), "allowed")
	eq(t, "cross-account Resource Policy detail", str(t, cross, "EvaluationResults", 0, "EvalDecisionDetails", "Resource Policy"), "allowed")
	eq(t, "cross-account resource-specific decision", str(t, cross, "EvaluationResults", 0, "ResourceSpecificResults", 0, "EvalResourceDecision"), "allowed")
	admin.fail([]string{"InvalidInput"}, "iam", "simulate-custom-policy", "--policy-input-list", policy,
		"--action-names", "ec2:RunInstances", "--resource-handling-option", "EC2-Classic-Nothing")
	users := list(t, m2.ok("iam", "list-users", "--path-prefix", "/machines/"), "Users")
	if len(users) != 1 {
		t.Errorf("list-users as the machine user = %v", users)
	}
	m2.fail([]string{"AccessDenied"}, "iam", "delete-user", "--user-name", "ci-bot")
	m2.fail([]string{"AccessDenied"}, "iam", "create-user", "--user-name", "another")

	// The credential report has the machine user's row.
	gen := admin.ok("iam", "generate-credential-report")
	eq(t, "generate-credential-report State", str(t, gen, "State"), "STARTED")
	rep := admin.ok("iam", "get-credential-report")
	eq(t, "ReportFormat", str(t, rep, "ReportFormat"), "text/csv")
	content, err := base64.StdEncoding.DecodeString(str(t, rep, "Content"))
	if err != nil {
		t.Fatalf("report content is not base64: %v", err)
	}
	rows, err := csv.NewReader(bytes.NewReader(content)).ReadAll()
	if err != nil {
		t.Fatalf("report is not CSV: %v\n%s", err, content)
	}
	var row map[string]string
	for _, r := range rows[1:] {
		if r[0] == "ci-bot" {
			row = map[string]string{}
			for i, col := range rows[0] {
				row[col] = r[i]
			}
		}
	}
	if row == nil {
		t.Fatalf("no ci-bot row in the report:\n%s", content)
	}
	for col, want := range map[string]string{
		"arn": userARN, "password_enabled": "false", "mfa_active": "false",
		"access_key_1_active": "true", "access_key_1_last_used_service": "iam", "access_key_1_last_used_region": "eu-west-1",
		"access_key_2_active": "false", "access_key_2_last_used_date": "N/A",
	} {
		eq(t, "report ci-bot "+col, row[col], want)
	}
	if rows[1][0] != "<root_account>" {
		t.Errorf("first report row = %v, want <root_account>", rows[1])
	}
}

// TestCLIServiceLinkedRolesAndAccessReports drives the service-linked role,
// service last accessed, context key and STS preference commands of the real
// CLI.
func TestCLIServiceLinkedRolesAndAccessReports(t *testing.T) {
	needCLI(t)
	s := startServer(t)
	admin := newCLI(t, s)

	slr := admin.ok("iam", "create-service-linked-role", "--aws-service-name", "sso.amazonaws.com")
	eq(t, "create-service-linked-role Path", str(t, slr, "Role", "Path"), "/aws-service-role/sso.amazonaws.com/")
	eq(t, "create-service-linked-role RoleName", str(t, slr, "Role", "RoleName"), "AWSServiceRoleForSSO")
	admin.fail([]string{"UnmodifiableEntity"}, "iam", "delete-role", "--role-name", "AWSServiceRoleForSSO")
	task := str(t, admin.ok("iam", "delete-service-linked-role", "--role-name", "AWSServiceRoleForSSO"), "DeletionTaskId")
	eq(t, "deletion status", str(t, admin.ok("iam", "get-service-linked-role-deletion-status", "--deletion-task-id", task), "Status"), "SUCCEEDED")
	admin.fail([]string{"NoSuchEntity"}, "iam", "get-role", "--role-name", "AWSServiceRoleForSSO")

	admin.ok("iam", "create-user", "--user-name", "reporter")
	admin.ok("iam", "put-user-policy", "--user-name", "reporter", "--policy-name", "p", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`)
	k := admin.ok("iam", "create-access-key", "--user-name", "reporter")
	m := machineCLI(t, s, str(t, k, "AccessKey", "AccessKeyId"), str(t, k, "AccessKey", "SecretAccessKey"))
	m.ok("sts", "get-caller-identity")

	const userARN = "arn:aws:iam::123456789012:user/reporter"
	job := str(t, admin.ok("iam", "generate-service-last-accessed-details", "--arn", userARN), "JobId")
	details := admin.ok("iam", "get-service-last-accessed-details", "--job-id", job)
	eq(t, "JobStatus", str(t, details, "JobStatus"), "COMPLETED")
	services := list(t, details, "ServicesLastAccessed")
	if len(services) != 1 {
		t.Fatalf("ServicesLastAccessed = %v, want sts only", services)
	}
	eq(t, "service", str(t, services[0], "ServiceNamespace"), "sts")
	eq(t, "last entity", str(t, services[0], "LastAuthenticatedEntity"), userARN)
	eq(t, "last region", str(t, services[0], "LastAuthenticatedRegion"), "eu-west-1")
	ents := list(t, admin.ok("iam", "get-service-last-accessed-details-with-entities", "--job-id", job, "--service-namespace", "sts"), "EntityDetailsList")
	if len(ents) != 1 || str(t, ents[0], "EntityInfo", "Arn") != userARN {
		t.Errorf("EntityDetailsList = %v", ents)
	}

	keys := list(t, admin.ok("iam", "get-context-keys-for-principal-policy", "--policy-source-arn", userARN), "ContextKeyNames")
	if len(keys) != 1 || keys[0] != "aws:SecureTransport" {
		t.Errorf("get-context-keys-for-principal-policy = %v", keys)
	}
	admin.ok("iam", "set-security-token-service-preferences", "--global-endpoint-token-version", "v2Token")
	eq(t, "GlobalEndpointTokenVersion", strings.TrimSpace(admin.run("iam", "get-account-summary", "--query", "SummaryMap.GlobalEndpointTokenVersion").stdout), "2")
}
