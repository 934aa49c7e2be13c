package app_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/document"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
)

const customProvider = "arn:aws:sso::aws:applicationProvider/custom"

// unknownARNs are an application and a trusted token issuer of the instance's
// account that do not exist.
func unknownARNs(w *ssoWorld) (app, tti string) {
	acct, id := w.ts.World.Instance.OwnerAccountID, w.inst[len("arn:aws:sso:::instance/"):]
	return "arn:aws:sso::" + acct + ":application/" + id + "/apl-0000000000000000",
		"arn:aws:sso::" + acct + ":trustedTokenIssuer/" + id + "/tti-00000000-0000-0000-0000-000000000000"
}

// TestSSOAdminInstanceSettings covers UpdateInstance, the regions and the
// attribute-based access control configuration.
func TestSSOAdminInstanceSettings(t *testing.T) {
	ctx := context.Background()
	w := newSSOWorld(t, startServer(t))
	c, inst := w.sso, w.inst

	if _, err := c.UpdateInstance(ctx, &ssoadmin.UpdateInstanceInput{InstanceArn: &inst, Name: aws.String("corp")}); err != nil {
		t.Fatalf("UpdateInstance: %v", err)
	}
	d, err := c.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: &inst})
	if err != nil || aws.ToString(d.Name) != "corp" {
		t.Fatalf("DescribeInstance = %+v, %v", d, err)
	}

	regions, err := c.ListRegions(ctx, &ssoadmin.ListRegionsInput{InstanceArn: &inst})
	if err != nil || len(regions.Regions) != 1 || !regions.Regions[0].IsPrimaryRegion ||
		regions.Regions[0].Status != ssotypes.RegionStatusActive {
		t.Fatalf("ListRegions = %+v, %v", regions, err)
	}
	home := aws.ToString(regions.Regions[0].RegionName)
	if r, err := c.DescribeRegion(ctx, &ssoadmin.DescribeRegionInput{InstanceArn: &inst, RegionName: &home}); err != nil || !r.IsPrimaryRegion {
		t.Fatalf("DescribeRegion = %+v, %v", r, err)
	}
	other := "eu-west-1"
	if home == other {
		other = "us-west-2"
	}
	cfg := func(keys ...string) *ssotypes.InstanceAccessControlAttributeConfiguration {
		c := &ssotypes.InstanceAccessControlAttributeConfiguration{}
		for _, k := range keys {
			c.AccessControlAttributes = append(c.AccessControlAttributes, ssotypes.AccessControlAttribute{Key: aws.String(k),
				Value: &ssotypes.AccessControlAttributeValue{Source: []string{"${path:enterprise.department}"}}})
		}
		return c
	}
	errCases := []struct {
		name string
		call func() error
		code string
	}{
		{"DescribeRegion other", func() error {
			_, err := c.DescribeRegion(ctx, &ssoadmin.DescribeRegionInput{InstanceArn: &inst, RegionName: &other})
			return err
		}, "ResourceNotFoundException"},
		{"AddRegion home", func() error {
			_, err := c.AddRegion(ctx, &ssoadmin.AddRegionInput{InstanceArn: &inst, RegionName: &home})
			return err
		}, "ConflictException"},
		{"AddRegion other (AWS owned key)", func() error {
			_, err := c.AddRegion(ctx, &ssoadmin.AddRegionInput{InstanceArn: &inst, RegionName: &other})
			return err
		}, "ValidationException"},
		{"RemoveRegion primary", func() error {
			_, err := c.RemoveRegion(ctx, &ssoadmin.RemoveRegionInput{InstanceArn: &inst, RegionName: &home})
			return err
		}, "ValidationException"},
		{"UpdateInstance customer managed key", func() error {
			_, err := c.UpdateInstance(ctx, &ssoadmin.UpdateInstanceInput{InstanceArn: &inst, EncryptionConfiguration: &ssotypes.EncryptionConfiguration{
				KeyType: ssotypes.KmsKeyTypeCustomerManagedKey, KmsKeyArn: aws.String("arn:aws:kms:us-east-1:123456789012:key/k")}})
			return err
		}, "ValidationException"},
		{"Describe ACA before create", func() error {
			_, err := c.DescribeInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.DescribeInstanceAccessControlAttributeConfigurationInput{InstanceArn: &inst})
			return err
		}, "ResourceNotFoundException"},
		{"Update ACA before create", func() error {
			_, err := c.UpdateInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.UpdateInstanceAccessControlAttributeConfigurationInput{
				InstanceArn: &inst, InstanceAccessControlAttributeConfiguration: cfg("team")})
			return err
		}, "ResourceNotFoundException"},
		{"Create ACA duplicate keys", func() error {
			_, err := c.CreateInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.CreateInstanceAccessControlAttributeConfigurationInput{
				InstanceArn: &inst, InstanceAccessControlAttributeConfiguration: cfg("team", "team")})
			return err
		}, "ValidationException"},
		{"Create ACA unknown instance", func() error {
			_, err := c.CreateInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.CreateInstanceAccessControlAttributeConfigurationInput{
				InstanceArn: aws.String("arn:aws:sso:::instance/ssoins-0000000000000000"), InstanceAccessControlAttributeConfiguration: cfg("team")})
			return err
		}, "ResourceNotFoundException"},
	}
	for _, tc := range errCases {
		wantCode(t, tc.name, tc.call(), tc.code)
	}

	if _, err := c.CreateInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.CreateInstanceAccessControlAttributeConfigurationInput{
		InstanceArn: &inst, InstanceAccessControlAttributeConfiguration: cfg("team")}); err != nil {
		t.Fatalf("CreateInstanceAccessControlAttributeConfiguration: %v", err)
	}
	_, err = c.CreateInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.CreateInstanceAccessControlAttributeConfigurationInput{
		InstanceArn: &inst, InstanceAccessControlAttributeConfiguration: cfg("team")})
	wantCode(t, "second Create ACA", err, "ConflictException")
	if _, err := c.UpdateInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.UpdateInstanceAccessControlAttributeConfigurationInput{
		InstanceArn: &inst, InstanceAccessControlAttributeConfiguration: cfg("team", "cost")}); err != nil {
		t.Fatalf("UpdateInstanceAccessControlAttributeConfiguration: %v", err)
	}
	t.Run("DescribeACA", func(t *testing.T) {
		aca, err := c.DescribeInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.DescribeInstanceAccessControlAttributeConfigurationInput{InstanceArn: &inst})
		if err != nil || aca.Status != ssotypes.InstanceAccessControlAttributeConfigurationStatusEnabled ||
			len(aca.InstanceAccessControlAttributeConfiguration.AccessControlAttributes) != 2 ||
			aws.ToString(aca.InstanceAccessControlAttributeConfiguration.AccessControlAttributes[1].Key) != "cost" {
			t.Fatalf("DescribeInstanceAccessControlAttributeConfiguration = %+v, %v", aca, err)
		}
	})
	if _, err := c.DeleteInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.DeleteInstanceAccessControlAttributeConfigurationInput{InstanceArn: &inst}); err != nil {
		t.Fatalf("DeleteInstanceAccessControlAttributeConfiguration: %v", err)
	}
	_, err = c.DeleteInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.DeleteInstanceAccessControlAttributeConfigurationInput{InstanceArn: &inst})
	wantCode(t, "second Delete ACA", err, "ResourceNotFoundException")
}

