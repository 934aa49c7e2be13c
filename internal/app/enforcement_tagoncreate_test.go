package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/smithy-go"
)

// TestEnforcementTagOnCreate: a create request that includes tags needs the
// tagging permission too — iam:TagUser/TagRole/TagPolicy for IAM's creates,
// organizations:TagResource for Organizations' (on the operation's own
// resource: "*" or the parent), sso:TagResource for CreatePermissionSet (on
// the instance) — while the same create without tags needs only its own
// action. A refused create leaves nothing behind.
func TestEnforcementTagOnCreate(t *testing.T) {
	ctx := context.Background()
	ts, orgRoot := orgMembers(t)
	const acct = "123456789012"
	parent := rootID(t, orgRoot)
	roots := mustDo[*organizations.ListRootsOutput](t, "ListRoots")(orgRoot.ListRoots(ctx, &organizations.ListRootsInput{}))
	rootARN := aws.ToString(roots.Roots[0].Arn)
	inst := ts.World.Instance.ARN
	user := func(name, actions string) aws.Config {
		return machineUser(t, ts, name, func(c *iam.Client) {
			mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))
			mustDo[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name),
				PolicyName: aws.String("p"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":` + actions + `,"Resource":"*"}]}`)}))
		})
	}
	createOnly := user("create-only", `["iam:CreateUser","iam:CreateRole","iam:CreatePolicy","organizations:CreateOrganizationalUnit","organizations:CreatePolicy","sso:CreatePermissionSet"]`)
	createAndTag := user("create-and-tag", `["iam:CreateUser","iam:TagUser","iam:CreateRole","iam:TagRole","iam:CreatePolicy","iam:TagPolicy",`+
		`"organizations:CreateOrganizationalUnit","organizations:CreatePolicy","organizations:TagResource","sso:CreatePermissionSet","sso:TagResource"]`)

	iamTags := []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}
	orgTags := []orgtypes.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}
	ssoTags := []ssotypes.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	scp := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

	createUser := func(cfg aws.Config, name string, tags []iamtypes.Tag) func() error {
		return func() error {
			_, err := iam.NewFromConfig(cfg).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name), Tags: tags})
			return err
		}
	}
	createRole := func(cfg aws.Config, name string, tags []iamtypes.Tag) func() error {
		return func() error {
			_, err := iam.NewFromConfig(cfg).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust), Tags: tags})
			return err
		}
	}
	createPolicy := func(cfg aws.Config, name string, tags []iamtypes.Tag) func() error {
		return func() error {
			_, err := iam.NewFromConfig(cfg).CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(doc), Tags: tags})
			return err
		}
	}
	createOU := func(cfg aws.Config, name string, tags []orgtypes.Tag) func() error {
		return func() error {
			_, err := organizations.NewFromConfig(cfg).CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(parent),
				Name: aws.String(name), Tags: tags})
			return err
		}
	}
	createSCP := func(cfg aws.Config, name string, tags []orgtypes.Tag) func() error {
		return func() error {
			_, err := organizations.NewFromConfig(cfg).CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String(name), Description: aws.String(name),
				Content: aws.String(scp), Type: orgtypes.PolicyTypeServiceControlPolicy, Tags: tags})
			return err
		}
	}
	createSet := func(cfg aws.Config, name string, tags []ssotypes.Tag) func() error {
		return func() error {
			_, err := ssoadmin.NewFromConfig(cfg).CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: aws.String(inst), Name: aws.String(name), Tags: tags})
			return err
		}
	}
	notAuth := func(action, resource string) string {
		return "User: arn:aws:iam::" + acct + ":user/create-only is not authorized to perform: " + action + " on resource: " + resource
	}
	cases := []struct {
		name      string
		call      func() error
		code, msg string // code "": allowed
	}{
		{"CreateUser with tags, no iam:TagUser", createUser(createOnly, "u-tagged", iamTags), "AccessDenied", notAuth("iam:TagUser", "arn:aws:iam::"+acct+":user/u-tagged")},
		{"CreateUser without tags", createUser(createOnly, "u-plain", nil), "", ""},
		{"CreateUser with tags and iam:TagUser", createUser(createAndTag, "u-both", iamTags), "", ""},
		{"CreateRole with tags, no iam:TagRole", createRole(createOnly, "r-tagged", iamTags), "AccessDenied", notAuth("iam:TagRole", "arn:aws:iam::"+acct+":role/r-tagged")},
		{"CreateRole without tags", createRole(createOnly, "r-plain", nil), "", ""},
		{"CreateRole with tags and iam:TagRole", createRole(createAndTag, "r-both", iamTags), "", ""},
		{"CreatePolicy with tags, no iam:TagPolicy", createPolicy(createOnly, "p-tagged", iamTags), "AccessDenied", notAuth("iam:TagPolicy", "arn:aws:iam::"+acct+":policy/p-tagged")},
		{"CreatePolicy with tags and iam:TagPolicy", createPolicy(createAndTag, "p-both", iamTags), "", ""},
		{"CreateOrganizationalUnit with tags, no TagResource", createOU(createOnly, "ou-tagged", orgTags), "AccessDeniedException", notAuth("organizations:TagResource", rootARN)},
		{"CreateOrganizationalUnit without tags", createOU(createOnly, "ou-plain", nil), "", ""},
		{"CreateOrganizationalUnit with tags and TagResource", createOU(createAndTag, "ou-both", orgTags), "", ""},
		{"CreatePolicy (SCP) with tags, no TagResource", createSCP(createOnly, "scp-tagged", orgTags), "AccessDeniedException", notAuth("organizations:TagResource", "*")},
		{"CreatePolicy (SCP) without tags", createSCP(createOnly, "scp-plain", nil), "", ""},
		{"CreatePermissionSet with tags, no sso:TagResource", createSet(createOnly, "SetTagged", ssoTags), "AccessDeniedException", notAuth("sso:TagResource", inst)},
		{"CreatePermissionSet without tags", createSet(createOnly, "SetPlain", nil), "", ""},
		{"CreatePermissionSet with tags and sso:TagResource", createSet(createAndTag, "SetBoth", ssoTags), "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			if c.code == "" {
				if err != nil {
					t.Fatalf("want allowed, got %v", err)
				}
				return
			}
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != c.code || !strings.HasPrefix(ae.ErrorMessage(), c.msg) {
				t.Fatalf("want %s %q, got %v", c.code, c.msg, err)
			}
		})
	}

	// The refused creates left nothing behind.
	rootIAM := iam.NewFromConfig(ts.rootConfig(t))
	var nse *iamtypes.NoSuchEntityException
	if _, err := rootIAM.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("u-tagged")}); !errors.As(err, &nse) {
		t.Errorf("GetUser u-tagged after the refusal: %v, want NoSuchEntity", err)
	}
	if _, err := rootIAM.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r-tagged")}); !errors.As(err, &nse) {
		t.Errorf("GetRole r-tagged after the refusal: %v, want NoSuchEntity", err)
	}
	ous := mustDo[*organizations.ListOrganizationalUnitsForParentOutput](t, "ListOrganizationalUnitsForParent")(
		orgRoot.ListOrganizationalUnitsForParent(ctx, &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(parent)}))
	for _, ou := range ous.OrganizationalUnits {
		if aws.ToString(ou.Name) == "ou-tagged" {
			t.Errorf("the refused OU exists: %+v", ou)
		}
	}
	// The tags of an allowed tagged create are there.
	tags := mustDo[*iam.ListUserTagsOutput](t, "ListUserTags")(rootIAM.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("u-both")}))
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "team" {
		t.Errorf("u-both tags = %+v", tags.Tags)
	}
}
