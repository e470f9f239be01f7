#!/usr/bin/env bash
# Makes the browser and Node.js tests runnable: Node.js and Chromium (Debian packages, installed as root when missing)
# and the npm dependencies of clients/web-test, clients/node and clients/example-backend (from their lock files). Elsewhere it says what to
# install.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
[[ -x "${CHROMIUM:-/usr/bin/chromium}" ]] || need_apt+=(chromium)
if (( ${#need_apt[@]} )); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "browser: installing ${need_apt[*]} (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q "${need_apt[@]}" >/dev/null
  else
    echo "browser: please install ${need_apt[*]} (the browser test needs Node.js and Chromium)" >&2
    exit 1
  fi
fi
if [[ ! -d clients/web-test/node_modules/playwright-core ]]; then
  (cd clients/web-test && npm ci --no-audit --no-fund --loglevel=error)
fi
if [[ ! -d clients/node/node_modules/protobufjs || ! -d clients/node/node_modules/ws ]]; then
  (cd clients/node && npm ci --no-audit --no-fund --loglevel=error)
fi
if [[ ! -d clients/example-backend/node_modules/ws ]]; then
  (cd clients/example-backend && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "browser: $(node --version), $("${CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null | head -1)"
