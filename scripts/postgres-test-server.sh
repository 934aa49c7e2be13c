#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests (the store's conformance suite
# and the app's PostgreSQL test). Idempotent.
#
#   scripts/postgres-test-server.sh start DIR   # install Debian's postgresql if absent, create the
#                                               # cluster in DIR (unless there), start it on a
#                                               # free loopback port, create the database idcenter_test,
#                                               # print its URL on stdout
#   scripts/postgres-test-server.sh url DIR     # print the URL of the running cluster in DIR
#   scripts/postgres-test-server.sh stop DIR    # stop the cluster and remove DIR
#
# initdb refuses to run as root: as root, the cluster belongs to the `postgres` user (created by
# the package) and every server command runs through `runuser -u postgres --`. Progress goes to
# stderr; only the URL goes to stdout.
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|url|stop DIR" >&2
  exit 2
fi

log() { echo "postgres-test-server: $*" >&2; }

# bindir finds the server programs (initdb, pg_ctl, postgres) of the newest installed version.
bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return 0
  fi
  return 1
}

install_postgres() {
  if bindir >/dev/null; then return 0; fi
  if [ "$(id -u)" != 0 ]; then
    log "PostgreSQL is not installed and installing it needs root (apt-get install postgresql)"
    exit 1
  fi
  log "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || true
  apt-get install -y -qq --no-install-recommends postgresql >&2
  bindir >/dev/null || { log "postgresql installed but initdb/pg_ctl not found"; exit 1; }
}

# as runs a command as the cluster's owner.
as() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 - <<'PY' 2>/dev/null && return 0
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
  echo $(( 20000 + RANDOM % 20000 ))
}

url() { echo "postgres://idcenter@127.0.0.1:$(cat "$dir/port")/idcenter_test?sslmode=disable"; }

running() { [ -f "$dir/port" ] && as "$(bindir)/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }

start() {
  install_postgres
  local bin
  bin="$(bindir)"
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  if running; then url; return 0; fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    log "creating a cluster in $dir/data"
    as "$bin/initdb" -D "$dir/data" -U idcenter --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      as "$bin/initdb" -D "$dir/data" -U idcenter --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2; exit 1; }
  fi
  local port
  port="$(free_port)"
  as sh -c "echo $port > '$dir/port'"
  # Loopback only; the socket in DIR (not /var/run/postgresql, which may not exist);
  # fsync off: a throw-away cluster need not survive a power cut.
  as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >&2 || { cat "$dir/server.log" >&2; exit 1; }
  as "$bin/psql" -h 127.0.0.1 -p "$port" -U idcenter -d postgres -qAt \
    -c "SELECT 1 FROM pg_database WHERE datname = 'idcenter_test'" | grep -q 1 ||
    as "$bin/psql" -h 127.0.0.1 -p "$port" -U idcenter -d postgres -q -c "CREATE DATABASE idcenter_test" >&2 2>/dev/null ||
    as "$bin/createdb" -h 127.0.0.1 -p "$port" -U idcenter idcenter_test >&2
  log "running on 127.0.0.1:$port (data in $dir)"
  url
}

stop() {
  if [ -d "$dir/data" ] && bindir >/dev/null; then
    as "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 2>/dev/null || true
  fi
  rm -rf "$dir"
}

case "$cmd" in
  start) start ;;
  url) running && url ;;
  stop) stop ;;
  *) echo "usage: $0 start|url|stop DIR" >&2; exit 2 ;;
esac
