package e2e

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIEndpointOverlay: `idcenter cli-config --profile …` writes the endpoint
// overlay; with only AWS_DATA_PATH set, the Debian CLI (which has no endpoint
// settings) reaches idcenter without --endpoint-url.
func TestCLIEndpointOverlay(t *testing.T) {
	needCLI(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	s := startServerAt(t, dataDir)
	listen := strings.TrimPrefix(s.Endpoint, "http://")
	home := t.TempDir()
	cfgCmd := exec.Command(binPath, "cli-config", "--data", dataDir, "--listen", listen,
		"--profile", "my_profile", "--account", "123456789012", "--role", "DevOps", "--sso-session", "my-sso")
	cfgCmd.Env = cleanEnv(home)
	out, err := cfgCmd.Output()
	if err != nil {
		t.Fatalf("cli-config: %v\n%s", err, out)
	}
	var dataPath string
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "export AWS_DATA_PATH="); ok {
			dataPath = v
		}
	}
	if dataPath == "" || !strings.Contains(string(out), "[sso-session my-sso]\nsso_start_url = "+s.Endpoint+"/start\n") {
		t.Fatalf("cli-config output:\n%s", out)
	}
	run := func(args ...string) map[string]any {
		t.Helper()
		cmd := exec.Command(awsCLI, append(args, "--profile", "idcenter", "--output", "json", "--no-cli-pager")...)
		cmd.Env = append(cleanEnv(home),
			"AWS_SHARED_CREDENTIALS_FILE="+s.CredentialsFile,
			"AWS_CONFIG_FILE="+s.ConfigFile,
			"AWS_DATA_PATH="+dataPath,
			"AWS_PAGER=",
		)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		var v map[string]any
		if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
			t.Fatalf("aws %s: %v: %s", strings.Join(args, " "), err, stdout.String())
		}
		return v
	}
	id := run("sts", "get-caller-identity")
	eq(t, "Arn via overlay", str(t, id, "Arn"), "arn:aws:iam::123456789012:root")
	ins := run("sso-admin", "list-instances")
	eq(t, "InstanceArn via overlay", str(t, ins, "Instances", 0, "InstanceArn"), s.InstanceARN)
	run("iam", "list-users")
}
