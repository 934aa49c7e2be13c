package app_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/smithy-go"
)

const (
	seedPolicy = `{"Version":"2012-10-17","Statement":[{"Action":["ecr:*","eks:*","lambda:*","s3:*","sqs:*"],"Effect":"Allow","Resource":"*"}]}`
	unknownPS  = "arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000"
)

// ssoClient starts a server and returns an sso-admin client and its instance ARN.
func ssoClient(t *testing.T) (*ssoadmin.Client, string) {
	t.Helper()
	ts := startServer(t)
	c := ssoadmin.NewFromConfig(ts.rootConfig(t))
	return c, ts.World.Instance.ARN
}

// wantCode fails unless err is the API error code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Fatalf("%s: err = %v, want %s", what, err, code)
	}
}

func createPS(t *testing.T, c *ssoadmin.Client, inst, name string) string {
	t.Helper()
	out, err := c.CreatePermissionSet(context.Background(), &ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: &name})
	if err != nil {
		t.Fatalf("CreatePermissionSet(%s): %v", name, err)
	}
	return aws.ToString(out.PermissionSet.PermissionSetArn)
}

// TestTerraformPermissionSet replays what terraform-provider-aws sends for
// aws_ssoadmin_permission_set and aws_ssoadmin_permission_set_inline_policy
// with the seed's values, including the ProvisionPermissionSet
// (ALL_PROVISIONED_ACCOUNTS) call and the DescribePermissionSetProvisioningStatus
// polling (IN_PROGRESS until SUCCEEDED) that follow every change.
func TestTerraformPermissionSet(t *testing.T) {
	ctx := context.Background()
	c, inst := ssoClient(t)

	// Create: CreatePermissionSet{InstanceArn, Name, Description, SessionDuration, Tags}.
	created, err := c.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{
		InstanceArn: &inst, Name: aws.String("DevOps"), Description: aws.String("DevOps"),
		SessionDuration: aws.String("PT2H"), Tags: []ssotypes.Tag{{Key: aws.String("team"), Value: aws.String("platform")}},
	})
	if err != nil {
		t.Fatalf("CreatePermissionSet: %v", err)
	}
	psARN := aws.ToString(created.PermissionSet.PermissionSetArn)
	instID := inst[len("arn:aws:sso:::instance/"):]
	if !regexp.MustCompile(`^arn:aws:sso:::permissionSet/` + instID + `/ps-[0-9a-f]{16}$`).MatchString(psARN) {
		t.Fatalf("permission set ARN %q", psARN)
	}

	// After each change: ProvisionPermissionSet{ALL_PROVISIONED_ACCOUNTS}, then poll
	// DescribePermissionSetProvisioningStatus while IN_PROGRESS (the provider's
	// 5 s delay is shortened; the bound is a hang guard).
	provision := func() {
		t.Helper()
		out, err := c.ProvisionPermissionSet(ctx, &ssoadmin.ProvisionPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &psARN,
			TargetType: ssotypes.ProvisionTargetTypeAllProvisionedAccounts})
		if err != nil {
			t.Fatalf("ProvisionPermissionSet: %v", err)
		}
		reqID := out.PermissionSetProvisioningStatus.RequestId
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			st, err := c.DescribePermissionSetProvisioningStatus(ctx, &ssoadmin.DescribePermissionSetProvisioningStatusInput{
				InstanceArn: &inst, ProvisionPermissionSetRequestId: reqID})
			if err != nil {
				t.Fatalf("DescribePermissionSetProvisioningStatus: %v", err)
			}
			switch st.PermissionSetProvisioningStatus.Status {
			case ssotypes.StatusValuesSucceeded:
				return
			case ssotypes.StatusValuesFailed:
				t.Fatalf("provisioning FAILED: %s", aws.ToString(st.PermissionSetProvisioningStatus.FailureReason))
			}
			if time.Now().After(deadline) {
				t.Fatal("provisioning still IN_PROGRESS after 30 s")
			}
		}
	}

	// Read after create: DescribePermissionSet + ListTagsForResource.
	read := func(wantDesc, wantRelay, wantDur string, wantTags map[string]string) {
		t.Helper()
		d, err := c.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &psARN})
		if err != nil {
			t.Fatalf("DescribePermissionSet: %v", err)
		}
		ps := d.PermissionSet
		if aws.ToString(ps.Name) != "DevOps" || aws.ToString(ps.PermissionSetArn) != psARN ||
			aws.ToString(ps.Description) != wantDesc || aws.ToString(ps.RelayState) != wantRelay ||
			aws.ToString(ps.SessionDuration) != wantDur || ps.CreatedDate == nil || ps.CreatedDate.IsZero() {
			t.Fatalf("DescribePermissionSet = %+v", ps)
		}
		if _, err := time.Parse(time.RFC3339, ps.CreatedDate.Format(time.RFC3339)); err != nil {
			t.Fatalf("CreatedDate: %v", err)
		}
		tags, err := c.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{InstanceArn: &inst, ResourceArn: &psARN})
		if err != nil {
			t.Fatalf("ListTagsForResource: %v", err)
		}
		got := map[string]string{}
		for _, tg := range tags.Tags {
			got[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
		if fmt.Sprint(got) != fmt.Sprint(wantTags) {
			t.Fatalf("tags = %v, want %v", got, wantTags)
		}
	}
	read("DevOps", "", "PT2H", map[string]string{"team": "platform"})

	// aws_ssoadmin_permission_set_inline_policy: Put, then Get.
	if _, err := c.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{
		InstanceArn: &inst, PermissionSetArn: &psARN, InlinePolicy: aws.String(seedPolicy),
	}); err != nil {
		t.Fatalf("PutInlinePolicyToPermissionSet: %v", err)
	}
	provision()
	pol, err := c.GetInlinePolicyForPermissionSet(ctx, &ssoadmin.GetInlinePolicyForPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &psARN})
	if err != nil || aws.ToString(pol.InlinePolicy) != seedPolicy {
		t.Fatalf("GetInlinePolicyForPermissionSet = %q, %v", aws.ToString(pol.InlinePolicy), err)
	}

	// Update: every non-empty field is sent; then the tags change.
	if _, err := c.UpdatePermissionSet(ctx, &ssoadmin.UpdatePermissionSetInput{
		InstanceArn: &inst, PermissionSetArn: &psARN, Description: aws.String("DevOps engineers"),
		RelayState: aws.String("https://console.aws.amazon.com/eks/home"), SessionDuration: aws.String("PT8H"),
	}); err != nil {
		t.Fatalf("UpdatePermissionSet: %v", err)
	}
	provision()
	if _, err := c.UntagResource(ctx, &ssoadmin.UntagResourceInput{InstanceArn: &inst, ResourceArn: &psARN, TagKeys: []string{"team"}}); err != nil {
		t.Fatalf("UntagResource: %v", err)
	}
	if _, err := c.TagResource(ctx, &ssoadmin.TagResourceInput{InstanceArn: &inst, ResourceArn: &psARN,
		Tags: []ssotypes.Tag{{Key: aws.String("owner"), Value: aws.String("ops")}}}); err != nil {
		t.Fatalf("TagResource: %v", err)
	}
	read("DevOps engineers", "https://console.aws.amazon.com/eks/home", "PT8H", map[string]string{"owner": "ops"})

	// Inline policy delete, then the permission set.
	if _, err := c.DeleteInlinePolicyFromPermissionSet(ctx, &ssoadmin.DeleteInlinePolicyFromPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &psARN}); err != nil {
		t.Fatalf("DeleteInlinePolicyFromPermissionSet: %v", err)
	}
	provision()
	pol, err = c.GetInlinePolicyForPermissionSet(ctx, &ssoadmin.GetInlinePolicyForPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &psARN})
	if err != nil || aws.ToString(pol.InlinePolicy) != "" {
		t.Fatalf("GetInlinePolicyForPermissionSet after delete = %q, %v (Terraform reads empty as gone)", aws.ToString(pol.InlinePolicy), err)
	}
	if _, err := c.DeletePermissionSet(ctx, &ssoadmin.DeletePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &psARN}); err != nil {
		t.Fatalf("DeletePermissionSet: %v", err)
	}
	_, err = c.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &psARN})
	var rnf *ssotypes.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Fatalf("DescribePermissionSet after delete = %v, want *types.ResourceNotFoundException", err)
	}
}

