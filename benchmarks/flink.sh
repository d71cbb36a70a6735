#!/usr/bin/env bash
# Flink workloads against a Pyralog node and an Apache Kafka 4.1.1 broker on this machine: Flink
# SQL reading 2 and all 20 columns of a typed Pyralog topic and of a Kafka topic of JSON records,
# and the Flink sink at exactly-once against at-least-once. Prints each figure and its ratio.
#
#   benchmarks/flink.sh                full run: 3 repetitions of 5,000,000 rows and records,
#                                      about 5 minutes; appends to benchmarks/RESULTS.md,
#                                      writes benchmarks/results/flink-latest.json
#   benchmarks/flink.sh --quick        1 repetition of 200,000 rows and 300,000 records, a few
#                                      minutes, to check the workloads run; its report stays in
#                                      its run directory
#   benchmarks/flink.sh --skip-build   (with either) use the jars and classes already built
#
# See "Flink workloads" in benchmarks/README.md.
set -euo pipefail

usage() {
  sed -n '2,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

MODE=full
BUILD=yes
for arg in "$@"; do
  case "$arg" in
    --quick) MODE=quick ;;
    --skip-build) BUILD=no ;;
    -h | --help) usage; exit 0 ;;
    *) echo "Unknown argument: $arg" >&2; usage >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
NODE_JAR="$ROOT/log-node/target/pyralog-node.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [[ $MODE == quick ]]; then
  REPS=1
  ROWS=200000
  RECORDS=300000
  WARMUP_ROWS=100000
  WARMUP_RECORDS=100000
  CLIENT_TIMEOUT_SECONDS=240
else
  REPS=3
  ROWS=5000000
  RECORDS=5000000
  WARMUP_ROWS=200000
  WARMUP_RECORDS=300000
  CLIENT_TIMEOUT_SECONDS=900
fi
PARTITIONS=4
PARALLELISM=2
BATCH_ROWS=8192
TOPIC=flink-wide
WARMUP_TOPIC=flink-wide-warmup
# shellcheck source=benchmarks/lib.sh
source "$BENCH/lib.sh"

# The benchmark JVM runs Flink's MiniCluster, so it gets a Flink-sized heap and the JVM options
# of Flink's own launcher on Java 17 (the opens its config.yaml sets in env.java.opts.all, which
# include the one Arrow needs).
FLINK_JVM=(-Xmx2g -Xms2g -XX:+UseG1GC
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED)

# The Pyralog jars come from this checkout's target directories, ahead of the rest of the
# workloads' class path (Flink, Kafka's connector and client, Arrow), which
# benchmarks/flink/pom.xml copies into benchmarks/flink/target/lib.
VERSION=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' "$ROOT/pom.xml" | head -1)
PYRALOG_JARS=("$ROOT/flink-connector/target/flink-connector-$VERSION.jar"
  "$ROOT/log-client/target/log-client-$VERSION.jar"
  "$ROOT/log-common/target/log-common-$VERSION.jar")
FLINK_CP="$(IFS=:; echo "${PYRALOG_JARS[*]}"):$BENCH/flink/target/classes:$BENCH/flink/target/lib/*"
FLINK_BENCH=("$JAVA" "${FLINK_JVM[@]}" -cp "$FLINK_CP" io.pyralog.benchmarks.flink.FlinkBench)

START_SECONDS=$SECONDS
# the revision the jars are built from, before a commit made during the run can change HEAD
REVISION=$(git_revision)

if [[ $BUILD == yes ]]; then
  log "Building Pyralog, the harness and the Flink connector"
  quiet_mvn -DskipTests -pl benchmarks,flink-connector -am package
  log "Copying Apache Kafka's class path"
  quiet_mvn -f "$BENCH/kafka/pom.xml" dependency:copy-dependencies -DoutputDirectory="$KAFKA_LIB"
  log "Building the Flink workloads and running their unit tests"
  quiet_mvn -f "$BENCH/flink/pom.xml" package
fi
for f in "$NODE_JAR" "${PYRALOG_JARS[@]}" "$BENCH/target/classes" "$KAFKA_LIB" \
    "$BENCH/flink/target/classes" "$BENCH/flink/target/lib"; do
  if [[ ! -e $f ]]; then
    echo "$f is missing: run without --skip-build" >&2
    exit 1
  fi
