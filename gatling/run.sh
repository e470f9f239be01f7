#!/usr/bin/env bash
# One command per benchmark run: starts a fresh server, waits until it is ready, runs the simulation, stops it, runs
# the bare Vert.x baseline (gatling/src/test/java/switchboard/bare) under the same load, reads the server-side figures
# (process CPU seconds from /proc over the measured window, heap after a full GC, RSS) and appends a dated row with
# the machine and the command to docs/benchmarks.md. Everything on loopback; every run is bounded and stops by itself.
#
#   gatling/run.sh Echo N [seconds=30] [warmup=10]  N WebSocket clients, one ping per second each (the reference
#                                               method); the first `warmup` seconds of pings are not measured (the
#                                               servers' JIT compiles the ping path then); servers=switchboard,nio
#                                               drives only those (profiling; no docs row)
#   gatling/run.sh ChatOneToOne N [seconds=30]  N users in pairs, each sending to its peer every 60-200 ms
#   gatling/run.sh GroupFanout N [rate=40]      one group of N members, `rate` messages/s (harness, raw TCP)
#   gatling/run.sh RoomPush N [rate=40]         N sessions in one room, `rate` pushes/s (harness, raw TCP)
#   gatling/run.sh Capacity N [transport=ws] [push=K]  N idle authenticated connections; heap per connection; with
#                                               push=K (1-64), then every Switchboard session joins room "capacity" and
#                                               K pushes of the push API go to it (200 ms apart): how many sessions got
#                                               every one (the bare baseline has no rooms: no push there)
#   gatling/run.sh Logins N [gateways=2] [concurrency=100] [msgs=1000] [pairs=50] [seconds=30] [warmLogins=10N]
#                    [latencyWarmup=10]         N TCP logins (5 sessions per user, `concurrency` in flight, after
#                                               warm-up rounds just like it, `warmLogins` logins in all, each round's
#                                               sessions closed after it: JIT, user shards) on one node,
#                                               then on a cluster of a core process and `gateways` gateway processes
#                                               (MariaDB + Redis for both): logins/s, CPU per login of each process,
#                                               then `msgs` one-to-one messages/s from the first gateway to the last
#                                               (send→receive latency, after `latencyWarmup` s of the same traffic
#                                               not measured) (harness SessionsBench); userAddresses=users
#                                               runs the cluster with per-session registrations (cluster.userAddresses)
#   gatling/run.sh Smoke                        10-second Echo against both servers, no docs row (the test suite)
# Options: --mysql (MariaDB + Redis instead of the embedded default; always on for runs that need several gateway
# processes, which must share state), --no-docs (do not touch docs/benchmarks.md), SKIP_BUILD=1 (reuse the jars),
# SERVER_JFR=1 (a JFR recording of each Switchboard server process, <name>.jfr in the run directory: where the time
# goes), SERVER_GC_OPTS (default -XX:+UseG1GC for both servers).
# One process may hold at most the open-files hard limit of sockets (20,000 here): runs past ~17,000 connections use
# several gateway processes in a local cluster and several load processes on source addresses 127.0.0.2, 127.0.0.3...
# Reports, logs and histograms: gatling/target/runs/<sim>-<N>-<time>/ (Gatling HTML reports under gatling-*/).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
sim=${1:?usage: gatling/run.sh Echo|ChatOneToOne|GroupFanout|RoomPush|Capacity|Logins|Smoke [N] [--mysql] [key=value...]}
shift
n=100
if [[ ${1:-} =~ ^[0-9]+$ ]]; then n=$1; shift; fi
declare -A opt=([seconds]=30 [rate]=40 [transport]=ws [ramp]=0 [push]=0 [warmup]=10)
mysql=0; docs=1
for a in "$@"; do
  case "$a" in
    --mysql) mysql=1 ;;
    --no-docs) docs=0 ;;
    *=*) opt[${a%%=*}]=${a#*=} ;;
    *) echo "unknown argument $a" >&2; exit 2 ;;
  esac
done
command_line="gatling/run.sh $sim $n $*"
command_line=${command_line% }
if [[ $sim == Smoke ]]; then sim=Echo; n=${n:-100}; opt[seconds]=10; opt[warmup]=0; docs=0; smoke=1; else smoke=0; fi
ulimit -n "$(ulimit -Hn)"
per_process=17000
work=$root/gatling/target/runs/$sim-$n-$(date +%Y%m%d-%H%M%S)
mkdir -p "$work"
log() { printf '[run] %s\n' "$*" | tee -a "$work/run.log" >&2; }

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "building the node, the harness and the simulations"
  ./mvnw -B -ntp -q -DskipTests -pl node,gatling/harness -am package
fi
if [[ ${SKIP_BUILD:-0} != 1 || ! -f gatling/target/cp.txt || ! -d gatling/target/test-classes/switchboard ]]; then
  ./mvnw -B -ntp -q -f gatling/pom.xml test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
fi
# NODE_JAR: another build's node jar (a before/after comparison with this harness).
cp "${NODE_JAR:-node/target/switchboard-node.jar}" "$work/node.jar"
cp gatling/harness/target/switchboard-harness.jar "$work/harness.jar"
sim_cp="$root/gatling/target/test-classes:$(cat gatling/target/cp.txt)"
harness=(java -Xms128m -Xmx1g -cp "$work/harness.jar")
machine="$(nproc) vCPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs | sed 's/ [0-9]*-Core Processor//'), $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/JDK \1/')"
secret="gatling-run-$(date +%s%N)-0123456789abcdefghij"
api_key=gatling-api-key-0123456789

