package app_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const (
	simAllowed  = iamtypes.PolicyEvaluationDecisionTypeAllowed
	simExplicit = iamtypes.PolicyEvaluationDecisionTypeExplicitDeny
	simImplicit = iamtypes.PolicyEvaluationDecisionTypeImplicitDeny
)

func detailsString(m map[string]iamtypes.PolicyEvaluationDecisionType) string {
	keys := slices.Sorted(maps.Keys(m))
	var out []string
	for _, k := range keys {
		out = append(out, k+"="+string(m[k]))
	}
	return strings.Join(out, ",")
}

// TestIAMSimulateResourceSpecificResults: several ResourceArns give one
// result per resource, each with its ResourceSpecificResults entry (decision,
// statements, missing context keys) and an empty EvalDecisionDetails in the
// same account; "*" has neither.
func TestIAMSimulateResourceSpecificResults(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	pol := `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"},
{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/secret/*"},
{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::tagged/*","Condition":{"StringEquals":{"s3:ExistingObjectTag/team":"blue"}}}]}`
	resources := []string{"arn:aws:s3:::bucket/a", "arn:aws:s3:::bucket/secret/x", "arn:aws:s3:::other/a", "arn:aws:s3:::tagged/a"}
	out, err := c.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{pol},
		ActionNames: []string{"s3:GetObject"}, ResourceArns: resources})
	if err != nil {
		t.Fatalf("SimulateCustomPolicy: %v", err)
	}
	tests := []struct {
		resource string
		want     iamtypes.PolicyEvaluationDecisionType
		line     int32 // line of the deciding statement, 0 for none
		missing  string
	}{
		{"arn:aws:s3:::bucket/a", simAllowed, 2, ""},
		{"arn:aws:s3:::bucket/secret/x", simExplicit, 3, ""},
		{"arn:aws:s3:::other/a", simImplicit, 0, ""},
		{"arn:aws:s3:::tagged/a", simImplicit, 0, "s3:ExistingObjectTag/team"},
	}
	if len(out.EvaluationResults) != len(tests) {
		t.Fatalf("%d results, want %d", len(out.EvaluationResults), len(tests))
	}
	for i, tt := range tests {
		r := out.EvaluationResults[i]
		if aws.ToString(r.EvalResourceName) != tt.resource || r.EvalDecision != tt.want {
			t.Errorf("result %d = %s %s, want %s %s", i, aws.ToString(r.EvalResourceName), r.EvalDecision, tt.resource, tt.want)
		}
		if len(r.MissingContextValues) != 0 {
			t.Errorf("%s: top-level MissingContextValues %v, want them under ResourceSpecificResults", tt.resource, r.MissingContextValues)
		}
		if r.EvalDecisionDetails == nil || len(r.EvalDecisionDetails) != 0 {
			t.Errorf("%s: EvalDecisionDetails %v in a same-account simulation on a named resource, want present and empty", tt.resource, r.EvalDecisionDetails)
		}
		if len(r.ResourceSpecificResults) != 1 {
			t.Fatalf("%s: %d ResourceSpecificResults, want 1", tt.resource, len(r.ResourceSpecificResults))
		}
		rs := r.ResourceSpecificResults[0]
		if aws.ToString(rs.EvalResourceName) != tt.resource || rs.EvalResourceDecision != tt.want {
			t.Errorf("%s: ResourceSpecificResult = %s %s", tt.resource, aws.ToString(rs.EvalResourceName), rs.EvalResourceDecision)
		}
		if got := strings.Join(rs.MissingContextValues, ","); got != tt.missing {
			t.Errorf("%s: ResourceSpecificResult MissingContextValues = %q, want %q", tt.resource, got, tt.missing)
		}
		var lines []int32
		for _, m := range rs.MatchedStatements {
			if m.StartPosition != nil {
				lines = append(lines, m.StartPosition.Line)
			}
		}
		switch {
		case tt.line == 0 && len(lines) != 0:
			t.Errorf("%s: ResourceSpecificResult MatchedStatements %s, want none", tt.resource, statements(rs.MatchedStatements))
		case tt.line != 0 && !slices.Equal(lines, []int32{tt.line}):
			t.Errorf("%s: ResourceSpecificResult MatchedStatements %s, want line %d", tt.resource, statements(rs.MatchedStatements), tt.line)
		}
	}

	// "*": no ResourceSpecificResults, no EvalDecisionDetails.
	star, err := c.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{pol}, ActionNames: []string{"s3:GetObject"}})
	if err != nil {
		t.Fatal(err)
	}
	r := star.EvaluationResults[0]
	if len(r.ResourceSpecificResults) != 0 || r.EvalDecisionDetails != nil {
		t.Errorf("on *: ResourceSpecificResults %d, EvalDecisionDetails %q", len(r.ResourceSpecificResults), detailsString(r.EvalDecisionDetails))
	}
}

