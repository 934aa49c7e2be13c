package app_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"golang.org/x/crypto/ssh"
)

// ---- fixtures ----

func entClient(t *testing.T) (*iam.Client, *testServer) {
	t.Helper()
	ts := startServer(t)
	return iam.NewFromConfig(ts.rootConfig(t)), ts
}

func entMust[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

const entTrustEC2 = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

func entCreateRole(t *testing.T, c *iam.Client, name, path string) {
	t.Helper()
	in := &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(entTrustEC2)}
	if path != "" {
		in.Path = aws.String(path)
	}
	if _, err := c.CreateRole(context.Background(), in); err != nil {
		t.Fatalf("CreateRole %s: %v", name, err)
	}
}

func entCreateUser(t *testing.T, c *iam.Client, name string) {
	t.Helper()
	if _, err := c.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		t.Fatalf("CreateUser %s: %v", name, err)
	}
}

// entSSHRSAKey makes an ssh-rsa authorized key of bits bits.
func entSSHRSAKey(t *testing.T, bits int) (string, ssh.PublicKey) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ssh.NewPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub))), pub
}

// entSelfSigned makes a PEM certificate for cn with a new P-256 key, and the key in PKCS#8 PEM.
func entSelfSigned(t *testing.T, cn string) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}))
}

// ---- instance profiles ----

func TestIAMInstanceProfiles(t *testing.T) {
	c, _ := entClient(t)
	ctx := context.Background()
	entCreateRole(t, c, "web-role", "")
	entCreateRole(t, c, "other-role", "")

	for _, p := range []struct{ name, path string }{{"web", "/app/"}, {"batch", ""}, {"cache", "/app/"}} {
		in := &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(p.name),
			Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("a")}}}
		if p.path != "" {
			in.Path = aws.String(p.path)
		}
		out := entMust[*iam.CreateInstanceProfileOutput](t, "CreateInstanceProfile")(c.CreateInstanceProfile(ctx, in))
		ip := out.InstanceProfile
		wantPath := p.path
		if wantPath == "" {
			wantPath = "/"
		}
		if id := aws.ToString(ip.InstanceProfileId); !strings.HasPrefix(id, "AIPA") || len(id) != 21 ||
			aws.ToString(ip.Arn) != "arn:aws:iam::123456789012:instance-profile"+wantPath+p.name || len(ip.Roles) != 0 || len(ip.Tags) != 1 {
			t.Fatalf("CreateInstanceProfile = %+v", ip)
		}
	}

	errs := []struct {
		what string
		call func() error
		code string
	}{
		{"duplicate name, other case", func() error {
			_, err := c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("WEB")})
			return err
		}, "EntityAlreadyExists"},
		{"get missing", func() error {
			_, err := c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("nope")})
			return err
		}, "NoSuchEntity"},
		{"bad path", func() error {
			_, err := c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("x"), Path: aws.String("app")})
			return err
		}, "ValidationError"},
		{"add missing role", func() error {
			_, err := c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("nope")})
			return err
		}, "NoSuchEntity"},
		{"add to missing profile", func() error {
			_, err := c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("nope"), RoleName: aws.String("web-role")})
			return err
		}, "NoSuchEntity"},
		{"remove a role not in it", func() error {
			_, err := c.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("web-role")})
			return err
		}, "NoSuchEntity"},
	}
	for _, tt := range errs {
		wantAPIError(t, tt.what, tt.call(), tt.code)
	}

	// Paging and PathPrefix.
	var names []string
	var marker *string
	for {
		out := entMust[*iam.ListInstanceProfilesOutput](t, "ListInstanceProfiles")(c.ListInstanceProfiles(ctx, &iam.ListInstanceProfilesInput{MaxItems: aws.Int32(2), Marker: marker}))
		for _, p := range out.InstanceProfiles {
			names = append(names, aws.ToString(p.InstanceProfileName))
		}
		if !out.IsTruncated {
			break
		}
		marker = out.Marker
	}
	if strings.Join(names, ",") != "batch,cache,web" {
		t.Fatalf("paged profiles = %v", names)
	}
	app := entMust[*iam.ListInstanceProfilesOutput](t, "ListInstanceProfiles /app/")(c.ListInstanceProfiles(ctx, &iam.ListInstanceProfilesInput{PathPrefix: aws.String("/app/")}))
	if len(app.InstanceProfiles) != 2 {
		t.Fatalf("/app/ profiles = %+v", app.InstanceProfiles)
	}

	// One role per profile.
	entMust[*iam.AddRoleToInstanceProfileOutput](t, "AddRoleToInstanceProfile")(c.AddRoleToInstanceProfile(ctx,
		&iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("web-role")}))
	_, err := c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("other-role")})
	wantAPIError(t, "second role", err, "LimitExceeded")
	entMust[*iam.AddRoleToInstanceProfileOutput](t, "AddRoleToInstanceProfile batch")(c.AddRoleToInstanceProfile(ctx,
		&iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("batch"), RoleName: aws.String("web-role")}))

	got := entMust[*iam.GetInstanceProfileOutput](t, "GetInstanceProfile")(c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("web")}))
	if rs := got.InstanceProfile.Roles; len(rs) != 1 || aws.ToString(rs[0].RoleName) != "web-role" || aws.ToString(rs[0].AssumeRolePolicyDocument) == "" {
		t.Fatalf("profile roles = %+v", rs)
	}
	forRole := entMust[*iam.ListInstanceProfilesForRoleOutput](t, "ListInstanceProfilesForRole")(c.ListInstanceProfilesForRole(ctx,
		&iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("web-role"), MaxItems: aws.Int32(1)}))
	if len(forRole.InstanceProfiles) != 1 || aws.ToString(forRole.InstanceProfiles[0].InstanceProfileName) != "batch" || !forRole.IsTruncated {
		t.Fatalf("ListInstanceProfilesForRole page 1 = %+v", forRole)
	}
	forRole = entMust[*iam.ListInstanceProfilesForRoleOutput](t, "ListInstanceProfilesForRole 2")(c.ListInstanceProfilesForRole(ctx,
		&iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("web-role"), Marker: forRole.Marker}))
	if len(forRole.InstanceProfiles) != 1 || aws.ToString(forRole.InstanceProfiles[0].InstanceProfileName) != "web" || forRole.IsTruncated {
		t.Fatalf("ListInstanceProfilesForRole page 2 = %+v", forRole)
	}

	// The account summary counts profiles; the authorization details list a role's profiles.
	sum := entMust[*iam.GetAccountSummaryOutput](t, "GetAccountSummary")(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}))
	if n := sum.SummaryMap["InstanceProfiles"]; n != 3 {
		t.Fatalf("summary InstanceProfiles = %d, want 3", n)
	}
	det := entMust[*iam.GetAccountAuthorizationDetailsOutput](t, "GetAccountAuthorizationDetails")(c.GetAccountAuthorizationDetails(ctx,
		&iam.GetAccountAuthorizationDetailsInput{Filter: []iamtypes.EntityType{iamtypes.EntityTypeRole}}))
	for _, r := range det.RoleDetailList {
		var ps []string
		for _, p := range r.InstanceProfileList {
			ps = append(ps, aws.ToString(p.InstanceProfileName))
			if len(p.Roles) != 1 || aws.ToString(p.Roles[0].RoleName) != "web-role" {
				t.Fatalf("profile %s in the details has roles %+v", aws.ToString(p.InstanceProfileName), p.Roles)
			}
		}
		want := map[string]string{"web-role": "batch,web", "other-role": ""}[aws.ToString(r.RoleName)]
		if strings.Join(ps, ",") != want {
			t.Fatalf("details: role %s has profiles %v, want %q", aws.ToString(r.RoleName), ps, want)
		}
	}

	// A role in a profile and a profile with a role cannot be deleted.
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("web-role")})
	wantAPIError(t, "delete a role in a profile", err, "DeleteConflict")
	_, err = c.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String("web")})
	wantAPIError(t, "delete a profile with a role", err, "DeleteConflict")

	// Tags.
	entMust[*iam.TagInstanceProfileOutput](t, "TagInstanceProfile")(c.TagInstanceProfile(ctx, &iam.TagInstanceProfileInput{InstanceProfileName: aws.String("web"),
		Tags: []iamtypes.Tag{{Key: aws.String("env"), Value: aws.String("prod")}, {Key: aws.String("TEAM"), Value: aws.String("b")}}}))
	entMust[*iam.UntagInstanceProfileOutput](t, "UntagInstanceProfile")(c.UntagInstanceProfile(ctx, &iam.UntagInstanceProfileInput{InstanceProfileName: aws.String("web"),
		TagKeys: []string{"env"}}))
	tags := entMust[*iam.ListInstanceProfileTagsOutput](t, "ListInstanceProfileTags")(c.ListInstanceProfileTags(ctx, &iam.ListInstanceProfileTagsInput{InstanceProfileName: aws.String("web")}))
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "TEAM" || aws.ToString(tags.Tags[0].Value) != "b" {
		t.Fatalf("tags = %+v", tags.Tags)
	}

	for _, p := range []string{"web", "batch"} {
		entMust[*iam.RemoveRoleFromInstanceProfileOutput](t, "RemoveRoleFromInstanceProfile")(c.RemoveRoleFromInstanceProfile(ctx,
			&iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: aws.String(p), RoleName: aws.String("web-role")}))
	}
	entMust[*iam.DeleteInstanceProfileOutput](t, "DeleteInstanceProfile")(c.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String("web")}))
	_, err = c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("web")})
	wantAPIError(t, "deleted profile", err, "NoSuchEntity")
	entMust[*iam.DeleteRoleOutput](t, "DeleteRole")(c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("web-role")}))
}

