package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	istypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/pquerna/otp/totp"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/core/signin"
	"github.com/idcenter/idcenter/internal/store"
)

// fullWorld has every kind of entity the world file knows.
const fullWorld = `organization:
  id: o-h8world001
  organizationalUnits:
    - name: Workloads
      organizationalUnits:
        - name: Prod
    - name: Sandbox
  accounts:
    - id: "111111111111"
      name: prod
      email: prod@example.com
      parent: Workloads/Prod
      iam:
        accountAlias: h14-prod
        roles:
          - name: Deployer
            trustPolicy:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Principal: {AWS: "arn:aws:iam::123456789012:root"}
                  Action: sts:AssumeRole
            managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]
    - id: "222222222222"
      name: sandbox
      email: sandbox@example.com
      parent: Sandbox
  policies:
    - name: DenyLeave
      description: No leaving
      content:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            Action: organizations:LeaveOrganization
            Resource: "*"
      targets: [Workloads, "222222222222"]
  trustedServices: [config.amazonaws.com, sso.amazonaws.com]
  delegatedAdministrators:
    - account: "111111111111"
      services: [access-analyzer.amazonaws.com, sso.amazonaws.com]
iam:
  accountAlias: h14-management
  passwordPolicy:
    minimumPasswordLength: 14
    requireSymbols: true
    requireNumbers: true
    allowUsersToChangePassword: true
    maxPasswordAge: 90
    passwordReusePrevention: 5
  policies:
    - name: ReadBuckets
      path: /team/
      description: Read the buckets
      document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'
  groups:
    - name: developers
      managedPolicies: [ReadBuckets]
      inlinePolicies:
        ListAll: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}'
  users:
    - name: ci
      path: /bots/
      tags: {team: platform}
      managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]
      inlinePolicies:
        AssumeDeployer:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: sts:AssumeRole
              Resource: arn:aws:iam::111111111111:role/Deployer
      groups: [developers]
      accessKeys:
        - id: AKIAH8WORLDCI0000001
          secret: ${H8_CI_SECRET}
      password: ${H8_CI_PASSWORD}
  roles:
    - name: Auditor
      description: Reads everything
      maxSessionDuration: 7200
      tags: {purpose: audit}
      trustPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}'
      managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]
      inlinePolicies:
        NoDelete: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}'
  instanceProfiles:
    - name: auditor-profile
      path: /ec2/
      role: Auditor
      tags: {tier: audit}
  samlProviders:
    - name: CorpIdP
      metadata: ${H14_SAML_METADATA}
      tags: {idp: corp}
  oidcProviders:
    - url: https://token.actions.githubusercontent.com
      clientIds: [sts.amazonaws.com]
      thumbprints: [6938fd4d98bab03faadb97b34396831e3780aea1]
users:
  - userName: alice
    displayName: Alice Doe
    givenName: Alice
    familyName: Doe
    email: alice@example.com
    password: ${H8_ALICE_PASSWORD}
    totpSecret: ${H8_ALICE_TOTP}
    nickName: Al
    title: Engineer
    userType: Employee
    preferredLanguage: en-GB
    locale: en_GB
    timezone: Europe/London
    profileUrl: https://people.example.com/alice
    phoneNumbers:
      - {value: "+44 20 7946 0000", type: work, primary: true}
    addresses:
      - {streetAddress: 1 Main St, locality: London, postalCode: EC1A 1AA, country: GB, type: work, primary: true}
    externalIds:
      - {issuer: https://idp.example.com/, id: "00u-alice"}
    photos:
      - {value: https://people.example.com/alice.jpg, type: photo, primary: true}
    roles:
      - {value: engineer, type: work}
    extensions:
      aws:identitystore:enterprise: {employeeNumber: "1001", department: Platform}
  - userName: bob
    givenName: Bob
    familyName: Roe
groups:
  - displayName: admins
    description: Administrators
    members: [alice]
  - displayName: devs
    members: [alice, bob]
    externalIds: [{issuer: https://idp.example.com/, id: "00g-devs"}]
permissionSets:
  - name: Admin
    description: Full access
    sessionDuration: PT4H
    managedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]
  - name: Dev
    inlinePolicy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: s3:*
          Resource: "*"
  - name: Audit
    managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]
    customerManagedPolicies: [{name: ReadBuckets, path: /team/}]
    permissionsBoundary: {managedPolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess"}
    relayState: https://console.aws.amazon.com/s3/
    tags: {owner: security}
assignments:
  - permissionSet: Admin
    group: admins
    account: "123456789012"
  - permissionSet: Dev
    group: devs
    account: "111111111111"
  - permissionSet: Dev
    user: bob
    account: "222222222222"
  - permissionSet: Audit
    user: alice
    account: "123456789012"
scimTokens:
  - token: ${H8_SCIM_TOKEN}
settings:
  mfa:
    mode: CONTEXT_CHANGE
    noDevice: BLOCK
    types: [TOTP]
  portalSessionDuration: PT12H
trustedTokenIssuers:
  - name: corp-jwt
    issuerUrl: https://issuer.example.com
    claimAttributePath: email
    identityStoreAttributePath: emails.value
    tags: {env: test}
applications:
  - name: wiki
    description: Team wiki
    signInOrigin: APPLICATION
    applicationUrl: https://wiki.example.com
    tags: {team: docs}
    users: [alice]
    groups: [devs]
    grants:
      - type: authorization_code
        redirectUris: [https://wiki.example.com/callback]
      - type: refresh_token
      - type: urn:ietf:params:oauth:grant-type:jwt-bearer
        tokenIssuers: [{name: corp-jwt, audiences: [wiki]}]
    accessScopes: [openid]
    iamActorPolicy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: {AWS: "arn:aws:iam::123456789012:role/Auditor"}
          Action: sso-oauth:CreateTokenWithIAM
          Resource: "*"
  - name: salesforce
    provider: arn:aws:sso::aws:applicationProvider/catalog/Salesforce
    assignmentRequired: false
`