# ---- process figures ---------------------------------------------------------------------------------------------
cpu_ticks() { local t=0; for p in "$@"; do t=$(( t + $(awk '{split($0,a,") "); split(a[2],f," "); print f[12]+f[13]}' "/proc/$p/stat") )); done; echo "$t"; }
# The kernel's part of cpu_ticks (stime).
sys_ticks() { local t=0; for p in "$@"; do t=$(( t + $(awk '{split($0,a,") "); split(a[2],f," "); print f[13]}' "/proc/$p/stat") )); done; echo "$t"; }
rss_kb() { local t=0; for p in "$@"; do t=$(( t + $(awk '/VmRSS/{print $2}' "/proc/$p/status") )); done; echo "$t"; }
# Heap after a full GC: the class histogram's total (jcmd GC.class_histogram runs a full GC first).
heap_bytes() { local t=0; for p in "$@"; do jcmd "$p" GC.run >/dev/null; t=$(( t + $(jcmd "$p" GC.class_histogram | awk '/^Total/{print $3}') )); done; echo "$t"; }
# The longest and the summed GC pauses (ms) in -Xlog:gc files.
gc_pauses() { cat "$@" 2>/dev/null | awk '/Pause/ && $NF ~ /ms$/ {v=$NF; sub("ms","",v); v+=0; s+=v; if (v>m) m=v} END {printf "max %.0f ms, total %.0f ms", m, s}'; }
secs() { awk -v t="$1" 'BEGIN{printf "%.1f", t/100}'; }

# ---- servers -----------------------------------------------------------------------------------------------------
server_pids=(); gateway_pids=(); server_kind=""
db=""; prefix=""
storage_json() {
  if [[ $mysql == 1 ]]; then
    printf '{"db": {"kind": "mysql", "host": "127.0.0.1", "port": 3306, "database": "%s", "user": "switchboard", "password": "switchboard", "poolSize": 8}, "state": {"kind": "redis", "redisUrl": "redis://127.0.0.1:6379", "prefix": "%s"}}' "$db" "$prefix"
  else
    printf '{"db": {"kind": "h2", "path": "%s/data/switchboard"}, "state": {"kind": "local", "prefix": "sb:"}}' "$work"
  fi
}
core_verticles='"router": {"instances": 2}, "group": {}, "api": {"port": 8080, "host": "127.0.0.1", "apiKeys": ["'$api_key'"], "rateLimit": {"perSecond": 100000, "burst": 100000}, "addressRateLimit": {"perSecond": 100000, "burst": 100000}}'
# The auth and handshake timeouts are 60 s here (10 s by default): logging 100,000 sessions in through a six-gateway
# cluster on two cores keeps every process's event loop minutes behind at times (the logins themselves: issue 18),
# and a capacity run measures what the sessions hold, not how long one waits.
gateway_json() { # index
  printf '"gateway": {"instances": 2, "host": "127.0.0.1", "wsPort": %d, "tcpPort": %d, "publicWs": "ws://127.0.0.1:%d/ws", "publicTcp": "tcp://127.0.0.1:%d", "writeQueueBytes": 1048576, "authTimeoutMs": 60000, "connectionLimits": {"headerTimeoutMs": 60000}}' \
    $((8081 + $1)) $((9000 + $1)) $((8081 + $1)) $((9000 + $1))
}
start_java() { # name config-file -> sets last_pid
  java -Xms256m -Xmx${SERVER_XMX:-2g} ${SERVER_GC_OPTS:--XX:+UseG1GC} -Xlog:gc:file="$work/$1-gc.txt" \
    ${SERVER_JFR:+-XX:StartFlightRecording=filename=$work/$1.jfr,settings=profile,dumponexit=true} \
    -Djava.util.logging.config.file="$root/conf/logging.properties" \
    -jar "$work/node.jar" "$2" > "$work/$1.log" 2>&1 &
  last_pid=$!
  server_pids+=("$last_pid")
}
wait_ready() { # port pid name
  for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:$1/ready" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { log "$3 died:"; tail -20 "$work/$3.log" >&2; exit 1; }
    sleep 0.5
  done
  log "$3 not ready after 120 s"; exit 1
}
# Switchboard with `gateways` gateway processes: one process with everything when 1 (embedded storage unless --mysql);
# else a clustered core process (api, router, group) plus the gateway processes, on MariaDB + Redis.
start_switchboard() { # gateways
  local g=$1
  server_kind=switchboard
  if [[ $g -gt 1 ]]; then mysql=1; fi
  if [[ $mysql == 1 ]]; then
    bash scripts/services.sh
    db=switchboard_gatling_$$_$RANDOM; prefix="gatling:$$:$RANDOM:"
    "$(command -v mariadb || command -v mysql)" -h127.0.0.1 -uswitchboard -pswitchboard -e "CREATE DATABASE $db"
  fi
  local auth='"auth": {"secret": "'$secret'", "argon2": {"memoryKiB": 256, "iterations": 1}}'
  if [[ $g == 1 && ${cluster_of_one:-0} != 1 ]]; then
    cat > "$work/node.json" <<JSON
{"storage": $(storage_json), $auth, "monitor": {"host": "127.0.0.1", "port": 9101},
 "verticles": {$core_verticles, $(gateway_json 0)}}
JSON
    start_java node "$work/node.json"; gateway_pids=("$last_pid")
    wait_ready 9101 "$last_pid" node
    return
  fi
  local members='"127.0.0.1:5701"'
  for i in $(seq 0 $((g - 1))); do members+=", \"127.0.0.1:$((5702 + i))\""; done
  cluster() { printf '"cluster": {"enabled": true, "name": "gatling", "secret": "%s", "host": "127.0.0.1", "port": %d, "portAutoIncrement": false, "userAddresses": "%s", "members": [%s]}' "$secret" "$1" "${opt[userAddresses]:-shards}" "$members"; }
  cat > "$work/core.json" <<JSON
{$(cluster 5701), "storage": $(storage_json), $auth, "monitor": {"host": "127.0.0.1", "port": 9100},
 "verticles": {$core_verticles}}
JSON
  start_java core "$work/core.json"
  wait_ready 9100 "$last_pid" core
  gateway_pids=()
  for i in $(seq 0 $((g - 1))); do
    cat > "$work/gateway-$i.json" <<JSON
{$(cluster $((5702 + i))), "storage": $(storage_json), $auth, "monitor": {"host": "127.0.0.1", "port": $((9101 + i))},
 "verticles": {$(gateway_json "$i")}}
JSON
    SERVER_XMX=${SERVER_XMX:-1g} start_java "gateway-$i" "$work/gateway-$i.json"
    gateway_pids+=("$last_pid")
  done
  for i in $(seq 0 $((g - 1))); do wait_ready $((9101 + i)) "${gateway_pids[$i]}" "gateway-$i"; done
}
# The bare baseline: one process per `gateways`, each on the same ports a Switchboard gateway would use.
start_bare() { # gateways
  server_kind=bare
  gateway_pids=()
  for i in $(seq 0 $(($1 - 1))); do
    java -Xms256m -Xmx${SERVER_XMX:-2g} ${SERVER_GC_OPTS:--XX:+UseG1GC} -Xlog:gc:file="$work/bare-$i-gc.txt" -cp "$sim_cp" switchboard.bare.BareServer \
      ws=$((8081 + i)) tcp=$((9000 + i)) http=$((8080 - i)) > "$work/bare-$i.log" 2>&1 &
    server_pids+=($!); gateway_pids+=($!)
  done
  for i in $(seq 0 $(($1 - 1))); do
    until grep -q 'bare server started' "$work/bare-$i.log" 2>/dev/null; do
      kill -0 "${gateway_pids[$i]}" 2>/dev/null || { cat "$work/bare-$i.log" >&2; exit 1; }
      sleep 0.2
    done
  done
}
# The floor reference (Echo only): plain Java NIO, no framework, one process per `gateways` on the same WebSocket ports.
start_nio() { # gateways
  server_kind=nio
  gateway_pids=()
  for i in $(seq 0 $(($1 - 1))); do
    java -Xms256m -Xmx${SERVER_XMX:-2g} ${SERVER_GC_OPTS:--XX:+UseG1GC} -Xlog:gc:file="$work/nio-$i-gc.txt" -cp "$sim_cp" switchboard.bare.NioFloorServer \
      ws=$((8081 + i)) threads="$(nproc)" > "$work/nio-$i.log" 2>&1 &
    server_pids+=($!); gateway_pids+=($!)
  done
  for i in $(seq 0 $(($1 - 1))); do
    until grep -q 'nio floor server started' "$work/nio-$i.log" 2>/dev/null; do
      kill -0 "${gateway_pids[$i]}" 2>/dev/null || { cat "$work/nio-$i.log" >&2; exit 1; }
      sleep 0.2
    done
  done
}
stop_servers() {
  for p in "${server_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${server_pids[@]}"; do
    for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$p" 2>/dev/null || true
  done
  server_pids=(); gateway_pids=()
  if [[ -n $db ]]; then
    "$(command -v mariadb || command -v mysql)" -h127.0.0.1 -uswitchboard -pswitchboard -e "DROP DATABASE IF EXISTS $db" || true
    redis-cli --scan --pattern "$prefix*" | xargs -r redis-cli del >/dev/null || true
    db=""
  fi
}
load_pids=()
cleanup() {
  for p in "${load_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_servers
}
trap cleanup EXIT

