#!/usr/bin/env bash
# bench/run.sh: build the reactor (tests skipped) and run the API server benchmark.
#
#   bench/run.sh                  the full run (about 5 minutes), Markdown results on stdout
#   bench/run.sh --quick          a short smoke run; its numbers are not for the report
#   bench/run.sh --help           every option
#
# Environment: BENCH_JAVA_HOME (default: the Temurin 25 JDK), BENCH_JAVA_OPTS (extra JVM flags,
# e.g. -XX:StartFlightRecording=filename=bench.jfr,settings=profile), BENCH_SKIP_BUILD=1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$JAVA_HOME/bin/java" ] || { echo "bench: no JDK at $JAVA_HOME (set BENCH_JAVA_HOME)" >&2; exit 1; }

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  echo "bench: building (mvn package -DskipTests) ..." >&2
  mvn -B -q -f "$ROOT/pom.xml" -pl bench -am -DskipTests package >&2
fi

# The server logs at WARN so progress and results stay readable.
export KUBEVISOR_LOG_LEVEL="${KUBEVISOR_LOG_LEVEL:-WARN}"
exec "$JAVA_HOME/bin/java" \
  --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Xms1g -Xmx4g ${BENCH_JAVA_OPTS:-} -Dbench.command="bench/run.sh $*" \
  -cp "$ROOT/bench/target/lib/*:$ROOT/bench/target/kubevisor-bench-0.1.0-SNAPSHOT.jar" \
  io.kubevisor.bench.ApiServerBench --data-dir "$ROOT/bench/target/bench-data" "$@"
