package e2e

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIThroughProxy points the real AWS CLI at idcenter with nothing but
// HTTPS_PROXY and AWS_CA_BUNDLE: no --endpoint-url, no endpoint overlay. The
// CLI talks to the real AWS host names; idcenter answers the CONNECTs.
func TestCLIThroughProxy(t *testing.T) {
	needCLI(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	s := startServerAt(t, dataDir, "--proxy")
	caBundle := filepath.Join(dataDir, "ca.pem")
	run := func(region string, args ...string) map[string]any {
		t.Helper()
		cmd := exec.Command(awsCLI, append(args, "--profile", "idcenter", "--region", region, "--output", "json", "--no-cli-pager")...)
		cmd.Env = append(cleanEnv(t.TempDir()),
			"AWS_SHARED_CREDENTIALS_FILE="+s.CredentialsFile,
			"AWS_CONFIG_FILE="+s.ConfigFile,
			"HTTPS_PROXY="+s.Endpoint,
			"AWS_CA_BUNDLE="+caBundle,
			"AWS_PAGER=",
		)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("aws %s: %v\nstdout: %s\nstderr: %s\nserver: %s", strings.Join(args, " "), err, out.String(), errb.String(), s.stderr)
		}
		var v map[string]any
		if err := json.Unmarshal(out.Bytes(), &v); err != nil {
			t.Fatalf("aws %s: output is not JSON: %v: %s", strings.Join(args, " "), err, out.String())
		}
		return v
	}
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		id := run(region, "sts", "get-caller-identity")
		eq(t, "Arn via proxy ("+region+")", str(t, id, "Arn"), "arn:aws:iam::123456789012:root")
		ins := run(region, "sso-admin", "list-instances")
		eq(t, "InstanceArn via proxy", str(t, ins, "Instances", 0, "InstanceArn"), s.InstanceARN)
		users := run(region, "identitystore", "list-users", "--identity-store-id", s.IdentityStoreID)
		if _, ok := users["Users"]; !ok {
			t.Fatalf("list-users via proxy: %v", users)
		}
	}
	org := run("us-east-1", "organizations", "describe-organization")
	eq(t, "MasterAccountId via proxy", str(t, org, "Organization", "MasterAccountId"), "123456789012")
}