# ---- Gatling -----------------------------------------------------------------------------------------------------
# Runs `procs` Gatling processes at once, process i against gateway i with its share of the users; waits for all.
gatling() { # simulation label procs users start_at extra-props...
  local simulation=$1 label=$2 procs=$3 users=$4 start_at=$5; shift 5
  load_pids=()
  for i in $(seq 0 $((procs - 1))); do
    local share=$(( users / procs + (i < users % procs ? 1 : 0) ))
    java -Xms512m -Xmx${GATLING_XMX:-3g} -Xlog:gc:file="$work/$label-gatling-gc-$i.txt" \
      --add-opens=java.base/java.lang=ALL-UNNAMED -cp "$sim_cp" \
      -Dws="ws://127.0.0.1:$((8081 + i))" -Dusers="$share" -DstartAt="$start_at" -DrampSeconds="$ramp" \
      -Dseconds="${opt[seconds]}" -Dout="$work/$label-$i.out" "$@" -Dtokens="$work/tokens-$i.csv" \
      io.gatling.app.Gatling --simulation "switchboard.$simulation" --results-folder "$work/gatling-$label" \
      > "$work/$label-gatling-$i.log" 2>&1 &
    load_pids+=($!)
  done
}
wait_loads() { local rc=0; for p in "${load_pids[@]}"; do wait "$p" || rc=$?; done; load_pids=(); return $rc; }
# The last printed count of requests named $2 (Total OK KO) summed over the logs $1*.
gatling_counts() { # log-prefix name
  awk -v name="$2" '$1==">" && $2==name {t[FILENAME]=$4; o[FILENAME]=$6; k[FILENAME]=$8}
    END {for (f in t) {gsub(",","",t[f]); gsub(",","",o[f]); gsub(",","",k[f]); T+=t[f]; O+=o[f]; K+=k[f]}; printf "%d %d %d\n", T, O, K}' "$1"*
}
# Measured window: CPU of the server processes and of the load processes between start_at and start_at + seconds.
measure_window() { # start_at seconds -> sets win_server_cpu win_server_sys win_load_cpu
  local now; now=$(date +%s%3N)
  sleep "$(awk -v d=$(( $1 - now )) 'BEGIN{print (d > 0 ? d / 1000 : 0)}')"
  local s0 k0 l0 s1 k1 l1
  s0=$(cpu_ticks "${server_pids[@]}"); k0=$(sys_ticks "${server_pids[@]}"); l0=$(cpu_ticks "${load_pids[@]}")
  sleep "$2"
  s1=$(cpu_ticks "${server_pids[@]}"); k1=$(sys_ticks "${server_pids[@]}"); l1=$(cpu_ticks "${load_pids[@]}")
  win_server_cpu=$((s1 - s0)); win_server_sys=$((k1 - k0)); win_load_cpu=$((l1 - l0))
}

