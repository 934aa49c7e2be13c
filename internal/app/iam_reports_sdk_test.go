package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/idcenter/idcenter/internal/config"
)

// newMachineUser creates an IAM user with one access key and returns the key.
func newMachineUser(t *testing.T, c *iam.Client, name string) *iamtypes.AccessKey {
	t.Helper()
	ctx := context.Background()
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		t.Fatalf("CreateUser %s: %v", name, err)
	}
	k, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateAccessKey %s: %v", name, err)
	}
	return k.AccessKey
}

func TestIAMAccessKeyLastUsedIsRecorded(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	k := newMachineUser(t, c, "builder")

	lu, err := c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId})
	if err != nil {
		t.Fatalf("GetAccessKeyLastUsed: %v", err)
	}
	if got := lu.AccessKeyLastUsed; aws.ToString(got.ServiceName) != "N/A" || aws.ToString(got.Region) != "N/A" || got.LastUsedDate != nil {
		t.Fatalf("never used key: AccessKeyLastUsed = %+v, want N/A and no date", got)
	}

	userCfg := ts.awsConfig(t, aws.ToString(k.AccessKeyId), aws.ToString(k.SecretAccessKey))
	userCfg.Region = "eu-central-1"
	if _, err := sts.NewFromConfig(userCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("GetCallerIdentity: %v", err)
	}
	lu, err = c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId})
	if err != nil {
		t.Fatalf("GetAccessKeyLastUsed: %v", err)
	}
	if got := lu.AccessKeyLastUsed; aws.ToString(lu.UserName) != "builder" || aws.ToString(got.ServiceName) != "sts" ||
		aws.ToString(got.Region) != "eu-central-1" || got.LastUsedDate == nil {
		t.Fatalf("after sts call: %s %+v, want sts in eu-central-1 with a date", aws.ToString(lu.UserName), got)
	}

	// A denied call is still a use of the key (AWS records authenticated attempts).
	_, err = iam.NewFromConfig(userCfg).ListUsers(ctx, &iam.ListUsersInput{})
	wantAPIError(t, "ListUsers without permission", err, "AccessDenied")
	lu, _ = c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId})
	if aws.ToString(lu.AccessKeyLastUsed.ServiceName) != "iam" {
		t.Fatalf("after iam call: ServiceName = %q, want iam", aws.ToString(lu.AccessKeyLastUsed.ServiceName))
	}

	_, err = c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String("AKIAAAAAAAAAAAAAAAAA")})
	wantAPIError(t, "unknown key", err, "NoSuchEntity")
}

func TestIAMCredentialReport(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))

	_, err := c.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	wantAPIError(t, "report before generation", err, "ReportNotPresent")
	var notPresent *iamtypes.CredentialReportNotPresentException
	if !errors.As(err, &notPresent) {
		t.Fatalf("ReportNotPresent is not the SDK's CredentialReportNotPresentException: %T %v", err, err)
	}

	k := newMachineUser(t, c, "deployer")
	if _, err := c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("deployer"), Password: aws.String("Correct-Horse-9-Battery")}); err != nil {
		t.Fatalf("CreateLoginProfile: %v", err)
	}
	certPEM, _ := entSelfSigned(t, "deployer")
	if _, err := c.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: aws.String("deployer"), CertificateBody: aws.String(certPEM)}); err != nil {
		t.Fatalf("UploadSigningCertificate: %v", err)
	}
	newMachineUser(t, c, "idle")
	userCfg := ts.awsConfig(t, aws.ToString(k.AccessKeyId), aws.ToString(k.SecretAccessKey))
	if _, err := sts.NewFromConfig(userCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("GetCallerIdentity: %v", err)
	}

	g, err := c.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
	if err != nil || g.State != iamtypes.ReportStateTypeStarted {
		t.Fatalf("GenerateCredentialReport = %+v, %v; want STARTED", g, err)
	}
	g, err = c.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
	if err != nil || g.State != iamtypes.ReportStateTypeComplete {
		t.Fatalf("GenerateCredentialReport again = %+v, %v; want COMPLETE", g, err)
	}
	r, err := c.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	if err != nil {
		t.Fatalf("GetCredentialReport: %v", err)
	}
	if r.ReportFormat != iamtypes.ReportFormatTypeTextCsv || r.GeneratedTime == nil {
		t.Fatalf("GetCredentialReport format %q time %v", r.ReportFormat, r.GeneratedTime)
	}
	rows, err := csv.NewReader(bytes.NewReader(r.Content)).ReadAll()
	if err != nil {
		t.Fatalf("report is not CSV: %v\n%s", err, r.Content)
	}
	wantHeader := "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active," +
		"access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service," +
		"access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service," +
		"cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated"
	if got := strings.Join(rows[0], ","); got != wantHeader {
		t.Fatalf("header = %s\nwant %s", got, wantHeader)
	}
	byUser := map[string]map[string]string{}
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, col := range rows[0] {
			m[col] = row[i]
		}
		byUser[row[0]] = m
	}
	tests := []struct {
		user, col, want string
	}{
		{"<root_account>", "arn", "arn:aws:iam::123456789012:root"},
		{"<root_account>", "password_enabled", "not_supported"},
		{"<root_account>", "access_key_1_active", "true"},
		{"deployer", "arn", "arn:aws:iam::123456789012:user/deployer"},
		{"deployer", "password_enabled", "true"},
		{"deployer", "password_last_used", "no_information"},
		{"deployer", "password_next_rotation", "N/A"},
		{"deployer", "mfa_active", "false"},
		{"deployer", "access_key_1_active", "true"},
		{"deployer", "access_key_1_last_used_region", "us-east-1"},
		{"deployer", "access_key_1_last_used_service", "sts"},
		{"deployer", "access_key_2_active", "false"},
		{"deployer", "access_key_2_last_rotated", "N/A"},
		{"deployer", "cert_1_active", "true"},
		{"deployer", "cert_2_active", "false"},
		{"deployer", "cert_2_last_rotated", "N/A"},
		{"idle", "cert_1_active", "false"},
		{"idle", "password_enabled", "false"},
		{"idle", "password_last_used", "N/A"},
		{"idle", "password_last_changed", "N/A"},
		{"idle", "access_key_1_active", "true"},
		{"idle", "access_key_1_last_used_date", "N/A"},
		{"idle", "access_key_1_last_used_service", "N/A"},
	}
	for _, tt := range tests {
		row, ok := byUser[tt.user]
		if !ok {
			t.Fatalf("no row for %s in\n%s", tt.user, r.Content)
		}
		if got := row[tt.col]; got != tt.want {
			t.Errorf("%s %s = %q, want %q", tt.user, tt.col, got, tt.want)
		}
	}
	for _, col := range []string{"user_creation_time", "password_last_changed", "access_key_1_last_rotated", "access_key_1_last_used_date", "cert_1_last_rotated"} {
		if v := byUser["deployer"][col]; !strings.HasSuffix(v, "+00:00") || len(v) != len("2006-01-02T15:04:05+00:00") {
			t.Errorf("deployer %s = %q, want an ISO 8601 time like 2006-01-02T15:04:05+00:00", col, v)
		}
	}
}

