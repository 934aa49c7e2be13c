package app_test

import (
	"context"
	"io"
	"log/slog"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	istypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/store"
)

// checkMoreKinds checks, through the SDK, the kinds fullWorld declares
// beyond the first slices: alice's other attributes and external id, the
// account aliases, the password policy, the instance profile and the SAML
// and OIDC providers.
func checkMoreKinds(t *testing.T, ts *testServer) {
	t.Helper()
	ctx := context.Background()
	cfg := ts.rootConfig(t)

	ids := identitystore.NewFromConfig(cfg)
	storeID := aws.String(ts.World.Instance.IdentityStoreID)
	uid, err := ids.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: storeID,
		AlternateIdentifier: &istypes.AlternateIdentifierMemberExternalId{Value: istypes.ExternalId{
			Issuer: aws.String("https://idp.example.com/"), Id: aws.String("00u-alice")}}})
	if err != nil {
		t.Fatalf("GetUserId(alice's external id): %v", err)
	}
	u, err := ids.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: storeID, UserId: uid.UserId})
	if err != nil || aws.ToString(u.UserName) != "alice" || aws.ToString(u.NickName) != "Al" || aws.ToString(u.Title) != "Engineer" ||
		aws.ToString(u.UserType) != "Employee" || aws.ToString(u.PreferredLanguage) != "en-GB" || aws.ToString(u.Locale) != "en_GB" ||
		aws.ToString(u.Timezone) != "Europe/London" || aws.ToString(u.ProfileUrl) != "https://people.example.com/alice" {
		t.Fatalf("DescribeUser(alice) = %+v, %v", u, err)
	}
	if len(u.PhoneNumbers) != 1 || aws.ToString(u.PhoneNumbers[0].Value) != "+44 20 7946 0000" || !u.PhoneNumbers[0].Primary {
		t.Fatalf("alice's phone numbers = %+v", u.PhoneNumbers)
	}
	if len(u.Addresses) != 1 || aws.ToString(u.Addresses[0].Locality) != "London" || aws.ToString(u.Addresses[0].PostalCode) != "EC1A 1AA" {
		t.Fatalf("alice's addresses = %+v", u.Addresses)
	}
	if len(u.Photos) != 1 || aws.ToString(u.Photos[0].Value) != "https://people.example.com/alice.jpg" || !u.Photos[0].Primary ||
		len(u.Roles) != 1 || aws.ToString(u.Roles[0].Value) != "engineer" {
		t.Fatalf("alice's photos and roles = %+v %+v", u.Photos, u.Roles)
	}
	ent, err := ids.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: storeID, UserId: uid.UserId,
		Extensions: []string{"aws:identitystore:enterprise"}})
	if err != nil {
		t.Fatal(err)
	}
	var enterprise map[string]any
	if d, ok := ent.Extensions["aws:identitystore:enterprise"]; !ok || d.UnmarshalSmithyDocument(&enterprise) != nil ||
		enterprise["employeeNumber"] != "1001" || enterprise["department"] != "Platform" {
		t.Fatalf("alice's enterprise extension = %+v (%v)", ent.Extensions, enterprise)
	}
	gid, err := ids.GetGroupId(ctx, &identitystore.GetGroupIdInput{IdentityStoreId: storeID,
		AlternateIdentifier: &istypes.AlternateIdentifierMemberExternalId{Value: istypes.ExternalId{
			Issuer: aws.String("https://idp.example.com/"), Id: aws.String("00g-devs")}}})
	if err != nil {
		t.Fatalf("GetGroupId(devs' external id): %v", err)
	}
	if g, err := ids.DescribeGroup(ctx, &identitystore.DescribeGroupInput{IdentityStoreId: storeID, GroupId: gid.GroupId}); err != nil ||
		aws.ToString(g.DisplayName) != "devs" {
		t.Fatalf("DescribeGroup = %+v, %v", g, err)
	}
	bob, err := ids.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: storeID,
		AlternateIdentifier: &istypes.AlternateIdentifierMemberUniqueAttribute{Value: istypes.UniqueAttribute{
			AttributePath: aws.String("userName"), AttributeValue: document.NewLazyDocument("bob")}}})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := ids.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: storeID, UserId: bob.UserId}); err != nil ||
		b.NickName != nil || len(b.PhoneNumbers) != 0 || len(b.ExternalIds) != 0 {
		t.Fatalf("DescribeUser(bob) = %+v, %v", b, err)
	}

	ic := iam.NewFromConfig(cfg)
	la, err := ic.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{})
	if err != nil || strings.Join(la.AccountAliases, ",") != "h14-management" {
		t.Fatalf("ListAccountAliases = %+v, %v", la, err)
	}
	if err := ts.Store.View(ctx, func(tx store.Tx) error {
		a, err := tx.GetIAMAccountAlias(ctx, "111111111111")
		if err == nil && a != "h14-prod" {
			t.Errorf("prod's alias = %q", a)
		}
		return err
	}); err != nil {
		t.Fatalf("prod's alias: %v", err)
	}
	pp, err := ic.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	if err != nil {
		t.Fatal(err)
	}
	if p := pp.PasswordPolicy; aws.ToInt32(p.MinimumPasswordLength) != 14 || !p.RequireSymbols || !p.RequireNumbers || p.RequireUppercaseCharacters ||
		!p.AllowUsersToChangePassword || aws.ToInt32(p.MaxPasswordAge) != 90 || aws.ToInt32(p.PasswordReusePrevention) != 5 {
		t.Fatalf("password policy = %+v", p)
	}
	gip, err := ic.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("auditor-profile")})
	if err != nil || aws.ToString(gip.InstanceProfile.Path) != "/ec2/" || len(gip.InstanceProfile.Roles) != 1 ||
		aws.ToString(gip.InstanceProfile.Roles[0].RoleName) != "Auditor" {
		t.Fatalf("GetInstanceProfile = %+v, %v", gip, err)
	}
	samlARN := "arn:aws:iam::123456789012:saml-provider/CorpIdP"
	gsp, err := ic.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String(samlARN)})
	if err != nil || !strings.Contains(aws.ToString(gsp.SAMLMetadataDocument), `entityID="https://idp.example.com/"`) ||
		len(gsp.Tags) != 1 || aws.ToString(gsp.Tags[0].Value) != "corp" {
		t.Fatalf("GetSAMLProvider = %+v, %v", gsp, err)
	}
	gop, err := ic.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{
		OpenIDConnectProviderArn: aws.String("arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com")})
	if err != nil || strings.Join(gop.ClientIDList, ",") != "sts.amazonaws.com" ||
		strings.Join(gop.ThumbprintList, ",") != "6938fd4d98bab03faadb97b34396831e3780aea1" {
		t.Fatalf("GetOpenIDConnectProvider = %+v, %v", gop, err)
	}

	// Trusted services (those of the delegations enabled too) and the delegated administrator.
	oc := organizations.NewFromConfig(cfg)
	sa, err := oc.ListAWSServiceAccessForOrganization(ctx, &organizations.ListAWSServiceAccessForOrganizationInput{})
	if err != nil {
		t.Fatal(err)
	}
	var trusted []string
	for _, s := range sa.EnabledServicePrincipals {
		trusted = append(trusted, aws.ToString(s.ServicePrincipal))
	}
	sort.Strings(trusted)
	if strings.Join(trusted, ",") != "access-analyzer.amazonaws.com,config.amazonaws.com,sso.amazonaws.com" {
		t.Fatalf("trusted services = %v", trusted)
	}
	ds, err := oc.ListDelegatedServicesForAccount(ctx, &organizations.ListDelegatedServicesForAccountInput{AccountId: aws.String("111111111111")})
	if err != nil {
		t.Fatal(err)
	}
	var delegated []string
	for _, s := range ds.DelegatedServices {
		delegated = append(delegated, aws.ToString(s.ServicePrincipal))
	}
	sort.Strings(delegated)
	if strings.Join(delegated, ",") != "access-analyzer.amazonaws.com,sso.amazonaws.com" {
		t.Fatalf("prod's delegated services = %v", delegated)
	}

	// The trusted token issuer and the applications with their settings and assignments.
	sso := ssoadmin.NewFromConfig(cfg)
	inst := aws.String(ts.World.Instance.ARN)
	lti, err := sso.ListTrustedTokenIssuers(ctx, &ssoadmin.ListTrustedTokenIssuersInput{InstanceArn: inst})
	if err != nil || len(lti.TrustedTokenIssuers) != 1 || aws.ToString(lti.TrustedTokenIssuers[0].Name) != "corp-jwt" {
		t.Fatalf("ListTrustedTokenIssuers = %+v, %v", lti, err)
	}
	ttiARN := lti.TrustedTokenIssuers[0].TrustedTokenIssuerArn
	dti, err := sso.DescribeTrustedTokenIssuer(ctx, &ssoadmin.DescribeTrustedTokenIssuerInput{TrustedTokenIssuerArn: ttiARN})
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := dti.TrustedTokenIssuerConfiguration.(*ssotypes.TrustedTokenIssuerConfigurationMemberOidcJwtConfiguration); !ok ||
		aws.ToString(c.Value.IssuerUrl) != "https://issuer.example.com" || aws.ToString(c.Value.IdentityStoreAttributePath) != "emails.value" {
		t.Fatalf("DescribeTrustedTokenIssuer = %+v", dti.TrustedTokenIssuerConfiguration)
	}
	la2, err := sso.ListApplications(ctx, &ssoadmin.ListApplicationsInput{InstanceArn: inst})
	if err != nil {
		t.Fatal(err)
	}
	apps := map[string]ssotypes.Application{}
	for _, a := range la2.Applications {
		apps[aws.ToString(a.Name)] = a
	}
	wiki, sf := apps["wiki"], apps["salesforce"]
	if len(apps) != 2 || aws.ToString(wiki.Description) != "Team wiki" || aws.ToString(wiki.ApplicationProviderArn) != "arn:aws:sso::aws:applicationProvider/custom" ||
		aws.ToString(sf.ApplicationProviderArn) != "arn:aws:sso::aws:applicationProvider/catalog/Salesforce" {
		t.Fatalf("applications = %+v", la2.Applications)
	}
	laa, err := sso.ListApplicationAssignments(ctx, &ssoadmin.ListApplicationAssignmentsInput{ApplicationArn: wiki.ApplicationArn})
	if err != nil || len(laa.ApplicationAssignments) != 2 {
		t.Fatalf("wiki's assignments = %+v, %v", laa, err)
	}
	gg, err := sso.GetApplicationGrant(ctx, &ssoadmin.GetApplicationGrantInput{ApplicationArn: wiki.ApplicationArn,
		GrantType: ssotypes.GrantTypeJwtBearer})
	if err != nil {
		t.Fatal(err)
	}
	if jb, ok := gg.Grant.(*ssotypes.GrantMemberJwtBearer); !ok || len(jb.Value.AuthorizedTokenIssuers) != 1 ||
		aws.ToString(jb.Value.AuthorizedTokenIssuers[0].TrustedTokenIssuerArn) != aws.ToString(ttiARN) ||
		strings.Join(jb.Value.AuthorizedTokenIssuers[0].AuthorizedAudiences, ",") != "wiki" {
		t.Fatalf("wiki's jwt-bearer grant = %+v", gg.Grant)
	}
	lg, err := sso.ListApplicationGrants(ctx, &ssoadmin.ListApplicationGrantsInput{ApplicationArn: wiki.ApplicationArn})
	if err != nil || len(lg.Grants) != 3 {
		t.Fatalf("wiki's grants = %+v, %v", lg, err)
	}
	ls, err := sso.ListApplicationAccessScopes(ctx, &ssoadmin.ListApplicationAccessScopesInput{ApplicationArn: wiki.ApplicationArn})
	if err != nil || len(ls.Scopes) != 1 || aws.ToString(ls.Scopes[0].Scope) != "openid" {
		t.Fatalf("wiki's scopes = %+v, %v", ls, err)
	}
	am, err := sso.GetApplicationAuthenticationMethod(ctx, &ssoadmin.GetApplicationAuthenticationMethodInput{ApplicationArn: wiki.ApplicationArn,
		AuthenticationMethodType: ssotypes.AuthenticationMethodTypeIam})
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := am.AuthenticationMethod.(*ssotypes.AuthenticationMethodMemberIam); !ok || m.Value.ActorPolicy == nil {
		t.Fatalf("wiki's IAM authentication method = %+v", am.AuthenticationMethod)
	}
	ac, err := sso.GetApplicationAssignmentConfiguration(ctx, &ssoadmin.GetApplicationAssignmentConfigurationInput{ApplicationArn: sf.ApplicationArn})
	if err != nil || aws.ToBool(ac.AssignmentRequired) {
		t.Fatalf("salesforce's assignment configuration = %+v, %v", ac, err)
	}
}