# ---- docs --------------------------------------------------------------------------------------------------------
# Inserts a row before the marker <!-- rows:$1 --> of docs/benchmarks.md.
append_row() { # sim row
  [[ $docs == 1 ]] || { log "row (not written, --no-docs or smoke): $2"; return; }
  local marker="<!-- rows:$1 -->"
  grep -qF "$marker" docs/benchmarks.md || { log "docs/benchmarks.md has no $marker"; exit 1; }
  awk -v m="$marker" -v r="$2" '$0 == m {print r} {print}' docs/benchmarks.md > "$work/benchmarks.md"
  cp "$work/benchmarks.md" docs/benchmarks.md
  log "appended to docs/benchmarks.md: $2"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }
today=$(date +%Y-%m-%d)
storage_label() { [[ $mysql == 1 ]] && echo "MariaDB + Redis" || echo "embedded"; }

# ---- simulations -------------------------------------------------------------------------------------------------
echo_run() {
  local g=$(( (n + per_process - 1) / per_process ))
  [[ $mysql == 1 || $g -gt 1 ]] && mysql=1
  local procs=$g
  ramp=${opt[ramp]}
  if [[ $ramp == 0 ]]; then ramp=$(( g > 1 ? n / 150 + 10 : n / 1000 + 5 )); fi
  "${harness[@]}" dev.switchboard.bench.MintTokens secret="$secret" count="$n" out="$work/tokens.csv"
  for i in $(seq 0 $((procs - 1))); do
    { echo token; awk -v p="$procs" -v i="$i" 'NR > 1 && (NR - 2) % p == i' "$work/tokens.csv"; } > "$work/tokens-$i.csv"
  done
  declare -gA res=()
  # The smoke run (the test suite) drives Switchboard and the bare server; a measured run adds the raw NIO floor.
  local kinds=(switchboard bare)
  [[ $smoke == 1 ]] || kinds+=(nio)
  # servers=switchboard,nio: a partial run while profiling (logged, no docs row: a row compares all three).
  if [[ -n ${opt[servers]:-} ]]; then IFS=, read -r -a kinds <<<"${opt[servers]}"; docs=0; fi
  for kind in "${kinds[@]}"; do
    case $kind in switchboard) start_switchboard "$g" ;; bare) start_bare "$g" ;; nio) start_nio "$g" ;; esac
    local start_at=$(( $(date +%s%3N) + (ramp + 15 + opt[warmup]) * 1000 ))
    log "$kind: $n clients over $procs Gatling process(es), ramp ${ramp} s, ${opt[warmup]} s of warm-up pings, measured pings from $(date -d @$((start_at / 1000)) +%T) for ${opt[seconds]} s"
    gatling Echo "$kind" "$procs" "$n" "$start_at" -DwarmupSeconds="${opt[warmup]}"
    measure_window "$start_at" "${opt[seconds]}"
    local heap rss
    wait_loads || true
    rss=$(rss_kb "${gateway_pids[@]}")
    stop_servers
    local rtt; rtt=$(java -cp "$sim_cp" switchboard.support.Summary rtt "$work/$kind"-*.out)
    read -r ct co ck < <(gatling_counts "$work/$kind-gatling-" connect)
    read -r at ao ak < <(gatling_counts "$work/$kind-gatling-" auth.ok)
    read -r pt po pk < <(gatling_counts "$work/$kind-gatling-" pong)
    log "$kind: connect $co/$ct ok, auth $ao/$at ok, pongs $po/$pt ok ($pk KO); rtt $rtt; server CPU $(secs $win_server_cpu) s, load CPU $(secs $win_load_cpu) s in the ${opt[seconds]} s window; GC pauses over the whole run: server $(if [[ $kind != switchboard ]]; then gc_pauses "$work/$kind"-*-gc.txt; else gc_pauses "$work"/node-gc.txt "$work"/core-gc.txt "$work"/gateway-*-gc.txt; fi), Gatling $(gc_pauses "$work/$kind"-gatling-gc-*.txt)"
    res[$kind.mean]=$(awk '{for(i=1;i<=NF;i++) if ($i ~ /^mean=/) {sub("mean=","",$i); sub("ms","",$i); print $i}}' <<<"$rtt")
    res[$kind.p99]=$(awk '{for(i=1;i<=NF;i++) if ($i ~ /^p99=/) {sub("p99=","",$i); sub("ms","",$i); print $i}}' <<<"$rtt")
    res[$kind.errors]=$(( (ct - co) + (at - ao) + pk ))
    res[$kind.pongs]="$po/$((n * ${opt[seconds]}))"
    res[$kind.cpu]=$(secs $win_server_cpu); res[$kind.load]=$(secs $win_load_cpu); res[$kind.rss]=$((rss / 1024))
    res[$kind.conn]="$((ct - co))"
    res[$kind.us]=$(awk -v t="$win_server_cpu" -v p="$po" 'BEGIN{ if (p > 0) printf "%.1f", t * 10000 / p; else print "-" }')
    res[$kind.sys]=$(awk -v t="$win_server_cpu" -v k="$win_server_sys" 'BEGIN{ if (t > 0) printf "%.0f%%", k * 100 / t; else print "-" }')
    log "$kind: server CPU per round trip ${res[$kind.us]} us, of it in the kernel ${res[$kind.sys]}"
  done
  if [[ -n ${opt[servers]:-} ]]; then
    log "partial run (servers=${opt[servers]}): no docs row"
    return
  fi
  if [[ $smoke == 1 ]]; then
    [[ ${res[switchboard.errors]} == 0 && ${res[bare.errors]} == 0 ]] || { log "smoke: errors (switchboard ${res[switchboard.errors]}, bare ${res[bare.errors]})"; exit 1; }
    log "smoke: Switchboard and the bare server answered every ping of $n clients"
    return
  fi
  append_row Echo "| $today | \`$command_line\` | $n | $g | $(storage_label) | ${res[switchboard.errors]} (${res[switchboard.conn]} conn) | ${res[switchboard.pongs]} | ${res[switchboard.mean]} / ${res[switchboard.p99]} | ${res[bare.errors]} | ${res[bare.mean]} / ${res[bare.p99]} | $(ratio "${res[switchboard.mean]}" "${res[bare.mean]}") / $(ratio "${res[switchboard.p99]}" "${res[bare.p99]}") | ${res[switchboard.cpu]} / ${res[bare.cpu]} | ${res[switchboard.load]} / ${res[bare.load]} | ${res[switchboard.rss]} / ${res[bare.rss]} | $machine |"
  append_row EchoFloor "| $today | \`$command_line\` | $n | ${res[nio.errors]} | ${res[nio.mean]} / ${res[nio.p99]} | ${res[switchboard.us]} / ${res[bare.us]} / ${res[nio.us]} | $(ratio "${res[switchboard.us]}" "${res[bare.us]}") | $(ratio "${res[switchboard.us]}" "${res[nio.us]}") | ${res[switchboard.cpu]} / ${res[bare.cpu]} / ${res[nio.cpu]} | ${res[switchboard.sys]} / ${res[bare.sys]} / ${res[nio.sys]} | $machine |"
  printf '%s,%s,%s,%s,%s\n' "$n" "${res[switchboard.mean]}" "${res[switchboard.p99]}" "${res[bare.mean]}" "${res[bare.p99]}" >> gatling/results/echo-sweep.csv
  java -Djava.awt.headless=true -cp "$sim_cp" switchboard.support.Chart gatling/results/echo-sweep.csv docs/img/echo-latency.png
}

