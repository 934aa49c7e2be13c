package app_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/world"
)

// The example world file of the README's quickstart starts a server as it
// is, and docs/world.md shows exactly that file.
func TestExampleWorldFile(t *testing.T) {
	ctx := context.Background()
	for _, v := range []string{"CI_SECRET_ACCESS_KEY", "CAROL_CONSOLE_PASSWORD", "ALICE_PASSWORD", "ALICE_TOTP", "BOB_PASSWORD", "SCIM_TOKEN"} {
		t.Setenv(v, "") // the file's defaults apply
	}
	const path = "../../examples/world.yaml"
	ts := startServerWith(t, func(c *config.Config) { c.World = path })
	if code, _ := probe(t, ts); code != 200 {
		t.Fatalf("ready = %d", code)
	}
	id, err := sts.NewFromConfig(ts.awsConfig(t, "AKIAEXAMPLECI0000001", "example/ci/secret/example/ci/secret/0000")).
		GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Arn) != "arn:aws:iam::123456789012:user/bots/ci" {
		t.Fatalf("GetCallerIdentity(ci) = %+v, %v", id, err)
	}
	if _, err := iam.NewFromConfig(ts.rootConfig(t)).GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("carol")}); err != nil {
		t.Fatalf("carol's login profile: %v", err)
	}
	la, err := ssoadmin.NewFromConfig(ts.rootConfig(t)).ListAccountsForProvisionedPermissionSet(ctx,
		&ssoadmin.ListAccountsForProvisionedPermissionSetInput{InstanceArn: aws.String(ts.World.Instance.ARN), PermissionSetArn: aws.String(setARN(t, ts, "Developer"))})
	if err != nil || strings.Join(la.AccountIds, ",") != "222222222222,333333333333" {
		t.Fatalf("Developer provisioned to = %+v, %v", la, err)
	}
	if _, err := ts.SignIn.Begin(ctx, "alice", "Alice-Portal-2024!", ""); err != nil {
		t.Fatalf("alice's initial password: %v", err)
	}

	// docs/world.md's example is this file.
	doc, err := os.ReadFile("../../docs/world.md")
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "```yaml\n"+string(file)+"```\n") {
		t.Fatal("docs/world.md does not show examples/world.yaml as it is")
	}
	if _, err := world.Parse("examples/world.yaml", file, nil); err != nil {
		t.Fatal(err)
	}
}

func setARN(t *testing.T, ts *testServer, name string) string {
	t.Helper()
	ctx := context.Background()
	c := ssoadmin.NewFromConfig(ts.rootConfig(t))
	lp, err := c.ListPermissionSets(ctx, &ssoadmin.ListPermissionSetsInput{InstanceArn: aws.String(ts.World.Instance.ARN)})
	if err != nil {
		t.Fatal(err)
	}
	for _, arn := range lp.PermissionSets {
		d, err := c.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: aws.String(ts.World.Instance.ARN), PermissionSetArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(d.PermissionSet.Name) == name {
			return arn
		}
	}
	t.Fatalf("no permission set %s", name)
	return ""
}