// changeMoreKinds changes what checkMoreKinds checks (for Reset to undo).
func changeMoreKinds(t *testing.T, ts *testServer) {
	t.Helper()
	ctx := context.Background()
	ic := iam.NewFromConfig(ts.rootConfig(t))
	if _, err := ic.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String("h14-management")}); err != nil {
		t.Fatal(err)
	}
	if _, err := ic.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{}); err != nil {
		t.Fatal(err)
	}
	if _, err := ic.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{
		InstanceProfileName: aws.String("auditor-profile"), RoleName: aws.String("Auditor")}); err != nil {
		t.Fatal(err)
	}
	if _, err := ic.DeleteSAMLProvider(ctx, &iam.DeleteSAMLProviderInput{
		SAMLProviderArn: aws.String("arn:aws:iam::123456789012:saml-provider/CorpIdP")}); err != nil {
		t.Fatal(err)
	}
	if _, err := organizations.NewFromConfig(ts.rootConfig(t)).DeregisterDelegatedAdministrator(ctx, &organizations.DeregisterDelegatedAdministratorInput{
		AccountId: aws.String("111111111111"), ServicePrincipal: aws.String("sso.amazonaws.com")}); err != nil {
		t.Fatal(err)
	}
	sso := ssoadmin.NewFromConfig(ts.rootConfig(t))
	la, err := sso.ListApplications(ctx, &ssoadmin.ListApplicationsInput{InstanceArn: aws.String(ts.World.Instance.ARN)})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range la.Applications {
		if aws.ToString(a.Name) == "wiki" {
			if _, err := sso.DeleteApplication(ctx, &ssoadmin.DeleteApplicationInput{ApplicationArn: a.ApplicationArn}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// An external SAML identity source in a world file: applied, exported,
// re-applied on a fresh server, restored by a reset; bad metadata fails
// the apply with the file's line.
func TestWorldFileExternalIdentitySource(t *testing.T) {
	ctx := context.Background()
	t.Setenv("H14_IDP_METADATA", newTestIdP(t, "https://idp.example.com/h14").Metadata())
	const src = `users:
  - {userName: alice, givenName: Alice, familyName: Doe}
identitySource:
  type: EXTERNAL_SAML
  metadata: ${H14_IDP_METADATA}
  spBaseUrl: https://idc.example.com
  allowIdpInitiated: true
  userNameAttribute: email
`
	check := func(ts *testServer) {
		t.Helper()
		s, err := ts.Federation.Get(ctx)
		if err != nil || s.Type != store.IdentitySourceExternalSAML || s.IdPEntityID != "https://idp.example.com/h14" ||
			s.SPBaseURL != "https://idc.example.com" || !s.AllowIdPInitiated || s.UserNameAttribute != "email" {
			t.Fatalf("identity source = %+v, %v", s, err)
		}
	}
	dirA := t.TempDir()
	a := startServerWith(t, func(c *config.Config) { c.DataDir, c.World, c.AllowReset = dirA, writeFile(t, "world.yaml", src), true })
	check(a)
	exported := exportData(t, dirA)
	for _, want := range []string{"identitySource:", "type: EXTERNAL_SAML", "spBaseUrl: https://idc.example.com", "userNameAttribute: email", "https://idp.example.com/h14"} {
		if !strings.Contains(exported, want) {
			t.Fatalf("export lacks %q:\n%s", want, exported)
		}
	}
	dirB := t.TempDir()
	b := startServerWith(t, func(c *config.Config) { c.DataDir, c.World = dirB, writeFile(t, "exported.yaml", exported) })
	check(b)
	if got := exportData(t, dirB); got != exported {
		t.Fatalf("export of the re-applied world differs:\n--- first\n%s\n--- second\n%s", exported, got)
	}
	b.stop()

	if _, err := a.Federation.SetIdentityStore(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	check(a)
	a.stop()

	bad := strings.Replace(src, "${H14_IDP_METADATA}", "'<EntityDescriptor/>'", 1)
	cfg := config.FromEnv(func(string) string { return "" })
	cfg.DataDir, cfg.World = dirB, writeFile(t, "bad.yaml", bad)
	cfg.RootAccessKeyID, cfg.RootSecretAccessKey = testKeyID, testSecret
	s, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err == nil {
		s.Close()
		t.Fatal("Open with bad IdP metadata succeeded")
	}
	if !strings.Contains(err.Error(), "bad.yaml:5: identitySource.metadata: federation: invalid IdP metadata") {
		t.Fatalf("error = %v", err)
	}
	if got := exportData(t, dirB); got != exported {
		t.Fatalf("the failed apply changed the store:\n%s", got)
	}
}

// A restart with an edited file brings the newer kinds to the file's: user
// attributes, alias, password policy, an instance profile's role, an OIDC
// provider's client ids, a trusted token issuer's claim, an application's
// description and grant, a delegation.
func TestWorldFileUpdatesMoreKinds(t *testing.T) {
	const v1 = `organization:
  accounts:
    - {id: "111111111111", name: prod, email: prod@example.com}
  delegatedAdministrators:
    - {account: "111111111111", services: [sso.amazonaws.com]}
iam:
  accountAlias: h14-first
  passwordPolicy: {minimumPasswordLength: 10}
  roles:
    - {name: Web, trustPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'}
    - {name: Db, trustPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'}
  instanceProfiles:
    - {name: app, role: Web}
  oidcProviders:
    - {url: https://token.example.com, clientIds: [one]}
users:
  - userName: alice
    givenName: Alice
    familyName: Doe
    nickName: Al
    phoneNumbers: [{value: "+1 555 0100"}]
trustedTokenIssuers:
  - {name: corp, issuerUrl: https://issuer.example.com, claimAttributePath: email, identityStoreAttributePath: emails.value}
applications:
  - name: wiki
    description: First
    grants: [{type: authorization_code, redirectUris: [https://wiki.example.com/one]}]
`
	v2 := strings.NewReplacer("services: [sso.amazonaws.com]", "services: [sso.amazonaws.com, config.amazonaws.com]",
		"h14-first", "h14-second", "minimumPasswordLength: 10", "minimumPasswordLength: 12", "{name: app, role: Web}", "{name: app, role: Db}",
		"clientIds: [one]", "clientIds: [one, two]", "nickName: Al", "nickName: Ally", `"+1 555 0100"`, `"+1 555 0199"`,
		"claimAttributePath: email", "claimAttributePath: sub", "description: First", "description: Second",
		"wiki.example.com/one", "wiki.example.com/two").Replace(v1)
	dir := t.TempDir()
	startServerWith(t, func(c *config.Config) { c.DataDir, c.World = dir, writeFile(t, "world.yaml", v1) }).stop()
	first := exportData(t, dir)
	startServerWith(t, func(c *config.Config) { c.DataDir, c.World = dir, writeFile(t, "world.yaml", v2) }).stop()
	second := exportData(t, dir)
	for _, want := range []string{"- config.amazonaws.com", "accountAlias: h14-second", "minimumPasswordLength: 12", "role: Db", "- two",
		"nickName: Ally", "value: +1 555 0199", "claimAttributePath: sub", "description: Second", "https://wiki.example.com/two"} {
		if !strings.Contains(second, want) {
			t.Errorf("after the edit, the export lacks %q:\n%s", want, second)
		}
	}
	for _, gone := range []string{"h14-first", "role: Web", "nickName: Al\n", "0100", "claimAttributePath: email", "description: First", "wiki.example.com/one"} {
		if strings.Contains(first, gone) && strings.Contains(second, gone) {
			t.Errorf("after the edit, the export still has %q:\n%s", gone, second)
		}
	}
	// The edited file applied again changes nothing.
	startServerWith(t, func(c *config.Config) { c.DataDir, c.World = dir, writeFile(t, "world.yaml", v2) }).stop()
	if got := exportData(t, dir); got != second {
		t.Fatalf("a restart with the same file changed the store:\n--- before\n%s\n--- after\n%s", second, got)
	}
}
