package world_test

import (
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/world"
)

const kinds = `organization:
  id: o-abcdefghij
  organizationalUnits:
    - name: Workloads
      organizationalUnits: [{name: Prod}]
  accounts:
    - id: "111111111111"
      name: prod
      email: prod@example.com
      parent: Workloads/Prod
      iam:
        users: [{name: deployer}]
  policies:
    - name: DenyLeave
      content: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}'
      targets: [Root, Workloads, "111111111111"]
iam:
  policies:
    - name: ReadBuckets
      document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'
  groups:
    - name: developers
      managedPolicies: [ReadBuckets]
  users:
    - name: ci
      path: /bots/
      groups: [developers]
      accessKeys:
        - id: AKIAKINDSTEST0000001
          secret: ${CI_SECRET}
  roles:
    - name: Auditor
      trustPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}'
users:
  - userName: alice
    givenName: Alice
    familyName: Doe
    password: Alice-Passw0rd-2024!
    totpSecret: jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp
scimTokens:
  - token: idcscim_0b6c1c1e-4f5a-4d7e-9a43-8e2f8f0c9a11.c2VjcmV0LXNlY3JldC1zZWNyZXQ
    expiresAt: "2030-01-01T00:00:00Z"
settings:
  mfa: {mode: CONTEXT_CHANGE, noDevice: BLOCK, types: [TOTP]}
  portalSessionDuration: P1DT12H
`