// ---- permissions boundaries ----

func TestIAMPermissionsBoundaryPutAndDelete(t *testing.T) {
	c, ts := entClient(t)
	ctx := context.Background()
	entCreateUser(t, c, "bounded")
	entMust[*iam.AttachUserPolicyOutput](t, "AttachUserPolicy")(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bounded"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}))
	key := entMust[*iam.CreateAccessKeyOutput](t, "CreateAccessKey")(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bounded")}))
	uc := iam.NewFromConfig(ts.awsConfig(t, aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey)))
	boundary := entMust[*iam.CreatePolicyOutput](t, "CreatePolicy")(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("read-users"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser","iam:ListUsers"],"Resource":"*"}]}`)}))
	barn := boundary.Policy.Arn

	errs := []struct {
		what string
		call func() error
		code string
	}{
		{"missing policy", func() error {
			_, err := c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("bounded"),
				PermissionsBoundary: aws.String("arn:aws:iam::123456789012:policy/nope")})
			return err
		}, "NoSuchEntity"},
		{"missing user", func() error {
			_, err := c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("nope"), PermissionsBoundary: barn})
			return err
		}, "NoSuchEntity"},
		{"missing role", func() error {
			_, err := c.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: aws.String("nope")})
			return err
		}, "NoSuchEntity"},
	}
	for _, tt := range errs {
		wantAPIError(t, tt.what, tt.call(), tt.code)
	}

	// Without a boundary the administrator may create users.
	if _, err := uc.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("made-before")}); err != nil {
		t.Fatalf("CreateUser without a boundary: %v", err)
	}
	entMust[*iam.PutUserPermissionsBoundaryOutput](t, "PutUserPermissionsBoundary")(c.PutUserPermissionsBoundary(ctx,
		&iam.PutUserPermissionsBoundaryInput{UserName: aws.String("bounded"), PermissionsBoundary: barn}))
	u := entMust[*iam.GetUserOutput](t, "GetUser")(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bounded")}))
	if pb := u.User.PermissionsBoundary; pb == nil || aws.ToString(pb.PermissionsBoundaryArn) != aws.ToString(barn) {
		t.Fatalf("user boundary = %+v", pb)
	}
	// The boundary limits the user's calls at once.
	if _, err := uc.ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatalf("ListUsers inside the boundary: %v", err)
	}
	_, err := uc.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("made-after")})
	wantAPIError(t, "CreateUser outside the boundary", err, "AccessDenied")

	entMust[*iam.DeleteUserPermissionsBoundaryOutput](t, "DeleteUserPermissionsBoundary")(c.DeleteUserPermissionsBoundary(ctx,
		&iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("bounded")}))
	if _, err := uc.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("made-after")}); err != nil {
		t.Fatalf("CreateUser after the boundary is removed: %v", err)
	}

	// Roles, with an AWS managed boundary.
	entCreateRole(t, c, "app", "")
	ro := "arn:aws:iam::aws:policy/ReadOnlyAccess"
	entMust[*iam.PutRolePermissionsBoundaryOutput](t, "PutRolePermissionsBoundary")(c.PutRolePermissionsBoundary(ctx,
		&iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("app"), PermissionsBoundary: aws.String(ro)}))
	r := entMust[*iam.GetRoleOutput](t, "GetRole")(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")}))
	if pb := r.Role.PermissionsBoundary; pb == nil || aws.ToString(pb.PermissionsBoundaryArn) != ro {
		t.Fatalf("role boundary = %+v", pb)
	}
	entMust[*iam.DeleteRolePermissionsBoundaryOutput](t, "DeleteRolePermissionsBoundary")(c.DeleteRolePermissionsBoundary(ctx,
		&iam.DeleteRolePermissionsBoundaryInput{RoleName: aws.String("app")}))
	r = entMust[*iam.GetRoleOutput](t, "GetRole")(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")}))
	if r.Role.PermissionsBoundary != nil {
		t.Fatalf("role boundary after delete = %+v", r.Role.PermissionsBoundary)
	}

	// Identity Center's reserved roles are AWS's to change.
	entCreateRole(t, c, "AWSReservedSSO_Admin_0123456789abcdef", "/aws-reserved/sso.amazonaws.com/")
	_, err = c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("AWSReservedSSO_Admin_0123456789abcdef"),
		PermissionsBoundary: aws.String(ro)})
	wantAPIError(t, "boundary on a reserved role", err, "UnmodifiableEntity")
	_, err = c.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: aws.String("AWSReservedSSO_Admin_0123456789abcdef")})
	wantAPIError(t, "delete boundary of a reserved role", err, "UnmodifiableEntity")
	// So are service-linked roles.
	slr := entMust[*iam.CreateServiceLinkedRoleOutput](t, "CreateServiceLinkedRole")(c.CreateServiceLinkedRole(ctx,
		&iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("elasticloadbalancing.amazonaws.com")}))
	_, err = c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: slr.Role.RoleName, PermissionsBoundary: aws.String(ro)})
	wantAPIError(t, "boundary on a service-linked role", err, "UnmodifiableEntity")
	_, err = c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("lb")})
	if err != nil {
		t.Fatalf("CreateInstanceProfile: %v", err)
	}
	_, err = c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("lb"), RoleName: slr.Role.RoleName})
	wantAPIError(t, "service-linked role in an instance profile", err, "UnmodifiableEntity")
}