func TestIAMCentralizedRootAccess(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))

	_, err := c.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	wantAPIError(t, "without trusted access", err, "ServiceAccessNotEnabledException")
	_, err = c.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{})
	wantAPIError(t, "enable without trusted access", err, "ServiceAccessNotEnabledException")

	org := organizations.NewFromConfig(ts.rootConfig(t))
	if _, err := org.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("iam.amazonaws.com")}); err != nil {
		t.Fatalf("EnableAWSServiceAccess: %v", err)
	}
	steps := []struct {
		name string
		call func() (*string, []iamtypes.FeatureType, error)
		want string
	}{
		{"list", func() (*string, []iamtypes.FeatureType, error) {
			o, err := c.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
			return outFeatures(o, err, func() (*string, []iamtypes.FeatureType) { return o.OrganizationId, o.EnabledFeatures })
		}, ""},
		{"enable sessions", func() (*string, []iamtypes.FeatureType, error) {
			o, err := c.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{})
			return outFeatures(o, err, func() (*string, []iamtypes.FeatureType) { return o.OrganizationId, o.EnabledFeatures })
		}, "RootSessions"},
		{"enable credentials management", func() (*string, []iamtypes.FeatureType, error) {
			o, err := c.EnableOrganizationsRootCredentialsManagement(ctx, &iam.EnableOrganizationsRootCredentialsManagementInput{})
			return outFeatures(o, err, func() (*string, []iamtypes.FeatureType) { return o.OrganizationId, o.EnabledFeatures })
		}, "RootCredentialsManagement,RootSessions"},
		{"enable sessions twice", func() (*string, []iamtypes.FeatureType, error) {
			o, err := c.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{})
			return outFeatures(o, err, func() (*string, []iamtypes.FeatureType) { return o.OrganizationId, o.EnabledFeatures })
		}, "RootCredentialsManagement,RootSessions"},
		{"disable sessions", func() (*string, []iamtypes.FeatureType, error) {
			o, err := c.DisableOrganizationsRootSessions(ctx, &iam.DisableOrganizationsRootSessionsInput{})
			return outFeatures(o, err, func() (*string, []iamtypes.FeatureType) { return o.OrganizationId, o.EnabledFeatures })
		}, "RootCredentialsManagement"},
		{"disable credentials management", func() (*string, []iamtypes.FeatureType, error) {
			o, err := c.DisableOrganizationsRootCredentialsManagement(ctx, &iam.DisableOrganizationsRootCredentialsManagementInput{})
			return outFeatures(o, err, func() (*string, []iamtypes.FeatureType) { return o.OrganizationId, o.EnabledFeatures })
		}, ""},
	}
	for _, st := range steps {
		id, features, err := st.call()
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		var names []string
		for _, f := range features {
			names = append(names, string(f))
		}
		if !strings.HasPrefix(aws.ToString(id), "o-") || strings.Join(names, ",") != st.want {
			t.Fatalf("%s: organization %q features %v, want o-… and [%s]", st.name, aws.ToString(id), names, st.want)
		}
	}
}

func outFeatures[T any](o *T, err error, get func() (*string, []iamtypes.FeatureType)) (*string, []iamtypes.FeatureType, error) {
	if err != nil {
		return nil, nil, err
	}
	id, f := get()
	return id, f, nil
}

const simPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::bucket/*"},
    {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
    {"Sid": "MFA", "Effect": "Allow", "Action": "iam:*", "Resource": "*",
     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}
  ]
}`

func TestIAMSimulateCustomPolicy(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	readOnlyBoundary := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	tests := []struct {
		name      string
		action    string
		resource  string
		context   []iamtypes.ContextEntry
		boundary  bool
		want      iamtypes.PolicyEvaluationDecisionType
		wantStart int32 // line of the matched statement, 0 for none
		missing   string
		bAllowed  *bool
	}{
		{"allowed", "s3:GetObject", "arn:aws:s3:::bucket/key", nil, false, iamtypes.PolicyEvaluationDecisionTypeAllowed, 4, "", nil},
		{"explicit deny", "s3:DeleteObject", "arn:aws:s3:::bucket/key", nil, false, iamtypes.PolicyEvaluationDecisionTypeExplicitDeny, 5, "", nil},
		{"implicit deny, other resource", "s3:GetObject", "arn:aws:s3:::other/key", nil, false, iamtypes.PolicyEvaluationDecisionTypeImplicitDeny, 0, "", nil},
		{"condition key missing", "iam:ListUsers", "*", nil, false, iamtypes.PolicyEvaluationDecisionTypeImplicitDeny, 0, "aws:MultiFactorAuthPresent", nil},
		{"condition key given", "iam:ListUsers", "*", []iamtypes.ContextEntry{{ContextKeyName: aws.String("aws:MultiFactorAuthPresent"),
			ContextKeyType: iamtypes.ContextKeyTypeEnumBoolean, ContextKeyValues: []string{"true"}}}, false, iamtypes.PolicyEvaluationDecisionTypeAllowed, 6, "", nil},
		{"boundary allows", "s3:GetObject", "arn:aws:s3:::bucket/key", nil, true, iamtypes.PolicyEvaluationDecisionTypeAllowed, 4, "", aws.Bool(true)},
		{"boundary denies", "s3:PutObject", "arn:aws:s3:::bucket/key", nil, true, iamtypes.PolicyEvaluationDecisionTypeImplicitDeny, 0, "", aws.Bool(false)},
	}
	for _, tt := range tests {
		in := &iam.SimulateCustomPolicyInput{PolicyInputList: []string{simPolicy}, ActionNames: []string{tt.action},
			ResourceArns: []string{tt.resource}, ContextEntries: tt.context}
		if tt.boundary {
			in.PermissionsBoundaryPolicyInputList = []string{readOnlyBoundary}
		}
		out, err := c.SimulateCustomPolicy(ctx, in)
		if err != nil {
			t.Fatalf("%s: SimulateCustomPolicy: %v", tt.name, err)
		}
		if len(out.EvaluationResults) != 1 {
			t.Fatalf("%s: %d results", tt.name, len(out.EvaluationResults))
		}
		r := out.EvaluationResults[0]
		if r.EvalDecision != tt.want || aws.ToString(r.EvalActionName) != tt.action || aws.ToString(r.EvalResourceName) != tt.resource {
			t.Errorf("%s: %s on %s = %s, want %s", tt.name, aws.ToString(r.EvalActionName), aws.ToString(r.EvalResourceName), r.EvalDecision, tt.want)
		}
		if tt.wantStart != 0 {
			found := false
			for _, m := range r.MatchedStatements {
				if aws.ToString(m.SourcePolicyId) == "PolicyInputList.1" && m.StartPosition != nil && m.StartPosition.Line == tt.wantStart &&
					m.StartPosition.Column == 5 && m.EndPosition != nil && m.EndPosition.Line >= tt.wantStart {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: MatchedStatements = %s, want PolicyInputList.1 at line %d column 5", tt.name, statements(r.MatchedStatements), tt.wantStart)
			}
		} else if tt.want != iamtypes.PolicyEvaluationDecisionTypeImplicitDeny || len(r.MatchedStatements) != 0 {
			t.Errorf("%s: MatchedStatements = %s, want none", tt.name, statements(r.MatchedStatements))
		}
		if got := strings.Join(r.MissingContextValues, ","); got != tt.missing {
			t.Errorf("%s: MissingContextValues = %q, want %q", tt.name, got, tt.missing)
		}
		switch {
		case tt.bAllowed == nil && r.PermissionsBoundaryDecisionDetail != nil:
			t.Errorf("%s: PermissionsBoundaryDecisionDetail without a boundary", tt.name)
		case tt.bAllowed != nil && (r.PermissionsBoundaryDecisionDetail == nil || r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary != *tt.bAllowed):
			t.Errorf("%s: PermissionsBoundaryDecisionDetail = %+v, want allowed=%v", tt.name, r.PermissionsBoundaryDecisionDetail, *tt.bAllowed)
		}
	}

	_, err := c.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{`{"Statement":"x"}`}, ActionNames: []string{"s3:GetObject"}})
	wantAPIError(t, "malformed policy", err, "InvalidInput")

	keys, err := c.GetContextKeysForCustomPolicy(ctx, &iam.GetContextKeysForCustomPolicyInput{PolicyInputList: []string{simPolicy,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"Bool":{"AWS:MultiFactorAuthPresent":"false"}}}]}`}})
	if err != nil || strings.Join(keys.ContextKeyNames, ",") != "aws:MultiFactorAuthPresent,aws:SourceIp" {
		t.Fatalf("GetContextKeysForCustomPolicy = %v, %v; want aws:MultiFactorAuthPresent,aws:SourceIp", keys, err)
	}
}

func statements(ms []iamtypes.Statement) string {
	var out []string
	for _, m := range ms {
		s := aws.ToString(m.SourcePolicyId) + "/" + string(m.SourcePolicyType)
		if m.StartPosition != nil {
			s += fmt.Sprintf("@%d:%d", m.StartPosition.Line, m.StartPosition.Column)
		}
		out = append(out, s)
	}
	return "[" + strings.Join(out, " ") + "]"
}

func TestIAMSimulatePrincipalPolicy(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ci")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("ci"), PolicyName: aws.String("deploy"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("readers")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("readers"), UserName: aws.String("ci")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("readers"), PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}); err != nil {
		t.Fatal(err)
	}
	pol, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("no-users"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:GetUser","Resource":"*"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("ci"), PolicyArn: pol.Policy.Arn}); err != nil {
		t.Fatal(err)
	}
	user := "arn:aws:iam::123456789012:user/ci"
	tests := []struct {
		action  string
		context []iamtypes.ContextEntry
		want    iamtypes.PolicyEvaluationDecisionType
		source  string
		srcType iamtypes.PolicySourceType
		missing string
	}{
		{"iam:ListUsers", nil, iamtypes.PolicyEvaluationDecisionTypeAllowed, "ReadOnlyAccess", iamtypes.PolicySourceTypeAwsManaged, ""},
		{"iam:GetUser", nil, iamtypes.PolicyEvaluationDecisionTypeExplicitDeny, "no-users", iamtypes.PolicySourceTypeUserManaged, ""},
		{"iam:CreateUser", nil, iamtypes.PolicyEvaluationDecisionTypeImplicitDeny, "", "", ""},
		{"sts:AssumeRole", nil, iamtypes.PolicyEvaluationDecisionTypeImplicitDeny, "", "", "aws:RequestedRegion"},
		{"sts:AssumeRole", []iamtypes.ContextEntry{{ContextKeyName: aws.String("aws:RequestedRegion"), ContextKeyType: iamtypes.ContextKeyTypeEnumString,
			ContextKeyValues: []string{"eu-west-1"}}}, iamtypes.PolicyEvaluationDecisionTypeAllowed, "deploy", iamtypes.PolicySourceTypeUser, ""},
	}
	for _, tt := range tests {
		out, err := c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(user),
			ActionNames: []string{tt.action}, ContextEntries: tt.context})
		if err != nil {
			t.Fatalf("%s: SimulatePrincipalPolicy: %v", tt.action, err)
		}
		r := out.EvaluationResults[0]
		if r.EvalDecision != tt.want || aws.ToString(r.EvalResourceName) != "*" {
			t.Errorf("%s = %s on %s, want %s on *", tt.action, r.EvalDecision, aws.ToString(r.EvalResourceName), tt.want)
		}
		if tt.source != "" && (len(r.MatchedStatements) == 0 || aws.ToString(r.MatchedStatements[0].SourcePolicyId) != tt.source ||
			r.MatchedStatements[0].SourcePolicyType != tt.srcType) {
			t.Errorf("%s: MatchedStatements = %s, want %s/%s", tt.action, statements(r.MatchedStatements), tt.source, tt.srcType)
		}
		if got := strings.Join(r.MissingContextValues, ","); got != tt.missing {
			t.Errorf("%s: MissingContextValues = %q, want %q", tt.action, got, tt.missing)
		}
		if r.OrganizationsDecisionDetail != nil {
			t.Errorf("%s: OrganizationsDecisionDetail %+v in the management account, where SCPs do not apply", tt.action, r.OrganizationsDecisionDetail)
		}
	}

	// Several actions page with MaxItems/Marker.
	first, err := c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(user),
		ActionNames: []string{"iam:ListUsers", "iam:GetUser", "iam:CreateUser"}, MaxItems: aws.Int32(2)})
	if err != nil || len(first.EvaluationResults) != 2 || !first.IsTruncated {
		t.Fatalf("page 1 = %+v, %v", first, err)
	}
	second, err := c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(user),
		ActionNames: []string{"iam:ListUsers", "iam:GetUser", "iam:CreateUser"}, MaxItems: aws.Int32(2), Marker: first.Marker})
	if err != nil || len(second.EvaluationResults) != 1 || second.IsTruncated || aws.ToString(second.EvaluationResults[0].EvalActionName) != "iam:CreateUser" {
		t.Fatalf("page 2 = %+v, %v", second, err)
	}

	keys, err := c.GetContextKeysForPrincipalPolicy(ctx, &iam.GetContextKeysForPrincipalPolicyInput{PolicySourceArn: aws.String(user)})
	if err != nil || strings.Join(keys.ContextKeyNames, ",") != "aws:RequestedRegion" {
		t.Fatalf("GetContextKeysForPrincipalPolicy = %v, %v", keys, err)
	}

	_, err = c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::123456789012:user/nobody"),
		ActionNames: []string{"iam:ListUsers"}})
	wantAPIError(t, "unknown user", err, "NoSuchEntity")
	_, err = c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::123456789012:role/nobody"),
		ActionNames: []string{"iam:ListUsers"}})
	wantAPIError(t, "unknown role", err, "NoSuchEntity")
	_, err = c.GetContextKeysForPrincipalPolicy(ctx, &iam.GetContextKeysForPrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::123456789012:group/nobody")})
	wantAPIError(t, "unknown group", err, "NoSuchEntity")
}

func TestIAMServiceLinkedRoles(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))

	out, err := c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("sso.amazonaws.com"), Description: aws.String("SSO")})
	if err != nil {
		t.Fatalf("CreateServiceLinkedRole: %v", err)
	}
	r := out.Role
	if aws.ToString(r.RoleName) != "AWSServiceRoleForSSO" || aws.ToString(r.Path) != "/aws-service-role/sso.amazonaws.com/" ||
		aws.ToString(r.Arn) != "arn:aws:iam::123456789012:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO" {
		t.Fatalf("CreateServiceLinkedRole = %s %s %s", aws.ToString(r.RoleName), aws.ToString(r.Path), aws.ToString(r.Arn))
	}
	got, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("AWSServiceRoleForSSO")})
	if err != nil {
		t.Fatalf("GetRole: %v", err)
	}
	trust, _ := url.QueryUnescape(aws.ToString(got.Role.AssumeRolePolicyDocument))
	if !strings.Contains(trust, `"Service":"sso.amazonaws.com"`) || !strings.Contains(trust, "sts:AssumeRole") {
		t.Errorf("trust policy = %s", trust)
	}

	auto, err := c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("autoscaling.amazonaws.com"), CustomSuffix: aws.String("web")})
	if err != nil || aws.ToString(auto.Role.RoleName) != "AWSServiceRoleForAutoScaling_web" {
		t.Fatalf("CreateServiceLinkedRole with suffix = %v, %v", auto, err)
	}

	errs := []struct {
		name string
		call func() error
		code string
	}{
		{"taken", func() error {
			_, err := c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("sso.amazonaws.com")})
			return err
		}, "InvalidInput"},
		{"suffix not allowed", func() error {
			_, err := c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("sso.amazonaws.com"), CustomSuffix: aws.String("x")})
			return err
		}, "InvalidInput"},
		{"unknown service", func() error {
			_, err := c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("nothing.amazonaws.com")})
			return err
		}, "InvalidInput"},
		{"DeleteRole", func() error {
			_, err := c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("AWSServiceRoleForSSO")})
			return err
		}, "UnmodifiableEntity"},
		{"UpdateAssumeRolePolicy", func() error {
			_, err := c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("AWSServiceRoleForSSO"),
				PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`)})
			return err
		}, "UnmodifiableEntity"},
		{"PutRolePolicy", func() error {
			_, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("AWSServiceRoleForSSO"), PolicyName: aws.String("x"),
				PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)})
			return err
		}, "UnmodifiableEntity"},
		{"AttachRolePolicy", func() error {
			_, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("AWSServiceRoleForSSO"), PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")})
			return err
		}, "UnmodifiableEntity"},
		{"delete an ordinary role as service-linked", func() error {
			if _, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("plain"),
				AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)}); err != nil {
				return err
			}
			_, err := c.DeleteServiceLinkedRole(ctx, &iam.DeleteServiceLinkedRoleInput{RoleName: aws.String("plain")})
			return err
		}, "InvalidInput"},
		{"delete a missing role", func() error {
			_, err := c.DeleteServiceLinkedRole(ctx, &iam.DeleteServiceLinkedRoleInput{RoleName: aws.String("AWSServiceRoleForNothing")})
			return err
		}, "NoSuchEntity"},
		{"unknown task", func() error {
			_, err := c.GetServiceLinkedRoleDeletionStatus(ctx, &iam.GetServiceLinkedRoleDeletionStatusInput{DeletionTaskId: aws.String("task/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO/00000000-0000-0000-0000-000000000000")})
			return err
		}, "NoSuchEntity"},
		{"malformed task", func() error {
			_, err := c.GetServiceLinkedRoleDeletionStatus(ctx, &iam.GetServiceLinkedRoleDeletionStatusInput{DeletionTaskId: aws.String("nonsense")})
			return err
		}, "InvalidInput"},
	}
	for _, e := range errs {
		wantAPIError(t, e.name, e.call(), e.code)
	}

	del, err := c.DeleteServiceLinkedRole(ctx, &iam.DeleteServiceLinkedRoleInput{RoleName: aws.String("AWSServiceRoleForSSO")})
	if err != nil || !strings.HasPrefix(aws.ToString(del.DeletionTaskId), "task/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO/") {
		t.Fatalf("DeleteServiceLinkedRole = %v, %v", del, err)
	}
	st, err := c.GetServiceLinkedRoleDeletionStatus(ctx, &iam.GetServiceLinkedRoleDeletionStatusInput{DeletionTaskId: del.DeletionTaskId})
	if err != nil || st.Status != iamtypes.DeletionTaskStatusTypeSucceeded {
		t.Fatalf("GetServiceLinkedRoleDeletionStatus = %v, %v", st, err)
	}
	_, err = c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("AWSServiceRoleForSSO")})
	wantAPIError(t, "deleted role", err, "NoSuchEntity")
	// It can be created again.
	if _, err := c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("sso.amazonaws.com")}); err != nil {
		t.Fatalf("CreateServiceLinkedRole again: %v", err)
	}
}

func TestIAMServiceLastAccessed(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	k := newMachineUser(t, c, "ops")
	_, err := c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("team")})
	must("CreateGroup", err)
	_, err = c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("team"), UserName: aws.String("ops")})
	must("AddUserToGroup", err)
	_, err = c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("team"), PolicyName: aws.String("read"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:List*","sts:*"],"Resource":"*"}]}`)})
	must("PutGroupPolicy", err)
	_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	must("CreateRole", err)
	pol, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("objects"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)})
	must("CreatePolicy", err)
	_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: pol.Policy.Arn})
	must("AttachRolePolicy", err)

	userCfg := ts.awsConfig(t, aws.ToString(k.AccessKeyId), aws.ToString(k.SecretAccessKey))
	_, err = sts.NewFromConfig(userCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	must("GetCallerIdentity", err)
	_, err = iam.NewFromConfig(userCfg).ListUsers(ctx, &iam.ListUsersInput{})
	must("ListUsers as ops", err)

	userARN := "arn:aws:iam::123456789012:user/ops"
	type svc struct {
		used     bool
		entities int32
	}
	tests := []struct {
		name        string
		arn         string
		granularity iamtypes.AccessAdvisorUsageGranularityType
		want        map[string]svc
	}{
		{"user", userARN, iamtypes.AccessAdvisorUsageGranularityTypeServiceLevel, map[string]svc{"iam": {true, 1}, "sts": {true, 1}}},
		{"group", "arn:aws:iam::123456789012:group/team", iamtypes.AccessAdvisorUsageGranularityTypeActionLevel, map[string]svc{"iam": {true, 1}, "sts": {true, 1}}},
		{"role", "arn:aws:iam::123456789012:role/app", "", map[string]svc{"s3": {false, 0}}},
		{"policy", aws.ToString(pol.Policy.Arn), "", map[string]svc{"s3": {false, 0}}},
	}
	var groupJob *string
	for _, tt := range tests {
		g, err := c.GenerateServiceLastAccessedDetails(ctx, &iam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String(tt.arn), Granularity: tt.granularity})
		must(tt.name+": GenerateServiceLastAccessedDetails", err)
		if tt.name == "group" {
			groupJob = g.JobId
		}
		out, err := c.GetServiceLastAccessedDetails(ctx, &iam.GetServiceLastAccessedDetailsInput{JobId: g.JobId})
		must(tt.name+": GetServiceLastAccessedDetails", err)
		if out.JobStatus != iamtypes.JobStatusTypeCompleted || out.JobCreationDate == nil || out.JobCompletionDate == nil {
			t.Errorf("%s: job %s created %v completed %v", tt.name, out.JobStatus, out.JobCreationDate, out.JobCompletionDate)
		}
		got := map[string]svc{}
		for _, s := range out.ServicesLastAccessed {
			got[aws.ToString(s.ServiceNamespace)] = svc{s.LastAuthenticated != nil, aws.ToInt32(s.TotalAuthenticatedEntities)}
			if s.LastAuthenticated != nil && aws.ToString(s.LastAuthenticatedEntity) != userARN {
				t.Errorf("%s: %s LastAuthenticatedEntity = %s", tt.name, aws.ToString(s.ServiceNamespace), aws.ToString(s.LastAuthenticatedEntity))
			}
			if aws.ToString(s.ServiceNamespace) == "iam" && aws.ToString(s.ServiceName) != "AWS Identity and Access Management" {
				t.Errorf("%s: iam ServiceName = %q", tt.name, aws.ToString(s.ServiceName))
			}
			if tt.granularity == iamtypes.AccessAdvisorUsageGranularityTypeActionLevel && aws.ToString(s.ServiceNamespace) == "iam" &&
				(len(s.TrackedActionsLastAccessed) != 1 || aws.ToString(s.TrackedActionsLastAccessed[0].ActionName) != "ListUsers") {
				t.Errorf("%s: iam TrackedActionsLastAccessed = %+v", tt.name, s.TrackedActionsLastAccessed)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: services = %v, want %v", tt.name, got, tt.want)
		}
	}

	ents, err := c.GetServiceLastAccessedDetailsWithEntities(ctx, &iam.GetServiceLastAccessedDetailsWithEntitiesInput{JobId: groupJob, ServiceNamespace: aws.String("iam")})
	must("GetServiceLastAccessedDetailsWithEntities", err)
	if len(ents.EntityDetailsList) != 1 || aws.ToString(ents.EntityDetailsList[0].EntityInfo.Arn) != userARN ||
		ents.EntityDetailsList[0].EntityInfo.Type != iamtypes.PolicyOwnerEntityTypeUser || ents.EntityDetailsList[0].LastAuthenticated == nil {
		t.Errorf("EntityDetailsList = %+v", ents.EntityDetailsList)
	}

	grants, err := c.ListPoliciesGrantingServiceAccess(ctx, &iam.ListPoliciesGrantingServiceAccessInput{Arn: aws.String(userARN), ServiceNamespaces: []string{"iam", "s3"}})
	must("ListPoliciesGrantingServiceAccess", err)
	if len(grants.PoliciesGrantingServiceAccess) != 2 {
		t.Fatalf("ListPoliciesGrantingServiceAccess = %+v", grants.PoliciesGrantingServiceAccess)
	}
	iamGrants, s3Grants := grants.PoliciesGrantingServiceAccess[0], grants.PoliciesGrantingServiceAccess[1]
	if len(iamGrants.Policies) != 1 || aws.ToString(iamGrants.Policies[0].PolicyName) != "read" || iamGrants.Policies[0].PolicyType != iamtypes.PolicyTypeInline ||
		iamGrants.Policies[0].EntityType != iamtypes.PolicyOwnerEntityTypeGroup || aws.ToString(iamGrants.Policies[0].EntityName) != "team" {
		t.Errorf("iam grants = %+v", iamGrants.Policies)
	}
	if len(s3Grants.Policies) != 0 {
		t.Errorf("s3 grants = %+v, want none", s3Grants.Policies)
	}

	_, err = c.GenerateServiceLastAccessedDetails(ctx, &iam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String("arn:aws:iam::123456789012:user/nobody")})
	wantAPIError(t, "unknown user", err, "NoSuchEntity")
	_, err = c.GenerateServiceLastAccessedDetails(ctx, &iam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String("arn:aws:s3:::my-long-bucket-name")})
	wantAPIError(t, "not an IAM ARN", err, "InvalidInput")
	_, err = c.GetServiceLastAccessedDetails(ctx, &iam.GetServiceLastAccessedDetailsInput{JobId: aws.String("00000000-0000-0000-0000-000000000000")})
	wantAPIError(t, "unknown job", err, "NoSuchEntity")

	// The organizations access report of the whole organization.
	org := organizations.NewFromConfig(ts.rootConfig(t))
	o, err := org.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	must("DescribeOrganization", err)
	roots, err := org.ListRoots(ctx, &organizations.ListRootsInput{})
	must("ListRoots", err)
	path := aws.ToString(o.Organization.Id) + "/" + aws.ToString(roots.Roots[0].Id)
	job, err := c.GenerateOrganizationsAccessReport(ctx, &iam.GenerateOrganizationsAccessReportInput{EntityPath: aws.String(path)})
	must("GenerateOrganizationsAccessReport", err)
	rep, err := c.GetOrganizationsAccessReport(ctx, &iam.GetOrganizationsAccessReportInput{JobId: job.JobId, SortKey: iamtypes.SortKeyTypeLastAuthenticatedTimeDescending})
	must("GetOrganizationsAccessReport", err)
	if rep.JobStatus != iamtypes.JobStatusTypeCompleted || len(rep.AccessDetails) == 0 || aws.ToInt32(rep.NumberOfServicesAccessible) != int32(len(rep.AccessDetails)) {
		t.Fatalf("GetOrganizationsAccessReport = %+v", rep)
	}
	first := rep.AccessDetails[0]
	if first.LastAuthenticatedTime == nil || aws.ToString(first.EntityPath) != path+"/123456789012" || aws.ToInt32(first.TotalAuthenticatedEntities) != 1 {
		t.Errorf("most recent service = %s at %v from %s (%d accounts)", aws.ToString(first.ServiceNamespace), first.LastAuthenticatedTime,
			aws.ToString(first.EntityPath), aws.ToInt32(first.TotalAuthenticatedEntities))
	}
	_, err = c.GenerateOrganizationsAccessReport(ctx, &iam.GenerateOrganizationsAccessReportInput{EntityPath: aws.String("o-aaaaaaaaaa/r-zzzz")})
	wantAPIError(t, "another organization", err, "InvalidInput")
	_, err = c.GetOrganizationsAccessReport(ctx, &iam.GetOrganizationsAccessReportInput{JobId: groupJob})
	wantAPIError(t, "a service last accessed job", err, "NoSuchEntity")
}

func TestIAMAccountFeatures(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))

	summaryVersion := func() int32 {
		t.Helper()
		s, err := c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
		if err != nil {
			t.Fatalf("GetAccountSummary: %v", err)
		}
		return s.SummaryMap["GlobalEndpointTokenVersion"]
	}
	if v := summaryVersion(); v != 1 {
		t.Errorf("GlobalEndpointTokenVersion = %d, want 1 by default", v)
	}
	if _, err := c.SetSecurityTokenServicePreferences(ctx, &iam.SetSecurityTokenServicePreferencesInput{GlobalEndpointTokenVersion: iamtypes.GlobalEndpointTokenVersionV2Token}); err != nil {
		t.Fatalf("SetSecurityTokenServicePreferences: %v", err)
	}
	if v := summaryVersion(); v != 2 {
		t.Errorf("GlobalEndpointTokenVersion = %d after v2Token, want 2", v)
	}

	_, err := c.GetOutboundWebIdentityFederationInfo(ctx, &iam.GetOutboundWebIdentityFederationInfoInput{})
	wantAPIError(t, "info before enabling", err, "FeatureDisabled")
	_, err = c.DisableOutboundWebIdentityFederation(ctx, &iam.DisableOutboundWebIdentityFederationInput{})
	wantAPIError(t, "disable before enabling", err, "FeatureDisabled")
	en, err := c.EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{})
	if err != nil || !strings.HasPrefix(aws.ToString(en.IssuerIdentifier), "https://") {
		t.Fatalf("EnableOutboundWebIdentityFederation = %v, %v", en, err)
	}
	_, err = c.EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{})
	wantAPIError(t, "enable twice", err, "FeatureEnabled")
	info, err := c.GetOutboundWebIdentityFederationInfo(ctx, &iam.GetOutboundWebIdentityFederationInfoInput{})
	if err != nil || aws.ToString(info.IssuerIdentifier) != aws.ToString(en.IssuerIdentifier) || !info.JwtVendingEnabled {
		t.Fatalf("GetOutboundWebIdentityFederationInfo = %+v, %v", info, err)
	}
	if _, err := c.DisableOutboundWebIdentityFederation(ctx, &iam.DisableOutboundWebIdentityFederationInput{}); err != nil {
		t.Fatalf("DisableOutboundWebIdentityFederation: %v", err)
	}
	info, err = c.GetOutboundWebIdentityFederationInfo(ctx, &iam.GetOutboundWebIdentityFederationInfoInput{})
	if err != nil || aws.ToString(info.IssuerIdentifier) != aws.ToString(en.IssuerIdentifier) || info.JwtVendingEnabled {
		t.Fatalf("info after disabling = %+v, %v; want the same issuer, not vending", info, err)
	}
	again, err := c.EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{})
	if err != nil || aws.ToString(again.IssuerIdentifier) != aws.ToString(en.IssuerIdentifier) {
		t.Fatalf("enable again = %v, %v; want the same issuer", again, err)
	}
}

func TestIAMDelegationRequests(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	create := func(workflow, owner string) string {
		t.Helper()
		in := &iam.CreateDelegationRequestInput{Description: aws.String("monitoring setup"), RequestorWorkflowId: aws.String(workflow),
			NotificationChannel: aws.String("arn:aws:sns:us-east-1:210987654321:partner"), SessionDuration: aws.Int32(3600),
			Permissions: &iamtypes.DelegationPermission{PolicyTemplateArn: aws.String("arn:aws:iam::aws:policy/template/ReadOnly"),
				Parameters: []iamtypes.PolicyParameter{{Name: aws.String("bucket"), Values: []string{"logs"}, Type: iamtypes.PolicyParameterTypeEnumString}}}}
		if owner != "" {
			in.OwnerAccountId = aws.String(owner)
		}
		out, err := c.CreateDelegationRequest(ctx, in)
		if err != nil {
			t.Fatalf("CreateDelegationRequest %s: %v", workflow, err)
		}
		return aws.ToString(out.DelegationRequestId)
	}
	state := func(id string) iamtypes.StateType {
		t.Helper()
		out, err := c.GetDelegationRequest(ctx, &iam.GetDelegationRequestInput{DelegationRequestId: aws.String(id)})
		if err != nil {
			t.Fatalf("GetDelegationRequest: %v", err)
		}
		return out.DelegationRequest.State
	}
	id := create("workflow-1", "")
	if s := state(id); s != iamtypes.StateTypeUnassigned {
		t.Fatalf("new request state = %s", s)
	}
	steps := []struct {
		name string
		call func() error
		want iamtypes.StateType
		code string
	}{
		{"accept before associating", func() error {
			_, err := c.AcceptDelegationRequest(ctx, &iam.AcceptDelegationRequestInput{DelegationRequestId: aws.String(id)})
			return err
		}, iamtypes.StateTypeUnassigned, "InvalidInput"},
		{"associate", func() error {
			_, err := c.AssociateDelegationRequest(ctx, &iam.AssociateDelegationRequestInput{DelegationRequestId: aws.String(id)})
			return err
		}, iamtypes.StateTypeAssigned, ""},
		{"send before accepting", func() error {
			_, err := c.SendDelegationToken(ctx, &iam.SendDelegationTokenInput{DelegationRequestId: aws.String(id)})
			return err
		}, iamtypes.StateTypeAssigned, "InvalidInput"},
		{"update", func() error {
			_, err := c.UpdateDelegationRequest(ctx, &iam.UpdateDelegationRequestInput{DelegationRequestId: aws.String(id), Notes: aws.String("ok for logs")})
			return err
		}, iamtypes.StateTypePendingApproval, ""},
		{"accept", func() error {
			_, err := c.AcceptDelegationRequest(ctx, &iam.AcceptDelegationRequestInput{DelegationRequestId: aws.String(id)})
			return err
		}, iamtypes.StateTypeAccepted, ""},
		{"send", func() error {
			_, err := c.SendDelegationToken(ctx, &iam.SendDelegationTokenInput{DelegationRequestId: aws.String(id)})
			return err
		}, iamtypes.StateTypeFinalized, ""},
		{"reject when finalized", func() error {
			_, err := c.RejectDelegationRequest(ctx, &iam.RejectDelegationRequestInput{DelegationRequestId: aws.String(id)})
			return err
		}, iamtypes.StateTypeFinalized, "InvalidInput"},
	}
	for _, st := range steps {
		err := st.call()
		if st.code != "" {
			wantAPIError(t, st.name, err, st.code)
		} else if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if s := state(id); s != st.want {
			t.Fatalf("%s: state = %s, want %s", st.name, s, st.want)
		}
	}
	got, err := c.GetDelegationRequest(ctx, &iam.GetDelegationRequestInput{DelegationRequestId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	d := got.DelegationRequest
	if aws.ToString(d.OwnerId) != "arn:aws:iam::123456789012:root" || aws.ToString(d.ApproverId) != "arn:aws:iam::123456789012:root" ||
		aws.ToString(d.Notes) != "ok for logs" || aws.ToString(d.Permissions.PolicyTemplateArn) != "arn:aws:iam::aws:policy/template/ReadOnly" ||
		aws.ToInt32(d.SessionDuration) != 3600 || d.ExpirationTime == nil {
		t.Errorf("GetDelegationRequest = %+v", d)
	}

	rejected := create("workflow-2", "")
	if _, err := c.AssociateDelegationRequest(ctx, &iam.AssociateDelegationRequestInput{DelegationRequestId: aws.String(rejected)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RejectDelegationRequest(ctx, &iam.RejectDelegationRequestInput{DelegationRequestId: aws.String(rejected), Notes: aws.String("no")}); err != nil {
		t.Fatalf("RejectDelegationRequest: %v", err)
	}
	_, err = c.AcceptDelegationRequest(ctx, &iam.AcceptDelegationRequestInput{DelegationRequestId: aws.String(rejected)})
	wantAPIError(t, "accept a rejected request", err, "InvalidInput")

	elsewhere := create("workflow-3", "210987654321")
	_, err = c.AssociateDelegationRequest(ctx, &iam.AssociateDelegationRequestInput{DelegationRequestId: aws.String(elsewhere)})
	wantAPIError(t, "associate a request for another account", err, "NoSuchEntity")

	_, err = c.CreateDelegationRequest(ctx, &iam.CreateDelegationRequestInput{Description: aws.String("again"), RequestorWorkflowId: aws.String("workflow-1"),
		NotificationChannel: aws.String("arn:aws:sns:us-east-1:210987654321:partner"), SessionDuration: aws.Int32(3600),
		Permissions: &iamtypes.DelegationPermission{PolicyTemplateArn: aws.String("arn:aws:iam::aws:policy/template/ReadOnly")}})
	wantAPIError(t, "duplicate workflow id", err, "EntityAlreadyExists")
	_, err = c.GetDelegationRequest(ctx, &iam.GetDelegationRequestInput{DelegationRequestId: aws.String("00000000-0000-0000-0000-000000000000")})
	wantAPIError(t, "unknown request", err, "NoSuchEntity")

	list, err := c.ListDelegationRequests(ctx, &iam.ListDelegationRequestsInput{})
	if err != nil || len(list.DelegationRequests) != 3 {
		t.Fatalf("ListDelegationRequests = %d, %v; want 3", len(list.DelegationRequests), err)
	}
	owned, err := c.ListDelegationRequests(ctx, &iam.ListDelegationRequestsInput{OwnerId: aws.String("arn:aws:iam::123456789012:root")})
	if err != nil || len(owned.DelegationRequests) != 2 {
		t.Fatalf("ListDelegationRequests by owner = %d, %v; want 2", len(owned.DelegationRequests), err)
	}

	sum, err := c.GetHumanReadableSummary(ctx, &iam.GetHumanReadableSummaryInput{EntityArn: aws.String("arn:aws:iam::123456789012:delegation-request/" + id)})
	if err != nil || sum.SummaryState != iamtypes.SummaryStateTypeAvailable || !strings.Contains(aws.ToString(sum.SummaryContent), "arn:aws:iam::aws:policy/template/ReadOnly") {
		t.Fatalf("GetHumanReadableSummary = %+v, %v", sum, err)
	}
	_, err = c.GetHumanReadableSummary(ctx, &iam.GetHumanReadableSummaryInput{EntityArn: aws.String("arn:aws:iam::123456789012:user/someone-here")})
	wantAPIError(t, "summary of a user", err, "InvalidInput")
}

func TestIAMRoleLastUsed(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	k := newMachineUser(t, c, "assumer")
	if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("assumer"), PolicyName: aws.String("assume"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	role, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("deployer"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/assumer"},"Action":"sts:AssumeRole"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("deployer")})
	if err != nil || got.Role.RoleLastUsed == nil || got.Role.RoleLastUsed.LastUsedDate != nil {
		t.Fatalf("GetRole before use: RoleLastUsed = %+v, %v; want empty", got.Role.RoleLastUsed, err)
	}
	userCfg := ts.awsConfig(t, aws.ToString(k.AccessKeyId), aws.ToString(k.SecretAccessKey))
	creds, err := sts.NewFromConfig(userCfg).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("ci")})
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
	sessCfg := sessionConfig(t, ts, creds.Credentials) // sts_test.go
	sessCfg.Region = "ap-southeast-2"
	if _, err := sts.NewFromConfig(sessCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("GetCallerIdentity as the role: %v", err)
	}
	got, err = c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("deployer")})
	if err != nil || got.Role.RoleLastUsed == nil || got.Role.RoleLastUsed.LastUsedDate == nil || aws.ToString(got.Role.RoleLastUsed.Region) != "ap-southeast-2" {
		t.Fatalf("GetRole after use: RoleLastUsed = %+v, %v; want a date in ap-southeast-2", got.Role.RoleLastUsed, err)
	}
}

// TestIAMUsageIsErasedByReset checks that uses recorded before a reset do not
// reappear after it: a user created again under the same name (same ARN) has
// no history.
func TestIAMUsageIsErasedByReset(t *testing.T) {
	ts := startServerWith(t, func(c *config.Config) { c.AllowReset = true })
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	k := newMachineUser(t, c, "bot")
	userCfg := ts.awsConfig(t, aws.ToString(k.AccessKeyId), aws.ToString(k.SecretAccessKey))
	if _, err := sts.NewFromConfig(userCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	if err := ts.Reset(ctx); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bot")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bot"), PolicyName: aws.String("sts"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:*","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	job, err := c.GenerateServiceLastAccessedDetails(ctx, &iam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String("arn:aws:iam::123456789012:user/bot")})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.GetServiceLastAccessedDetails(ctx, &iam.GetServiceLastAccessedDetailsInput{JobId: job.JobId})
	if err != nil || len(out.ServicesLastAccessed) != 1 {
		t.Fatalf("GetServiceLastAccessedDetails = %+v, %v", out, err)
	}
	if s := out.ServicesLastAccessed[0]; s.LastAuthenticated != nil {
		t.Fatalf("the new user bot has the old one's use of sts (%v) after a reset", s.LastAuthenticated)
	}
}

// TestIAMSimulatePrincipalPolicyWithSCPs: simulating a member account's user
// includes its account's SCPs (OrganizationsDecisionDetail), as the
// authorisation point applies them.
func TestIAMSimulatePrincipalPolicyWithSCPs(t *testing.T) {
	ctx := context.Background()
	acct, member := memberWithSCP(t, "sim", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}`)
	sim, err := member.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::" + acct + ":user/dev"),
		ActionNames: []string{"iam:CreateUser", "iam:ListUsers"}})
	if err != nil {
		t.Fatalf("SimulatePrincipalPolicy: %v", err)
	}
	want := []struct {
		decision iamtypes.PolicyEvaluationDecisionType
		byOrgs   bool
	}{{iamtypes.PolicyEvaluationDecisionTypeExplicitDeny, false}, {iamtypes.PolicyEvaluationDecisionTypeAllowed, true}}
	for i, r := range sim.EvaluationResults {
		if r.EvalDecision != want[i].decision || r.OrganizationsDecisionDetail == nil || r.OrganizationsDecisionDetail.AllowedByOrganizations != want[i].byOrgs {
			t.Errorf("%s = %s, organizations %+v; want %s, allowed by organizations %v", aws.ToString(r.EvalActionName), r.EvalDecision,
				r.OrganizationsDecisionDetail, want[i].decision, want[i].byOrgs)
		}
	}
	// The custom simulation has no account: no SCPs.
	custom, err := member.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{ActionNames: []string{"iam:CreateUser"},
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}})
	if err != nil || custom.EvaluationResults[0].EvalDecision != iamtypes.PolicyEvaluationDecisionTypeAllowed || custom.EvaluationResults[0].OrganizationsDecisionDetail != nil {
		t.Fatalf("SimulateCustomPolicy = %+v, %v", custom, err)
	}
}

// memberWithSCP creates a member account (CreateAccount), an IAM user dev with
// AdministratorAccess in it (through OrganizationAccountAccessRole), and an
// SCP with content attached to the account; it returns the account id and an
// IAM client of the member account's admin session.
func memberWithSCP(t *testing.T, name, scp string) (string, *iam.Client) {
	t.Helper()
	ctx := context.Background()
	ts, org := orgMembers(t)
	out, err := org.CreateAccount(ctx, &organizations.CreateAccountInput{Email: aws.String(name + "@example.com"), AccountName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	st, err := org.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: out.CreateAccountStatus.Id})
	if err != nil {
		t.Fatal(err)
	}
	acct := aws.ToString(st.CreateAccountStatus.AccountId)
	as, err := sts.NewFromConfig(ts.rootConfig(t)).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + acct + ":role/OrganizationAccountAccessRole"), RoleSessionName: aws.String("admin")})
	if err != nil {
		t.Fatal(err)
	}
	member := iam.NewFromConfig(sessionConfig(t, ts, as.Credentials))
	if _, err := member.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dev")}); err != nil {
		t.Fatal(err)
	}
	if _, err := member.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("dev"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}); err != nil {
		t.Fatal(err)
	}
	pol, err := org.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String(name + "-scp"), Description: aws.String("deny"),
		Type: "SERVICE_CONTROL_POLICY", Content: aws.String(scp)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := org.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: pol.Policy.PolicySummary.Id, TargetId: aws.String(acct)}); err != nil {
		t.Fatal(err)
	}
	return acct, member
}