chat_run() {
  ramp=${opt[ramp]}; [[ $ramp == 0 ]] && ramp=$(( n / 200 + 5 ))
  declare -gA res=()
  for kind in switchboard bare; do
    if [[ $kind == switchboard ]]; then
      start_switchboard 1
      "${harness[@]}" dev.switchboard.bench.ChatAccounts users="$n" out="$work/tokens-0.csv"
    else
      start_bare 1
    fi
    local start_at=$(( $(date +%s%3N) + (ramp + 10) * 1000 ))
    log "$kind: $n users ($((n / 2)) pairs), ramp ${ramp} s, sending from $(date -d @$((start_at / 1000)) +%T) for ${opt[seconds]} s"
    gatling ChatOneToOne "$kind" 1 "$n" "$start_at"
    measure_window "$start_at" "${opt[seconds]}"
    wait_loads || true
    stop_servers
    local out="$work/$kind-0.out"
    local ack; ack=$(java -cp "$sim_cp" switchboard.support.Summary ack "$out")
    val() { awk -F= -v k="$1" '$1==k{print $2}' "$out"; }
    log "$kind: sent $(val sent), acked $(val acked), failed $(val failed); send->ack $ack; server CPU $(secs $win_server_cpu) s, load CPU $(secs $win_load_cpu) s"
    res[$kind.rate]=$(awk -v a="$(val acked)" -v s="${opt[seconds]}" 'BEGIN{printf "%.0f", a / s}')
    res[$kind.failed]=$(val failed)
    res[$kind.ack]=$(sed -E 's/.*p50=([0-9.]+)ms p99=([0-9.]+)ms.*/\1 \/ \2/' <<<"$ack")
    res[$kind.p99]=$(sed -E 's/.*p99=([0-9.]+)ms.*/\1/' <<<"$ack")
    res[$kind.cpu]=$(secs $win_server_cpu); res[$kind.load]=$(secs $win_load_cpu)
  done
  # Delivery: the harness counts every acked message at its receiver (Gatling cannot, see ChatOneToOne.java), at the
  # same offered load (n senders at 8 msg/s, the mean of a 60-200 ms gap), on MariaDB + Redis.
  SKIP_BUILD=1 bash scripts/bench.sh 1to1 pairs="$n" rate=8 seconds="${opt[seconds]}" warmup=5 2>&1 | tee "$work/harness.log"
  local h_rate h_del h_ok
  h_rate=$(sed -nE 's#^acked: ([0-9]+) msg/s.*#\1#p' "$work/harness.log")
  h_del=$(grep -m1 '^send->receive' "$work/harness.log" | sed -E 's#.*p50=([0-9.]+) ?ms.*p99=([0-9.]+) ?ms.*#\1 / \2#')
  h_ok=$(grep -q 'every acked message delivered' "$work/harness.log" && echo "every acked message received" || echo "LOST MESSAGES")
  append_row ChatOneToOne "| $today | \`$command_line\` | $n | $(storage_label) | ${res[switchboard.rate]} | ${res[switchboard.ack]} | ${res[switchboard.failed]} | ${res[bare.rate]} | ${res[bare.ack]} | $(ratio "${res[switchboard.rate]}" "${res[bare.rate]}") / $(ratio "${res[switchboard.p99]}" "${res[bare.p99]}") | $h_rate msg/s, $h_del, $h_ok | ${res[switchboard.cpu]} / ${res[bare.cpu]} | ${res[switchboard.load]} / ${res[bare.load]} | $machine |"
}