const (
	h8CISecret   = "ci/secret/ci/secret/ci/secret/ci/secret0"
	h8CIPassword = "Ci-Passw0rd-2024!"
	h8AlicePW    = "Alice-Passw0rd-2024!"
	h8AliceTOTP  = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	h8SCIMToken  = "idcscim_0b6c1c1e-4f5a-4d7e-9a43-8e2f8f0c9a11.c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlYw"
)

func setFullWorldEnv(t *testing.T) string {
	t.Helper()
	for k, v := range map[string]string{"H8_CI_SECRET": h8CISecret, "H8_CI_PASSWORD": h8CIPassword,
		"H8_ALICE_PASSWORD": h8AlicePW, "H8_ALICE_TOTP": h8AliceTOTP, "H8_SCIM_TOKEN": h8SCIMToken,
		"H14_SAML_METADATA": newTestIdP(t, "https://idp.example.com/").Metadata()} {
		t.Setenv(k, v)
	}
	return writeFile(t, "world.yaml", fullWorld)
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	return writeFileNamed(t, name, body)
}

func writeFileTB(t testing.TB, body string) string { return writeFileNamed(t, "world.yaml", body) }

func writeFileNamed(t testing.TB, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func exportData(t *testing.T, dir string) string {
	t.Helper()
	return exportStore(t, dir, "")
}

// exportStore runs `idcenter export --data dir --store url`.
func exportStore(t *testing.T, dir, url string) string {
	t.Helper()
	cfg := config.FromEnv(func(string) string { return "" })
	cfg.DataDir, cfg.Store = dir, url
	var b bytes.Buffer
	if err := app.Export(context.Background(), cfg, &b, false); err != nil {
		t.Fatalf("export: %v", err)
	}
	return b.String()
}

var samlProviderRe = regexp.MustCompile(`AWSSSO_[0-9a-f]+_DO_NOT_DELETE`)

// provisionedRoles lists the roles sso-admin provisioned, per account, with
// the random suffix cut off, and their policies.
func provisionedRoles(t *testing.T, ts *testServer) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	err := ts.Store.View(ctx, func(tx store.Tx) error {
		for _, acct := range []string{"123456789012", "111111111111", "222222222222"} {
			roles, err := tx.ListIAMRoles(ctx, acct, store.IAMListFilter{PathPrefix: "/aws-reserved/sso.amazonaws.com/"}, store.Page{})
			if err != nil {
				return err
			}
			for _, r := range roles {
				name := r.RoleName[:strings.LastIndex(r.RoleName, "_")]
				attached, err := tx.ListIAMAttachedPolicies(ctx, r.RoleID)
				if err != nil {
					return err
				}
				inline, err := tx.ListIAMInlinePolicies(ctx, r.RoleID)
				if err != nil {
					return err
				}
				var docs []string
				for _, p := range inline {
					docs = append(docs, p.PolicyName+"="+p.Document)
				}
				// The SAML provider's name is the instance's own.
				trust := samlProviderRe.ReplaceAllString(r.AssumeRolePolicy, "AWSSSO_*_DO_NOT_DELETE")
				out = append(out, acct+"/"+name+" "+strings.Join(attached, ",")+" "+strings.Join(docs, ",")+" "+trust)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// checkFullWorld checks, through the SDK and the cores, what fullWorld
// declares; withSecrets also checks what an export does not carry
// (passwords, SCIM tokens).
func checkFullWorld(t *testing.T, ts *testServer, withSecrets bool) {
	t.Helper()
	ctx := context.Background()
	cfg := ts.rootConfig(t)

	// Organization: pinned id, OUs, accounts in place, SCP targets.
	oc := organizations.NewFromConfig(cfg)
	do, err := oc.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil || aws.ToString(do.Organization.Id) != "o-h8world001" {
		t.Fatalf("DescribeOrganization = %+v, %v", do, err)
	}
	lp, err := oc.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String("111111111111")})
	if err != nil || len(lp.Parents) != 1 || lp.Parents[0].Type != orgtypes.ParentTypeOrganizationalUnit {
		t.Fatalf("ListParents(prod) = %+v, %v", lp, err)
	}
	ou, err := oc.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: lp.Parents[0].Id})
	if err != nil || aws.ToString(ou.OrganizationalUnit.Name) != "Prod" {
		t.Fatalf("prod's parent = %+v, %v", ou, err)
	}
	da, err := oc.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String("222222222222")})
	if err != nil || aws.ToString(da.Account.Name) != "sandbox" || aws.ToString(da.Account.Email) != "sandbox@example.com" {
		t.Fatalf("DescribeAccount(sandbox) = %+v, %v", da, err)
	}
	pt, err := oc.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: aws.String("222222222222"),
		Filter: orgtypes.PolicyTypeServiceControlPolicy})
	if err != nil {
		t.Fatal(err)
	}
	var scps []string
	for _, p := range pt.Policies {
		scps = append(scps, aws.ToString(p.Name))
	}
	sort.Strings(scps)
	if strings.Join(scps, ",") != "DenyLeave,FullAWSAccess" {
		t.Fatalf("SCPs of sandbox = %v", scps)
	}

	// IAM: the user with path, tags, group, policies and pinned key.
	ic := iam.NewFromConfig(cfg)
	gu, err := ic.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("ci")})
	if err != nil || aws.ToString(gu.User.Path) != "/bots/" || len(gu.User.Tags) != 1 || aws.ToString(gu.User.Tags[0].Value) != "platform" {
		t.Fatalf("GetUser(ci) = %+v, %v", gu, err)
	}
	gfu, err := ic.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("ci")})
	if err != nil || len(gfu.Groups) != 1 || aws.ToString(gfu.Groups[0].GroupName) != "developers" {
		t.Fatalf("ListGroupsForUser(ci) = %+v, %v", gfu, err)
	}
	ag, err := ic.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("developers")})
	if err != nil || len(ag.AttachedPolicies) != 1 || aws.ToString(ag.AttachedPolicies[0].PolicyArn) != "arn:aws:iam::123456789012:policy/team/ReadBuckets" {
		t.Fatalf("developers' policies = %+v, %v", ag, err)
	}
	gp, err := ic.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("ci"), PolicyName: aws.String("AssumeDeployer")})
	if err != nil || !strings.Contains(aws.ToString(gp.PolicyDocument), "Deployer") {
		t.Fatalf("ci's inline policy = %+v, %v", gp, err)
	}
	gr, err := ic.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("Auditor")})
	if err != nil || aws.ToInt32(gr.Role.MaxSessionDuration) != 7200 || aws.ToString(gr.Role.Description) != "Reads everything" {
		t.Fatalf("GetRole(Auditor) = %+v, %v", gr, err)
	}
	id, err := sts.NewFromConfig(ts.awsConfig(t, "AKIAH8WORLDCI0000001", h8CISecret)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Arn) != "arn:aws:iam::123456789012:user/bots/ci" {
		t.Fatalf("GetCallerIdentity with the pinned key = %+v, %v", id, err)
	}

	// Identity store: users, groups, memberships.
	ids := identitystore.NewFromConfig(cfg)
	storeID := aws.String(ts.World.Instance.IdentityStoreID)
	gid, err := ids.GetGroupId(ctx, &identitystore.GetGroupIdInput{IdentityStoreId: storeID,
		AlternateIdentifier: &istypes.AlternateIdentifierMemberUniqueAttribute{Value: istypes.UniqueAttribute{
			AttributePath: aws.String("displayName"), AttributeValue: document.NewLazyDocument("devs")}}})
	if err != nil {
		t.Fatal(err)
	}
	lm, err := ids.ListGroupMemberships(ctx, &identitystore.ListGroupMembershipsInput{IdentityStoreId: storeID, GroupId: gid.GroupId})
	if err != nil || len(lm.GroupMemberships) != 2 {
		t.Fatalf("devs' members = %+v, %v", lm, err)
	}

	// The Audit set's customer managed policy, boundary, relay state and tags.
	sso := ssoadmin.NewFromConfig(cfg)
	inst := aws.String(ts.World.Instance.ARN)
	audit := aws.String(setARN(t, ts, "Audit"))
	cm, err := sso.ListCustomerManagedPolicyReferencesInPermissionSet(ctx, &ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetInput{
		InstanceArn: inst, PermissionSetArn: audit})
	if err != nil || len(cm.CustomerManagedPolicyReferences) != 1 || aws.ToString(cm.CustomerManagedPolicyReferences[0].Path) != "/team/" {
		t.Fatalf("Audit's customer managed policies = %+v, %v", cm, err)
	}
	pb, err := sso.GetPermissionsBoundaryForPermissionSet(ctx, &ssoadmin.GetPermissionsBoundaryForPermissionSetInput{InstanceArn: inst, PermissionSetArn: audit})
	if err != nil || aws.ToString(pb.PermissionsBoundary.ManagedPolicyArn) != "arn:aws:iam::aws:policy/ReadOnlyAccess" {
		t.Fatalf("Audit's boundary = %+v, %v", pb, err)
	}
	dps, err := sso.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: inst, PermissionSetArn: audit})
	if err != nil || aws.ToString(dps.PermissionSet.RelayState) != "https://console.aws.amazon.com/s3/" {
		t.Fatalf("Audit = %+v, %v", dps, err)
	}
	lt, err := sso.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{InstanceArn: inst, ResourceArn: audit})
	if err != nil || len(lt.Tags) != 1 || aws.ToString(lt.Tags[0].Value) != "security" {
		t.Fatalf("Audit's tags = %+v, %v", lt, err)
	}

	checkMoreKinds(t, ts)

	// Settings.
	st, err := ts.SignIn.MFASettings(ctx)
	if err != nil || st.Mode != store.MFAContextChange || st.NoDevice != store.MFANoDeviceBlock ||
		strings.Join(st.Types, ",") != "TOTP" || st.SessionDuration != 12*time.Hour {
		t.Fatalf("MFA settings = %+v, %v", st, err)
	}

	if !withSecrets {
		return
	}
	// The initial password and the TOTP secret sign alice in.
	sess, err := ts.SignIn.Begin(ctx, "alice", h8AlicePW, "")
	if err != nil || sess.Next != signin.StepMFA {
		t.Fatalf("Begin(alice) = %+v, %v", sess, err)
	}
	code, err := totp.GenerateCode(h8AliceTOTP, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if sess, _, err = ts.SignIn.VerifyMFA(ctx, sess.ID, code); err != nil || sess.Next != signin.StepDone {
		t.Fatalf("VerifyMFA(alice) = %+v, %v", sess, err)
	}
	if _, err := ic.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("ci")}); err != nil {
		t.Fatalf("ci's login profile: %v", err)
	}
	// The pinned SCIM token authenticates.
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/scim/v2/Users", nil)
	req.Header.Set("Authorization", "Bearer "+h8SCIMToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "alice") {
		t.Fatalf("SCIM with the pinned token: %d %s", resp.StatusCode, body)
	}
}

