package app_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	coreiam "github.com/idcenter/idcenter/internal/core/iam"
)

func TestIAMAccountAlias(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))

	list := func() []string {
		t.Helper()
		out, err := c.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{})
		if err != nil {
			t.Fatalf("ListAccountAliases: %v", err)
		}
		return out.AccountAliases
	}
	if got := list(); len(got) != 0 {
		t.Fatalf("aliases at start = %v", got)
	}
	for _, bad := range []string{"ab", "-corp", "corp-", "my--corp", "My-Corp", "my_corp"} {
		_, err := c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String(bad)})
		wantAPIError(t, "alias "+bad, err, "ValidationError")
	}
	if _, err := c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("example-corp")}); err != nil {
		t.Fatalf("CreateAccountAlias: %v", err)
	}
	// One alias per account: a new one replaces the old.
	if _, err := c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("example-corp-2")}); err != nil {
		t.Fatalf("CreateAccountAlias (replace): %v", err)
	}
	if got := list(); len(got) != 1 || got[0] != "example-corp-2" {
		t.Fatalf("aliases = %v", got)
	}
	_, err := c.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String("example-corp")})
	wantAPIError(t, "delete a replaced alias", err, "NoSuchEntity")
	if _, err := c.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String("example-corp-2")}); err != nil {
		t.Fatalf("DeleteAccountAlias: %v", err)
	}
	if got := list(); len(got) != 0 {
		t.Fatalf("aliases after delete = %v", got)
	}
}

func TestIAMAccountPasswordPolicyAndSummary(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))

	_, err := c.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	wantAPIError(t, "no policy yet", err, "NoSuchEntity")
	_, err = c.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{})
	wantAPIError(t, "delete without a policy", err, "NoSuchEntity")

	invalid := []struct {
		name string
		in   iam.UpdateAccountPasswordPolicyInput
	}{
		{"length 5", iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(5)}},
		{"length 129", iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(129)}},
		{"age 1096", iam.UpdateAccountPasswordPolicyInput{MaxPasswordAge: aws.Int32(1096)}},
		{"reuse 25", iam.UpdateAccountPasswordPolicyInput{PasswordReusePrevention: aws.Int32(25)}},
	}
	for _, tt := range invalid {
		_, err := c.UpdateAccountPasswordPolicy(ctx, &tt.in)
		wantAPIError(t, tt.name, err, "ValidationError")
	}

	// Defaults: length 6, nothing required, no expiry.
	if _, err := c.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{}); err != nil {
		t.Fatalf("UpdateAccountPasswordPolicy: %v", err)
	}
	got, err := c.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	if err != nil || aws.ToInt32(got.PasswordPolicy.MinimumPasswordLength) != 6 || got.PasswordPolicy.ExpirePasswords || got.PasswordPolicy.RequireSymbols {
		t.Fatalf("default policy = %+v, %v", got, err)
	}
	if _, err := c.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(14),
		RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true,
		RequireLowercaseCharacters: true, AllowUsersToChangePassword: true, MaxPasswordAge: aws.Int32(90),
		PasswordReusePrevention: aws.Int32(24), HardExpiry: aws.Bool(true)}); err != nil {
		t.Fatalf("UpdateAccountPasswordPolicy: %v", err)
	}
	got, err = c.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	p := got.PasswordPolicy
	if err != nil || aws.ToInt32(p.MinimumPasswordLength) != 14 || !p.RequireSymbols || !p.RequireNumbers || !p.RequireUppercaseCharacters ||
		!p.RequireLowercaseCharacters || !p.AllowUsersToChangePassword || !p.ExpirePasswords || aws.ToInt32(p.MaxPasswordAge) != 90 ||
		aws.ToInt32(p.PasswordReusePrevention) != 24 || !aws.ToBool(p.HardExpiry) {
		t.Fatalf("policy = %+v, %v", p, err)
	}
	if _, err := c.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{}); err != nil {
		t.Fatalf("DeleteAccountPasswordPolicy: %v", err)
	}
	_, err = c.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	wantAPIError(t, "deleted policy", err, "NoSuchEntity")

	// The summary counts the account's records.
	for _, n := range []string{"u1", "u2"} {
		if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(n)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("g")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("d")}); err != nil {
		t.Fatal(err)
	}
	sum, err := c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	if err != nil {
		t.Fatalf("GetAccountSummary: %v", err)
	}
	want := map[string]int32{"Users": 2, "Groups": 1, "MFADevices": 1, "MFADevicesInUse": 0, "AccessKeysPerUserQuota": 2,
		"VersionsPerPolicyQuota": 5, "AccountMFAEnabled": 0}
	for k, v := range want {
		if got, ok := sum.SummaryMap[k]; !ok || got != v {
			t.Errorf("SummaryMap[%s] = %d (present %v), want %d", k, got, ok, v)
		}
	}
}