// TestIAMSimulateResourcePolicy: a ResourcePolicy takes part with AWS's
// same-account and cross-account rules, and EvalDecisionDetails reports each
// policy type's decision in a cross-account simulation.
func TestIAMSimulateResourcePolicy(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	const (
		alice    = "arn:aws:iam::123456789012:user/alice"
		other    = "arn:aws:iam::210987654321:root"
		resource = "arn:aws:s3:::shared/key"
	)
	allowGet := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	allowPut := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}`
	resPol := func(effect, principal string) string {
		return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":%q,"Principal":{"AWS":%q},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"}]}`,
			effect, principal)
	}
	tests := []struct {
		name     string
		identity string
		boundary string
		resPol   string
		owner    string
		want     iamtypes.PolicyEvaluationDecisionType
		details  string
	}{
		{"cross-account, both allow", allowGet, "", resPol("Allow", alice), other, simAllowed,
			"IAM Policy=allowed,Resource Policy=allowed"},
		{"cross-account, resource policy names the caller's account", allowGet, "", resPol("Allow", "arn:aws:iam::123456789012:root"), other, simAllowed,
			"IAM Policy=allowed,Resource Policy=allowed"},
		{"cross-account, resource policy names someone else", allowGet, "", resPol("Allow", "arn:aws:iam::123456789012:user/bob"), other, simImplicit,
			"IAM Policy=allowed,Resource Policy=implicitDeny"},
		{"cross-account, resource policy denies", allowGet, "", resPol("Deny", alice), other, simExplicit,
			"IAM Policy=allowed,Resource Policy=explicitDeny"},
		{"cross-account, identity policy does not allow", allowPut, "", resPol("Allow", alice), other, simImplicit,
			"IAM Policy=implicitDeny,Resource Policy=allowed"},
		{"cross-account, boundary does not allow", allowGet, allowPut, resPol("Allow", alice), other, simImplicit,
			"IAM Policy=allowed,Permissions Boundary Policy=implicitDeny,Resource Policy=allowed"},
		{"cross-account, boundary allows", allowGet, allowGet, resPol("Allow", alice), other, simAllowed,
			"IAM Policy=allowed,Permissions Boundary Policy=allowed,Resource Policy=allowed"},
		{"cross-account, no resource policy", allowGet, "", "", other, simImplicit,
			"IAM Policy=allowed,Resource Policy=implicitDeny"},
		{"same account, resource policy alone allows", allowPut, "", resPol("Allow", alice), "", simAllowed, ""},
		{"same account, owner given as own account", allowPut, "", resPol("Allow", alice), "arn:aws:iam::123456789012:root", simAllowed, ""},
	}
	for _, tt := range tests {
		in := &iam.SimulateCustomPolicyInput{PolicyInputList: []string{tt.identity}, ActionNames: []string{"s3:GetObject"},
			ResourceArns: []string{resource}, CallerArn: aws.String(alice)}
		if tt.resPol != "" {
			in.ResourcePolicy = aws.String(tt.resPol)
		}
		if tt.owner != "" {
			in.ResourceOwner = aws.String(tt.owner)
		}
		if tt.boundary != "" {
			in.PermissionsBoundaryPolicyInputList = []string{tt.boundary}
		}
		out, err := c.SimulateCustomPolicy(ctx, in)
		if err != nil {
			t.Fatalf("%s: SimulateCustomPolicy: %v", tt.name, err)
		}
		r := out.EvaluationResults[0]
		if r.EvalDecision != tt.want {
			t.Errorf("%s: EvalDecision = %s, want %s (matched %s)", tt.name, r.EvalDecision, tt.want, statements(r.MatchedStatements))
		}
		if got := detailsString(r.EvalDecisionDetails); got != tt.details {
			t.Errorf("%s: EvalDecisionDetails = %q, want %q", tt.name, got, tt.details)
		}
		if len(r.ResourceSpecificResults) != 1 {
			t.Fatalf("%s: %d ResourceSpecificResults", tt.name, len(r.ResourceSpecificResults))
		}
		rs := r.ResourceSpecificResults[0]
		if rs.EvalResourceDecision != tt.want || detailsString(rs.EvalDecisionDetails) != tt.details {
			t.Errorf("%s: ResourceSpecificResult = %s %q, want %s %q", tt.name, rs.EvalResourceDecision, detailsString(rs.EvalDecisionDetails), tt.want, tt.details)
		}
		if tt.boundary != "" && (rs.PermissionsBoundaryDecisionDetail == nil ||
			rs.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary != (tt.boundary == allowGet)) {
			t.Errorf("%s: ResourceSpecificResult PermissionsBoundaryDecisionDetail = %+v", tt.name, rs.PermissionsBoundaryDecisionDetail)
		}
		if tt.want == simAllowed && tt.resPol != "" && tt.owner == "" {
			found := false
			for _, m := range r.MatchedStatements {
				found = found || (aws.ToString(m.SourcePolicyId) == "ResourcePolicy" && m.SourcePolicyType == iamtypes.PolicySourceTypeResource)
			}
			if !found {
				t.Errorf("%s: MatchedStatements %s, want the ResourcePolicy statement", tt.name, statements(r.MatchedStatements))
			}
		}
	}

	// SimulatePrincipalPolicy on a user: the user is the caller, so the
	// resource policy needs no CallerArn; the resource's own ARN account
	// (here another account) decides who owns it.
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("get"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	queue := "arn:aws:sqs:eu-west-1:210987654321:jobs"
	qpol := func(principal string) *string {
		return aws.String(fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":%q},"Action":"sqs:SendMessage","Resource":%q}]}`, principal, queue))
	}
	for _, tt := range []struct {
		principal string
		want      iamtypes.PolicyEvaluationDecisionType
		details   string
	}{
		{alice, simAllowed, "IAM Policy=allowed,Resource Policy=allowed"},
		{"arn:aws:iam::123456789012:user/bob", simImplicit, "IAM Policy=allowed,Resource Policy=implicitDeny"},
	} {
		out, err := c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(alice),
			ActionNames: []string{"sqs:SendMessage"}, ResourceArns: []string{queue}, ResourcePolicy: qpol(tt.principal)})
		if err != nil {
			t.Fatalf("SimulatePrincipalPolicy with a queue policy for %s: %v", tt.principal, err)
		}
		r := out.EvaluationResults[0]
		if r.EvalDecision != tt.want || detailsString(r.EvalDecisionDetails) != tt.details {
			t.Errorf("queue policy for %s: %s %q, want %s %q", tt.principal, r.EvalDecision, detailsString(r.EvalDecisionDetails), tt.want, tt.details)
		}
	}
}

