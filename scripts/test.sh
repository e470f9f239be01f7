#!/usr/bin/env bash
# Builds everything and runs the whole test suite (unit tests, then integration tests on the embedded default and on
# real MariaDB + Redis, which scripts/services.sh makes reachable first, and the web client in headless Chromium, which
# scripts/browser.sh installs when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh
bash scripts/browser.sh
exec ./mvnw -B -ntp verify "$@"
