#!/usr/bin/env bash
# Load measurement of idcenter against a bare net/http baseline (loopback only, bounded in time).
#
#   bench/load.sh                 # defaults: wrk -t2 -c16 -d10s, 5 cold starts
#   DURATION=30s CONNS=32 THREADS=2 ROUNDS=3 STARTS=5 bench/load.sh
#
# Builds idcenter, bench/bare, bench/presign and bench/startup into a temp dir; starts idcenter
# (empty store, pinned root key) and the bare handler on 127.0.0.1:0; makes ONE presigned
# sts:GetCallerIdentity GET URL with aws-sdk-go-v2 for the root key; checks it answers 200 with
# curl; runs wrk against idcenter and then the same path+query against the bare handler, ROUNDS
# times interleaved (the medians are reported, so a burst of other load on the machine moves one
# round, not the result); then
# measures idle RSS and start-to-ready time over STARTS cold starts on fresh data folders.
# Prints a summary; numbers go to docs/performance.md, never into assertions.
set -euo pipefail

cd "$(dirname "$0")/.."
THREADS="${THREADS:-2}"
CONNS="${CONNS:-16}"
DURATION="${DURATION:-10s}"
STARTS="${STARTS:-5}"
ROUNDS="${ROUNDS:-3}"
GO="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
KEY_ID=AKIAIDCENTERBENCH001
SECRET=bench/idcenter/secret/0123456789abcdef

command -v wrk >/dev/null || { echo "load.sh: wrk missing (scripts/install-test-deps.sh)" >&2; exit 1; }
command -v curl >/dev/null || { echo "load.sh: curl missing" >&2; exit 1; }
unset AWS_CA_BUNDLE

WORK="$(mktemp -d "${TMPDIR:-/tmp}/idcenter-bench.XXXXXX")"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== build" >&2
"$GO" build -o "$WORK/idcenter" ./cmd/idcenter
"$GO" build -o "$WORK/bare" ./bench/bare
"$GO" build -o "$WORK/presign" ./bench/presign
"$GO" build -o "$WORK/startup" ./bench/startup

# start NAME CMD... : starts a server whose stdout prints "endpoint: URL" then "ready";
# sets START_PID and START_ENDPOINT. Bounded to 30 s.
start() {
  local name="$1"; shift
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  START_PID=$!
  PIDS+=("$START_PID")
  for _ in $(seq 1 300); do
    if grep -qx ready "$WORK/$name.out" 2>/dev/null; then
      START_ENDPOINT="$(sed -n 's/^endpoint: //p' "$WORK/$name.out" | head -n1)"
      return 0
    fi
    if ! kill -0 "$START_PID" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "load.sh: $name did not become ready" >&2
  cat "$WORK/$name.out" "$WORK/$name.err" >&2
  exit 1
}

echo "== start" >&2
IDCENTER_ROOT_ACCESS_KEY_ID=$KEY_ID IDCENTER_ROOT_SECRET_ACCESS_KEY=$SECRET \
  start idcenter "$WORK/idcenter" serve --listen 127.0.0.1:0 --data "$WORK/data"
IDC_PID=$START_PID IDC=$START_ENDPOINT
start bare "$WORK/bare" --listen 127.0.0.1:0
BARE=$START_ENDPOINT
IDLE_RSS_KB="$(awk '/^VmRSS:/ {print $2}' /proc/$IDC_PID/status)"

URL="$("$WORK/presign" -endpoint "$IDC" -key "$KEY_ID" -secret "$SECRET" -expires 1h)"
BARE_URL="$BARE${URL#"$IDC"}"
echo "presigned URL: $URL" >&2

code="$(curl -sS -o "$WORK/body" -w '%{http_code}' "$URL")"
if [ "$code" != 200 ]; then
  echo "load.sh: presigned GET answered $code, want 200; body:" >&2
  cat "$WORK/body" >&2; echo >&2
  exit 1
fi
grep -q '<Account>123456789012</Account>' "$WORK/body" || {
  echo "load.sh: presigned GET body lacks the account:" >&2; cat "$WORK/body" >&2; exit 1; }
code="$(curl -sS -o /dev/null -w '%{http_code}' "$BARE_URL")"
[ "$code" = 200 ] || { echo "load.sh: bare answered $code" >&2; exit 1; }

# wrk_run NAME URL: runs wrk, keeps its output in $WORK/NAME.wrk.
wrk_run() {
  echo "== wrk -t$THREADS -c$CONNS -d$DURATION --latency ($1)" >&2
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$2" | tee "$WORK/$1.wrk" >&2
}
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$ROUNDS"); do
  wrk_run "idcenter.$r" "$URL"
  wrk_run "bare.$r" "$BARE_URL"
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
LOADED_RSS_KB="$(awk '/^VmRSS:/ {print $2}' /proc/$IDC_PID/status)"

