package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// TestCLIIAMEntities drives instance profiles, a permissions boundary, policy
// tags, an SSH public key, a server certificate and a service-specific
// credential through the real CLI, files passed as file:// as users do.
func TestCLIIAMEntities(t *testing.T) {
	needCLI(t)
	s := startServer(t)
	admin := newCLI(t, s)
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return "file://" + p
	}

	// Instance profile with a role.
	admin.ok("iam", "create-role", "--role-name", "web", "--assume-role-policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	ip := admin.ok("iam", "create-instance-profile", "--instance-profile-name", "web", "--path", "/app/")
	eq(t, "instance profile Arn", str(t, ip, "InstanceProfile", "Arn"), "arn:aws:iam::123456789012:instance-profile/app/web")
	if n := len(list(t, ip, "InstanceProfile", "Roles")); n != 0 {
		t.Fatalf("new profile has %d roles", n)
	}
	admin.fail([]string{"EntityAlreadyExists"}, "iam", "create-instance-profile", "--instance-profile-name", "WEB")
	admin.ok("iam", "add-role-to-instance-profile", "--instance-profile-name", "web", "--role-name", "web")
	got := admin.ok("iam", "get-instance-profile", "--instance-profile-name", "web")
	eq(t, "profile role", str(t, got, "InstanceProfile", "Roles", 0, "RoleName"), "web")
	forRole := admin.ok("iam", "list-instance-profiles-for-role", "--role-name", "web")
	eq(t, "profiles for role", str(t, forRole, "InstanceProfiles", 0, "InstanceProfileName"), "web")
	admin.fail([]string{"DeleteConflict"}, "iam", "delete-role", "--role-name", "web")
	admin.ok("iam", "remove-role-from-instance-profile", "--instance-profile-name", "web", "--role-name", "web")
	admin.ok("iam", "delete-instance-profile", "--instance-profile-name", "web")

	// Permissions boundary and policy tags.
	admin.ok("iam", "create-user", "--user-name", "dev")
	pol := admin.ok("iam", "create-policy", "--policy-name", "boundary", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}`)
	parn := str(t, pol, "Policy", "Arn")
	admin.ok("iam", "put-user-permissions-boundary", "--user-name", "dev", "--permissions-boundary", parn)
	eq(t, "user boundary", str(t, admin.ok("iam", "get-user", "--user-name", "dev"), "User", "PermissionsBoundary", "PermissionsBoundaryArn"), parn)
	admin.ok("iam", "delete-user-permissions-boundary", "--user-name", "dev")
	admin.ok("iam", "tag-policy", "--policy-arn", parn, "--tags", "Key=team,Value=platform")
	eq(t, "policy tag", str(t, admin.ok("iam", "list-policy-tags", "--policy-arn", parn), "Tags", 0, "Value"), "platform")

	// SSH public key, uploaded from a file and read back as PEM.
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := ssh.NewPublicKey(&rk.PublicKey)
	up := admin.ok("iam", "upload-ssh-public-key", "--user-name", "dev", "--ssh-public-key-body", write("id_rsa.pub", string(ssh.MarshalAuthorizedKey(pub))))
	keyID := str(t, up, "SSHPublicKey", "SSHPublicKeyId")
	eq(t, "fingerprint", str(t, up, "SSHPublicKey", "Fingerprint"), ssh.FingerprintLegacyMD5(pub))
	pemKey := admin.ok("iam", "get-ssh-public-key", "--user-name", "dev", "--ssh-public-key-id", keyID, "--encoding", "PEM")
	if b := str(t, pemKey, "SSHPublicKey", "SSHPublicKeyBody"); !strings.HasPrefix(b, "-----BEGIN PUBLIC KEY-----") {
		t.Fatalf("PEM body = %q", b)
	}
	admin.fail([]string{"DeleteConflict"}, "iam", "delete-user", "--user-name", "dev")
	admin.ok("iam", "delete-ssh-public-key", "--user-name", "dev", "--ssh-public-key-id", keyID)

	// Server certificate with its key.
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "www.example.com"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	certFile := write("cert.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	keyFile := write("key.pem", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})))
	sc := admin.ok("iam", "upload-server-certificate", "--server-certificate-name", "www", "--certificate-body", certFile, "--private-key", keyFile)
	eq(t, "server certificate Arn", str(t, sc, "ServerCertificateMetadata", "Arn"), "arn:aws:iam::123456789012:server-certificate/www")
	eq(t, "server certificate Expiration", str(t, sc, "ServerCertificateMetadata", "Expiration"), "2030-06-01T00:00:00+00:00")
	gotCert := admin.ok("iam", "get-server-certificate", "--server-certificate-name", "www")
	if b := str(t, gotCert, "ServerCertificate", "CertificateBody"); !strings.HasPrefix(b, "-----BEGIN CERTIFICATE-----") {
		t.Fatalf("CertificateBody = %q", b)
	}
	eq(t, "listed certificate", str(t, admin.ok("iam", "list-server-certificates"), "ServerCertificateMetadataList", 0, "ServerCertificateName"), "www")
	admin.ok("iam", "delete-server-certificate", "--server-certificate-name", "www")

	// Service-specific credential.
	cred := admin.ok("iam", "create-service-specific-credential", "--user-name", "dev", "--service-name", "codecommit.amazonaws.com")
	eq(t, "ServiceUserName", str(t, cred, "ServiceSpecificCredential", "ServiceUserName"), "dev-at-123456789012")
	if p := str(t, cred, "ServiceSpecificCredential", "ServicePassword"); len(p) < 40 {
		t.Fatalf("ServicePassword = %q", p)
	}
	admin.fail([]string{"NotSupportedService"}, "iam", "create-service-specific-credential", "--user-name", "dev", "--service-name", "s3.amazonaws.com")
	listed := admin.ok("iam", "list-service-specific-credentials", "--user-name", "dev")
	eq(t, "listed credential status", str(t, listed, "ServiceSpecificCredentials", 0, "Status"), "Active")
	admin.ok("iam", "delete-service-specific-credential", "--user-name", "dev", "--service-specific-credential-id",
		str(t, cred, "ServiceSpecificCredential", "ServiceSpecificCredentialId"))
	admin.ok("iam", "delete-user", "--user-name", "dev")
}
