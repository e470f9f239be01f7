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
set -euo pipefail
cd "$(dirname "$0")/.."
run=target/cluster
procs=(router-1 router-2 group api gateway-1 gateway-2)
role() { echo "${1%-[0-9]}"; }
ready_port() { awk -F: '/"monitor"/{f=1} f&&/"port"/{gsub(/[^0-9]/,"",$2); print $2; exit}' "conf/cluster/$1.json"; }

up() {
  bash scripts/services.sh
  cli=$(command -v mariadb || command -v mysql)
  "$cli" -h127.0.0.1 -uswitchboard -pswitchboard -e "CREATE DATABASE IF NOT EXISTS switchboard"
  ./mvnw -B -ntp -q -DskipTests package
  mkdir -p "$run/logs" "$run/jars"
  (umask 077; mkdir -p "$run/secrets"
    for s in auth cluster; do
      [[ -s "$run/secrets/$s" ]] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$run/secrets/$s"
    done)
  export SWITCHBOARD_AUTH_SECRET_FILE="$PWD/$run/secrets/auth" SWITCHBOARD_CLUSTER_SECRET_FILE="$PWD/$run/secrets/cluster"
  for r in gateway router group api; do cp "verticles/$r/target/switchboard-$r.jar" "$run/jars/"; done
  for p in "${procs[@]}"; do
    if [[ -f "$run/$p.pid" ]] && kill -0 "$(cat "$run/$p.pid")" 2>/dev/null; then echo "$p already running"; continue; fi
    java -Xmx512m -Djava.util.logging.config.file=conf/logging.properties \
      -jar "$run/jars/switchboard-$(role "$p").jar" "conf/cluster/$p.json" > "$run/logs/$p.log" 2>&1 &
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
  echo "cluster up: api http://127.0.0.1:8080, gateways ws://127.0.0.1:8081/ws ws://127.0.0.1:8082/ws"
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