done

RUN="$BENCH/target/flink-$(date -u +%Y%m%d-%H%M%S)"
OUT="$RUN/out"
LOGS="$RUN/logs"
mkdir -p "$RUN/kafka-data" "$RUN/pyralog-data" "$OUT" "$LOGS"
log "Run directory: $RUN"

KAFKA_PID=""
PYRALOG_PID=""
CLIENT_PID=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $CLIENT_PID ]]; then
    kill -TERM "$CLIENT_PID" 2>/dev/null || true
    wait "$CLIENT_PID" 2>/dev/null || true
  fi
  stop_process "$PYRALOG_PID" "the Pyralog node"
  stop_process "$KAFKA_PID" "the Kafka broker"
  rm -rf "$RUN/kafka-data" "$RUN/pyralog-data"
  if [[ $rc -ne 0 ]]; then
    log "Stopped with exit code $rc; logs are in $LOGS"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORTS=$(harness free-ports 4 | tr '\n' ' ')
read -r KAFKA_PORT KAFKA_CONTROLLER_PORT PYRALOG_PORT PYRALOG_RAFT_PORT <<< "$PORTS"
KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
PYRALOG_BOOTSTRAP="127.0.0.1:$PYRALOG_PORT"

# ---------------------------------------------------------------------------------------------
# The servers, as benchmarks/run.sh starts them. The broker's transaction.max.timeout.ms stays at
# its default, 15 minutes, above the 10 minutes the exactly-once KafkaSink asks for.
kafka_tool_log4j "$RUN"
kafka_broker_log4j "$RUN" kafka-server
harness kafka-config --log-dir "$RUN/kafka-data" --port "$KAFKA_PORT" \
  --controller-port "$KAFKA_CONTROLLER_PORT" > "$RUN/server.properties"
CLUSTER_ID=$("$JAVA" "${KAFKA_TOOL_LOG[@]}" -cp "$KAFKA_CP" kafka.tools.StorageTool random-uuid | tail -1)
"$JAVA" "${KAFKA_TOOL_LOG[@]}" -cp "$KAFKA_CP" kafka.tools.StorageTool format \
  -t "$CLUSTER_ID" -c "$RUN/server.properties" --standalone > "$LOGS/kafka-format.log" 2>&1

log "Starting Apache Kafka 4.1.1 on $KAFKA_BOOTSTRAP (controller port $KAFKA_CONTROLLER_PORT)"
"$JAVA" "${SERVER_HEAP[@]}" "${KAFKA_SERVER_JVM[@]}" \
  -Dlog4j.configuration="file:$RUN/log4j-kafka-server.properties" -Dlog4j2.statusLoggerLevel=OFF \
  -cp "$KAFKA_CP" kafka.Kafka "$RUN/server.properties" > "$LOGS/kafka-stdout.log" 2>&1 &
KAFKA_PID=$!
wait_for_line "$LOGS/kafka-server.log" "Kafka Server started" "$KAFKA_PID" "Kafka" 90

log "Starting a Pyralog node on $PYRALOG_BOOTSTRAP (Raft port $PYRALOG_RAFT_PORT)"
"$JAVA" "${SERVER_HEAP[@]}" "${PYRALOG_SERVER_JVM[@]}" -jar "$NODE_JAR" node start \
  --data-dir "$RUN/pyralog-data" --port "$PYRALOG_PORT" --raft-port "$PYRALOG_RAFT_PORT" \
  > "$LOGS/pyralog-node.log" 2>&1 &
PYRALOG_PID=$!
wait_for_line "$LOGS/pyralog-node.log" "is up" "$PYRALOG_PID" "The Pyralog node" 90

bootstrap_of() {
  if [[ $1 == pyralog ]]; then echo "$PYRALOG_BOOTSTRAP"; else echo "$KAFKA_BOOTSTRAP"; fi
}

# run_bench OUT ARGS...: one benchmark JVM (run_client of lib.sh: sync first, a time limit),
# then its measurement lines.
run_bench() {
  local out=$1; shift
  run_client "$out" "${FLINK_BENCH[@]}" "$@"
  grep -E '^(pyralog|kafka) |^warm-up|^plan of' "$out" | sed 's/^/    /' || true
}

