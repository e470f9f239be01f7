#!/usr/bin/env bash
# Benchmarks against a node on MariaDB + Redis (fresh database, own key prefix), driven by the harness in
# gatling/harness over raw TCP; everything on this machine, on loopback. Stops by itself.
#   scripts/bench.sh 1to1  [pairs=500] [rate=20] [seconds=30] [warmup=5] [window=32]
#                          (BENCH_STORAGE=embedded: on the embedded default, H2 + in-process state)
#   scripts/bench.sh group [members=5000] [rate=40] [seconds=30] [warmup=5] [sampled=200]
#   (every kind) [writeWindowMs=W]  the gateway's write window (its default when not given)
#   (every kind) [hook=1]            a before-send hook for every send kind, served by the harness's HookServer on
#                                    port 8090 (answers allow at once): what the hook's round trip adds to a send
#   (1to1, group) [syscalls=1]       also count the server's system calls by kind over the window (perf stat; the
#                                    counting slows every process: take CPU and rates from a run without it)
#   BENCH_NODE_JAR=path              run that node jar (e.g. an older commit's build) instead of this checkout's
#   scripts/bench.sh presence [contacts=1000] [toggles=200] [warmup=20] [graceMs=100]
#                          one user's presence toggled, every one of its contacts online: CPU per presence event
#   scripts/bench.sh idle  [count=10000]   heap per idle authenticated TCP connection, after full GCs
#   scripts/bench.sh room  [sessions=19000] [procs=2] [rate=40] [seconds=60] [warmup=5] [batchMs=50] [batchMax=20] [sampled=500]
#                          goim's room push: every session in one room, pushes through the HTTP push API
#   scripts/bench.sh sessions [sessions=4000] [concurrency=100] [pairs=50] [rate=200] [seconds=20]
#                          logins/s and send->receive latency on one node (for a cluster: scripts/cluster.sh up, then
#                          java -cp target/bench/harness.jar dev.switchboard.bench.SessionsBench tcp=9000,9001)
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  1to1) bench=dev.switchboard.bench.OneToOneBench ;;
  group) bench=dev.switchboard.bench.GroupFanoutBench ;;
  presence) bench=dev.switchboard.bench.PresenceBench ;;
  idle) bench=dev.switchboard.bench.IdleConnections ;;
  room) bench=dev.switchboard.bench.RoomPushBench ;;
  sessions) bench=dev.switchboard.bench.SessionsBench ;;
  *) echo "usage: scripts/bench.sh 1to1|group|presence|idle|room|sessions [key=value...]" >&2; exit 2 ;;
esac
shift
declare -A opt=([sessions]=19000 [procs]=2 [rate]=40 [seconds]=60 [warmup]=5 [batchMs]=50 [batchMax]=20 [sampled]=500)
for kv in "$@"; do opt[${kv%%=*}]=${kv#*=}; done
# The presence bench toggles a session many times: a short offline grace (and a per-user API rate for its setup).
[[ $bench == *PresenceBench ]] && : "${opt[graceMs]:=100}"
# One process may hold at most the open-files limit of sockets (20,000 hard here): raise the soft limit to it.
ulimit -n "$(ulimit -Hn)"
# BENCH_SERVER=bare (room only): the same load against gatling/run.sh's bare Vert.x server (classpath in BENCH_CP).
bare=0; [[ ${BENCH_SERVER:-} == bare ]] && bare=1
[[ $bare == 1 ]] || bash scripts/services.sh
[[ ${SKIP_BUILD:-0} == 1 ]] || ./mvnw -B -ntp -q -DskipTests -pl node,gatling/harness -am package
work=target/bench; mkdir -p "$work"
cp "${BENCH_NODE_JAR:-node/target/switchboard-node.jar}" "$work/node.jar"
cp gatling/harness/target/switchboard-harness.jar "$work/harness.jar"
db=switchboard_bench_$$; prefix="bench:$$:"
cli=$(command -v mariadb || command -v mysql || echo true)
[[ $bare == 1 ]] || "$cli" -h127.0.0.1 -uswitchboard -pswitchboard -e "CREATE DATABASE $db"
# BENCH_STORAGE=embedded: the embedded default (H2 file database + in-process state) instead of MariaDB + Redis.
storage='"db": {"kind": "mysql", "host": "127.0.0.1", "port": 3306, "database": "'$db'", "user": "switchboard",
           "password": "switchboard", "poolSize": 8},
    "state": {"kind": "redis", "redisUrl": "redis://127.0.0.1:6379", "prefix": "'$prefix'"}'
if [[ ${BENCH_STORAGE:-} == embedded ]]; then
  rm -rf "$work/h2"; mkdir -p "$work/h2"
  storage='"db": {"kind": "h2", "path": "'$PWD/$work'/h2/switchboard"}, "state": {"kind": "local"}'
fi
hooks=""
if [[ ${opt[hook]:-0} == 1 ]]; then
  hook_secret="bench-hook-secret-$(date +%s%N)"
  hooks='"hooks": {"beforeSend": {"url": "http://127.0.0.1:8090/before", "secret": "'$hook_secret'", "timeoutMs": 500}},'