// ---- managed policy tags ----

func TestIAMPolicyTags(t *testing.T) {
	c, _ := entClient(t)
	ctx := context.Background()
	p := entMust[*iam.CreatePolicyOutput](t, "CreatePolicy")(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("tagged"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`),
		Tags:           []iamtypes.Tag{{Key: aws.String("a"), Value: aws.String("1")}}}))
	arn := p.Policy.Arn
	entMust[*iam.TagPolicyOutput](t, "TagPolicy")(c.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: arn,
		Tags: []iamtypes.Tag{{Key: aws.String("A"), Value: aws.String("2")}, {Key: aws.String("b"), Value: aws.String("3")}, {Key: aws.String("c"), Value: aws.String("4")}}}))
	entMust[*iam.UntagPolicyOutput](t, "UntagPolicy")(c.UntagPolicy(ctx, &iam.UntagPolicyInput{PolicyArn: arn, TagKeys: []string{"C"}}))
	page := entMust[*iam.ListPolicyTagsOutput](t, "ListPolicyTags")(c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: arn, MaxItems: aws.Int32(1)}))
	if len(page.Tags) != 1 || !page.IsTruncated || aws.ToString(page.Tags[0].Key) != "A" || aws.ToString(page.Tags[0].Value) != "2" {
		t.Fatalf("ListPolicyTags page 1 = %+v", page)
	}
	page = entMust[*iam.ListPolicyTagsOutput](t, "ListPolicyTags 2")(c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: arn, Marker: page.Marker}))
	if len(page.Tags) != 1 || page.IsTruncated || aws.ToString(page.Tags[0].Key) != "b" {
		t.Fatalf("ListPolicyTags page 2 = %+v", page)
	}
	got := entMust[*iam.GetPolicyOutput](t, "GetPolicy")(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn}))
	if len(got.Policy.Tags) != 2 {
		t.Fatalf("GetPolicy tags = %+v", got.Policy.Tags)
	}

	errs := []struct {
		what string
		call func() error
		code string
	}{
		{"tag a missing policy", func() error {
			_, err := c.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/nope"),
				Tags: []iamtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		}, "NoSuchEntity"},
		{"tag an AWS managed policy", func() error {
			_, err := c.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess"),
				Tags: []iamtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		}, "InvalidInput"},
		{"duplicate keys", func() error {
			_, err := c.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: arn,
				Tags: []iamtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}, {Key: aws.String("K"), Value: aws.String("w")}}})
			return err
		}, "InvalidInput"},
		{"list tags of a missing policy", func() error {
			_, err := c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/nope")})
			return err
		}, "NoSuchEntity"},
	}
	for _, tt := range errs {
		wantAPIError(t, tt.what, tt.call(), tt.code)
	}
}

// ---- SSH public keys ----

func TestIAMSSHPublicKeys(t *testing.T) {
	c, _ := entClient(t)
	ctx := context.Background()
	entCreateUser(t, c, "dev")
	body, pub := entSSHRSAKey(t, 2048)

	up := entMust[*iam.UploadSSHPublicKeyOutput](t, "UploadSSHPublicKey")(c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("dev"),
		SSHPublicKeyBody: aws.String(body + " dev@laptop")}))
	k := up.SSHPublicKey
	id := aws.ToString(k.SSHPublicKeyId)
	if !strings.HasPrefix(id, "APKA") || len(id) != 21 || k.Status != iamtypes.StatusTypeActive || aws.ToString(k.UserName) != "dev" ||
		aws.ToString(k.Fingerprint) != ssh.FingerprintLegacyMD5(pub) || aws.ToString(k.SSHPublicKeyBody) != body {
		t.Fatalf("UploadSSHPublicKey = %+v (fingerprint want %s)", k, ssh.FingerprintLegacyMD5(pub))
	}

	// Both encodings.
	pemOut := entMust[*iam.GetSSHPublicKeyOutput](t, "GetSSHPublicKey PEM")(c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String("dev"),
		SSHPublicKeyId: aws.String(id), Encoding: iamtypes.EncodingTypePem}))
	block, _ := pem.Decode([]byte(aws.ToString(pemOut.SSHPublicKey.SSHPublicKeyBody)))
	if block == nil || block.Type != "PUBLIC KEY" {
		t.Fatalf("PEM body = %q", aws.ToString(pemOut.SSHPublicKey.SSHPublicKeyBody))
	}
	parsed, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil || !parsed.(*rsa.PublicKey).Equal(pub.(ssh.CryptoPublicKey).CryptoPublicKey()) {
		t.Fatalf("PEM key differs: %v", err)
	}
	sshOut := entMust[*iam.GetSSHPublicKeyOutput](t, "GetSSHPublicKey SSH")(c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String("dev"),
		SSHPublicKeyId: aws.String(id), Encoding: iamtypes.EncodingTypeSsh}))
	if aws.ToString(sshOut.SSHPublicKey.SSHPublicKeyBody) != body {
		t.Fatalf("SSH body = %q", aws.ToString(sshOut.SSHPublicKey.SSHPublicKeyBody))
	}
	// A PEM upload of the same key is the same key.
	_, err = c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("dev"), SSHPublicKeyBody: pemOut.SSHPublicKey.SSHPublicKeyBody})
	wantAPIError(t, "same key as PEM", err, "DuplicateSSHPublicKey")

	short, _ := entSSHRSAKey(t, 1024)
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	edKey, _ := ssh.NewPublicKey(edPub)
	bad := []struct {
		what, body, code string
	}{
		{"not a key", "hello world", "UnrecognizedPublicKeyEncoding"},
		{"broken ssh-rsa", "ssh-rsa AAAAB3NzaC1yc2EAAAA", "InvalidPublicKey"},
		{"1024 bits", short, "InvalidPublicKey"},
		{"ed25519", string(ssh.MarshalAuthorizedKey(edKey)), "UnrecognizedPublicKeyEncoding"},
		{"broken PEM", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "InvalidPublicKey"},
	}
	for _, tt := range bad {
		_, err := c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("dev"), SSHPublicKeyBody: aws.String(tt.body)})
		wantAPIError(t, tt.what, err, tt.code)
	}

	// Five keys per user.
	for i := 0; i < 4; i++ {
		b, _ := entSSHRSAKey(t, 2048)
		entMust[*iam.UploadSSHPublicKeyOutput](t, "UploadSSHPublicKey more")(c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("dev"),
			SSHPublicKeyBody: aws.String(b)}))
	}
	sixth, _ := entSSHRSAKey(t, 2048)
	_, err = c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("dev"), SSHPublicKeyBody: aws.String(sixth)})
	wantAPIError(t, "sixth key", err, "LimitExceeded")

	list := entMust[*iam.ListSSHPublicKeysOutput](t, "ListSSHPublicKeys")(c.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("dev"), MaxItems: aws.Int32(3)}))
	if len(list.SSHPublicKeys) != 3 || !list.IsTruncated || aws.ToString(list.SSHPublicKeys[0].SSHPublicKeyId) != id {
		t.Fatalf("ListSSHPublicKeys page 1 = %+v", list)
	}
	list = entMust[*iam.ListSSHPublicKeysOutput](t, "ListSSHPublicKeys 2")(c.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("dev"), Marker: list.Marker}))
	if len(list.SSHPublicKeys) != 2 || list.IsTruncated {
		t.Fatalf("ListSSHPublicKeys page 2 = %+v", list)
	}

	entMust[*iam.UpdateSSHPublicKeyOutput](t, "UpdateSSHPublicKey")(c.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: aws.String("dev"),
		SSHPublicKeyId: aws.String(id), Status: iamtypes.StatusTypeInactive}))
	got := entMust[*iam.GetSSHPublicKeyOutput](t, "GetSSHPublicKey")(c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String("dev"),
		SSHPublicKeyId: aws.String(id), Encoding: iamtypes.EncodingTypeSsh}))
	if got.SSHPublicKey.Status != iamtypes.StatusTypeInactive {
		t.Fatalf("status after update = %s", got.SSHPublicKey.Status)
	}

	entCreateUser(t, c, "other")
	errs := []struct {
		what string
		call func() error
		code string
	}{
		{"another user's key", func() error {
			_, err := c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String("other"), SSHPublicKeyId: aws.String(id), Encoding: iamtypes.EncodingTypeSsh})
			return err
		}, "NoSuchEntity"},
		{"delete another user's key", func() error {
			_, err := c.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: aws.String("other"), SSHPublicKeyId: aws.String(id)})
			return err
		}, "NoSuchEntity"},
		{"upload for a missing user", func() error {
			_, err := c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("nope"), SSHPublicKeyBody: aws.String(body)})
			return err
		}, "NoSuchEntity"},
		{"delete a user with keys", func() error {
			_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("dev")})
			return err
		}, "DeleteConflict"},
	}
	for _, tt := range errs {
		wantAPIError(t, tt.what, tt.call(), tt.code)
	}

	all := entMust[*iam.ListSSHPublicKeysOutput](t, "ListSSHPublicKeys all")(c.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("dev")}))
	for _, m := range all.SSHPublicKeys {
		entMust[*iam.DeleteSSHPublicKeyOutput](t, "DeleteSSHPublicKey")(c.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: aws.String("dev"),
			SSHPublicKeyId: m.SSHPublicKeyId}))
	}
	entMust[*iam.DeleteUserOutput](t, "DeleteUser")(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("dev")}))
}

// ---- signing certificates ----

func TestIAMSigningCertificates(t *testing.T) {
	c, _ := entClient(t)
	ctx := context.Background()
	entCreateUser(t, c, "signer")
	entCreateUser(t, c, "other")
	cert1, _ := entSelfSigned(t, "one")
	cert2, _ := entSelfSigned(t, "two")
	cert3, _ := entSelfSigned(t, "three")

	up := entMust[*iam.UploadSigningCertificateOutput](t, "UploadSigningCertificate")(c.UploadSigningCertificate(ctx,
		&iam.UploadSigningCertificateInput{UserName: aws.String("signer"), CertificateBody: aws.String(cert1)}))
	sc := up.Certificate
	if id := aws.ToString(sc.CertificateId); len(id) < 24 || sc.Status != iamtypes.StatusTypeActive || aws.ToString(sc.CertificateBody) != cert1 ||
		aws.ToString(sc.UserName) != "signer" || sc.UploadDate == nil {
		t.Fatalf("UploadSigningCertificate = %+v", sc)
	}

	errs := []struct {
		what string
		call func() error
		code string
	}{
		{"not PEM", func() error {
			_, err := c.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: aws.String("signer"), CertificateBody: aws.String("hello")})
			return err
		}, "MalformedCertificate"},
		{"broken DER", func() error {
			_, err := c.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: aws.String("signer"),
				CertificateBody: aws.String("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")})
			return err
		}, "MalformedCertificate"},
		{"same certificate for another user", func() error {
			_, err := c.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: aws.String("other"), CertificateBody: aws.String(cert1)})
			return err
		}, "DuplicateCertificate"},
		{"missing user", func() error {
			_, err := c.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: aws.String("nope"), CertificateBody: aws.String(cert2)})
			return err
		}, "NoSuchEntity"},
		{"bad status", func() error {
			_, err := c.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{UserName: aws.String("signer"), CertificateId: sc.CertificateId,
				Status: "Paused"})
			return err
		}, "ValidationError"},
		{"another user's certificate", func() error {
			_, err := c.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{UserName: aws.String("other"), CertificateId: sc.CertificateId})
			return err
		}, "NoSuchEntity"},
	}
	for _, tt := range errs {
		wantAPIError(t, tt.what, tt.call(), tt.code)
	}

	entMust[*iam.UploadSigningCertificateOutput](t, "UploadSigningCertificate 2")(c.UploadSigningCertificate(ctx,
		&iam.UploadSigningCertificateInput{UserName: aws.String("signer"), CertificateBody: aws.String(cert2)}))
	_, err := c.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: aws.String("signer"), CertificateBody: aws.String(cert3)})
	wantAPIError(t, "third certificate", err, "LimitExceeded")

	entMust[*iam.UpdateSigningCertificateOutput](t, "UpdateSigningCertificate")(c.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{
		UserName: aws.String("signer"), CertificateId: sc.CertificateId, Status: iamtypes.StatusTypeInactive}))
	list := entMust[*iam.ListSigningCertificatesOutput](t, "ListSigningCertificates")(c.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: aws.String("signer")}))
	if len(list.Certificates) != 2 || aws.ToString(list.Certificates[0].CertificateId) != aws.ToString(sc.CertificateId) ||
		list.Certificates[0].Status != iamtypes.StatusTypeInactive || list.Certificates[1].Status != iamtypes.StatusTypeActive {
		t.Fatalf("ListSigningCertificates = %+v", list.Certificates)
	}
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("signer")})
	wantAPIError(t, "delete a user with certificates", err, "DeleteConflict")
	for _, cert := range list.Certificates {
		entMust[*iam.DeleteSigningCertificateOutput](t, "DeleteSigningCertificate")(c.DeleteSigningCertificate(ctx,
			&iam.DeleteSigningCertificateInput{UserName: aws.String("signer"), CertificateId: cert.CertificateId}))
	}
	_, err = c.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{UserName: aws.String("signer"), CertificateId: sc.CertificateId})
	wantAPIError(t, "delete twice", err, "NoSuchEntity")
	entMust[*iam.DeleteUserOutput](t, "DeleteUser")(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("signer")}))
	// The certificate may be uploaded again once deleted.
	entMust[*iam.UploadSigningCertificateOutput](t, "UploadSigningCertificate again")(c.UploadSigningCertificate(ctx,
		&iam.UploadSigningCertificateInput{UserName: aws.String("other"), CertificateBody: aws.String(cert1)}))
}

// ---- server certificates ----

func TestIAMServerCertificates(t *testing.T) {
	c, _ := entClient(t)
	ctx := context.Background()
	cert, key := entSelfSigned(t, "www.example.com")
	chain, otherKey := entSelfSigned(t, "Example CA")

	up := entMust[*iam.UploadServerCertificateOutput](t, "UploadServerCertificate")(c.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{
		ServerCertificateName: aws.String("www"), Path: aws.String("/cloudfront/"), CertificateBody: aws.String(cert), PrivateKey: aws.String(key),
		CertificateChain: aws.String(chain), Tags: []iamtypes.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}))
	m := up.ServerCertificateMetadata
	if id := aws.ToString(m.ServerCertificateId); !strings.HasPrefix(id, "ASCA") || len(id) != 21 ||
		aws.ToString(m.Arn) != "arn:aws:iam::123456789012:server-certificate/cloudfront/www" ||
		!aws.ToTime(m.Expiration).Equal(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)) || len(up.Tags) != 1 {
		t.Fatalf("UploadServerCertificate = %+v %+v", m, up.Tags)
	}
	entMust[*iam.UploadServerCertificateOutput](t, "UploadServerCertificate 2")(c.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{
		ServerCertificateName: aws.String("api"), CertificateBody: aws.String(chain), PrivateKey: aws.String(otherKey)}))

	errs := []struct {
		what string
		in   iam.UploadServerCertificateInput
		code string
	}{
		{"key of another certificate", iam.UploadServerCertificateInput{ServerCertificateName: aws.String("x"), CertificateBody: aws.String(cert),
			PrivateKey: aws.String(otherKey)}, "KeyPairMismatch"},
		{"malformed body", iam.UploadServerCertificateInput{ServerCertificateName: aws.String("x"), CertificateBody: aws.String("nope"),
			PrivateKey: aws.String(key)}, "MalformedCertificate"},
		{"malformed key", iam.UploadServerCertificateInput{ServerCertificateName: aws.String("x"), CertificateBody: aws.String(cert),
			PrivateKey: aws.String("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")}, "MalformedCertificate"},
		{"malformed chain", iam.UploadServerCertificateInput{ServerCertificateName: aws.String("x"), CertificateBody: aws.String(cert),
			PrivateKey: aws.String(key), CertificateChain: aws.String("garbage")}, "MalformedCertificate"},
		{"taken name", iam.UploadServerCertificateInput{ServerCertificateName: aws.String("WWW"), CertificateBody: aws.String(cert),
			PrivateKey: aws.String(key)}, "EntityAlreadyExists"},
	}
	for _, tt := range errs {
		_, err := c.UploadServerCertificate(ctx, &tt.in)
		wantAPIError(t, tt.what, err, tt.code)
	}

	got := entMust[*iam.GetServerCertificateOutput](t, "GetServerCertificate")(c.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("www")}))
	if sc := got.ServerCertificate; aws.ToString(sc.CertificateBody) != strings.TrimSpace(cert) || aws.ToString(sc.CertificateChain) != strings.TrimSpace(chain) ||
		aws.ToString(sc.ServerCertificateMetadata.ServerCertificateName) != "www" || len(sc.Tags) != 1 {
		t.Fatalf("GetServerCertificate = %+v", sc)
	}
	list := entMust[*iam.ListServerCertificatesOutput](t, "ListServerCertificates")(c.ListServerCertificates(ctx, &iam.ListServerCertificatesInput{
		PathPrefix: aws.String("/cloudfront/")}))
	if len(list.ServerCertificateMetadataList) != 1 || aws.ToString(list.ServerCertificateMetadataList[0].ServerCertificateName) != "www" {
		t.Fatalf("ListServerCertificates /cloudfront/ = %+v", list.ServerCertificateMetadataList)
	}
	page := entMust[*iam.ListServerCertificatesOutput](t, "ListServerCertificates page")(c.ListServerCertificates(ctx, &iam.ListServerCertificatesInput{MaxItems: aws.Int32(1)}))
	if len(page.ServerCertificateMetadataList) != 1 || !page.IsTruncated || aws.ToString(page.ServerCertificateMetadataList[0].ServerCertificateName) != "api" {
		t.Fatalf("ListServerCertificates page 1 = %+v", page)
	}

	sum := entMust[*iam.GetAccountSummaryOutput](t, "GetAccountSummary")(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}))
	if n := sum.SummaryMap["ServerCertificates"]; n != 2 {
		t.Fatalf("summary ServerCertificates = %d, want 2", n)
	}

	// Rename and move.
	entMust[*iam.UpdateServerCertificateOutput](t, "UpdateServerCertificate")(c.UpdateServerCertificate(ctx, &iam.UpdateServerCertificateInput{
		ServerCertificateName: aws.String("www"), NewServerCertificateName: aws.String("www-2030"), NewPath: aws.String("/elb/")}))
	_, err := c.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("www")})
	wantAPIError(t, "old name", err, "NoSuchEntity")
	moved := entMust[*iam.GetServerCertificateOutput](t, "GetServerCertificate moved")(c.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("www-2030")}))
	if aws.ToString(moved.ServerCertificate.ServerCertificateMetadata.Arn) != "arn:aws:iam::123456789012:server-certificate/elb/www-2030" {
		t.Fatalf("moved = %+v", moved.ServerCertificate.ServerCertificateMetadata)
	}
	_, err = c.UpdateServerCertificate(ctx, &iam.UpdateServerCertificateInput{ServerCertificateName: aws.String("www-2030"), NewServerCertificateName: aws.String("API")})
	wantAPIError(t, "rename to a taken name", err, "EntityAlreadyExists")

	// Tags.
	entMust[*iam.TagServerCertificateOutput](t, "TagServerCertificate")(c.TagServerCertificate(ctx, &iam.TagServerCertificateInput{
		ServerCertificateName: aws.String("www-2030"), Tags: []iamtypes.Tag{{Key: aws.String("owner"), Value: aws.String("web")}}}))
	entMust[*iam.UntagServerCertificateOutput](t, "UntagServerCertificate")(c.UntagServerCertificate(ctx, &iam.UntagServerCertificateInput{
		ServerCertificateName: aws.String("www-2030"), TagKeys: []string{"ENV"}}))
	tags := entMust[*iam.ListServerCertificateTagsOutput](t, "ListServerCertificateTags")(c.ListServerCertificateTags(ctx, &iam.ListServerCertificateTagsInput{
		ServerCertificateName: aws.String("www-2030")}))
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "owner" {
		t.Fatalf("tags = %+v", tags.Tags)
	}

	entMust[*iam.DeleteServerCertificateOutput](t, "DeleteServerCertificate")(c.DeleteServerCertificate(ctx, &iam.DeleteServerCertificateInput{
		ServerCertificateName: aws.String("www-2030")}))
	_, err = c.DeleteServerCertificate(ctx, &iam.DeleteServerCertificateInput{ServerCertificateName: aws.String("www-2030")})
	wantAPIError(t, "delete twice", err, "NoSuchEntity")
}

// ---- service-specific credentials ----

func TestIAMServiceSpecificCredentials(t *testing.T) {
	c, _ := entClient(t)
	ctx := context.Background()
	entCreateUser(t, c, "git")
	entCreateUser(t, c, "other")

	create := func(svc string) *iamtypes.ServiceSpecificCredential {
		t.Helper()
		out := entMust[*iam.CreateServiceSpecificCredentialOutput](t, "CreateServiceSpecificCredential "+svc)(c.CreateServiceSpecificCredential(ctx,
			&iam.CreateServiceSpecificCredentialInput{UserName: aws.String("git"), ServiceName: aws.String(svc)}))
		return out.ServiceSpecificCredential
	}
	first := create("codecommit.amazonaws.com")
	if id := aws.ToString(first.ServiceSpecificCredentialId); !strings.HasPrefix(id, "ACCA") || len(id) != 21 ||
		aws.ToString(first.ServiceUserName) != "git-at-123456789012" || len(aws.ToString(first.ServicePassword)) < 40 ||
		first.Status != iamtypes.StatusTypeActive || aws.ToString(first.UserName) != "git" {
		t.Fatalf("CreateServiceSpecificCredential = %+v", first)
	}
	second := create("codecommit.amazonaws.com")
	if aws.ToString(second.ServicePassword) == aws.ToString(first.ServicePassword) {
		t.Fatal("two credentials share a password")
	}
	create("cassandra.amazonaws.com")

	errs := []struct {
		what string
		call func() error
		code string
	}{
		{"third for a service", func() error {
			_, err := c.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("git"),
				ServiceName: aws.String("codecommit.amazonaws.com")})
			return err
		}, "LimitExceeded"},
		{"unsupported service", func() error {
			_, err := c.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("git"),
				ServiceName: aws.String("s3.amazonaws.com")})
			return err
		}, "NotSupportedService"},
		{"age for a password credential", func() error {
			_, err := c.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("git"),
				ServiceName: aws.String("cassandra.amazonaws.com"), CredentialAgeDays: aws.Int32(30)})
			return err
		}, "InvalidInput"},
		{"missing user", func() error {
			_, err := c.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("nope"),
				ServiceName: aws.String("codecommit.amazonaws.com")})
			return err
		}, "NoSuchEntity"},
		{"another user's credential", func() error {
			_, err := c.ResetServiceSpecificCredential(ctx, &iam.ResetServiceSpecificCredentialInput{UserName: aws.String("other"),
				ServiceSpecificCredentialId: first.ServiceSpecificCredentialId})
			return err
		}, "NoSuchEntity"},
		{"delete a user with credentials", func() error {
			_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("git")})
			return err
		}, "DeleteConflict"},
	}
	for _, tt := range errs {
		wantAPIError(t, tt.what, tt.call(), tt.code)
	}

	// API-key services: alias and secret, optional expiry.
	bedrock := entMust[*iam.CreateServiceSpecificCredentialOutput](t, "CreateServiceSpecificCredential bedrock")(c.CreateServiceSpecificCredential(ctx,
		&iam.CreateServiceSpecificCredentialInput{UserName: aws.String("git"), ServiceName: aws.String("bedrock.amazonaws.com"), CredentialAgeDays: aws.Int32(30)}))
	bk := bedrock.ServiceSpecificCredential
	if aws.ToString(bk.ServiceCredentialSecret) == "" || aws.ToString(bk.ServiceCredentialAlias) == "" || bk.ExpirationDate == nil ||
		!aws.ToTime(bk.ExpirationDate).Equal(aws.ToTime(bk.CreateDate).AddDate(0, 0, 30)) {
		t.Fatalf("bedrock credential = %+v", bk)
	}

	list := entMust[*iam.ListServiceSpecificCredentialsOutput](t, "ListServiceSpecificCredentials")(c.ListServiceSpecificCredentials(ctx,
		&iam.ListServiceSpecificCredentialsInput{UserName: aws.String("git"), ServiceName: aws.String("codecommit.amazonaws.com")}))
	if len(list.ServiceSpecificCredentials) != 2 || aws.ToString(list.ServiceSpecificCredentials[0].ServiceSpecificCredentialId) != aws.ToString(first.ServiceSpecificCredentialId) {
		t.Fatalf("ListServiceSpecificCredentials = %+v", list.ServiceSpecificCredentials)
	}
	all := entMust[*iam.ListServiceSpecificCredentialsOutput](t, "ListServiceSpecificCredentials all")(c.ListServiceSpecificCredentials(ctx,
		&iam.ListServiceSpecificCredentialsInput{AllUsers: aws.Bool(true), MaxItems: aws.Int32(3)}))
	if len(all.ServiceSpecificCredentials) != 3 || !all.IsTruncated {
		t.Fatalf("ListServiceSpecificCredentials all users = %+v", all)
	}

	reset := entMust[*iam.ResetServiceSpecificCredentialOutput](t, "ResetServiceSpecificCredential")(c.ResetServiceSpecificCredential(ctx,
		&iam.ResetServiceSpecificCredentialInput{UserName: aws.String("git"), ServiceSpecificCredentialId: first.ServiceSpecificCredentialId}))
	if p := aws.ToString(reset.ServiceSpecificCredential.ServicePassword); p == "" || p == aws.ToString(first.ServicePassword) {
		t.Fatalf("reset password = %q", p)
	}
	entMust[*iam.UpdateServiceSpecificCredentialOutput](t, "UpdateServiceSpecificCredential")(c.UpdateServiceSpecificCredential(ctx,
		&iam.UpdateServiceSpecificCredentialInput{UserName: aws.String("git"), ServiceSpecificCredentialId: first.ServiceSpecificCredentialId,
			Status: iamtypes.StatusTypeInactive}))
	list = entMust[*iam.ListServiceSpecificCredentialsOutput](t, "ListServiceSpecificCredentials 2")(c.ListServiceSpecificCredentials(ctx,
		&iam.ListServiceSpecificCredentialsInput{UserName: aws.String("git")}))
	if len(list.ServiceSpecificCredentials) != 4 || list.ServiceSpecificCredentials[0].Status != iamtypes.StatusTypeInactive {
		t.Fatalf("after update = %+v", list.ServiceSpecificCredentials)
	}
	for _, m := range list.ServiceSpecificCredentials {
		entMust[*iam.DeleteServiceSpecificCredentialOutput](t, "DeleteServiceSpecificCredential")(c.DeleteServiceSpecificCredential(ctx,
			&iam.DeleteServiceSpecificCredentialInput{UserName: aws.String("git"), ServiceSpecificCredentialId: m.ServiceSpecificCredentialId}))
	}
	_, err := c.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: aws.String("git"),
		ServiceSpecificCredentialId: first.ServiceSpecificCredentialId})
	wantAPIError(t, "delete twice", err, "NoSuchEntity")
	entMust[*iam.DeleteUserOutput](t, "DeleteUser")(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("git")}))
}

// TestIAMUserManagesOwnCredentials: operations whose UserName defaults to the
// caller act on the calling IAM user and are authorised on its own ARN, so a
// policy with ${aws:username} lets users manage only their own.
func TestIAMUserManagesOwnCredentials(t *testing.T) {
	c, ts := entClient(t)
	ctx := context.Background()
	entCreateUser(t, c, "self")
	entCreateUser(t, c, "neighbour")
	entMust[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("self"), PolicyName: aws.String("own"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListSSHPublicKeys","iam:UploadSigningCertificate",` +
			`"iam:ListSigningCertificates","iam:ListServiceSpecificCredentials"],"Resource":"arn:aws:iam::123456789012:user/${aws:username}"}]}`)}))
	key := entMust[*iam.CreateAccessKeyOutput](t, "CreateAccessKey")(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("self")}))
	uc := iam.NewFromConfig(ts.awsConfig(t, aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey)))
	body, _ := entSSHRSAKey(t, 2048)
	entMust[*iam.UploadSSHPublicKeyOutput](t, "UploadSSHPublicKey")(c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("self"),
		SSHPublicKeyBody: aws.String(body)}))

	keys := entMust[*iam.ListSSHPublicKeysOutput](t, "ListSSHPublicKeys as the user")(uc.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{}))
	if len(keys.SSHPublicKeys) != 1 || aws.ToString(keys.SSHPublicKeys[0].UserName) != "self" {
		t.Fatalf("own keys = %+v", keys.SSHPublicKeys)
	}
	cert, _ := entSelfSigned(t, "self")
	up := entMust[*iam.UploadSigningCertificateOutput](t, "UploadSigningCertificate as the user")(uc.UploadSigningCertificate(ctx,
		&iam.UploadSigningCertificateInput{CertificateBody: aws.String(cert)}))
	if aws.ToString(up.Certificate.UserName) != "self" {
		t.Fatalf("certificate uploaded for %q", aws.ToString(up.Certificate.UserName))
	}
	certs := entMust[*iam.ListSigningCertificatesOutput](t, "ListSigningCertificates as the user")(uc.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{}))
	if len(certs.Certificates) != 1 {
		t.Fatalf("own certificates = %+v", certs.Certificates)
	}
	entMust[*iam.ListServiceSpecificCredentialsOutput](t, "ListServiceSpecificCredentials as the user")(uc.ListServiceSpecificCredentials(ctx,
		&iam.ListServiceSpecificCredentialsInput{}))

	denied := []struct {
		what string
		call func() error
	}{
		{"another user's keys", func() error {
			_, err := uc.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("neighbour")})
			return err
		}},
		{"a certificate for another user", func() error {
			_, err := uc.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: aws.String("neighbour"), CertificateBody: aws.String(cert)})
			return err
		}},
		{"every user's credentials", func() error {
			_, err := uc.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{AllUsers: aws.Bool(true)})
			return err
		}},
		{"an action not granted", func() error {
			_, err := uc.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{})
			if err != nil {
				return err
			}
			_, err = uc.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("self"), SSHPublicKeyBody: aws.String(body)})
			return err
		}},
	}
	for _, tt := range denied {
		wantAPIError(t, tt.what, tt.call(), "AccessDenied")
	}
}