func TestWorldFileEveryKindExportReapplyReset(t *testing.T) {
	ctx := context.Background()
	path := setFullWorldEnv(t)
	dirA := t.TempDir()
	a := startServerWith(t, func(c *config.Config) { c.DataDir, c.World, c.AllowReset = dirA, path, true })
	checkFullWorld(t, a, true)
	rolesA := provisionedRoles(t, a)
	if len(rolesA) != 4 {
		t.Fatalf("provisioned roles = %v", rolesA)
	}

	// Export: secrets become ${ENV} references; passwords and tokens are not written.
	exported := exportData(t, dirA)
	for _, want := range []string{"id: o-h8world001", "${IDCENTER_SECRET_AKIAH8WORLDCI0000001}", "${IDCENTER_TOTP_ALICE}", "name: Deployer", "parent: Workloads/Prod",
		"accountAlias: h14-management", "accountAlias: h14-prod", "minimumPasswordLength: 14", "role: Auditor", "name: CorpIdP",
		"url: https://token.actions.githubusercontent.com", "nickName: Al", "issuer: https://idp.example.com/",
		"- access-analyzer.amazonaws.com", "name: corp-jwt", "- name: wiki", "provider: arn:aws:sso::aws:applicationProvider/catalog/Salesforce",
		"assignmentRequired: false", "sso-oauth:CreateTokenWithIAM", "employeeNumber: \"1001\"", "id: 00g-devs", "value: engineer"} {
		if !strings.Contains(exported, want) {
			t.Errorf("export lacks %q:\n%s", want, exported)
		}
	}
	if strings.Contains(exported, "_DO_NOT_DELETE") {
		t.Errorf("export contains the SAML providers Identity Center creates:\n%s", exported)
	}
	for _, secret := range []string{h8CISecret, h8CIPassword, h8AlicePW, h8AliceTOTP, h8SCIMToken} {
		if strings.Contains(exported, secret) {
			t.Errorf("export contains the secret %q", secret)
		}
	}

	// --include-secrets writes the recoverable secrets; hashed ones never are.
	cfg := config.FromEnv(func(string) string { return "" })
	cfg.DataDir = dirA
	var withSecrets bytes.Buffer
	if err := app.Export(ctx, cfg, &withSecrets, true); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"secret: " + h8CISecret, "totpSecret: " + h8AliceTOTP} {
		if !strings.Contains(withSecrets.String(), want) {
			t.Errorf("export --include-secrets lacks %q", want)
		}
	}
	for _, hashed := range []string{h8CIPassword, h8AlicePW, h8SCIMToken} {
		if strings.Contains(withSecrets.String(), hashed) {
			t.Errorf("export --include-secrets contains %q", hashed)
		}
	}

	// A fresh server started with the export holds the same world.
	t.Setenv("IDCENTER_SECRET_AKIAH8WORLDCI0000001", h8CISecret)
	t.Setenv("IDCENTER_TOTP_ALICE", h8AliceTOTP)
	dirB := t.TempDir()
	b := startServerWith(t, func(c *config.Config) { c.DataDir, c.World = dirB, writeFile(t, "exported.yaml", exported) })
	checkFullWorld(t, b, false)
	if got := exportData(t, dirB); got != exported {
		t.Fatalf("export of the re-applied world differs:\n--- first\n%s\n--- second\n%s", exported, got)
	}
	if got := provisionedRoles(t, b); strings.Join(got, "\n") != strings.Join(rolesA, "\n") {
		t.Fatalf("provisioned roles differ:\n%v\n%v", rolesA, got)
	}
	b.stop()

	// Reset restores the exact state: same ids, whatever changed.
	storeID := aws.String(a.World.Instance.IdentityStoreID)
	ids := identitystore.NewFromConfig(a.rootConfig(t))
	before, err := ids.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: storeID})
	if err != nil {
		t.Fatal(err)
	}
	createBojan(t, ids, a.World.Instance.IdentityStoreID)
	if _, err := ids.DeleteUser(ctx, &identitystore.DeleteUserInput{IdentityStoreId: storeID, UserId: before.Users[0].UserId}); err != nil {
		t.Fatal(err)
	}
	ic := iam.NewFromConfig(a.rootConfig(t))
	if _, err := ic.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("developers"),
		PolicyArn: aws.String("arn:aws:iam::123456789012:policy/team/ReadBuckets")}); err != nil {
		t.Fatal(err)
	}
	if err := a.SignIn.SetMFASettings(ctx, signin.Settings{Mode: store.MFANever}); err != nil {
		t.Fatal(err)
	}
	changeMoreKinds(t, a)
	if err := a.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := ids.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: storeID})
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Users) != len(before.Users) {
		t.Fatalf("users after reset = %d, want %d", len(after.Users), len(before.Users))
	}
	for i := range before.Users {
		if aws.ToString(after.Users[i].UserId) != aws.ToString(before.Users[i].UserId) || aws.ToString(after.Users[i].UserName) != aws.ToString(before.Users[i].UserName) {
			t.Fatalf("user %d after reset = %s %s, want %s %s", i, aws.ToString(after.Users[i].UserId), aws.ToString(after.Users[i].UserName),
				aws.ToString(before.Users[i].UserId), aws.ToString(before.Users[i].UserName))
		}
	}
	checkFullWorld(t, a, true)
	if got := exportData(t, dirA); got != exported {
		t.Fatalf("export after reset differs:\n--- start\n%s\n--- reset\n%s", exported, got)
	}
	if got := provisionedRoles(t, a); strings.Join(got, "\n") != strings.Join(rolesA, "\n") {
		t.Fatalf("provisioned roles after reset differ:\n%v\n%v", rolesA, got)
	}
}

