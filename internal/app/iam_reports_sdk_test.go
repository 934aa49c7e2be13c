package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
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
		{"deployer", "cert_1_active", "false"},
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
	for _, col := range []string{"user_creation_time", "password_last_changed", "access_key_1_last_rotated", "access_key_1_last_used_date"} {
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
