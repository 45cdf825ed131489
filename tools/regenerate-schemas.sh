#!/usr/bin/env bash
# Regenerates api/src/main/resources/io/kubevisor/api/schema/k8s-1.32-definitions.json.gz from the
# Kubernetes 1.32 Go API types as Debian packages them (pinned versions, checked by sha256).
# Needs: curl, dpkg-deb, Maven and a JDK >= 25 (JAVA_HOME, or the Temurin 25 JDK in /usr/lib/jvm).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/api/src/main/resources/io/kubevisor/api/schema/k8s-1.32-definitions.json.gz"
POOL=http://deb.debian.org/debian/pool/main/g
DEBS=(
  "golang-k8s-api/golang-k8s-api-dev_0.32.3-1_all.deb f7b52c32b3522bf8c6ccc7c9645d01c87cbee31ab22de2a92de56fac3e4dd772"
  "golang-k8s-apimachinery/golang-k8s-apimachinery-dev_0.32.3-2_all.deb 7b83b05ec2fd0bf6f1db8a2b0c0dcbfbdd5ec555210ea5c4dc09575346fdf2f6"
)

if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
  for jdk in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$jdk/bin/javac" ] && "$jdk/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
      export JAVA_HOME=$jdk
      break
    fi
  done
fi
if [ -z "${JAVA_HOME:-}" ]; then
  echo "no JDK >= 25 found: install one (e.g. Temurin 25) or set JAVA_HOME" >&2
  exit 1
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

for entry in "${DEBS[@]}"; do
  path=${entry% *}
  sum=${entry#* }
  file="$WORK/$(basename "$path")"
  curl -fsSL -o "$file" "$POOL/$path"
  echo "$sum  $file" | sha256sum -c --quiet -
  dpkg-deb -x "$file" "$WORK/root"
done

mvn -B -q -pl schemagen -am package -DskipTests
mvn -B -q -pl schemagen dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt"
"$JAVA_HOME/bin/java" -cp "$ROOT/schemagen/target/classes:$(cat "$WORK/cp.txt")" \
  io.kubevisor.schemagen.Main "$WORK/root/usr/share/gocode/src" "$OUT"