// A world file that fails (while parsing, or part-way through the apply)
// leaves a non-empty store exactly as it was.
func TestWorldFileErrorsLeaveTheStoreAsItWas(t *testing.T) {
	path := setFullWorldEnv(t)
	dir := t.TempDir()
	a := startServerWith(t, func(c *config.Config) { c.DataDir, c.World = dir, path })
	a.stop()
	want := exportData(t, dir)

	tests := []struct {
		name, world string
		wantErr     []string
	}{
		{"unknown field", strings.Replace(fullWorld, "    familyName: Roe\n", "    familyName: Roe\n    nickname: bobby\n", 1),
			[]string{"world.yaml:", `unknown field "nickname"`}},
		{"duplicate user", strings.Replace(fullWorld, "userName: bob", "userName: Alice", 1),
			[]string{`world.yaml:127: users[1].userName: duplicate user "Alice"`}},
		{"assignment to an unknown set", strings.Replace(fullWorld, "  - permissionSet: Dev\n    user: bob", "  - permissionSet: Ops\n    user: bob", 1),
			[]string{`world.yaml:162: assignments[2].permissionSet: unknown permission set "Ops"`}},
		{"bad policy JSON", strings.Replace(fullWorld, `"Action":"s3:ListBucket"`, `"Action":"s3:ListBucket",`, 1),
			[]string{`world.yaml:60: iam.groups[0].inlinePolicies.ListAll: malformed policy`}},
		// Valid as a file; the organization refuses the management account as a delegated administrator.
		{"management account as delegated administrator", strings.Replace(fullWorld, "    - account: \"111111111111\"\n      services:", "    - account: \"123456789012\"\n      services:", 1),
			[]string{`world.yaml:`, `organization.delegatedAdministrators[0].services[0]:`, `management account`}},
		// Valid as a file; the apply fails at the last assignment, after
		// creating users, groups, IAM entities and accounts in its transaction.
		{"apply fails part-way", strings.NewReplacer(
			"  groups:\n    - name: developers", "  groups:\n    - name: newgroup\n    - name: developers",
			"    - id: \"222222222222\"", "    - id: \"444444444444\"\n      name: extra\n      email: extra@example.com\n    - id: \"222222222222\"",
		).Replace(strings.Replace(strings.Replace(fullWorld,
			"users:\n  - userName: alice", "users:\n  - userName: zed\n    givenName: Zed\n    familyName: Zee\n  - userName: alice", 1),
			"    user: bob\n    account: \"222222222222\"", "    user: zed\n    account: \"333333333333\"", 1)),
			[]string{`world.yaml:`, `assignments[2].account: account 333333333333 is not in the organization`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.FromEnv(func(string) string { return "" })
			cfg.DataDir, cfg.World = dir, writeFile(t, "world.yaml", tt.world)
			cfg.RootAccessKeyID, cfg.RootSecretAccessKey = testKeyID, testSecret
			s, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nlacks %q", err, w)
				}
			}
			if got := exportData(t, dir); got != want {
				t.Fatalf("the store changed:\n--- before\n%s\n--- after\n%s", want, got)
			}
		})
	}
	// The file itself applies again on the same store (a restart) without changing anything.
	again := startServerWith(t, func(c *config.Config) { c.DataDir, c.World = dir, path })
	checkFullWorld(t, again, true)
	again.stop()
	if got := exportData(t, dir); got != want {
		t.Fatalf("a restart with the same world changed the store:\n--- before\n%s\n--- after\n%s", want, got)
	}
}