// TestIAMLoginProfiles gives a machine user a console password under the
// account's password policy, and lets the user change it.
func TestIAMLoginProfiles(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("machine")}); err != nil {
		t.Fatal(err)
	}
	_, err := c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("nobody"), Password: aws.String("Str0ng-Passw0rd!")})
	wantAPIError(t, "unknown user", err, "NoSuchEntity")
	_, err = c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("machine")})
	wantAPIError(t, "no profile yet", err, "NoSuchEntity")
	// Without a custom policy, AWS's default applies (8 characters, three kinds).
	_, err = c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("machine"), Password: aws.String("password1")})
	wantAPIError(t, "default policy", err, "PasswordPolicyViolation")

	if _, err := c.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(12),
		RequireSymbols: true, RequireNumbers: true, PasswordReusePrevention: aws.Int32(3)}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"Sh0rt!", "NoSymbolsHere123", "No-Numbers-Here!"} {
		_, err := c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("machine"), Password: aws.String(bad)})
		wantAPIError(t, "password "+bad, err, "PasswordPolicyViolation")
	}
	const first = "first-Passw0rd"
	lp, err := c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("machine"), Password: aws.String(first),
		PasswordResetRequired: true})
	if err != nil || aws.ToString(lp.LoginProfile.UserName) != "machine" || !lp.LoginProfile.PasswordResetRequired || lp.LoginProfile.CreateDate == nil {
		t.Fatalf("CreateLoginProfile = %+v, %v", lp, err)
	}
	_, err = c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("machine"), Password: aws.String(first)})
	wantAPIError(t, "second profile", err, "EntityAlreadyExists")
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("machine")})
	wantAPIError(t, "delete a user with a login profile", err, "DeleteConflict")

	// The user changes its own password with its access key.
	if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("machine"), PolicyName: aws.String("self"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ChangePassword","Resource":"arn:aws:iam::*:user/${aws:username}"}]}`)}); err != nil {
		t.Fatal(err)
	}
	key, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("machine")})
	if err != nil {
		t.Fatal(err)
	}
	me := iam.NewFromConfig(ts.awsConfig(t, aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey)))
	changes := []struct {
		name, old, new, code string
	}{
		{"wrong old password", "not-the-Passw0rd", "second-Passw0rd", "InvalidUserType"},
		{"weak new password", first, "weak", "PasswordPolicyViolation"},
		{"reused password", first, first, "PasswordPolicyViolation"},
		{"ok", first, "second-Passw0rd", ""},
	}
	for _, tt := range changes {
		_, err := me.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String(tt.old), NewPassword: aws.String(tt.new)})
		if tt.code == "" {
			if err != nil {
				t.Fatalf("%s: ChangePassword: %v", tt.name, err)
			}
			continue
		}
		wantAPIError(t, tt.name, err, tt.code)
	}
	_, err = c.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("x"), NewPassword: aws.String("second-Passw0rd")})
	wantAPIError(t, "ChangePassword as root", err, "InvalidUserType")
	got, err := c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("machine")})
	if err != nil || got.LoginProfile.PasswordResetRequired {
		t.Fatalf("after ChangePassword = %+v, %v", got, err)
	}

	if _, err := c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("machine"), PasswordResetRequired: aws.Bool(true)}); err != nil {
		t.Fatalf("UpdateLoginProfile: %v", err)
	}
	_, err = c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("machine"), Password: aws.String("weak")})
	wantAPIError(t, "UpdateLoginProfile weak", err, "PasswordPolicyViolation")
	if _, err := c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("machine"), Password: aws.String("third-Passw0rd")}); err != nil {
		t.Fatalf("UpdateLoginProfile password: %v", err)
	}
	got, err = c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("machine")})
	if err != nil || !got.LoginProfile.PasswordResetRequired {
		t.Fatalf("after UpdateLoginProfile = %+v, %v", got, err)
	}
	if _, err := c.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String("machine")}); err != nil {
		t.Fatalf("DeleteLoginProfile: %v", err)
	}
	_, err = c.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String("machine")})
	wantAPIError(t, "delete twice", err, "NoSuchEntity")
	_, err = c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("machine"), PasswordResetRequired: aws.Bool(true)})
	wantAPIError(t, "update without a profile", err, "NoSuchEntity")
}