fi
cat > "$work/node.json" <<JSON
{
  $hooks
  "storage": {
    $storage
  },
  "auth": {"secret": "benchmark-secret-$(date +%s%N)-0123456789abcdef", "argon2": {"memoryKiB": 256, "iterations": 1}},
  "verticles": {
    "router": {"instances": 2}, "group": {},
    "api": {"port": 8080, "host": "127.0.0.1", "apiKeys": ["bench-api-key-0123456789"],
            "addressRateLimit": {"perSecond": 1000, "burst": 2000}${opt[graceMs]:+,
            \"rateLimit\": {\"perSecond\": 100000, \"burst\": 100000\}, \"presence\": {\"offlineGraceMs\": ${opt[graceMs]}\}}},
    "gateway": {"instances": 2, "host": "127.0.0.1", "wsPort": 8081, "tcpPort": 9000, ${opt[writeWindowMs]:+\"writeWindowMs\": ${opt[writeWindowMs]},}
                "rooms": {"batchMs": ${opt[batchMs]}, "batchMax": ${opt[batchMax]}}}
  }
}
JSON
if [[ $bare == 1 ]]; then
  java -Xms1g -Xmx2g ${NODE_JAVA_OPTS:-} -cp "${BENCH_CP:?BENCH_CP: the gatling test classpath}" switchboard.bare.BareServer \
    ws=8081 tcp=9000 http=8080 > "$work/node.log" 2>&1 &
else
  java -Xms1g -Xmx2g ${NODE_JAVA_OPTS:-} -Djava.util.logging.config.file=conf/logging.properties -jar "$work/node.jar" "$work/node.json" \
    > "$work/node.log" 2>&1 &
fi
node_pid=$!
cleanup() {
  kill "$node_pid" 2>/dev/null || true
  wait "$node_pid" 2>/dev/null || true
  if [[ -n ${hook_pid:-} ]]; then
    kill "$hook_pid" 2>/dev/null || true
    wait "$hook_pid" 2>/dev/null || true
    cat "$work/hook.log"
  fi
  [[ $bare == 1 ]] && return
  "$cli" -h127.0.0.1 -uswitchboard -pswitchboard -e "DROP DATABASE IF EXISTS $db" || true
  redis-cli --scan --pattern "$prefix*" | xargs -r redis-cli del >/dev/null || true
}
trap cleanup EXIT
if [[ -n $hooks ]]; then
  java -Xms64m -Xmx256m -cp "$work/harness.jar" dev.switchboard.bench.HookServer port=8090 secret="$hook_secret" \
    > "$work/hook.log" 2>&1 &
  hook_pid=$!
  until grep -q READY "$work/hook.log" 2>/dev/null; do
    kill -0 "$hook_pid" 2>/dev/null || { cat "$work/hook.log"; exit 1; }
    sleep 0.2
  done
fi
for _ in $(seq 1 120); do
  (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null && break
  sleep 0.5
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1)"
heap() { jcmd "$node_pid" GC.run >/dev/null; sleep 1; jcmd "$node_pid" GC.run >/dev/null
         jcmd "$node_pid" GC.class_histogram | awk '/^Total/{print $3}'; }
if [[ $bench == *RoomPushBench ]]; then
  jar=(java -Xms256m -Xmx1g -cp "$work/harness.jar" "$bench")
  if [[ $bare == 1 ]]; then  # the bare server reads the uid from a token without checking it
    for i in $(seq 1 100); do echo "x.$(printf '{"sub":"%d"}' "$i" | base64 -w0 | tr '+/' '-_' | tr -d '=').x"; done > "$work/tokens.txt"
  else
    "${jar[@]}" role=setup users=100 tokens="$work/tokens.txt"
  fi
  before=$(heap)
  n=${opt[sessions]}; procs=${opt[procs]}; per=$(( (n + procs - 1) / procs ))
  start_at=$(( $(date +%s%3N) + 3600000 ))  # replaced below once every receiver is online
  echo "room push: $n sessions over $procs load processes, ${opt[rate]} pushes/s, ${opt[seconds]} s measured, batchMs=${opt[batchMs]} batchMax=${opt[batchMax]}; node JVM options: ${NODE_JAVA_OPTS:-none}"
  # Receivers learn the start time from a file written once all are connected.
  pids=()
  rm -f "$work/start_at"
  for p in $(seq 0 $((procs - 1))); do
    count=$(( p == procs - 1 ? n - per * (procs - 1) : per ))
    sampled=$(( p == 0 ? ${opt[sampled]} : 0 ))
    ( until [[ -s "$work/start_at" ]]; do sleep 0.2; done
      exec "${jar[@]}" role=receivers count="$count" offset=$((p * per)) sampled="$sampled" tokens="$work/tokens.txt" \
        startAt="$(cat "$work/start_at")" warmup="${opt[warmup]}" seconds="${opt[seconds]}" hold=600 ) \
      > "$work/receivers-$p.log" 2>&1 &
    pids+=($!)
  done
  # Connecting takes a while; the start is set far enough ahead for every process to be online by then.
  echo $(( $(date +%s%3N) + 20000 + n * 3 )) > "$work/start_at"
  start_at=$(cat "$work/start_at")
  for p in $(seq 0 $((procs - 1))); do
    until grep -q READY "$work/receivers-$p.log" 2>/dev/null; do
      kill -0 "${pids[$p]}" 2>/dev/null || { cat "$work/receivers-$p.log"; exit 1; }
      sleep 0.5
    done
    grep READY "$work/receivers-$p.log"
  done
  (( $(date +%s%3N) < start_at )) || { echo "receivers were not online before the start; raise the lead time" >&2; exit 1; }
  "${jar[@]}" role=pusher rate="${opt[rate]}" startAt="$start_at" warmup="${opt[warmup]}" seconds="${opt[seconds]}" \
    key=bench-api-key-0123456789 pid="$node_pid" | tee "$work/pusher.log"
  for p in $(seq 0 $((procs - 1))); do
    until grep -q RESULT "$work/receivers-$p.log"; do sleep 0.5; done
    grep RESULT "$work/receivers-$p.log"
  done
  after=$(heap)
  rss=$(awk '/VmRSS/{print $2}' "/proc/$node_pid/status")
  deliveries=$(cat "$work"/receivers-*.log | awk '/RESULT/{for(i=1;i<=NF;i++) if ($i ~ /^deliveries=/) {split($i,a,"="); s+=a[2]}} END{print s}')
  frames=$(cat "$work"/receivers-*.log | awk '/RESULT/{for(i=1;i<=NF;i++) if ($i ~ /^frames=/) {split($i,a,"="); s+=a[2]}} END{print s}')
  cpu=$(awk '/PUSHER/{for(i=1;i<=NF;i++) if ($i ~ /^serverCpuSeconds=/) {split($i,a,"="); print a[2]}}' "$work/pusher.log")
  inwin=$(awk '/PUSHER/{for(i=1;i<=NF;i++) if ($i ~ /^inWindow=/) {split($i,a,"="); print a[2]}}' "$work/pusher.log")
  awk -v d="$deliveries" -v f="$frames" -v c="$cpu" -v s="${opt[seconds]}" -v n="$n" -v w="$inwin" \
      -v hb="$before" -v ha="$after" -v rss="$rss" 'BEGIN {
    printf "deliveries: %d in %d s = %.0f/s (%.1f%% of pushes in window x sessions); frames written: %.0f/s\n", d, s, d/s, 100*d/(w*n), f/s
    printf "server CPU: %.2f s = %.0f%% of one core; %.3f us per delivery, %.2f us per frame\n", c, 100*c/s, 1e6*c/d, 1e6*c/f
    printf "server heap after full GC: %d B before the sessions, %d B with them = %.0f B per session; RSS %d MiB\n", hb, ha, (ha-hb)/n, rss/1024
  }'
  echo "server threads by CPU time over the whole run (s):"
  for t in /proc/"$node_pid"/task/*; do
    awk -v name="$(cat "$t/comm")" '{split($0, a, ") "); split(a[2], f, " "); printf "%8.2f %s\n", (f[12]+f[13])/100, name}' "$t/stat"
  done | sort -rn | head -8
  kill "${pids[@]}" 2>/dev/null || true
  exit 0
fi
if [[ $bench == *IdleConnections ]]; then
  heap() { jcmd "$node_pid" GC.run >/dev/null; sleep 1; jcmd "$node_pid" GC.run >/dev/null
           jcmd "$node_pid" GC.class_histogram | awk '/^Total/{print $3}'; }
  before=$(heap)
  java -Xms256m -Xmx1g -cp "$work/harness.jar" "$bench" password=bench-password "$@" hold=600 > "$work/idle.log" 2>&1 &
  load_pid=$!
  until grep -q READY "$work/idle.log" 2>/dev/null; do
    kill -0 "$load_pid" 2>/dev/null || { cat "$work/idle.log"; exit 1; }
    sleep 1
  done
  n=$(awk '/READY/{print $2}' "$work/idle.log")
  after=$(heap)
  echo "idle connections: $n; server heap after full GC: before $before B, with them $after B"
  echo "heap per idle connection: $(( (after - before) / n )) B"
  echo "largest classes on the heap with them (instances, bytes, class):"
  jcmd "$node_pid" GC.class_histogram | sed -n 4,18p | awk '{print "  " $2, $3, $4}'
  kill "$load_pid"; wait "$load_pid" 2>/dev/null || true
else
  java -Xms512m -Xmx2g -cp "$work/harness.jar" "$bench" password=bench-password pid="$node_pid" "$@"
  echo "server threads by CPU time over the whole run, user+system (s):"
  for t in /proc/"$node_pid"/task/*; do
    awk -v name="$(cat "$t/comm")" '{split($0, a, ") "); split(a[2], f, " "); printf "%8.2f %6.2f %s\n", (f[12]+f[13])/100, f[13]/100, name}' "$t/stat"
  done | sort -rn | head -10
fi