# GroupFanout and RoomPush reuse the harness benchmarks of scripts/bench.sh; the baseline is the bare server's
# unbatched broadcast of the same frames to the same number of sockets at the same rate.
harness_run() { # switchboard-bench-args...
  export NODE_JAVA_OPTS=${NODE_JAVA_OPTS:--XX:+UseParallelGC}
  local sw="$work/switchboard.log" bare="$work/bare.log"
  SKIP_BUILD=1 bash scripts/bench.sh "$@" 2>&1 | tee "$sw"
  BENCH_SERVER=bare BENCH_CP="$sim_cp" SKIP_BUILD=1 bash scripts/bench.sh room sessions="$n" procs=$(( (n + per_process - 1) / per_process )) \
    rate="${opt[rate]}" seconds="${opt[seconds]}" 2>&1 | tee "$bare"
  field() { grep -m1 "$2" "$1" | sed -E "s#.*$3.*#\1#"; }
  local bare_rate bare_us bare_p99 bare_cpu
  bare_rate=$(field "$bare" '^deliveries:' '= ([0-9]+)/s.*')
  bare_us=$(field "$bare" '^server CPU:' '; ([0-9.]+) us per delivery.*')
  bare_p99=$(field "$bare" 'RESULT' 'p99=([0-9.]+)ms.*')
  bare_cpu=$(field "$bare" '^server CPU:' 'CPU: ([0-9.]+) s.*')
  if [[ $sim == RoomPush ]]; then
    local rate us p99 cpu pct heap
    rate=$(field "$sw" '^deliveries:' '= ([0-9]+)/s.*'); pct=$(field "$sw" '^deliveries:' '\(([0-9.]+)% of.*')
    us=$(field "$sw" '^server CPU:' '; ([0-9.]+) us per delivery.*'); cpu=$(field "$sw" '^server CPU:' 'CPU: ([0-9.]+) s.*')
    p99=$(field "$sw" 'RESULT' 'p99=([0-9.]+)ms.*'); heap=$(field "$sw" '^server heap' '= ([0-9]+) B per session.*')
    append_row RoomPush "| $today | \`$command_line\` | $n | ${opt[rate]} | $rate ($pct%) | $us | $p99 | $heap | $bare_rate | $bare_us | $bare_p99 | $(ratio "$us" "$bare_us") | $cpu / $bare_cpu | $machine |"
  else
    local rate us p99
    rate=$(field "$sw" 'deliveries:' '\(([0-9]+)/s;.*'); us=$(field "$sw" 'per delivery' '; ([0-9.]+) µs per delivery.*')
    p99=$(field "$sw" 'send->receive' 'p99=([0-9.]+)ms.*')
    append_row GroupFanout "| $today | \`$command_line\` | $n | ${opt[rate]} | $rate | $us | $p99 | $bare_rate | $bare_us | $bare_p99 | $(ratio "$us" "$bare_us") | $machine |"
  fi
}

# The room push of `Capacity push=K`, after the idle heap is measured: $work/push-go tells the load processes to join
# their sessions to room "capacity" (JOINED lines), then K pushes (body {n}) go through the push API 200 ms apart and
# each load process counts which numbers every session got (PUSHED lines). Sets res[switchboard.push].
capacity_push() { # gateways online
  local g=$1 online=$2 k=${opt[push]} t0 i
  t0=$(date +%s)
  touch "$work/push-go"
  local joined=0 join_failed=0 deadline=$(( t0 + 900 ))
  for i in $(seq 0 $((g - 1))); do
    until grep -q '^JOINED' "$work/switchboard-load-$i.log" 2>/dev/null; do
      kill -0 "${load_pids[$i]}" 2>/dev/null || { log "switchboard: load process $i died:"; tail -20 "$work/switchboard-load-$i.log" >&2; break; }
      (( $(date +%s) < deadline )) || { log "switchboard: load process $i did not join its sessions in 900 s"; break; }
      sleep 1
    done
    joined=$(( joined + $(sed -nE 's/^JOINED joined=([0-9]+).*/\1/p' "$work/switchboard-load-$i.log" | head -1 | grep . || echo 0) ))
    join_failed=$(( join_failed + $(sed -nE 's/^JOINED .*failed=([0-9]+).*/\1/p' "$work/switchboard-load-$i.log" | head -1 | grep . || echo 0) ))
  done
  log "switchboard: $joined sessions joined room capacity ($join_failed failed) in $(( $(date +%s) - t0 )) s; pushing $k messages"
  sleep 2 # the API answers each push with the room's sessions from the gateways' stats, reported once a second
  local s code refused=0
  for s in $(seq 1 "$k"); do
    code=$(curl -s -m 30 -o "$work/push-$s.json" -w '%{http_code}' -X POST -H "X-Api-Key: $api_key" \
      -H 'Content-Type: application/json' -d "{\"type\": \"capacity\", \"body\": {\"n\": $s}}" \
      "http://127.0.0.1:8080/api/v1/push/rooms/capacity" || true)
    log "switchboard: push $s: HTTP $code $(cat "$work/push-$s.json" 2>/dev/null || true)"
    [[ $code == 200 ]] || refused=$(( refused + 1 ))
    sleep 0.2
  done
  # A load process reports 60 s after the first message at the latest, or 300 s after JOINED when none arrives.
  local complete=0 of=0 missing=0 dup=0 silent=0 line
  deadline=$(( $(date +%s) + 330 ))
  for i in $(seq 0 $((g - 1))); do
    until grep -q '^PUSHED' "$work/switchboard-load-$i.log" 2>/dev/null; do
      kill -0 "${load_pids[$i]}" 2>/dev/null || break
      (( $(date +%s) < deadline )) || break
      sleep 1
    done
    line=$(grep -m1 '^PUSHED' "$work/switchboard-load-$i.log" 2>/dev/null || true)
    if [[ -z $line ]]; then silent=$(( silent + 1 )); continue; fi
    complete=$(( complete + $(sed -nE 's/.*complete=([0-9]+).*/\1/p' <<<"$line") ))
    of=$(( of + $(sed -nE 's/.* of=([0-9]+).*/\1/p' <<<"$line") ))
    missing=$(( missing + $(sed -nE 's/.*missing=([0-9]+).*/\1/p' <<<"$line") ))
    dup=$(( dup + $(sed -nE 's/.*duplicates=([0-9]+).*/\1/p' <<<"$line") ))
  done
  # Sessions of a load process that did not report count as not complete (their missing messages are unknown).
  local extra=""
  (( refused == 0 )) || extra+=", $refused pushes refused"
  (( silent == 0 )) || extra+=", $silent load process(es) did not report"
  (( of >= online )) || of=$online
  res[switchboard.push]="$k pushes: $complete/$of sessions got all ($missing missing, $dup dup$extra)"
  log "switchboard: room push: ${res[switchboard.push]}; $joined joined, $join_failed joins failed, $(( $(date +%s) - t0 )) s"
}