// TestSSOAdminApplications covers providers, applications, their tags and
// assignments.
func TestSSOAdminApplications(t *testing.T) {
	ctx := context.Background()
	w := newSSOWorld(t, startServer(t))
	c, inst := w.sso, w.inst
	unknownApp, _ := unknownARNs(w)

	providers, err := c.ListApplicationProviders(ctx, &ssoadmin.ListApplicationProvidersInput{MaxResults: aws.Int32(2)})
	if err != nil || len(providers.ApplicationProviders) != 2 || providers.NextToken == nil {
		t.Fatalf("ListApplicationProviders = %+v, %v", providers, err)
	}
	p, err := c.DescribeApplicationProvider(ctx, &ssoadmin.DescribeApplicationProviderInput{ApplicationProviderArn: aws.String(customProvider)})
	if err != nil || p.FederationProtocol != ssotypes.FederationProtocolOauth {
		t.Fatalf("DescribeApplicationProvider = %+v, %v", p, err)
	}
	_, err = c.DescribeApplicationProvider(ctx, &ssoadmin.DescribeApplicationProviderInput{ApplicationProviderArn: aws.String("arn:aws:sso::aws:applicationProvider/nope")})
	wantCode(t, "DescribeApplicationProvider unknown", err, "ResourceNotFoundException")

	created, err := c.CreateApplication(ctx, &ssoadmin.CreateApplicationInput{InstanceArn: &inst, ApplicationProviderArn: aws.String(customProvider),
		Name: aws.String("grafana"), Description: aws.String("dashboards"),
		PortalOptions: &ssotypes.PortalOptions{Visibility: ssotypes.ApplicationVisibilityEnabled,
			SignInOptions: &ssotypes.SignInOptions{Origin: ssotypes.SignInOriginApplication, ApplicationUrl: aws.String("https://grafana.example.com/")}},
		Tags: []ssotypes.Tag{{Key: aws.String("team"), Value: aws.String("obs")}}})
	if err != nil {
		t.Fatalf("CreateApplication: %v", err)
	}
	app := aws.ToString(created.ApplicationArn)
	instID := inst[len("arn:aws:sso:::instance/"):]
	if !regexp.MustCompile(`^arn:aws:sso::\d{12}:application/`+instID+`/apl-[0-9a-f]{16}$`).MatchString(app) ||
		aws.ToString(created.IdentityStoreArn) == "" {
		t.Fatalf("CreateApplication = %+v", created)
	}
	d, err := c.DescribeApplication(ctx, &ssoadmin.DescribeApplicationInput{ApplicationArn: &app})
	if err != nil || aws.ToString(d.Name) != "grafana" || d.Status != ssotypes.ApplicationStatusEnabled ||
		d.PortalOptions == nil || aws.ToString(d.PortalOptions.SignInOptions.ApplicationUrl) != "https://grafana.example.com/" {
		t.Fatalf("DescribeApplication = %+v, %v", d, err)
	}
	if _, err := c.UpdateApplication(ctx, &ssoadmin.UpdateApplicationInput{ApplicationArn: &app, Name: aws.String("grafana-prod"),
		Status: ssotypes.ApplicationStatusDisabled}); err != nil {
		t.Fatalf("UpdateApplication: %v", err)
	}
	list, err := c.ListApplications(ctx, &ssoadmin.ListApplicationsInput{InstanceArn: &inst,
		Filter: &ssotypes.ListApplicationsFilter{ApplicationProvider: aws.String(customProvider)}})
	if err != nil || len(list.Applications) != 1 || aws.ToString(list.Applications[0].Name) != "grafana-prod" ||
		list.Applications[0].Status != ssotypes.ApplicationStatusDisabled {
		t.Fatalf("ListApplications = %+v, %v", list, err)
	}
	tags, err := c.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{ResourceArn: &app})
	if err != nil || len(tags.Tags) != 1 {
		t.Fatalf("ListTagsForResource(app) = %+v, %v", tags, err)
	}

	group := w.devOpsGroup(t)
	assignment := func(pt ssotypes.PrincipalType, id string) (*ssoadmin.CreateApplicationAssignmentInput, *ssoadmin.DescribeApplicationAssignmentInput) {
		return &ssoadmin.CreateApplicationAssignmentInput{ApplicationArn: &app, PrincipalType: pt, PrincipalId: &id},
			&ssoadmin.DescribeApplicationAssignmentInput{ApplicationArn: &app, PrincipalType: pt, PrincipalId: &id}
	}
	in, desc := assignment(ssotypes.PrincipalTypeGroup, group)
	if _, err := c.CreateApplicationAssignment(ctx, in); err != nil {
		t.Fatalf("CreateApplicationAssignment: %v", err)
	}
	if _, err := c.DescribeApplicationAssignment(ctx, desc); err != nil {
		t.Fatalf("DescribeApplicationAssignment: %v", err)
	}
	as, err := c.ListApplicationAssignments(ctx, &ssoadmin.ListApplicationAssignmentsInput{ApplicationArn: &app})
	if err != nil || len(as.ApplicationAssignments) != 1 || aws.ToString(as.ApplicationAssignments[0].PrincipalId) != group {
		t.Fatalf("ListApplicationAssignments = %+v, %v", as, err)
	}
	fp, err := c.ListApplicationAssignmentsForPrincipal(ctx, &ssoadmin.ListApplicationAssignmentsForPrincipalInput{InstanceArn: &inst,
		PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: &group})
	if err != nil || len(fp.ApplicationAssignments) != 1 || aws.ToString(fp.ApplicationAssignments[0].ApplicationArn) != app {
		t.Fatalf("ListApplicationAssignmentsForPrincipal = %+v, %v", fp, err)
	}
	if _, err := c.PutApplicationAssignmentConfiguration(ctx, &ssoadmin.PutApplicationAssignmentConfigurationInput{ApplicationArn: &app,
		AssignmentRequired: aws.Bool(false)}); err != nil {
		t.Fatalf("PutApplicationAssignmentConfiguration: %v", err)
	}
	if cfg, err := c.GetApplicationAssignmentConfiguration(ctx, &ssoadmin.GetApplicationAssignmentConfigurationInput{ApplicationArn: &app}); err != nil || aws.ToBool(cfg.AssignmentRequired) {
		t.Fatalf("GetApplicationAssignmentConfiguration = %+v, %v", cfg, err)
	}

	missingUser, _ := assignment(ssotypes.PrincipalTypeUser, "00000000-0000-0000-0000-000000000000")
	unknownAppIn := &ssoadmin.CreateApplicationAssignmentInput{ApplicationArn: aws.String(unknownApp), PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: &group}
	errCases := []struct {
		name string
		call func() error
		code string
	}{
		{"duplicate assignment", func() error { _, err := c.CreateApplicationAssignment(ctx, in); return err }, "ConflictException"},
		{"unknown principal", func() error { _, err := c.CreateApplicationAssignment(ctx, missingUser); return err }, "ResourceNotFoundException"},
		{"unknown application", func() error { _, err := c.CreateApplicationAssignment(ctx, unknownAppIn); return err }, "ResourceNotFoundException"},
		{"unknown provider", func() error {
			_, err := c.CreateApplication(ctx, &ssoadmin.CreateApplicationInput{InstanceArn: &inst, Name: aws.String("x"),
				ApplicationProviderArn: aws.String("arn:aws:sso::aws:applicationProvider/nope")})
			return err
		}, "ResourceNotFoundException"},
		{"APPLICATION origin without URL", func() error {
			_, err := c.CreateApplication(ctx, &ssoadmin.CreateApplicationInput{InstanceArn: &inst, Name: aws.String("x"),
				ApplicationProviderArn: aws.String(customProvider),
				PortalOptions:          &ssotypes.PortalOptions{SignInOptions: &ssotypes.SignInOptions{Origin: ssotypes.SignInOriginApplication}}})
			return err
		}, "ValidationException"},
		{"malformed application ARN", func() error {
			_, err := c.DescribeApplication(ctx, &ssoadmin.DescribeApplicationInput{ApplicationArn: aws.String("arn:aws:sso::1:application/x")})
			return err
		}, "ValidationException"},
		{"describe unknown application", func() error {
			_, err := c.DescribeApplication(ctx, &ssoadmin.DescribeApplicationInput{ApplicationArn: aws.String(unknownApp)})
			return err
		}, "ResourceNotFoundException"},
	}
	for _, tc := range errCases {
		wantCode(t, tc.name, tc.call(), tc.code)
	}

	if _, err := c.DeleteApplicationAssignment(ctx, &ssoadmin.DeleteApplicationAssignmentInput{ApplicationArn: &app,
		PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: &group}); err != nil {
		t.Fatalf("DeleteApplicationAssignment: %v", err)
	}
	_, err = c.DescribeApplicationAssignment(ctx, desc)
	wantCode(t, "DescribeApplicationAssignment after delete", err, "ResourceNotFoundException")
	if _, err := c.DeleteApplication(ctx, &ssoadmin.DeleteApplicationInput{ApplicationArn: &app}); err != nil {
		t.Fatalf("DeleteApplication: %v", err)
	}
	_, err = c.DeleteApplication(ctx, &ssoadmin.DeleteApplicationInput{ApplicationArn: &app})
	wantCode(t, "second DeleteApplication", err, "ResourceNotFoundException")
	_, err = c.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{ResourceArn: &app})
	wantCode(t, "tags of a deleted application", err, "ResourceNotFoundException")
}

