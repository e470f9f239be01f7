#!/usr/bin/env bash
# Benchmarks against a node on MariaDB + Redis (fresh database, own key prefix), driven by the harness in
# gatling/harness over raw TCP; everything on this machine, on loopback. Stops by itself.
#   scripts/bench.sh 1to1  [pairs=500] [rate=20] [seconds=30] [warmup=5] [window=32]
#   scripts/bench.sh group [members=5000] [rate=40] [seconds=30] [warmup=5] [sampled=200]
#   scripts/bench.sh idle  [count=10000]   heap per idle authenticated TCP connection, after full GCs
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  1to1) bench=dev.switchboard.bench.OneToOneBench ;;
  group) bench=dev.switchboard.bench.GroupFanoutBench ;;
  idle) bench=dev.switchboard.bench.IdleConnections ;;
  *) echo "usage: scripts/bench.sh 1to1|group [key=value...]" >&2; exit 2 ;;
esac
shift
bash scripts/services.sh
./mvnw -B -ntp -q -DskipTests -pl verticles/node,gatling/harness -am package
work=target/bench; mkdir -p "$work"
cp verticles/node/target/switchboard-node.jar "$work/node.jar"
cp gatling/harness/target/switchboard-harness.jar "$work/harness.jar"
db=switchboard_bench_$$; prefix="bench:$$:"
cli=$(command -v mariadb || command -v mysql)
"$cli" -h127.0.0.1 -uswitchboard -pswitchboard -e "CREATE DATABASE $db"
cat > "$work/node.json" <<JSON
{
  "storage": {
    "db": {"kind": "mysql", "host": "127.0.0.1", "port": 3306, "database": "$db", "user": "switchboard",
           "password": "switchboard", "poolSize": 8},
    "state": {"kind": "redis", "redisUrl": "redis://127.0.0.1:6379", "prefix": "$prefix"}
  },
  "auth": {"secret": "benchmark-secret-$(date +%s%N)-0123456789abcdef", "passwordIterations": 1000},
  "verticles": {
    "router": {"instances": 2}, "group": {}, "api": {"port": 8080, "host": "127.0.0.1"},
    "gateway": {"instances": 2, "host": "127.0.0.1", "wsPort": 8081, "tcpPort": 9000}
  }
}
JSON
java -Xms1g -Xmx2g ${NODE_JAVA_OPTS:-} -Djava.util.logging.config.file=conf/logging.properties -jar "$work/node.jar" "$work/node.json" \
  > "$work/node.log" 2>&1 &
node_pid=$!
cleanup() {
  kill "$node_pid" 2>/dev/null || true
  wait "$node_pid" 2>/dev/null || true
  "$cli" -h127.0.0.1 -uswitchboard -pswitchboard -e "DROP DATABASE IF EXISTS $db" || true
  redis-cli --scan --pattern "$prefix*" | xargs -r redis-cli del >/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null && break
  sleep 0.5
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1)"
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
fi