func TestSSOAdminPermissionSetCRUD(t *testing.T) {
	ctx := context.Background()
	c, inst := ssoClient(t)
	otherInst := "arn:aws:sso:::instance/ssoins-0000000000000000"

	out, err := c.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("Admin"),
		RelayState: aws.String("https://example.com/")})
	if err != nil {
		t.Fatalf("CreatePermissionSet: %v", err)
	}
	if aws.ToString(out.PermissionSet.SessionDuration) != "PT1H" || aws.ToString(out.PermissionSet.Description) != "" {
		t.Fatalf("defaults: %+v", out.PermissionSet)
	}
	admin := aws.ToString(out.PermissionSet.PermissionSetArn)

	createErrs := []struct {
		name string
		in   ssoadmin.CreatePermissionSetInput
		code string
	}{
		{"duplicate name", ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("Admin")}, "ConflictException"},
		{"unknown instance", ssoadmin.CreatePermissionSetInput{InstanceArn: &otherInst, Name: aws.String("X")}, "ResourceNotFoundException"},
		{"bad name", ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("has space")}, "ValidationException"},
		{"long name", ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("abcdefghijabcdefghijabcdefghijabc")}, "ValidationException"},
		{"13 hours", ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("X"), SessionDuration: aws.String("PT13H")}, "ValidationException"},
		{"30 minutes", ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("X"), SessionDuration: aws.String("PT30M")}, "ValidationException"},
		{"not a duration", ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("X"), SessionDuration: aws.String("2h")}, "ValidationException"},
		{"reserved tag", ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("X"),
			Tags: []ssotypes.Tag{{Key: aws.String("aws:x"), Value: aws.String("v")}}}, "ValidationException"},
	}
	for _, tc := range createErrs {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreatePermissionSet(ctx, &tc.in)
			wantCode(t, "CreatePermissionSet", err, tc.code)
		})
	}

	// Durations are echoed exactly as given.
	for i, d := range []string{"PT12H", "PT90M", "PT3600S", "PT1H30M"} {
		out, err := c.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String(fmt.Sprintf("d%d", i)), SessionDuration: &d})
		if err != nil || aws.ToString(out.PermissionSet.SessionDuration) != d {
			t.Fatalf("CreatePermissionSet(%s) = %+v, %v", d, out, err)
		}
	}

	// Update keeps an omitted description and duration, clears an omitted relay state.
	if _, err := c.UpdatePermissionSet(ctx, &ssoadmin.UpdatePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &admin,
		Description: aws.String("admins"), SessionDuration: aws.String("PT4H")}); err != nil {
		t.Fatalf("UpdatePermissionSet: %v", err)
	}
	if _, err := c.UpdatePermissionSet(ctx, &ssoadmin.UpdatePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &admin}); err != nil {
		t.Fatalf("UpdatePermissionSet (empty): %v", err)
	}
	d, err := c.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &admin})
	if err != nil || aws.ToString(d.PermissionSet.Description) != "admins" || aws.ToString(d.PermissionSet.SessionDuration) != "PT4H" ||
		d.PermissionSet.RelayState != nil {
		t.Fatalf("after update: %+v, %v", d.PermissionSet, err)
	}
	_, err = c.UpdatePermissionSet(ctx, &ssoadmin.UpdatePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &admin, SessionDuration: aws.String("P1D")})
	wantCode(t, "UpdatePermissionSet P1D", err, "ValidationException")
	_, err = c.UpdatePermissionSet(ctx, &ssoadmin.UpdatePermissionSetInput{InstanceArn: &inst, PermissionSetArn: aws.String(unknownPS)})
	wantCode(t, "UpdatePermissionSet unknown", err, "ResourceNotFoundException")

	// List pages through all five.
	var all []string
	var token *string
	for {
		page, err := c.ListPermissionSets(ctx, &ssoadmin.ListPermissionSetsInput{InstanceArn: &inst, MaxResults: aws.Int32(2), NextToken: token})
		if err != nil {
			t.Fatalf("ListPermissionSets: %v", err)
		}
		all = append(all, page.PermissionSets...)
		if page.NextToken == nil {
			break
		}
		token = page.NextToken
	}
	if len(all) != 5 {
		t.Fatalf("listed %d permission sets, want 5: %v", len(all), all)
	}
	_, err = c.ListPermissionSets(ctx, &ssoadmin.ListPermissionSetsInput{InstanceArn: &otherInst})
	wantCode(t, "ListPermissionSets unknown instance", err, "ResourceNotFoundException")

	// Describe / delete errors.
	_, err = c.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: &inst, PermissionSetArn: aws.String(unknownPS)})
	wantCode(t, "DescribePermissionSet unknown", err, "ResourceNotFoundException")
	_, err = c.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: &otherInst, PermissionSetArn: &admin})
	wantCode(t, "DescribePermissionSet other instance", err, "ResourceNotFoundException")
	if _, err := c.DeletePermissionSet(ctx, &ssoadmin.DeletePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &admin}); err != nil {
		t.Fatalf("DeletePermissionSet: %v", err)
	}
	_, err = c.DeletePermissionSet(ctx, &ssoadmin.DeletePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &admin})
	wantCode(t, "DeletePermissionSet twice", err, "ResourceNotFoundException")
	// The name is free again.
	createPS(t, c, inst, "Admin")
}

