#!/usr/bin/env bash
# Figures of a 3-node Pyralog cluster of real processes on this machine: unavailability after
# kill -9 of a partition leader (p50/p99 over N kills), produce throughput at RF=3 against RF=1,
# and each node's resident memory and threads at 16 and at 16 + 192 partitions.
#
#   benchmarks/cluster.sh [kills (default 20)] [records per throughput run (default 1000000)]
#                         [phases (default scale,rf,failover)]
#
# PYRALOG_RATIS_LOG_LEVEL=INFO makes the nodes log Ratis at that level.
# PYRALOG_NODE_OPTIONS="-X key=value ..." passes node options, e.g. for a comparison run with
# PYRALOG_NODE_OPTIONS="-X election.on.leader.exit=false".
#
# Lines starting with RESULT carry the figures; see benchmarks/README.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
(cd "$ROOT" && mvn -B -q -DskipTests -pl benchmarks -am package)
WORK="$BENCH/target/cluster-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$WORK"
echo "Run directory: $WORK"
"$JAVA" -Xmx1g -XX:+UseG1GC --add-opens=java.base/java.nio=ALL-UNNAMED \
  -Dpyralog.ratis.log.level="${PYRALOG_RATIS_LOG_LEVEL:-WARN}" \
  -Dpyralog.bench.node.options="${PYRALOG_NODE_OPTIONS:-}" \
  -cp "$BENCH/target/classes:$BENCH/target/lib/*" io.pyralog.benchmarks.cluster.ClusterBenchmark \
  "$ROOT/log-node/target/pyralog-node.jar" "$WORK" "${1:-20}" "${2:-1000000}" "${3:-scale,rf,failover}" | tee "$WORK/output.txt"
rm -rf "$WORK"/node-*/
