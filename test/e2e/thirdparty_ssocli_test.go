package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

const (
	awsSSOCLIModule  = "github.com/synfinatic/aws-sso-cli"
	awsSSOCLIVersion = "v1.17.0"
)

// TestAWSSSOCLIThroughProxy: aws-sso-cli (synfinatic), built from the Go
// module proxy and unchanged, logs Bojan in with nothing but HTTPS_PROXY and
// SSL_CERT_FILE pointing at idcenter, lists his roles (max_result=1000) and
// runs the AWS CLI with the DevOps role's credentials.
func TestAWSSSOCLIThroughProxy(t *testing.T) {
	needCLI(t)
	tool := buildTool(t, awsSSOCLIModule+"/cmd/aws-sso", awsSSOCLIVersion, "aws-sso")
	dataDir := filepath.Join(t.TempDir(), "data")
	s := startServerAt(t, dataDir, "--proxy")
	ca := filepath.Join(dataDir, "ca.pem")
	const password = "Correct-Horse-9"
	seedBojan(t, s, dataDir, password)

	home := t.TempDir()
	cfgDir := filepath.Join(home, ".config", "aws-sso")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := "SSOConfig:\n  Default:\n    SSORegion: us-east-1\n    StartUrl: https://portal.sso.us-east-1.amazonaws.com/start\n" +
		"DefaultSSO: Default\nDefaultRegion: eu-west-1\nSecureStore: file\nUrlAction: print\nAutoConfigCheck: false\n"
	if err := os.WriteFile(filepath.Join(cfgDir, "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(cleanEnv(home),
		"HTTPS_PROXY="+s.Endpoint,
		"SSL_CERT_FILE="+ca,
		"AWS_SSO_FILE_PASSWORD=not-a-desktop-keyring",
		"AWS_CA_BUNDLE="+ca, // for the AWS CLI run under aws-sso
		"AWS_PAGER=",
	)

	// exec logs in first (printing the verification URL), lists the roles,
	// gets the role's credentials and runs the AWS CLI with them.
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, "exec", "-A", managementAccount, "-R", "DevOps", "--",
		awsCLI, "sts", "get-caller-identity", "--output", "json", "--no-cli-pager")
	cmd.Env = env
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var printed []string
	verification := ""
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		printed = append(printed, line)
		if i := strings.Index(line, "http"); i >= 0 && strings.Contains(line, "user_code=") {
			verification = strings.Fields(line[i:])[0]
			break
		}
	}
	rest := make(chan string)
	go func() { b, _ := io.ReadAll(stderr); rest <- string(b) }()
	if verification == "" {
		cmd.Wait()
		t.Fatalf("aws-sso printed no verification URL:\n%s\n%s\nserver: %s", strings.Join(printed, "\n"), <-rest, s.stderr)
	}
	t.Logf("aws-sso shows %s", verification)
	newProxiedBrowser(t, s.Endpoint, ca).approveAsBojan(verification, password)
	err := cmd.Wait()
	errText := strings.Join(printed, "\n") + "\n" + <-rest
	if err != nil {
		t.Fatalf("aws-sso exec: %v\nstdout: %s\nstderr: %s\nserver: %s", err, stdout.String(), errText, s.stderr)
	}
	var id struct{ Arn string }
	if err := json.Unmarshal(stdout.Bytes(), &id); err != nil {
		t.Fatalf("aws sts get-caller-identity under aws-sso: %v: %q\nstderr: %s", err, stdout.String(), errText)
	}
	if !regexp.MustCompile(`^arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_DevOps_[0-9a-f]{16}/Bojan$`).MatchString(id.Arn) {
		t.Fatalf("caller under aws-sso = %s", id.Arn)
	}
}