// TestIAMVirtualMFA enrols a virtual MFA device with codes computed from its
// returned seed, as an authenticator app would.
func TestIAMVirtualMFA(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("machine"), Path: aws.String("/svc/")}); err != nil {
		t.Fatal(err)
	}
	out, err := c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("machine-mfa"),
		Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("ops")}}})
	if err != nil {
		t.Fatalf("CreateVirtualMFADevice: %v", err)
	}
	dev := out.VirtualMFADevice
	serial := aws.ToString(dev.SerialNumber)
	seed := string(dev.Base32StringSeed)
	if serial != "arn:aws:iam::123456789012:mfa/machine-mfa" || len(seed) != 64 ||
		!bytes.HasPrefix(dev.QRCodePNG, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("CreateVirtualMFADevice = %s, seed %q, %d bytes of QR code", serial, seed, len(dev.QRCodePNG))
	}
	_, err = c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("machine-mfa")})
	wantAPIError(t, "duplicate device", err, "EntityAlreadyExists")

	code := func(d time.Duration) string {
		t.Helper()
		s, err := coreiam.MFACode(seed, time.Now().Add(d))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	enable := func(user, c1, c2 string) error {
		_, err := c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String(user), SerialNumber: aws.String(serial),
			AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2)})
		return err
	}
	refused := []struct {
		name, user, c1, c2, code string
	}{
		{"wrong codes", "machine", "123456", "654321", "InvalidAuthenticationCode"},
		{"non-consecutive codes", "machine", code(-90 * time.Second), code(0), "InvalidAuthenticationCode"},
		{"codes in the wrong order", "machine", code(0), code(-30 * time.Second), "InvalidAuthenticationCode"},
		{"the same code twice", "machine", code(0), code(0), "InvalidAuthenticationCode"},
		{"unknown user", "nobody", code(-30 * time.Second), code(0), "NoSuchEntity"},
		{"not six digits", "machine", "12345", "123456", "ValidationError"},
	}
	for _, tt := range refused {
		wantAPIError(t, tt.name, enable(tt.user, tt.c1, tt.c2), tt.code)
	}
	_, err = c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("machine"), SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/none"),
		AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("123456")})
	wantAPIError(t, "unknown device", err, "NoSuchEntity")

	if err := enable("machine", code(-30*time.Second), code(0)); err != nil {
		t.Fatalf("EnableMFADevice: %v", err)
	}
	wantAPIError(t, "device in use", enable("machine", code(0), code(30*time.Second)), "EntityAlreadyExists")

	mine, err := c.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("machine")})
	if err != nil || len(mine.MFADevices) != 1 || aws.ToString(mine.MFADevices[0].SerialNumber) != serial ||
		aws.ToString(mine.MFADevices[0].UserName) != "machine" || mine.MFADevices[0].EnableDate == nil {
		t.Fatalf("ListMFADevices = %+v, %v", mine, err)
	}
	for _, tt := range []struct {
		status iamtypes.AssignmentStatusType
		want   int
	}{{iamtypes.AssignmentStatusTypeAssigned, 1}, {iamtypes.AssignmentStatusTypeUnassigned, 0}, {iamtypes.AssignmentStatusTypeAny, 1}} {
		l, err := c.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: tt.status})
		if err != nil || len(l.VirtualMFADevices) != tt.want {
			t.Fatalf("ListVirtualMFADevices %s = %+v, %v", tt.status, l, err)
		}
		if tt.want == 1 && (l.VirtualMFADevices[0].User == nil || aws.ToString(l.VirtualMFADevices[0].User.UserName) != "machine" ||
			aws.ToString(l.VirtualMFADevices[0].User.Arn) != "arn:aws:iam::123456789012:user/svc/machine" ||
			aws.ToString(l.VirtualMFADevices[0].User.Path) != "/svc/" ||
			l.VirtualMFADevices[0].Base32StringSeed != nil) {
			t.Fatalf("ListVirtualMFADevices %s = %+v", tt.status, l.VirtualMFADevices[0])
		}
	}
	g, err := c.GetMFADevice(ctx, &iam.GetMFADeviceInput{SerialNumber: aws.String(serial)})
	if err != nil || aws.ToString(g.UserName) != "machine" {
		t.Fatalf("GetMFADevice = %+v, %v", g, err)
	}
	tags, err := c.ListMFADeviceTags(ctx, &iam.ListMFADeviceTagsInput{SerialNumber: aws.String(serial)})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "team" {
		t.Fatalf("ListMFADeviceTags = %+v, %v", tags, err)
	}

	// Resync takes the next two codes; codes already used are refused.
	resync := func(c1, c2 string) error {
		_, err := c.ResyncMFADevice(ctx, &iam.ResyncMFADeviceInput{UserName: aws.String("machine"), SerialNumber: aws.String(serial),
			AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2)})
		return err
	}
	wantAPIError(t, "resync with used codes", resync(code(-30*time.Second), code(0)), "InvalidAuthenticationCode")
	if err := resync(code(0), code(30*time.Second)); err != nil {
		t.Fatalf("ResyncMFADevice: %v", err)
	}

	_, err = c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
	wantAPIError(t, "delete an assigned device", err, "DeleteConflict")
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("machine")})
	wantAPIError(t, "delete a user with an MFA device", err, "DeleteConflict")
	if _, err := c.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("machine"), SerialNumber: aws.String(serial)}); err != nil {
		t.Fatalf("DeactivateMFADevice: %v", err)
	}
	_, err = c.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("machine"), SerialNumber: aws.String(serial)})
	wantAPIError(t, "deactivate twice", err, "NoSuchEntity")
	if _, err := c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)}); err != nil {
		t.Fatalf("DeleteVirtualMFADevice: %v", err)
	}
	_, err = c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
	wantAPIError(t, "delete twice", err, "NoSuchEntity")
	if _, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("machine")}); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
}