func TestParseKinds(t *testing.T) {
	w, err := world.Parse("k.yaml", []byte(kinds), env(map[string]string{"CI_SECRET": "ci/secret/ci/secret/ci/secret/ci/secret0"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := w.IAM.Users[0].AccessKeys[0]; got.Secret != "ci/secret/ci/secret/ci/secret/ci/secret0" || got.Status != "Active" {
		t.Errorf("access key = %+v", got)
	}
	if got := w.Users[0].TOTPSecret; got != "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" {
		t.Errorf("TOTP secret = %q", got)
	}
	if got := w.Settings.Session; got != 36*time.Hour {
		t.Errorf("portal session = %s", got)
	}
	if got := w.OrganizationID(); got != "o-abcdefghij" {
		t.Errorf("organization id = %q", got)
	}
	if w.Digest() == "" {
		t.Error("no digest")
	}
}

func TestParseKindsErrors(t *testing.T) {
	vars := map[string]string{"CI_SECRET": "ci/secret/ci/secret/ci/secret/ci/secret0"}
	tests := []struct {
		name, old, new string
		want           string
	}{
		{"organization id", "id: o-abcdefghij", "id: org-1", `k.yaml:2: organization.id: "org-1" is not an organization id`},
		{"unknown parent", "parent: Workloads/Prod", "parent: Prod", `k.yaml:10: organization.accounts[0].parent: unknown organizational unit "Prod"`},
		{"account id", `- id: "111111111111"`, `- id: "1111"`, `k.yaml:7: organization.accounts[0].id: "1111" is not a 12-digit account id`},
		{"account e-mail", "email: prod@example.com", "email: prod", `k.yaml:9: organization.accounts[0].email: "prod" is not an e-mail address`},
		{"SCP target", "targets: [Root, Workloads", "targets: [Root, Sandbox", `organization.policies[0].targets[1]: unknown target "Sandbox"`},
		{"SCP content", `"Effect":"Deny"`, `"Effect":"Deny","Principal":"*"`, `organization.policies[0].content: malformed policy`},
		{"unknown IAM group", "groups: [developers]", "groups: [ops]", `k.yaml:27: iam.users[0].groups[0]: unknown group "ops"`},
		{"unknown policy", "managedPolicies: [ReadBuckets]", "managedPolicies: [WriteBuckets]", `iam.groups[0].managedPolicies[0]: unknown policy "WriteBuckets"`},
		{"access key id", "id: AKIAKINDSTEST0000001", "id: ASIA0001", `iam.users[0].accessKeys[0].id: "ASIA0001" is not an access key id`},
		{"missing secret variable", "secret: ${CI_SECRET}", "secret: ${NO_SUCH_SECRET}", `iam.users[0].accessKeys[0].secret: environment variable NO_SUCH_SECRET is not set`},
		{"trust policy", `"Principal":{"AWS":"arn:aws:iam::123456789012:root"},`, "", `iam.roles[0].trustPolicy: malformed policy`},
		{"IAM path", "path: /bots/", "path: bots", `k.yaml:26: iam.users[0].path: "bots" is not a valid IAM path`},
		{"password policy", "password: Alice-Passw0rd-2024!", "password: short", `k.yaml:38: users[0].password: password does not meet the policy`},
		{"TOTP secret", "totpSecret: jbsw", "totpSecret: 1bsw", `users[0].totpSecret: not a base32 secret`},
		{"SCIM token", "token: idcscim_", "token: scim_", `scimTokens[0].token: is not a SCIM token`},
		{"MFA mode", "mode: CONTEXT_CHANGE", "mode: SOMETIMES", `settings.mfa.mode: "SOMETIMES": want ALWAYS, CONTEXT_CHANGE or NEVER`},
		{"portal session", "portalSessionDuration: P1DT12H", "portalSessionDuration: P100D", `settings.portalSessionDuration: P100D: want 15 minutes to 90 days`},
		{"unknown field in iam", "    - name: Auditor\n", "    - name: Auditor\n      maxSession: 3600\n", `unknown field "maxSession"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(kinds, tt.old) {
				t.Fatalf("fixture lacks %q", tt.old)
			}
			_, err := world.Parse("k.yaml", []byte(strings.Replace(kinds, tt.old, tt.new, 1)), env(vars))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error\n%v\nlacks %q", err, tt.want)
			}
		})
	}
}

func TestParseEnvDefaults(t *testing.T) {
	src := strings.Replace(kinds, "secret: ${CI_SECRET}", "secret: ${CI_SECRET:-default/secret/default/secret/0000}", 1)
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{nil, "default/secret/default/secret/0000"},
		{map[string]string{"CI_SECRET": ""}, "default/secret/default/secret/0000"},
		{map[string]string{"CI_SECRET": "from/the/environment/000"}, "from/the/environment/000"},
	} {
		w, err := world.Parse("k.yaml", []byte(src), env(tt.env))
		if err != nil {
			t.Fatal(err)
		}
		if got := w.IAM.Users[0].AccessKeys[0].Secret; got != tt.want {
			t.Errorf("env %v: secret = %q, want %q", tt.env, got, tt.want)
		}
	}
}

func TestParsePermissionSetExtras(t *testing.T) {
	const base = `permissionSets:
  - name: Audit
    customerManagedPolicies: [{name: ReadBuckets, path: /team/}]
    permissionsBoundary: {managedPolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess"}
    relayState: https://console.aws.amazon.com/
    tags: {owner: security}
`
	if _, err := world.Parse("s.yaml", []byte(base), env(nil)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ old, new, want string }{
		{"path: /team/}", "path: team}", `s.yaml:3: permissionSets[0].customerManagedPolicies[0].path: "team" is not a valid IAM path`},
		{"[{name: ReadBuckets, path: /team/}]", "[{name: ReadBuckets}, {name: ReadBuckets, path: /}]", `permissionSets[0].customerManagedPolicies[1]: policy /ReadBuckets is listed twice`},
		{`{managedPolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess"}`, `{managedPolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess", customerManagedPolicy: {name: X}}`,
			`s.yaml:4: permissionSets[0].permissionsBoundary: exactly one of managedPolicyArn and customerManagedPolicy is required`},
		{"policy/ReadOnlyAccess", "policy/NoSuchPolicy", `permissionsBoundary.managedPolicyArn: "arn:aws:iam::aws:policy/NoSuchPolicy" names no AWS managed policy`},
	} {
		_, err := world.Parse("s.yaml", []byte(strings.Replace(base, tt.old, tt.new, 1)), env(nil))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s -> %s: error\n%v\nlacks %q", tt.old, tt.new, err, tt.want)
		}
	}
}
