#!/usr/bin/env bash
# Builds and runs the Java client quickstart against a running node (default 127.0.0.1:7070).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$ROOT" && mvn -B -q -DskipTests -pl examples -am package)
exec java --add-opens=java.base/java.nio=ALL-UNNAMED \
  -cp "$ROOT/examples/target/classes:$ROOT/examples/target/lib/*" \
  io.pyralog.examples.ClientQuickstart "${1:-${PYRALOG_BOOTSTRAP:-127.0.0.1:7070}}"