func TestIAMGetAccountAuthorizationDetails(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	pol, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("read"), PolicyDocument: aws.String(doc)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: pol.Policy.Arn, PolicyDocument: aws.String(doc), SetAsDefault: true}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("user%d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("readers")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("readers"), UserName: aws.String("user0")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("readers"), PolicyArn: pol.Policy.Arn}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("user0"), PolicyName: aws.String("inline"), PolicyDocument: aws.String(doc)}); err != nil {
		t.Fatal(err)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	if _, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
		t.Fatal(err)
	}

	all, err := c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{})
	if err != nil {
		t.Fatalf("GetAccountAuthorizationDetails: %v", err)
	}
	if all.IsTruncated || len(all.UserDetailList) != 3 || len(all.GroupDetailList) != 1 || len(all.Policies) != 1 {
		t.Fatalf("details = %d users, %d groups, %d roles, %d policies, truncated %v", len(all.UserDetailList), len(all.GroupDetailList),
			len(all.RoleDetailList), len(all.Policies), all.IsTruncated)
	}
	u0 := all.UserDetailList[0]
	if aws.ToString(u0.UserName) != "user0" || len(u0.GroupList) != 1 || u0.GroupList[0] != "readers" || len(u0.UserPolicyList) != 1 {
		t.Fatalf("user0 = %+v", u0)
	}
	if d, _ := url.QueryUnescape(aws.ToString(u0.UserPolicyList[0].PolicyDocument)); d != doc {
		t.Fatalf("inline document = %q", d)
	}
	if g := all.GroupDetailList[0]; len(g.AttachedManagedPolicies) != 1 || aws.ToString(g.AttachedManagedPolicies[0].PolicyArn) != aws.ToString(pol.Policy.Arn) {
		t.Fatalf("group = %+v", g)
	}
	if p := all.Policies[0]; len(p.PolicyVersionList) != 2 || aws.ToString(p.DefaultVersionId) != "v2" || aws.ToInt32(p.AttachmentCount) != 1 {
		t.Fatalf("policy = %+v", p)
	}
	var app bool
	for _, r := range all.RoleDetailList {
		app = app || aws.ToString(r.RoleName) == "app"
	}
	if !app {
		t.Fatalf("role app missing from %d roles", len(all.RoleDetailList))
	}

	// Filter, and page with Marker.
	users, err := c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []iamtypes.EntityType{iamtypes.EntityTypeUser}})
	if err != nil || len(users.UserDetailList) != 3 || len(users.GroupDetailList)+len(users.RoleDetailList)+len(users.Policies) != 0 {
		t.Fatalf("Filter User = %+v, %v", users, err)
	}
	var names []string
	var marker *string
	for range 10 {
		page, err := c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{
			Filter: []iamtypes.EntityType{iamtypes.EntityTypeUser, iamtypes.EntityTypeGroup}, MaxItems: aws.Int32(2), Marker: marker})
		if err != nil {
			t.Fatalf("page: %v", err)
		}
		for _, u := range page.UserDetailList {
			names = append(names, aws.ToString(u.UserName))
		}
		for _, g := range page.GroupDetailList {
			names = append(names, aws.ToString(g.GroupName))
		}
		if !page.IsTruncated {
			break
		}
		marker = page.Marker
	}
	if fmt.Sprint(names) != "[user0 user1 user2 readers]" {
		t.Fatalf("paged = %v", names)
	}
}