capacity_run() {
  local g=$(( (n + per_process - 1) / per_process ))
  local transport=${opt[transport]}
  local push=${opt[push]}
  [[ $push =~ ^[0-9]+$ ]] && (( push <= 64 )) || { echo "push=K: K from 0 to 64" >&2; exit 2; }
  mysql=1
  "${harness[@]}" dev.switchboard.bench.MintTokens secret="$secret" count="$n" out="$work/tokens.csv"
  declare -gA res=()
  for kind in switchboard bare; do
    if [[ $kind == switchboard ]]; then start_switchboard "$g"; else start_bare "$g"; fi
    local empty; empty=$(heap_bytes "${gateway_pids[@]}")
    jcmd "${gateway_pids[0]}" GC.class_histogram > "$work/$kind-histogram-empty.txt"
    local t0; t0=$(date +%s)
    # The baseline connects from other source addresses: the first run's client ports sit in TIME_WAIT for 60 s.
    local src=$([[ $kind == switchboard ]] && echo 2 || echo $((2 + g)))
    load_pids=()
    # The room push (Switchboard only): the load processes wait for $work/push-go, and hold longer.
    local push_args=(hold=900)
    if [[ $kind == switchboard && $push -gt 0 ]]; then push_args=(hold=2100 pushgo="$work/push-go" pushes="$push" room=capacity); fi
    for i in $(seq 0 $((g - 1))); do
      local share=$(( n / g + (i < n % g ? 1 : 0) ))
      java -Xms256m -Xmx1500m -cp "$work/harness.jar" dev.switchboard.bench.CapacityLoad transport="$transport" \
        port=$([[ $transport == ws ]] && echo $((8081 + i)) || echo $((9000 + i))) source="127.0.0.$((src + i))" \
        tokens="$work/tokens.csv" offset=$((i * (n / g) + (i < n % g ? i : n % g))) count="$share" "${push_args[@]}" > "$work/$kind-load-$i.log" 2>&1 &
      load_pids+=($!)
    done
    log "$kind: $n $transport connections over $g gateway process(es) and $g load process(es) (sources 127.0.0.$src-$((src + g - 1)))"
    local online=0 failed=0
    for i in $(seq 0 $((g - 1))); do
      until grep -q READY "$work/$kind-load-$i.log" 2>/dev/null; do
        kill -0 "${load_pids[$i]}" 2>/dev/null || { cat "$work/$kind-load-$i.log" >&2; exit 1; }
        sleep 1
      done
      online=$(( online + $(sed -nE 's/READY online=([0-9]+).*/\1/p' "$work/$kind-load-$i.log") ))
      failed=$(( failed + $(sed -nE 's/READY .*failed=([0-9]+).*/\1/p' "$work/$kind-load-$i.log") ))
    done
    local took=$(( $(date +%s) - t0 ))
    local established; established=$(ss -Htn state established "( sport >= :8081 and sport <= :$((8081 + g)) ) or ( sport >= :9000 and sport <= :$((9000 + g)) )" | wc -l)
    local full; full=$(heap_bytes "${gateway_pids[@]}")
    jcmd "${gateway_pids[0]}" GC.class_histogram > "$work/$kind-histogram-full.txt"
    local rss; rss=$(rss_kb "${gateway_pids[@]}")
    # Per connection the server actually holds (sockets established on the gateway ports), not per client started.
    local per=$(( (full - empty) / (established > 0 ? established : 1) ))
    local first_port; first_port=$([[ $transport == ws ]] && echo 8081 || echo 9000)
    local in_first; in_first=$(ss -Htn state established "( sport = :$first_port )" | wc -l)
    (( established >= online * 99 / 100 )) || log "$kind: WARNING: $online clients online but only $established server sockets"
    log "$kind: online $online, failed $failed in $took s; server sockets established $established ($in_first in the first gateway); gateway heap after full GC $((empty / 1048576)) MiB empty -> $((full / 1048576)) MiB = $per B per connection; RSS $((rss / 1024)) MiB"
    java -cp "$sim_cp" switchboard.support.HistogramDiff "$work/$kind-histogram-empty.txt" "$work/$kind-histogram-full.txt" \
      "$in_first" 14 | tee "$work/$kind-per-connection.txt" >&2
    res[$kind.online]="$online ($established sockets)"; res[$kind.failed]=$failed; res[$kind.per]=$per; res[$kind.rss]=$((rss / 1024)); res[$kind.took]=$took
    res[$kind.rssper]=$(( rss * 1024 / (online > 0 ? online : 1) ))
    res[$kind.push]="—"
    if [[ $kind == switchboard && $push -gt 0 ]]; then capacity_push "$g" "$online"; fi
    for p in "${load_pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait_loads 2>/dev/null || true
    stop_servers
  done
  append_row Capacity "| $today | \`$command_line\` | $n | $transport | $g + $g | ${res[switchboard.online]} (${res[switchboard.failed]} failed, ${res[switchboard.took]} s) | ${res[switchboard.per]} | ${res[switchboard.rss]} (${res[switchboard.rssper]} B/conn) | ${res[bare.online]} | ${res[bare.per]} | ${res[bare.rss]} | $(ratio "${res[switchboard.per]}" "${res[bare.per]}") | $machine | ${res[switchboard.push]} |"
}

