#!/usr/bin/env bash
# Builds everything and runs the whole test suite (unit tests, then integration tests on the embedded default and on
# real MariaDB + Redis, which scripts/services.sh makes reachable first, and the web client in headless Chromium, which
# scripts/browser.sh installs when missing), then a 10-second Gatling smoke run against a fresh server and the bare
# baseline (gatling/run.sh Smoke; the full simulations run only on demand).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh
bash scripts/browser.sh
./mvnw -B -ntp verify "$@"
# The fuzz targets for 10 s each: the committed corpora are replayed by every `mvn verify` above; longer runs on
# demand (FUZZ_SECONDS=600 scripts/fuzz.sh <Target>).
FUZZ_SECONDS="${FUZZ_SECONDS:-10}" bash scripts/fuzz.sh
SKIP_BUILD=1 bash gatling/run.sh Smoke