// TestSSOAdminApplicationSettings covers scopes, grants, authentication
// methods and the session configuration, and trusted token issuers.
func TestSSOAdminApplicationSettings(t *testing.T) {
	ctx := context.Background()
	w := newSSOWorld(t, startServer(t))
	c, inst := w.sso, w.inst
	unknownApp, unknownTTI := unknownARNs(w)
	created, err := c.CreateApplication(ctx, &ssoadmin.CreateApplicationInput{InstanceArn: &inst, ApplicationProviderArn: aws.String(customProvider),
		Name: aws.String("api")})
	if err != nil {
		t.Fatalf("CreateApplication: %v", err)
	}
	app := aws.ToString(created.ApplicationArn)

	// Trusted token issuers.
	oidc := &ssotypes.OidcJwtConfiguration{IssuerUrl: aws.String("https://idp.example.com"), ClaimAttributePath: aws.String("email"),
		IdentityStoreAttributePath: aws.String("emails.value"), JwksRetrievalOption: ssotypes.JwksRetrievalOptionOpenIdDiscovery}
	createTTI := func(name string) (*ssoadmin.CreateTrustedTokenIssuerOutput, error) {
		return c.CreateTrustedTokenIssuer(ctx, &ssoadmin.CreateTrustedTokenIssuerInput{InstanceArn: &inst, Name: aws.String(name),
			TrustedTokenIssuerType:          ssotypes.TrustedTokenIssuerTypeOidcJwt,
			TrustedTokenIssuerConfiguration: &ssotypes.TrustedTokenIssuerConfigurationMemberOidcJwtConfiguration{Value: *oidc}})
	}
	tti, err := createTTI("okta")
	if err != nil {
		t.Fatalf("CreateTrustedTokenIssuer: %v", err)
	}
	ttiARN := aws.ToString(tti.TrustedTokenIssuerArn)
	if !regexp.MustCompile(`^arn:aws:sso::\d{12}:trustedTokenIssuer/ssoins-[0-9a-f]{16}/tti-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$`).MatchString(ttiARN) {
		t.Fatalf("trusted token issuer ARN %q", ttiARN)
	}
	_, err = createTTI("OKTA")
	wantCode(t, "duplicate issuer name", err, "ConflictException")
	if _, err := c.UpdateTrustedTokenIssuer(ctx, &ssoadmin.UpdateTrustedTokenIssuerInput{TrustedTokenIssuerArn: &ttiARN, Name: aws.String("okta-prod"),
		TrustedTokenIssuerConfiguration: &ssotypes.TrustedTokenIssuerUpdateConfigurationMemberOidcJwtConfiguration{
			Value: ssotypes.OidcJwtUpdateConfiguration{ClaimAttributePath: aws.String("sub")}}}); err != nil {
		t.Fatalf("UpdateTrustedTokenIssuer: %v", err)
	}
	dt, err := c.DescribeTrustedTokenIssuer(ctx, &ssoadmin.DescribeTrustedTokenIssuerInput{TrustedTokenIssuerArn: &ttiARN})
	if err != nil || aws.ToString(dt.Name) != "okta-prod" {
		t.Fatalf("DescribeTrustedTokenIssuer = %+v, %v", dt, err)
	}
	if m, ok := dt.TrustedTokenIssuerConfiguration.(*ssotypes.TrustedTokenIssuerConfigurationMemberOidcJwtConfiguration); !ok ||
		aws.ToString(m.Value.ClaimAttributePath) != "sub" || aws.ToString(m.Value.IssuerUrl) != "https://idp.example.com" {
		t.Fatalf("issuer configuration = %#v", dt.TrustedTokenIssuerConfiguration)
	}
	lt, err := c.ListTrustedTokenIssuers(ctx, &ssoadmin.ListTrustedTokenIssuersInput{InstanceArn: &inst})
	if err != nil || len(lt.TrustedTokenIssuers) != 1 {
		t.Fatalf("ListTrustedTokenIssuers = %+v, %v", lt, err)
	}
	_, err = c.DescribeTrustedTokenIssuer(ctx, &ssoadmin.DescribeTrustedTokenIssuerInput{TrustedTokenIssuerArn: aws.String(unknownTTI)})
	wantCode(t, "unknown issuer", err, "ResourceNotFoundException")

	// Scopes.
	if _, err := c.PutApplicationAccessScope(ctx, &ssoadmin.PutApplicationAccessScopeInput{ApplicationArn: &app, Scope: aws.String("openid"),
		AuthorizedTargets: []string{app}}); err != nil {
		t.Fatalf("PutApplicationAccessScope: %v", err)
	}
	if sc, err := c.GetApplicationAccessScope(ctx, &ssoadmin.GetApplicationAccessScopeInput{ApplicationArn: &app, Scope: aws.String("openid")}); err != nil ||
		len(sc.AuthorizedTargets) != 1 {
		t.Fatalf("GetApplicationAccessScope = %+v, %v", sc, err)
	}
	if ls, err := c.ListApplicationAccessScopes(ctx, &ssoadmin.ListApplicationAccessScopesInput{ApplicationArn: &app}); err != nil || len(ls.Scopes) != 1 {
		t.Fatalf("ListApplicationAccessScopes = %+v, %v", ls, err)
	}

	// Grants.
	jwt := &ssotypes.GrantMemberJwtBearer{Value: ssotypes.JwtBearerGrant{AuthorizedTokenIssuers: []ssotypes.AuthorizedTokenIssuer{
		{TrustedTokenIssuerArn: &ttiARN, AuthorizedAudiences: []string{"api"}}}}}
	if _, err := c.PutApplicationGrant(ctx, &ssoadmin.PutApplicationGrantInput{ApplicationArn: &app, GrantType: ssotypes.GrantTypeJwtBearer, Grant: jwt}); err != nil {
		t.Fatalf("PutApplicationGrant(jwt-bearer): %v", err)
	}
	if _, err := c.PutApplicationGrant(ctx, &ssoadmin.PutApplicationGrantInput{ApplicationArn: &app, GrantType: ssotypes.GrantTypeRefreshToken,
		Grant: &ssotypes.GrantMemberRefreshToken{}}); err != nil {
		t.Fatalf("PutApplicationGrant(refresh_token): %v", err)
	}
	g, err := c.GetApplicationGrant(ctx, &ssoadmin.GetApplicationGrantInput{ApplicationArn: &app, GrantType: ssotypes.GrantTypeJwtBearer})
	if m, ok := g.Grant.(*ssotypes.GrantMemberJwtBearer); err != nil || !ok || aws.ToString(m.Value.AuthorizedTokenIssuers[0].TrustedTokenIssuerArn) != ttiARN {
		t.Fatalf("GetApplicationGrant = %#v, %v", g, err)
	}
	if lg, err := c.ListApplicationGrants(ctx, &ssoadmin.ListApplicationGrantsInput{ApplicationArn: &app}); err != nil || len(lg.Grants) != 2 {
		t.Fatalf("ListApplicationGrants = %+v, %v", lg, err)
	}

	// Authentication methods and session configuration.
	policy := document.NewLazyDocument(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sso-oauth:CreateTokenWithIAM", "Resource": "*"}}})
	if _, err := c.PutApplicationAuthenticationMethod(ctx, &ssoadmin.PutApplicationAuthenticationMethodInput{ApplicationArn: &app,
		AuthenticationMethodType: ssotypes.AuthenticationMethodTypeIam,
		AuthenticationMethod:     &ssotypes.AuthenticationMethodMemberIam{Value: ssotypes.IamAuthenticationMethod{ActorPolicy: policy}}}); err != nil {
		t.Fatalf("PutApplicationAuthenticationMethod: %v", err)
	}
	if am, err := c.GetApplicationAuthenticationMethod(ctx, &ssoadmin.GetApplicationAuthenticationMethodInput{ApplicationArn: &app,
		AuthenticationMethodType: ssotypes.AuthenticationMethodTypeIam}); err != nil || am.AuthenticationMethod == nil {
		t.Fatalf("GetApplicationAuthenticationMethod = %+v, %v", am, err)
	}
	if lm, err := c.ListApplicationAuthenticationMethods(ctx, &ssoadmin.ListApplicationAuthenticationMethodsInput{ApplicationArn: &app}); err != nil ||
		len(lm.AuthenticationMethods) != 1 {
		t.Fatalf("ListApplicationAuthenticationMethods = %+v, %v", lm, err)
	}
	if s, err := c.GetApplicationSessionConfiguration(ctx, &ssoadmin.GetApplicationSessionConfigurationInput{ApplicationArn: &app}); err != nil ||
		s.UserBackgroundSessionApplicationStatus != ssotypes.UserBackgroundSessionApplicationStatusDisabled {
		t.Fatalf("GetApplicationSessionConfiguration (default) = %+v, %v", s, err)
	}
	if _, err := c.PutApplicationSessionConfiguration(ctx, &ssoadmin.PutApplicationSessionConfigurationInput{ApplicationArn: &app,
		UserBackgroundSessionApplicationStatus: ssotypes.UserBackgroundSessionApplicationStatusEnabled}); err != nil {
		t.Fatalf("PutApplicationSessionConfiguration: %v", err)
	}
	if s, err := c.GetApplicationSessionConfiguration(ctx, &ssoadmin.GetApplicationSessionConfigurationInput{ApplicationArn: &app}); err != nil ||
		s.UserBackgroundSessionApplicationStatus != ssotypes.UserBackgroundSessionApplicationStatusEnabled {
		t.Fatalf("GetApplicationSessionConfiguration = %+v, %v", s, err)
	}

	errCases := []struct {
		name string
		call func() error
		code string
	}{
		{"grant member mismatch", func() error {
			_, err := c.PutApplicationGrant(ctx, &ssoadmin.PutApplicationGrantInput{ApplicationArn: &app, GrantType: ssotypes.GrantTypeAuthorizationCode, Grant: jwt})
			return err
		}, "ValidationException"},
		{"grant with unknown issuer", func() error {
			_, err := c.PutApplicationGrant(ctx, &ssoadmin.PutApplicationGrantInput{ApplicationArn: &app, GrantType: ssotypes.GrantTypeJwtBearer,
				Grant: &ssotypes.GrantMemberJwtBearer{Value: ssotypes.JwtBearerGrant{AuthorizedTokenIssuers: []ssotypes.AuthorizedTokenIssuer{
					{TrustedTokenIssuerArn: aws.String(unknownTTI), AuthorizedAudiences: []string{"api"}}}}}})
			return err
		}, "ResourceNotFoundException"},
		{"absent grant", func() error {
			_, err := c.GetApplicationGrant(ctx, &ssoadmin.GetApplicationGrantInput{ApplicationArn: &app, GrantType: ssotypes.GrantTypeTokenExchange})
			return err
		}, "ResourceNotFoundException"},
		{"absent scope", func() error {
			_, err := c.DeleteApplicationAccessScope(ctx, &ssoadmin.DeleteApplicationAccessScopeInput{ApplicationArn: &app, Scope: aws.String("nope")})
			return err
		}, "ResourceNotFoundException"},
		{"scope of unknown application", func() error {
			_, err := c.ListApplicationAccessScopes(ctx, &ssoadmin.ListApplicationAccessScopesInput{ApplicationArn: aws.String(unknownApp)})
			return err
		}, "ResourceNotFoundException"},
		{"issuer still trusted by a grant", func() error {
			_, err := c.DeleteTrustedTokenIssuer(ctx, &ssoadmin.DeleteTrustedTokenIssuerInput{TrustedTokenIssuerArn: &ttiARN})
			return err
		}, "ConflictException"},
		{"issuer with http URL", func() error {
			_, err := c.CreateTrustedTokenIssuer(ctx, &ssoadmin.CreateTrustedTokenIssuerInput{InstanceArn: &inst, Name: aws.String("plain"),
				TrustedTokenIssuerType: ssotypes.TrustedTokenIssuerTypeOidcJwt,
				TrustedTokenIssuerConfiguration: &ssotypes.TrustedTokenIssuerConfigurationMemberOidcJwtConfiguration{Value: ssotypes.OidcJwtConfiguration{
					IssuerUrl: aws.String("http://idp.example.com"), ClaimAttributePath: aws.String("email"),
					IdentityStoreAttributePath: aws.String("emails.value"), JwksRetrievalOption: ssotypes.JwksRetrievalOptionOpenIdDiscovery}}})
			return err
		}, "ValidationException"},
	}
	for _, tc := range errCases {
		wantCode(t, tc.name, tc.call(), tc.code)
	}

	// Removing the grant frees the issuer; deletes answer NotFound the second time.
	deletes := []struct {
		name string
		call func() error
	}{
		{"DeleteApplicationGrant", func() error {
			_, err := c.DeleteApplicationGrant(ctx, &ssoadmin.DeleteApplicationGrantInput{ApplicationArn: &app, GrantType: ssotypes.GrantTypeJwtBearer})
			return err
		}},
		{"DeleteApplicationAccessScope", func() error {
			_, err := c.DeleteApplicationAccessScope(ctx, &ssoadmin.DeleteApplicationAccessScopeInput{ApplicationArn: &app, Scope: aws.String("openid")})
			return err
		}},
		{"DeleteApplicationAuthenticationMethod", func() error {
			_, err := c.DeleteApplicationAuthenticationMethod(ctx, &ssoadmin.DeleteApplicationAuthenticationMethodInput{ApplicationArn: &app,
				AuthenticationMethodType: ssotypes.AuthenticationMethodTypeIam})
			return err
		}},
		{"DeleteTrustedTokenIssuer", func() error {
			_, err := c.DeleteTrustedTokenIssuer(ctx, &ssoadmin.DeleteTrustedTokenIssuerInput{TrustedTokenIssuerArn: &ttiARN})
			return err
		}},
	}
	for _, d := range deletes {
		if err := d.call(); err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
		wantCode(t, "second "+d.name, d.call(), "ResourceNotFoundException")
	}
}