# ---- Logins: one node against a cluster, same run --------------------------------------------------------------------
# Waits until the harness log $1 has a line starting with $2; prints its epoch ms.
wait_marker() { # log marker pid
  for _ in $(seq 1 12000); do
    local line; line=$(grep -m1 "^$2 " "$1" 2>/dev/null || true)
    [[ -n $line ]] && { echo "${line##* }"; return 0; }
    kill -0 "$3" 2>/dev/null || { log "harness ended before '$2':"; tail -20 "$1" >&2; exit 1; }
    sleep 0.1
  done
  log "no '$2' in $1 after 20 minutes"; exit 1
}
# CPU ticks of each pid in $@, space-separated.
each_cpu() { local out=""; for p in "$@"; do out+="$(cpu_ticks "$p") "; done; echo "$out"; }
logins_run() {
  local gws=${opt[gateways]:-2} conc=${opt[concurrency]:-100} pairs=${opt[pairs]:-50} rate=${opt[msgs]:-1000}
  local secs=${opt[seconds]}
  local users=$(( n / 5 > 0 ? n / 5 : 1 )) warm=${opt[warmLogins]:-$(( n * 10 ))}
  mysql=1
  declare -gA res=()
  for kind in single cluster; do
    local g=1 ports=9000 names=(node)
    if [[ $kind == cluster ]]; then
      g=$gws; ports=$(seq -s, 9000 $((9000 + gws - 1))); names=(core)
      for i in $(seq 0 $((gws - 1))); do names+=("gateway-$i"); done
    fi
    cluster_of_one=$([[ $kind == cluster ]] && echo 1 || echo 0) start_switchboard "$g"
    local log="$work/$kind-sessions.log"
    java -Xms256m -Xmx1g -cp "$work/harness.jar" dev.switchboard.bench.SessionsBench api=8080 tcp="$ports" \
      users="$users" sessions="$n" warmup="$warm" latencyWarmup="${opt[latencyWarmup]:-10}" concurrency="$conc" pairs="$pairs" rate="$rate" seconds="$secs" \
      > "$log" 2>&1 &
    local hp=$!
    wait_marker "$log" "LOGINS START" "$hp" >/dev/null; local c0; c0=($(each_cpu "${server_pids[@]}"))
    wait_marker "$log" "LOGINS END" "$hp" >/dev/null; local c1; c1=($(each_cpu "${server_pids[@]}"))
    wait_marker "$log" "LATENCY START" "$hp" >/dev/null; local l0; l0=($(each_cpu "${server_pids[@]}"))
    wait_marker "$log" "LATENCY END" "$hp" >/dev/null; local l1; l1=($(each_cpu "${server_pids[@]}"))
    wait "$hp" || { log "$kind: harness failed"; tail -20 "$log" >&2; exit 1; }
    local logins; logins=$(awk '/^logins:/{for(i=1;i<=NF;i++) if ($(i+1) == "logins/s") print $i}' "$log")
    local failedl; failedl=$(awk '/^logins:/{for(i=1;i<=NF;i++) if ($(i+1) == "failed") print $i}' "$log")
    local lat; lat=$(grep '^latency' "$log")
    local p50 p99 got sent
    p50=$(awk '{for(i=1;i<=NF;i++) if ($i == "p50") print $(i+1)}' <<<"$lat")
    p99=$(awk '{for(i=1;i<=NF;i++) if ($i == "p99") print $(i+1)}' <<<"$lat")
    sent=$(awk '{for(i=1;i<=NF;i++) if ($i == "sent") print $(i+1)}' <<<"$lat" | tr -d ',')
    got=$(awk '{for(i=1;i<=NF;i++) if ($i == "received") print $(i+1)}' <<<"$lat" | tr -d ';')
    local per="" lper=""
    for i in "${!names[@]}"; do
      per+="${names[$i]} $(awk -v t=$(( c1[i] - c0[i] )) -v n="$n" 'BEGIN{printf "%.0f", t * 10000 / n}'), "
      lper+="${names[$i]} $(awk -v t=$(( l1[i] - l0[i] )) -v m="${got:-1}" 'BEGIN{printf "%.0f", t * 10000 / (m > 0 ? m : 1)}'), "
    done
    per=${per%, }; lper=${lper%, }
    log "$kind: $logins logins/s ($failedl failed); CPU per login (us): $per; $lat; CPU per message (us): $lper"
    res[$kind.logins]=$logins; res[$kind.failed]=$failedl; res[$kind.per]=$per; res[$kind.lper]=$lper
    res[$kind.lat]="$p50 / $p99 ms ($got of $sent)"
    stop_servers
  done
  append_row Logins "| $today | \`$command_line\` | $n | $conc | ${res[single.logins]} | ${res[cluster.logins]} | $(ratio "${res[cluster.logins]}" "${res[single.logins]}") | ${res[single.failed]} / ${res[cluster.failed]} | ${res[single.per]} | ${res[cluster.per]} | ${res[single.lat]} | ${res[cluster.lat]} | ${res[cluster.lper]} | $machine |"
}

mkdir -p gatling/results docs/img
case "$sim" in
  Logins) logins_run ;;
  Echo) echo_run ;;
  ChatOneToOne) chat_run ;;
  RoomPush) harness_run room sessions="$n" procs=$(( (n + per_process - 1) / per_process )) rate="${opt[rate]}" seconds="${opt[seconds]}" ;;
  GroupFanout) harness_run group members="$n" rate="${opt[rate]}" seconds="${opt[seconds]}" ;;
  Capacity) capacity_run ;;
  *) echo "unknown simulation $sim" >&2; exit 2 ;;
esac
log "done: $work"