// TestIAMSimulateInputValidation: the optional inputs are validated as AWS
// documents them; the EC2 ResourceHandlingOption scenarios are accepted.
func TestIAMSimulateInputValidation(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	allow := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}]}`
	resPol := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"*"}]}`
	tests := []struct {
		name   string
		modify func(in *iam.SimulateCustomPolicyInput)
		code   string // "" = accepted
	}{
		{"EC2-VPC-InstanceStore", func(in *iam.SimulateCustomPolicyInput) {
			in.ResourceHandlingOption = aws.String("EC2-VPC-InstanceStore")
		}, ""},
		{"EC2-VPC-InstanceStore-Subnet", func(in *iam.SimulateCustomPolicyInput) {
			in.ResourceHandlingOption = aws.String("EC2-VPC-InstanceStore-Subnet")
		}, ""},
		{"EC2-VPC-EBS", func(in *iam.SimulateCustomPolicyInput) { in.ResourceHandlingOption = aws.String("EC2-VPC-EBS") }, ""},
		{"EC2-VPC-EBS-Subnet", func(in *iam.SimulateCustomPolicyInput) { in.ResourceHandlingOption = aws.String("EC2-VPC-EBS-Subnet") }, ""},
		{"unknown scenario", func(in *iam.SimulateCustomPolicyInput) { in.ResourceHandlingOption = aws.String("EC2-Mainframe") }, "InvalidInput"},
		{"two boundaries", func(in *iam.SimulateCustomPolicyInput) {
			in.PermissionsBoundaryPolicyInputList = []string{allow, allow}
		}, "InvalidInput"},
		{"role as caller", func(in *iam.SimulateCustomPolicyInput) { in.CallerArn = aws.String("arn:aws:iam::123456789012:role/r") }, "InvalidInput"},
		{"malformed caller", func(in *iam.SimulateCustomPolicyInput) { in.CallerArn = aws.String("alice") }, "InvalidInput"},
		{"malformed owner", func(in *iam.SimulateCustomPolicyInput) { in.ResourceOwner = aws.String("210987654321") }, "InvalidInput"},
		{"resource policy without caller", func(in *iam.SimulateCustomPolicyInput) { in.ResourcePolicy = aws.String(resPol) }, "InvalidInput"},
		{"malformed resource policy", func(in *iam.SimulateCustomPolicyInput) {
			in.ResourcePolicy = aws.String(`{"Statement":[{"Effect":"Allow"}]}`)
			in.CallerArn = aws.String("arn:aws:iam::123456789012:user/alice")
		}, "InvalidInput"},
		{"resource policy with caller", func(in *iam.SimulateCustomPolicyInput) {
			in.ResourcePolicy = aws.String(resPol)
			in.CallerArn = aws.String("arn:aws:iam::123456789012:user/alice")
		}, ""},
	}
	for _, tt := range tests {
		in := &iam.SimulateCustomPolicyInput{PolicyInputList: []string{allow}, ActionNames: []string{"ec2:RunInstances"},
			ResourceArns: []string{"arn:aws:ec2:eu-west-1:123456789012:instance/*", "arn:aws:ec2:eu-west-1::image/ami-1"}}
		tt.modify(in)
		out, err := c.SimulateCustomPolicy(ctx, in)
		if tt.code != "" {
			wantAPIError(t, tt.name, err, tt.code)
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(out.EvaluationResults) != 2 {
			t.Fatalf("%s: %d results, want 2", tt.name, len(out.EvaluationResults))
		}
		for _, r := range out.EvaluationResults {
			if r.EvalDecision != simAllowed || len(r.ResourceSpecificResults) != 1 || r.ResourceSpecificResults[0].EvalResourceDecision != simAllowed {
				t.Errorf("%s: %s on %s = %s", tt.name, aws.ToString(r.EvalActionName), aws.ToString(r.EvalResourceName), r.EvalDecision)
			}
		}
	}

	// A role or group policy source needs a CallerArn for a resource policy.
	if _, err := c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("g")}); err != nil {
		t.Fatal(err)
	}
	_, err := c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::123456789012:group/g"),
		ActionNames: []string{"s3:GetObject"}, ResourcePolicy: aws.String(resPol)})
	wantAPIError(t, "group source, resource policy, no CallerArn", err, "InvalidInput")
	_, err = c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::123456789012:group/g"),
		ActionNames: []string{"s3:GetObject"}, ResourcePolicy: aws.String(resPol), CallerArn: aws.String("arn:aws:iam::123456789012:user/alice")})
	if err != nil {
		t.Errorf("group source with CallerArn: %v", err)
	}
}