func TestSSOAdminPermissionSetPolicies(t *testing.T) {
	ctx := context.Background()
	c, inst := ssoClient(t)
	ps := createPS(t, c, inst, "Policies")

	// Inline policy.
	_, err := c.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps,
		InlinePolicy: aws.String(`{"Version":"2012-10-17","Statement":[`)})
	wantCode(t, "PutInlinePolicy malformed", err, "ValidationException")
	_, err = c.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: aws.String(unknownPS),
		InlinePolicy: aws.String(seedPolicy)})
	wantCode(t, "PutInlinePolicy unknown set", err, "ResourceNotFoundException")
	_, err = c.GetInlinePolicyForPermissionSet(ctx, &ssoadmin.GetInlinePolicyForPermissionSetInput{InstanceArn: &inst, PermissionSetArn: aws.String(unknownPS)})
	wantCode(t, "GetInlinePolicy unknown set", err, "ResourceNotFoundException")

	// AWS managed policies.
	ro, admin := "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
	for _, p := range []string{ro, admin} {
		if _, err := c.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps, ManagedPolicyArn: aws.String(p)}); err != nil {
			t.Fatalf("AttachManagedPolicyToPermissionSet(%s): %v", p, err)
		}
	}
	attachErrs := []struct {
		name, ps, arn, code string
	}{
		{"duplicate", ps, ro, "ConflictException"},
		{"customer managed ARN", ps, "arn:aws:iam::123456789012:policy/Mine", "ValidationException"},
		{"unknown set", unknownPS, ro, "ResourceNotFoundException"},
	}
	for _, tc := range attachErrs {
		t.Run("attach "+tc.name, func(t *testing.T) {
			_, err := c.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: aws.String(tc.ps), ManagedPolicyArn: aws.String(tc.arn)})
			wantCode(t, "AttachManagedPolicyToPermissionSet", err, tc.code)
		})
	}
	ml, err := c.ListManagedPoliciesInPermissionSet(ctx, &ssoadmin.ListManagedPoliciesInPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps})
	if err != nil || len(ml.AttachedManagedPolicies) != 2 {
		t.Fatalf("ListManagedPoliciesInPermissionSet = %+v, %v", ml, err)
	}
	names := map[string]string{}
	for _, p := range ml.AttachedManagedPolicies {
		names[aws.ToString(p.Arn)] = aws.ToString(p.Name)
	}
	if names[ro] != "ReadOnlyAccess" || names[admin] != "ViewOnlyAccess" {
		t.Fatalf("managed policy names %v", names)
	}
	if _, err := c.DetachManagedPolicyFromPermissionSet(ctx, &ssoadmin.DetachManagedPolicyFromPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps, ManagedPolicyArn: &ro}); err != nil {
		t.Fatalf("DetachManagedPolicyFromPermissionSet: %v", err)
	}
	_, err = c.DetachManagedPolicyFromPermissionSet(ctx, &ssoadmin.DetachManagedPolicyFromPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps, ManagedPolicyArn: &ro})
	wantCode(t, "DetachManagedPolicy twice", err, "ResourceNotFoundException")

	// Customer managed references: Path defaults to "/".
	if _, err := c.AttachCustomerManagedPolicyReferenceToPermissionSet(ctx, &ssoadmin.AttachCustomerManagedPolicyReferenceToPermissionSetInput{
		InstanceArn: &inst, PermissionSetArn: &ps, CustomerManagedPolicyReference: &ssotypes.CustomerManagedPolicyReference{Name: aws.String("Mine")}}); err != nil {
		t.Fatalf("AttachCustomerManagedPolicyReference: %v", err)
	}
	_, err = c.AttachCustomerManagedPolicyReferenceToPermissionSet(ctx, &ssoadmin.AttachCustomerManagedPolicyReferenceToPermissionSetInput{
		InstanceArn: &inst, PermissionSetArn: &ps, CustomerManagedPolicyReference: &ssotypes.CustomerManagedPolicyReference{Name: aws.String("Mine"), Path: aws.String("/")}})
	wantCode(t, "AttachCustomerManagedPolicyReference duplicate", err, "ConflictException")
	cl, err := c.ListCustomerManagedPolicyReferencesInPermissionSet(ctx, &ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps})
	if err != nil || len(cl.CustomerManagedPolicyReferences) != 1 || aws.ToString(cl.CustomerManagedPolicyReferences[0].Path) != "/" {
		t.Fatalf("ListCustomerManagedPolicyReferences = %+v, %v", cl, err)
	}
	if _, err := c.DetachCustomerManagedPolicyReferenceFromPermissionSet(ctx, &ssoadmin.DetachCustomerManagedPolicyReferenceFromPermissionSetInput{
		InstanceArn: &inst, PermissionSetArn: &ps, CustomerManagedPolicyReference: &ssotypes.CustomerManagedPolicyReference{Name: aws.String("Mine")}}); err != nil {
		t.Fatalf("DetachCustomerManagedPolicyReference: %v", err)
	}
	_, err = c.DetachCustomerManagedPolicyReferenceFromPermissionSet(ctx, &ssoadmin.DetachCustomerManagedPolicyReferenceFromPermissionSetInput{
		InstanceArn: &inst, PermissionSetArn: &ps, CustomerManagedPolicyReference: &ssotypes.CustomerManagedPolicyReference{Name: aws.String("Mine")}})
	wantCode(t, "DetachCustomerManagedPolicyReference twice", err, "ResourceNotFoundException")

	// Quota: 20 managed + customer managed in all (one managed is attached).
	for i := 0; i < 19; i++ {
		if _, err := c.AttachCustomerManagedPolicyReferenceToPermissionSet(ctx, &ssoadmin.AttachCustomerManagedPolicyReferenceToPermissionSetInput{
			InstanceArn: &inst, PermissionSetArn: &ps, CustomerManagedPolicyReference: &ssotypes.CustomerManagedPolicyReference{Name: aws.String(fmt.Sprintf("P%d", i))}}); err != nil {
			t.Fatalf("attach reference %d: %v", i, err)
		}
	}
	_, err = c.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps, ManagedPolicyArn: &ro})
	wantCode(t, "21st policy", err, "ServiceQuotaExceededException")

	// Permissions boundary.
	_, err = c.GetPermissionsBoundaryForPermissionSet(ctx, &ssoadmin.GetPermissionsBoundaryForPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps})
	wantCode(t, "GetPermissionsBoundary none", err, "ResourceNotFoundException")
	boundaries := []struct {
		name string
		b    ssotypes.PermissionsBoundary
		code string
	}{
		{"managed", ssotypes.PermissionsBoundary{ManagedPolicyArn: aws.String("arn:aws:iam::aws:policy/PowerUserAccess")}, ""},
		{"reference", ssotypes.PermissionsBoundary{CustomerManagedPolicyReference: &ssotypes.CustomerManagedPolicyReference{Name: aws.String("Bound"), Path: aws.String("/b/")}}, ""},
		{"both", ssotypes.PermissionsBoundary{ManagedPolicyArn: aws.String("arn:aws:iam::aws:policy/PowerUserAccess"),
			CustomerManagedPolicyReference: &ssotypes.CustomerManagedPolicyReference{Name: aws.String("Bound")}}, "ValidationException"},
		{"neither", ssotypes.PermissionsBoundary{}, "ValidationException"},
	}
	for _, tc := range boundaries {
		t.Run("boundary "+tc.name, func(t *testing.T) {
			_, err := c.PutPermissionsBoundaryToPermissionSet(ctx, &ssoadmin.PutPermissionsBoundaryToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps, PermissionsBoundary: &tc.b})
			if tc.code != "" {
				wantCode(t, "PutPermissionsBoundary", err, tc.code)
				return
			}
			if err != nil {
				t.Fatalf("PutPermissionsBoundary: %v", err)
			}
			got, err := c.GetPermissionsBoundaryForPermissionSet(ctx, &ssoadmin.GetPermissionsBoundaryForPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps})
			if err != nil {
				t.Fatalf("GetPermissionsBoundary: %v", err)
			}
			b := got.PermissionsBoundary
			if aws.ToString(b.ManagedPolicyArn) != aws.ToString(tc.b.ManagedPolicyArn) || (b.CustomerManagedPolicyReference == nil) != (tc.b.CustomerManagedPolicyReference == nil) {
				t.Fatalf("boundary = %+v, want %+v", b, tc.b)
			}
		})
	}
	if _, err := c.DeletePermissionsBoundaryFromPermissionSet(ctx, &ssoadmin.DeletePermissionsBoundaryFromPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps}); err != nil {
		t.Fatalf("DeletePermissionsBoundary: %v", err)
	}
	_, err = c.DeletePermissionsBoundaryFromPermissionSet(ctx, &ssoadmin.DeletePermissionsBoundaryFromPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps})
	wantCode(t, "DeletePermissionsBoundary twice", err, "ResourceNotFoundException")
}

