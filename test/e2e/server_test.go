package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/browsertest"
)

// Root key pinned on first start of every test server.
const (
	rootKeyID  = "AKIAIDCENTERE2E00001"
	rootSecret = "e2e/idcenter/root/secret/0123456789abcdef"

	managementAccount = "123456789012"
)

// binPath is the idcenter binary built by TestMain.
var binPath string

func TestMain(m *testing.M) {
	code := runMain(m)
	browsertest.Stop() // the Chromium of the browser-driven tests, if one started
	os.Exit(code)
}

func runMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "idcenter-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binPath = filepath.Join(dir, "idcenter")
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	build := exec.Command(gobin, "build", "-o", binPath, "github.com/idcenter/idcenter/cmd/idcenter")
	build.Stdout = os.Stderr
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building idcenter:", err)
		return 1
	}
	return m.Run()
}

// server is one running idcenter subprocess.
type server struct {
	t       *testing.T
	dataDir string
	cmd     *exec.Cmd
	stderr  *lockedBuffer
	done    chan error

	Endpoint        string // http://127.0.0.1:PORT
	InstanceARN     string
	IdentityStoreID string
	CredentialsFile string
	ConfigFile      string
}

// lockedBuffer collects the server's stderr for failure reports.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServer starts idcenter on a fresh temporary data folder.
func startServer(t *testing.T) *server {
	t.Helper()
	return startServerAt(t, filepath.Join(t.TempDir(), "data"))
}

// readyBound bounds how long a start may take before the test gives up; it is a hang guard,
// not a performance assertion.
const readyBound = 60 * time.Second

// startServerAt starts idcenter on dataDir (created by the server on first start) and waits
// for its "ready" line. The server is stopped (SIGTERM) at the end of the test unless stopped
// before.
func startServerAt(t *testing.T, dataDir string, extraArgs ...string) *server {
	t.Helper()
	s := &server{t: t, dataDir: dataDir, stderr: &lockedBuffer{}, done: make(chan error, 1)}
	cmd := exec.Command(binPath, append([]string{"serve", "--listen", "127.0.0.1:0", "--data", dataDir}, extraArgs...)...)
	cmd.Env = append(cleanEnv(t.TempDir()),
		"IDCENTER_ROOT_ACCESS_KEY_ID="+rootKeyID,
		"IDCENTER_ROOT_SECRET_ACCESS_KEY="+rootSecret,
	)
	cmd.Stderr = s.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start idcenter: %v", err)
	}
	s.cmd = cmd

	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, stdout)
		s.done <- cmd.Wait()
	}()
	t.Cleanup(func() { s.kill() })

	timeout := time.After(readyBound)
	var seen []string
	for ready := false; !ready; {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("idcenter exited before ready; stdout:\n%s\nstderr:\n%s", strings.Join(seen, "\n"), s.stderr)
			}
			seen = append(seen, line)
			key, val, _ := strings.Cut(line, ": ")
			switch key {
			case "endpoint":
				s.Endpoint = val
			case "instance":
				s.InstanceARN = val
			case "identity store":
				s.IdentityStoreID = val
			case "credentials":
				s.CredentialsFile, _, _ = strings.Cut(val, " (profile")
			}
			if line == "ready" {
				ready = true
			}
		case <-timeout:
			t.Fatalf("idcenter not ready after %v; stdout:\n%s\nstderr:\n%s", readyBound, strings.Join(seen, "\n"), s.stderr)
		}
	}
	// Keep draining stdout so the server never blocks on a full pipe.
	go func() {
		for range lines {
		}
	}()
	if !strings.HasPrefix(s.Endpoint, "http://127.0.0.1:") || strings.HasSuffix(s.Endpoint, ":0") {
		t.Fatalf("endpoint line: %q (stdout %q)", s.Endpoint, seen)
	}
	if s.CredentialsFile == "" {
		t.Fatalf("no credentials line in %q", seen)
	}
	s.ConfigFile = filepath.Join(filepath.Dir(s.CredentialsFile), "config")
	return s
}

// stop sends SIGTERM and requires a clean exit (status 0).
func (s *server) stop() {
	s.t.Helper()
	if s.cmd == nil {
		return
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case err := <-s.done:
		s.cmd = nil
		if err != nil {
			s.t.Fatalf("idcenter exit after SIGTERM: %v; stderr:\n%s", err, s.stderr)
		}
	case <-time.After(readyBound):
		s.kill()
		s.t.Fatalf("idcenter did not exit within %v of SIGTERM; stderr:\n%s", readyBound, s.stderr)
	}
}

// kill ends the process if it still runs (test cleanup).
func (s *server) kill() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
	if s.t.Failed() && s.stderr.String() != "" {
		s.t.Logf("idcenter stderr:\n%s", s.stderr)
	}
}

// cleanEnv is a minimal environment for a child process: no AWS_* or IDCENTER_* variables from
// the caller (in particular no AWS_CA_BUNDLE), HOME in a temporary folder.
func cleanEnv(home string) []string {
	env := []string{"HOME=" + home, "LANG=C.UTF-8"}
	if p := os.Getenv("PATH"); p != "" {
		env = append(env, "PATH="+p)
	} else {
		env = append(env, "PATH=/usr/bin:/bin")
	}
	return env
}
