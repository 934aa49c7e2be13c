#!/usr/bin/env bash
# The one test command of idcenter: installs the Debian packages the end-to-end tests and the
# load tool need (awscli, wrk; idempotent), starts a throw-away PostgreSQL server for the
# PostgreSQL store tests (scripts/postgres-test-server.sh; removed on exit), then runs every Go
# test of the module.
#
#   scripts/test.sh                 # everything
#   scripts/test.sh -run TestCLI    # extra arguments are passed to `go test`
#
# Env: GO (go binary, default: go on PATH, else /usr/local/go/bin/go),
#      TEST_TIMEOUT (default 20m), TEST_PKGS (default ./...),
#      IDCENTER_TEST_POSTGRES (a postgres:// URL: use that server instead of starting one).
set -euo pipefail

cd "$(dirname "$0")/.."

scripts/install-test-deps.sh

GO="${GO:-}"
if [ -z "$GO" ]; then
  if command -v go >/dev/null 2>&1; then GO=go; else GO=/usr/local/go/bin/go; fi
fi

# The base environment may point the AWS clients at a CA bundle; the tests talk plain http
# on loopback and start their clients with a clean environment anyway.
unset AWS_CA_BUNDLE

# The end-to-end tests fail (rather than skip) when CI is set and a client is missing.
export CI="${CI:-}"

# The PostgreSQL backend's tests need a server; they fail (rather than skip) without one in CI.
if [ -z "${IDCENTER_TEST_POSTGRES:-}" ]; then
  pgdir="$(mktemp -d "${TMPDIR:-/tmp}/idcenter-pg.XXXXXX")"
  trap 'scripts/postgres-test-server.sh stop "$pgdir"' EXIT
  IDCENTER_TEST_POSTGRES="$(scripts/postgres-test-server.sh start "$pgdir")"
  export IDCENTER_TEST_POSTGRES
fi

echo "test.sh: $("$GO" version)" >&2
"$GO" test -count=1 -timeout "${TEST_TIMEOUT:-20m}" "$@" ${TEST_PKGS:-./...}
