#!/usr/bin/env bash
# A whole local cluster on loopback, one process per role instance, against MariaDB + Redis:
#   2 gateways (ws 8081/8082, tcp 9000/9001), 2 routers, 1 group, 1 api (http 8080), configs in conf/cluster/.
#   scripts/cluster.sh up       build the role jars, start every process, wait until each is /ready
#   scripts/cluster.sh status   each process: pid and /ready
#   scripts/cluster.sh down     stop every process (SIGTERM, then SIGKILL after 20 s)
# Logs and pids in target/cluster/. Monitor ports 9101-9106 serve /health, /ready and /metrics.
# The token and cluster secrets are generated once into target/cluster/secrets/ (owner-only) and handed to every
# process as SWITCHBOARD_AUTH_SECRET_FILE and SWITCHBOARD_CLUSTER_SECRET_FILE: the placeholders in conf/cluster/ are
# refused. The push API is off (conf/cluster/api.json has no apiKeys); add a key of your own to use it.
# TLS=1 scripts/cluster.sh up  runs the same cluster with TLS on: development certificates from scripts/dev-certs.sh
# in target/cluster/certs (made on first start), wss:// and TCP+TLS on the gateways, HTTPS on the API and mutual TLS
# on the event bus (configs: conf/cluster/*.json plus the tls sections, written to target/cluster/conf/).
# Clients trust target/cluster/certs/ca.pem. MVN (default ./mvnw) is the Maven command that builds the jars.
set -euo pipefail
cd "$(dirname "$0")/.."
run=target/cluster
procs=(router-1 router-2 group api gateway-1 gateway-2)
role() { echo "${1%-[0-9]}"; }
ready_port() { awk -F: '/"monitor"/{f=1} f&&/"port"/{gsub(/[^0-9]/,"",$2); print $2; exit}' "conf/cluster/$1.json"; }

# The config process $1 runs: conf/cluster/$1.json, or with TLS=1 a copy with the tls sections added.
config() {
  [[ ${TLS:-0} == 1 ]] || { echo "conf/cluster/$1.json"; return; }
  local certs=$PWD/$run/certs out=$run/conf/$1.json
  mkdir -p "$run/conf"
  jq --arg d "$certs" '
    .cluster.tls = {cert: ($d + "/member.pem"), key: ($d + "/member-key.pem"), ca: ($d + "/ca.pem")}
    | if .verticles.gateway then .verticles.gateway.tls = {cert: ($d + "/server.pem"), key: ($d + "/server-key.pem")}
      else . end
    | if .verticles.api then .verticles.api.tls = {cert: ($d + "/server.pem"), key: ($d + "/server-key.pem")}
      else . end
    | (.verticles[] | select(has("publicWs")) | .publicWs) |= sub("^ws://"; "wss://")
    | (.verticles[] | select(has("publicTcp")) | .publicTcp) |= sub("^tcp://"; "tls://")
  ' "conf/cluster/$1.json" > "$out"
  echo "$out"
}

up() {
  bash scripts/services.sh
  cli=$(command -v mariadb || command -v mysql)
  "$cli" -h127.0.0.1 -uswitchboard -pswitchboard -e "CREATE DATABASE IF NOT EXISTS switchboard"
  ${MVN:-./mvnw} -B -ntp -q -DskipTests package
  mkdir -p "$run/logs" "$run/jars"
  (umask 077; mkdir -p "$run/secrets"
    for s in auth cluster; do
      [[ -s "$run/secrets/$s" ]] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$run/secrets/$s"
    done)
  export SWITCHBOARD_AUTH_SECRET_FILE="$PWD/$run/secrets/auth" SWITCHBOARD_CLUSTER_SECRET_FILE="$PWD/$run/secrets/cluster"
  if [[ ${TLS:-0} == 1 ]]; then
    command -v jq >/dev/null || { echo "TLS=1 needs jq (Debian: apt-get install jq)" >&2; exit 1; }
    bash scripts/dev-certs.sh "$run/certs" >/dev/null
  fi
  for r in gateway router group api; do cp "verticles/$r/target/switchboard-$r.jar" "$run/jars/"; done
  for p in "${procs[@]}"; do
    if [[ -f "$run/$p.pid" ]] && kill -0 "$(cat "$run/$p.pid")" 2>/dev/null; then echo "$p already running"; continue; fi
    java -Xmx512m -Djava.util.logging.config.file=conf/logging.properties \
      -jar "$run/jars/switchboard-$(role "$p").jar" "$(config "$p")" > "$run/logs/$p.log" 2>&1 &
    echo $! > "$run/$p.pid"
    echo "started $p (pid $!)"
  done
  for p in "${procs[@]}"; do
    port=$(ready_port "$p")
    for _ in $(seq 1 120); do
      curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
      kill -0 "$(cat "$run/$p.pid")" 2>/dev/null || { echo "$p died; see $run/logs/$p.log" >&2; tail -5 "$run/logs/$p.log" >&2; exit 1; }
      sleep 0.5
    done
    curl -fs "http://127.0.0.1:$port/ready" >/dev/null || { echo "$p not ready; see $run/logs/$p.log" >&2; exit 1; }
  done
  if [[ ${TLS:-0} == 1 ]]; then
    echo "cluster up with TLS: api https://127.0.0.1:8080, gateways wss://127.0.0.1:8081/ws wss://127.0.0.1:8082/ws," \
      "tcp+tls 127.0.0.1:9000 127.0.0.1:9001; CA $run/certs/ca.pem"
  else
    echo "cluster up: api http://127.0.0.1:8080, gateways ws://127.0.0.1:8081/ws ws://127.0.0.1:8082/ws"
  fi
}

status() {
  for p in "${procs[@]}"; do
    pid=$(cat "$run/$p.pid" 2>/dev/null || true)
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
      echo "$p pid $pid: $(curl -s "http://127.0.0.1:$(ready_port "$p")/ready" || echo 'no answer')"
    else
      echo "$p: not running"
    fi
  done
}

down() {
  for p in "${procs[@]}"; do
    pid=$(cat "$run/$p.pid" 2>/dev/null || true)
    [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
  done
  for p in "${procs[@]}"; do
    pid=$(cat "$run/$p.pid" 2>/dev/null || true)
    [[ -z $pid ]] && continue
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$run/$p.pid"
  done
  echo "cluster down"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: scripts/cluster.sh up|down|status" >&2; exit 2 ;;
esac
