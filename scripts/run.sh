#!/usr/bin/env bash
# Builds the node and starts every verticle in one JVM on the embedded default (H2 under ./data, in-process state):
# API on http://127.0.0.1:8080, WebSocket on ws://127.0.0.1:8081/ws, TCP on 127.0.0.1:9000.
# Another config: scripts/run.sh conf/mysql-redis.example.json
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q -DskipTests -pl node -am package
# Run a copy: rebuilding while the server runs must not pull the jar from under it.
mkdir -p data
cp node/target/switchboard-node.jar data/.switchboard-node.jar.tmp
mv data/.switchboard-node.jar.tmp data/switchboard-node.jar
exec java -Djava.util.logging.config.file=conf/logging.properties -jar data/switchboard-node.jar "$@"