# Fields from one wrk output; latencies converted to ms.
rps() { awk '/^Requests\/sec:/ {print $2}' "$WORK/$1.wrk"; }
lat_ms() { # $1 name, $2 percentile label (50%, 99%)
  awk -v p="$2" '$1 == p {
      v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
      if (u == "us") v = v / 1000; else if (u == "s") v = v * 1000; else if (u == "m") v = v * 60000
      printf "%.3f", v }' "$WORK/$1.wrk"
}
requests() { awk '/requests in/ {print $1}' "$WORK/$1.wrk"; }
non2xx() { awk -F': ' '/Non-2xx or 3xx responses/ {print $2}' "$WORK/$1.wrk" | grep . || echo 0; }
sockerr() { # sum of connect, read, write, timeout
  awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10; found = 1} END {if (!found) print 0}' "$WORK/$1.wrk"
}
# Over all rounds: med FUNC NAME [ARG] (median), sum FUNC NAME.
med() {
  local f="$1" n="$2"; shift 2
  for r in $(seq 1 "$ROUNDS"); do "$f" "$n.$r" "$@"; echo; done | grep . | sort -g |
    awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
sum() { local t=0; for r in $(seq 1 "$ROUNDS"); do t=$(( t + $("$1" "$2.$r") )); done; echo "$t"; }
rounds() { # one line per round
  for r in $(seq 1 "$ROUNDS"); do
    printf '  round %d: idcenter %s req/s p99 %s ms | bare %s req/s p99 %s ms\n' "$r" \
      "$(rps idcenter.$r)" "$(lat_ms idcenter.$r 99%)" "$(rps bare.$r)" "$(lat_ms bare.$r 99%)"
  done
}

echo "== cold starts ($STARTS, fresh data folders)" >&2
"$WORK/startup" -bin "$WORK/idcenter" -n "$STARTS" -idle 1s | tee "$WORK/startup.out" >&2
START_MS="$(awk '/^start_ready_ms_median/ {print $2}' "$WORK/startup.out")"
COLD_RSS_KB="$(awk '/^idle_rss_kb_median/ {print $2}' "$WORK/startup.out")"

IDC_RPS="$(med rps idcenter)" BARE_RPS="$(med rps bare)"
IDC_P99="$(med lat_ms idcenter 99%)"
RATIO="$(awk -v a="$IDC_RPS" -v b="$BARE_RPS" 'BEGIN {printf "%.1f", 100 * a / b}')"
verdict() { if [ "$1" = 1 ]; then echo met; else echo NOT met; fi; }
le() { awk -v a="$1" -v b="$2" 'BEGIN {print (a + 0 < b + 0) ? 1 : 0}'; }
IDC_ERR=$(( $(sum non2xx idcenter) + $(sum sockerr idcenter) ))

cat <<SUMMARY
== summary
machine:            $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), $(uname -sr), $("$GO" version | awk '{print $3}')
load average:       $LOAD_BEFORE before the wrk rounds, $LOAD_AFTER after (the machine may be shared)
command:            wrk -t$THREADS -c$CONNS -d$DURATION --latency <presigned GetCallerIdentity URL>, $ROUNDS rounds interleaved
$(rounds)
idcenter (median):  $IDC_RPS req/s, p50 $(med lat_ms idcenter 50%) ms, p99 $IDC_P99 ms; all rounds: requests $(sum requests idcenter), non-2xx $(sum non2xx idcenter), socket errors $(sum sockerr idcenter)
bare (median):      $BARE_RPS req/s, p50 $(med lat_ms bare 50%) ms, p99 $(med lat_ms bare 99%) ms; all rounds: requests $(sum requests bare), non-2xx $(sum non2xx bare), socket errors $(sum sockerr bare)
idcenter/bare:      $RATIO %
idle RSS:           $IDLE_RSS_KB kB after start (load server), median $COLD_RSS_KB kB over $STARTS cold starts (+1 s idle); $LOADED_RSS_KB kB after the wrk rounds
start-to-ready:     median $START_MS ms over $STARTS starts on fresh data folders ($(df -T "${TMPDIR:-/tmp}" | awk 'NR == 2 {print $2}') under ${TMPDIR:-/tmp})
targets:
  throughput >= 50 % of bare:  $(verdict "$(awk -v r="$RATIO" 'BEGIN {print (r >= 50) ? 1 : 0}')") ($RATIO %)
  p99 < 5 ms:                  $(verdict "$(le "$IDC_P99" 5)") ($IDC_P99 ms)
  no errors:                   $(verdict "$([ "$IDC_ERR" = 0 ] && echo 1 || echo 0)") ($IDC_ERR)
  idle RSS < 30 MB:            $(verdict "$(le "$COLD_RSS_KB" 30720)") ($COLD_RSS_KB kB)
  start-to-ready < 100 ms:     $(verdict "$(le "$START_MS" 100)") ($START_MS ms)
SUMMARY
