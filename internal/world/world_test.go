package world_test

import (
	"strings"
	"testing"

	"github.com/idcenter/idcenter/internal/world"
)

const valid = `users:
  - userName: alice
    displayName: Alice Doe
    givenName: Alice
    familyName: Doe
    email: ${ALICE_EMAIL}
  - userName: bob
    givenName: Bob
    familyName: Roe
groups:
  - displayName: admins
    description: Administrators
    members: [alice]
permissionSets:
  - name: Admin
    sessionDuration: PT4H
    managedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]
  - name: ReadS3
    inlinePolicy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: s3:GetObject
          Resource: "*"
  - name: Json
    inlinePolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}'
assignments:
  - permissionSet: Admin
    group: admins
    account: "123456789012"
  - permissionSet: ReadS3
    user: bob
    account: "123456789012"
`

func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func TestParseValid(t *testing.T) {
	w, err := world.Parse("w.yaml", []byte(valid), env(map[string]string{"ALICE_EMAIL": "alice@example.com"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := w.Users[0].Email; got != "alice@example.com" {
		t.Errorf("email = %q", got)
	}
	if got := w.Users[1].DisplayName; got != "Bob Roe" {
		t.Errorf("default display name = %q", got)
	}
	if got := w.PermissionSets[1].Inline; !strings.Contains(got, `"Action":"s3:GetObject"`) {
		t.Errorf("mapping policy as JSON = %q", got)
	}
	if got := w.PermissionSets[2].Inline; !strings.HasPrefix(got, `{"Version"`) {
		t.Errorf("string policy = %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	vars := map[string]string{"ALICE_EMAIL": "a@example.com"}
	tests := []struct {
		name      string
		edit      func(string) string
		env       map[string]string
		wantLines []string
	}{
		{"unknown field", func(s string) string {
			return strings.Replace(s, "    familyName: Roe\n", "    familyName: Roe\n    nickname: bobby\n", 1)
		}, vars, []string{`w.yaml:10: `, `unknown field "nickname"`}},
		{"duplicate user", func(s string) string {
			return strings.Replace(s, "userName: bob", "userName: Alice", 1)
		}, vars, []string{`w.yaml:7: users[1].userName: duplicate user "Alice"`}},
		{"unknown member", func(s string) string {
			return strings.Replace(s, "members: [alice]", "members: [alice, carol]", 1)
		}, vars, []string{`w.yaml:13: groups[0].members[1]: unknown user "carol"`}},
		{"assignment to unknown set", func(s string) string {
			return strings.Replace(s, "permissionSet: ReadS3", "permissionSet: Nope", 1)
		}, vars, []string{`w.yaml:31: assignments[1].permissionSet: unknown permission set "Nope"`}},
		{"assignment to unknown group", func(s string) string {
			return strings.Replace(s, "group: admins", "group: ops", 1)
		}, vars, []string{`w.yaml:29: assignments[0].group: unknown group "ops"`}},
		{"bad policy JSON", func(s string) string {
			return strings.Replace(s, `"Effect":"Allow"`, `"Effect":"Maybe"`, 1)
		}, vars, []string{`w.yaml:26: permissionSets[2].inlinePolicy: malformed policy`}},
		{"unknown managed policy", func(s string) string {
			return strings.Replace(s, "AdministratorAccess", "NoSuchPolicy", 1)
		}, vars, []string{`w.yaml:17: permissionSets[0].managedPolicies[0]: "arn:aws:iam::aws:policy/NoSuchPolicy" names no AWS managed policy`}},
		{"missing variable", nil, nil, []string{`w.yaml:6: users[0].email: environment variable ALICE_EMAIL is not set`}},
		{"bad account and two errors", func(s string) string {
			s = strings.Replace(s, `account: "123456789012"`, `account: "1234"`, 1)
			return strings.Replace(s, "    givenName: Bob\n", "", 1)
		}, vars, []string{
			`w.yaml:7: users[1].givenName: is required`,
			`w.yaml:29: assignments[0].account: "1234" is not a 12-digit account id`,
		}},
		{"user and group", func(s string) string {
			return strings.Replace(s, "    group: admins\n", "    group: admins\n    user: bob\n", 1)
		}, vars, []string{`w.yaml:28: assignments[0]: exactly one of user and group is required`}},
		{"syntax", func(s string) string { return s + "  - : [\n" }, vars, []string{`w.yaml:`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := valid
			if tt.edit != nil {
				src = tt.edit(src)
			}
			_, err := world.Parse("w.yaml", []byte(src), env(tt.env))
			if err == nil {
				t.Fatal("no error")
			}
			for _, want := range tt.wantLines {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error\n%v\nlacks %q", err, want)
				}
			}
		})
	}
}
