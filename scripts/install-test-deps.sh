#!/usr/bin/env bash
# Installs, idempotently, what the test suite needs that a fresh Debian 12 machine lacks:
#   awscli  - the real AWS CLI v2 (/usr/bin/aws) for end-to-end tests
#   wrk     - HTTP load generator used by bench/load.sh
#   chromium - headless browser (/usr/bin/chromium) for the browser tests in test/browser
# Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail

need=()
[ -x /usr/bin/aws ] || need+=(awscli)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
[ -x /usr/bin/chromium ] || need+=(chromium)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-test-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