// TestIAMSimulateDetailsWithSCPs: in a member account, a cross-account
// simulation reports EvalDecisionDetails unless an SCP denies, and the
// Organizations detail is judged in the principal's own account.
func TestIAMSimulateDetailsWithSCPs(t *testing.T) {
	ctx := context.Background()
	acct, member := memberWithSCP(t, "simd", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}`)
	dev := "arn:aws:iam::" + acct + ":user/dev"
	resPol := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":%q},"Action":["s3:GetObject","s3:DeleteObject"],"Resource":"*"}]}`, dev)
	sim, err := member.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(dev),
		ActionNames: []string{"s3:GetObject", "s3:DeleteObject"}, ResourceArns: []string{"arn:aws:s3:::partner/x"},
		ResourcePolicy: aws.String(resPol), ResourceOwner: aws.String("arn:aws:iam::210987654321:root")})
	if err != nil {
		t.Fatalf("SimulatePrincipalPolicy: %v", err)
	}
	want := []struct {
		decision iamtypes.PolicyEvaluationDecisionType
		byOrgs   bool
		details  string
	}{
		{simAllowed, true, "IAM Policy=allowed,Resource Policy=allowed"},
		{simExplicit, false, ""},
	}
	if len(sim.EvaluationResults) != len(want) {
		t.Fatalf("%d results", len(sim.EvaluationResults))
	}
	for i, r := range sim.EvaluationResults {
		if r.EvalDecision != want[i].decision || r.OrganizationsDecisionDetail == nil || r.OrganizationsDecisionDetail.AllowedByOrganizations != want[i].byOrgs {
			t.Errorf("%s = %s, organizations %+v; want %s, allowed by organizations %v", aws.ToString(r.EvalActionName), r.EvalDecision,
				r.OrganizationsDecisionDetail, want[i].decision, want[i].byOrgs)
		}
		if got := detailsString(r.EvalDecisionDetails); got != want[i].details || (want[i].details == "") != (r.EvalDecisionDetails == nil) {
			t.Errorf("%s: EvalDecisionDetails = %v, want %q", aws.ToString(r.EvalActionName), r.EvalDecisionDetails, want[i].details)
		}
	}
}
