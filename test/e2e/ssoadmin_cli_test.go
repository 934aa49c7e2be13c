package e2e

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

const seedPolicy = `{"Version":"2012-10-17","Statement":[{"Action":["ecr:*","eks:*","lambda:*","s3:*","sqs:*"],"Effect":"Allow","Resource":"*"}]}`

// TestCLISeedIdentityCenterSetup is the seed's setup as a person would type it
// with the real AWS CLI: the DevOps permission set with its inline policy, the
// devops group assigned to the account, the assignment polled to SUCCEEDED,
// then the provisioned AWSReservedSSO_DevOps_… role seen through `aws iam`.
func TestCLISeedIdentityCenterSetup(t *testing.T) {
	needCLI(t)
	s := startServer(t)
	c := newCLI(t, s)
	inst := s.InstanceARN

	ps := c.ok("sso-admin", "create-permission-set", "--instance-arn", inst, "--name", "DevOps",
		"--description", "DevOps", "--session-duration", "PT2H")
	psARN := str(t, ps, "PermissionSet", "PermissionSetArn")
	eq(t, "SessionDuration", str(t, ps, "PermissionSet", "SessionDuration"), "PT2H")
	c.ok("sso-admin", "put-inline-policy-to-permission-set", "--instance-arn", inst, "--permission-set-arn", psARN,
		"--inline-policy", seedPolicy)

	g := c.ok("identitystore", "create-group", "--identity-store-id", s.IdentityStoreID, "--display-name", "devops")
	groupID := str(t, g, "GroupId")

	a := c.ok("sso-admin", "create-account-assignment", "--instance-arn", inst, "--target-id", "123456789012",
		"--target-type", "AWS_ACCOUNT", "--permission-set-arn", psARN, "--principal-type", "GROUP", "--principal-id", groupID)
	eq(t, "initial status", str(t, a, "AccountAssignmentCreationStatus", "Status"), "IN_PROGRESS")
	reqID := str(t, a, "AccountAssignmentCreationStatus", "RequestId")

	// Poll as a person (or Terraform) would; the bound is a hang guard, not a performance check.
	status := ""
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		st := c.ok("sso-admin", "describe-account-assignment-creation-status", "--instance-arn", inst,
			"--account-assignment-creation-request-id", reqID)
		status = str(t, st, "AccountAssignmentCreationStatus", "Status")
		if status != "IN_PROGRESS" {
			break
		}
	}
	eq(t, "assignment status", status, "SUCCEEDED")

	list := c.ok("sso-admin", "list-account-assignments", "--instance-arn", inst, "--account-id", "123456789012",
		"--permission-set-arn", psARN)
	eq(t, "assigned principal", str(t, list, "AccountAssignments", 0, "PrincipalId"), groupID)

	roles := c.ok("iam", "list-roles", "--path-prefix", "/aws-reserved/sso.amazonaws.com/")
	roleName := str(t, roles, "Roles", 0, "RoleName")
	if !regexp.MustCompile(`^AWSReservedSSO_DevOps_[0-9a-f]{16}$`).MatchString(roleName) {
		t.Fatalf("provisioned role name %q", roleName)
	}
	role := c.ok("iam", "get-role", "--role-name", roleName)
	eq(t, "role path", str(t, role, "Role", "Path"), "/aws-reserved/sso.amazonaws.com/")
	if got := walk(t, role, "Role", "MaxSessionDuration"); got != float64(7200) {
		t.Fatalf("MaxSessionDuration = %v, want 7200 (PT2H)", got)
	}
	pols := c.ok("iam", "list-role-policies", "--role-name", roleName)
	eq(t, "inline policy name", str(t, pols, "PolicyNames", 0), "AwsSSOInlinePolicy")
	rp := c.ok("iam", "get-role-policy", "--role-name", roleName, "--policy-name", "AwsSSOInlinePolicy")
	// The CLI decodes the URL-encoded document into JSON.
	doc := walk(t, rp, "PolicyDocument")
	got, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), `"sqs:*"`) || !strings.Contains(string(got), `"ecr:*"`) {
		t.Fatalf("AwsSSOInlinePolicy document = %s", got)
	}
}