projection() {
  local system=$1 r=$2
  run_bench "$OUT/projection-$system-r$r.out" projection --system "$system" \
    --bootstrap "$(bootstrap_of "$system")" --topic "$TOPIC" --rows "$ROWS" \
    --warmup-topic "$WARMUP_TOPIC" --warmup-rows "$WARMUP_ROWS" --rep "$r" \
    --parallelism "$PARALLELISM"
}

sink() {
  local system=$1 r=$2
  run_bench "$OUT/sink-$system-r$r.out" sink --system "$system" \
    --bootstrap "$(bootstrap_of "$system")" --records "$RECORDS" \
    --warmup-records "$WARMUP_RECORDS" --rep "$r" --partitions "$PARTITIONS" \
    --parallelism "$PARALLELISM"
}

# ---------------------------------------------------------------------------------------------
log "Writing $ROWS rows of 20 columns to each system ($PARTITIONS partitions; Pyralog: typed" \
  "topic, Arrow batches of $BATCH_ROWS rows; Kafka: JSON records)," \
  "and $WARMUP_ROWS to warm-up topics"
run_bench "$OUT/fill.out" fill --pyralog "$PYRALOG_BOOTSTRAP" --kafka "$KAFKA_BOOTSTRAP" \
  --topic "$TOPIC" --rows "$ROWS" --warmup-topic "$WARMUP_TOPIC" --warmup-rows "$WARMUP_ROWS" \
  --partitions "$PARTITIONS" --batch-rows "$BATCH_ROWS"
if ! grep -q '^RESULT' "$OUT/fill.out"; then
  echo "Could not write the projection topics; see $OUT/fill.out" >&2
  exit 1
fi

# The order of the systems alternates between repetitions, so that drift favours neither.
for r in $(seq "$REPS"); do
  log "Projection, repetition $r of $REPS"
  if ((r % 2 == 1)); then projection kafka "$r"; projection pyralog "$r"
  else projection pyralog "$r"; projection kafka "$r"; fi
done
for r in $(seq "$REPS"); do
  log "Sink, repetition $r of $REPS"
  if ((r % 2 == 1)); then sink kafka "$r"; sink pyralog "$r"
  else sink pyralog "$r"; sink kafka "$r"; fi
done

stop_process "$PYRALOG_PID" "the Pyralog node"
stop_process "$KAFKA_PID" "the Kafka broker"
PYRALOG_PID=""
KAFKA_PID=""

# ---------------------------------------------------------------------------------------------
ELAPSED_MIN=$(( (SECONDS - START_SECONDS + 30) / 60 ))
SETTINGS="median of $REPS repetition(s); projection: $ROWS rows of 20 columns in $PARTITIONS \
partitions, read with Flink SQL at parallelism $PARALLELISM (Pyralog typed topic, Kafka JSON with \
flink-connector-kafka 5.0.0-2.2); sink: $RECORDS records of 100 bytes at parallelism \
$PARALLELISM into $PARTITIONS partitions, checkpoint every 1 s, linger.ms=5, batch.size=262144; \
1 GiB heap for broker and node, 2 GiB for the Flink JVM; about $ELAPSED_MIN min in all"
if [[ $MODE == full ]]; then
  RESULTS_MD="$BENCH/RESULTS.md"
  LATEST_JSON="$BENCH/results/flink-latest.json"
else
  RESULTS_MD="$RUN/RESULTS.md"
  LATEST_JSON="$RUN/flink-latest.json"
fi
echo
"$JAVA" -cp "$FLINK_CP" io.pyralog.benchmarks.flink.FlinkBench report --out "$OUT" \
  --results-md "$RESULTS_MD" --latest-json "$LATEST_JSON" --revision "$REVISION" \
  --mode "$MODE" --cores "$(nproc)" --df "$(df -P -h "$RUN" | tail -1)" --settings "$SETTINGS"
echo
log "projection ratio = Pyralog / Kafka (above 1: Pyralog reads faster);" \
  "sink ratio = exactly-once / at-least-once of the same system"
log "Appended to $RESULTS_MD; wrote $LATEST_JSON (outputs in $OUT)"
