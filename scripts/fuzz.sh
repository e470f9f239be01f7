#!/usr/bin/env bash
# Fuzzes each Jazzer target (the *FuzzTest classes: TCP framing, JSON frames, the protobuf decoder, the bridge's frame
# reader) for a bounded time, each in its own JVM, starting from its committed corpus under
# src/test/resources/.../<Class>Inputs/. A crash fails the run; Jazzer writes the input next to that corpus
# (crash-<sha1>), where plain `mvn test` replays it from then on.
#   scripts/fuzz.sh                                    every target, FUZZ_SECONDS (default 25) each
#   FUZZ_SECONDS=600 scripts/fuzz.sh ProtoCodecFuzzTest  one target, longer
# MVN overrides the Maven command (default ./mvnw).
set -euo pipefail
cd "$(dirname "$0")/.."
"${MVN:-./mvnw}" -B -ntp test -P fuzz -pl protocol,verticles/bridge -am \
  -Dfuzz.seconds="${FUZZ_SECONDS:-25}" -Dfuzz.test="${1:-*FuzzTest}"
