package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	bin := flag.String("bin", "./idcenter", "idcenter binary")
	n := flag.Int("n", 5, "number of starts")
	idle := flag.Duration("idle", time.Second, "wait after ready before reading VmRSS")
	bound := flag.Duration("bound", 30*time.Second, "give up on a start after this long")
	flag.Parse()

	var readyMS []float64
	var rssKB []float64
	for i := 0; i < *n; i++ {
		ms, rss, err := once(*bin, *idle, *bound)
		if err != nil {
			fmt.Fprintf(os.Stderr, "startup: run %d: %v\n", i+1, err)
			os.Exit(1)
		}
		fmt.Printf("run %d: start_ready_ms %.1f idle_rss_kb %d\n", i+1, ms, rss)
		readyMS = append(readyMS, ms)
		rssKB = append(rssKB, float64(rss))
	}
	fmt.Printf("start_ready_ms_median %.1f\n", median(readyMS))
	fmt.Printf("idle_rss_kb_median %.0f\n", median(rssKB))
}

func once(bin string, idle, bound time.Duration) (float64, int, error) {
	dir, err := os.MkdirTemp("", "idcenter-startup-")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--data", filepath.Join(dir, "data"))
	cmd.Env = append(os.Environ(),
		"IDCENTER_ROOT_ACCESS_KEY_ID=AKIAIDCENTERBENCH001",
		"IDCENTER_ROOT_SECRET_ACCESS_KEY=bench/idcenter/secret/0123456789abcdef")
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	ready := make(chan time.Time, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "ready" {
				ready <- time.Now()
			}
		}
		close(ready)
	}()
	var at time.Time
	select {
	case t, ok := <-ready:
		if !ok {
			cmd.Wait()
			return 0, 0, fmt.Errorf("exited before ready")
		}
		at = t
	case <-time.After(bound):
		cmd.Process.Kill()
		cmd.Wait()
		return 0, 0, fmt.Errorf("not ready after %v", bound)
	}
	time.Sleep(idle)
	rss, rerr := vmRSS(cmd.Process.Pid)
	cmd.Process.Signal(syscall.SIGTERM)
	werr := cmd.Wait()
	if rerr != nil {
		return 0, 0, rerr
	}
	if werr != nil {
		return 0, 0, fmt.Errorf("exit after SIGTERM: %v", werr)
	}
	return float64(at.Sub(start).Microseconds()) / 1000, rss, nil
}

// vmRSS returns VmRSS in kB from /proc/PID/status.
func vmRSS(pid int) (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				return strconv.Atoi(f[0])
			}
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