// The same on PostgreSQL: the world applied in one SERIALIZABLE transaction
// (savepoints for the cores' own transactions), reset from the snapshot, and
// an apply failing part-way rolled back.
func TestWorldFileOnPostgres(t *testing.T) {
	ctx := context.Background()
	url := postgresStore(t)
	path := setFullWorldEnv(t)
	dir := t.TempDir()
	a := startServerWith(t, func(c *config.Config) { c.DataDir, c.Store, c.World, c.AllowReset = dir, url, path, true })
	checkFullWorld(t, a, true)
	want := exportStore(t, dir, url)
	createBojan(t, identitystore.NewFromConfig(a.rootConfig(t)), a.World.Instance.IdentityStoreID)
	if err := a.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	checkFullWorld(t, a, true)
	if got := exportStore(t, dir, url); got != want {
		t.Fatalf("export after reset differs:\n%s\n---\n%s", want, got)
	}
	a.stop()

	bad := strings.Replace(strings.Replace(fullWorld,
		"users:\n  - userName: alice", "users:\n  - userName: zed\n    givenName: Zed\n    familyName: Zee\n  - userName: alice", 1),
		"    user: bob\n    account: \"222222222222\"", "    user: zed\n    account: \"333333333333\"", 1)
	cfg := config.FromEnv(func(string) string { return "" })
	cfg.DataDir, cfg.Store, cfg.World = dir, url, writeFile(t, "world.yaml", bad)
	cfg.RootAccessKeyID, cfg.RootSecretAccessKey = testKeyID, testSecret
	s, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded")
	}
	if !strings.Contains(err.Error(), "assignments[2].account: account 333333333333 is not in the organization") {
		t.Fatalf("error = %v", err)
	}
	if got := exportStore(t, dir, url); got != want {
		t.Fatalf("the store changed:\n%s\n---\n%s", want, got)
	}
}