func TestSSOAdminTags(t *testing.T) {
	ctx := context.Background()
	c, inst := ssoClient(t)
	ps := createPS(t, c, inst, "Tagged")
	tag := func(k, v string) ssotypes.Tag { return ssotypes.Tag{Key: aws.String(k), Value: aws.String(v)} }

	// The instance is taggable too, with or without InstanceArn.
	if _, err := c.TagResource(ctx, &ssoadmin.TagResourceInput{ResourceArn: &inst, Tags: []ssotypes.Tag{tag("env", "prod")}}); err != nil {
		t.Fatalf("TagResource(instance): %v", err)
	}
	lt, err := c.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{InstanceArn: &inst, ResourceArn: &inst})
	if err != nil || len(lt.Tags) != 1 {
		t.Fatalf("ListTagsForResource(instance) = %+v, %v", lt, err)
	}
	errs := []struct {
		name string
		in   ssoadmin.TagResourceInput
		code string
	}{
		{"reserved prefix", ssoadmin.TagResourceInput{InstanceArn: &inst, ResourceArn: &ps, Tags: []ssotypes.Tag{tag("aws:team", "x")}}, "ValidationException"},
		{"unknown set", ssoadmin.TagResourceInput{InstanceArn: &inst, ResourceArn: aws.String(unknownPS), Tags: []ssotypes.Tag{tag("a", "b")}}, "ResourceNotFoundException"},
		{"long value", ssoadmin.TagResourceInput{InstanceArn: &inst, ResourceArn: &ps, Tags: []ssotypes.Tag{tag("a", string(make([]byte, 257)))}}, "ValidationException"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.TagResource(ctx, &tc.in)
			wantCode(t, "TagResource", err, tc.code)
		})
	}

	// At most 50 tags.
	var tags []ssotypes.Tag
	for i := 0; i < 50; i++ {
		tags = append(tags, tag(fmt.Sprintf("k%02d", i), "v"))
	}
	if _, err := c.TagResource(ctx, &ssoadmin.TagResourceInput{InstanceArn: &inst, ResourceArn: &ps, Tags: tags}); err != nil {
		t.Fatalf("TagResource(50): %v", err)
	}
	_, err = c.TagResource(ctx, &ssoadmin.TagResourceInput{InstanceArn: &inst, ResourceArn: &ps, Tags: []ssotypes.Tag{tag("one-more", "v")}})
	wantCode(t, "51st tag", err, "ServiceQuotaExceededException")
	// Overwriting an existing key is not a new tag.
	if _, err := c.TagResource(ctx, &ssoadmin.TagResourceInput{InstanceArn: &inst, ResourceArn: &ps, Tags: []ssotypes.Tag{tag("k00", "changed")}}); err != nil {
		t.Fatalf("TagResource(overwrite): %v", err)
	}
	if _, err := c.UntagResource(ctx, &ssoadmin.UntagResourceInput{InstanceArn: &inst, ResourceArn: &ps, TagKeys: []string{"k01", "absent"}}); err != nil {
		t.Fatalf("UntagResource: %v", err)
	}
	lt, err = c.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{InstanceArn: &inst, ResourceArn: &ps})
	if err != nil || len(lt.Tags) != 49 || aws.ToString(lt.Tags[0].Value) != "changed" {
		t.Fatalf("ListTagsForResource = %d tags, %v", len(lt.Tags), err)
	}

	// Deleting the set removes its tags: a re-created set with the same name starts bare.
	if _, err := c.DeletePermissionSet(ctx, &ssoadmin.DeletePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps}); err != nil {
		t.Fatalf("DeletePermissionSet: %v", err)
	}
	_, err = c.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{InstanceArn: &inst, ResourceArn: &ps})
	wantCode(t, "ListTagsForResource deleted set", err, "ResourceNotFoundException")
}
