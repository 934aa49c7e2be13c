// Command startup measures idcenter's start-to-ready time and idle memory for bench/load.sh.
//
//	startup -bin ./idcenter -n 5 -idle 1s
//
// It starts the binary -n times, each on a fresh temporary data folder on a loopback port
// (127.0.0.1:0), measures the wall time from exec to the "ready" line on stdout, reads VmRSS
// from /proc/PID/status after -idle, stops it with SIGTERM and requires exit status 0. It prints
// one line per start and then the medians:
//
//	start_ready_ms_median 42.1
//	idle_rss_kb_median 21000
package main
