#!/usr/bin/env bash
# bench/pods.sh: build the reactor (tests skipped) and run the pod benchmark: pod start latency
# against bare runsc (P1) and idle pods per host (P2). Needs root, runsc, umoci, skopeo, iproute2
# and busybox-static; it starts `kubevisor up` as its own process and removes every sandbox,
# mount, network namespace and cgroup it made, also when it fails.
#
#   bench/pods.sh                  the full run (about 30 minutes), Markdown results on stdout
#   bench/pods.sh --quick          a short smoke run; its numbers are not for the report
#   bench/pods.sh --help           every option
#
# Environment: BENCH_JAVA_HOME (default: the Temurin 25 JDK), BENCH_JAVA_OPTS (flags of the
# benchmark's JVM), KUBEVISOR_JAVA_OPTS (flags of the Kubevisor JVM, e.g.
# -XX:StartFlightRecording=filename=/tmp/node.jfr,settings=profile), BENCH_SKIP_BUILD=1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$JAVA_HOME/bin/java" ] || { echo "bench: no JDK at $JAVA_HOME (set BENCH_JAVA_HOME)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bench: runsc sandboxes and network namespaces need root" >&2; exit 1; }
for tool in runsc umoci skopeo ip; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is missing" >&2; exit 1; }
done
[ -x /bin/busybox ] || { echo "bench: /bin/busybox is missing (busybox-static)" >&2; exit 1; }

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  echo "bench: building (mvn package -DskipTests) ..." >&2
  mvn -B -q -f "$ROOT/pom.xml" -pl bench -am -DskipTests package >&2
fi

exec "$JAVA_HOME/bin/java" \
  --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Xms256m -Xmx1g ${BENCH_JAVA_OPTS:-} -Dbench.command="bench/pods.sh $*" \
  -cp "$ROOT/bench/target/lib/*:$ROOT/bench/target/kubevisor-bench-0.1.0-SNAPSHOT.jar" \
  io.kubevisor.bench.PodStartBench --data-dir "$ROOT/bench/target/bench-data" "$@"
