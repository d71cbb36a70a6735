#!/usr/bin/env bash
# Runs the same workloads against a Pyralog node and an Apache Kafka 4.1.1 broker on this machine,
# then prints each figure for both systems and their ratio (Pyralog / Kafka).
#
#   benchmarks/run.sh           the full run: 5 repetitions per throughput figure and 3 at the
#                               fixed rate, about 20 minutes;
#                               appends to benchmarks/RESULTS.md, writes benchmarks/results/latest.json
#   benchmarks/run.sh --quick   1 repetition of small runs, under 5 minutes, to check the harness
#                               works; its report stays in its run directory
#
# See benchmarks/README.md for the workloads, durability levels and figures.
set -euo pipefail

usage() {
  sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

MODE=full
case "${1:-}" in
  "") ;;
  --quick) MODE=quick ;;
  -h | --help) usage; exit 0 ;;
  *) echo "Unknown argument: $1" >&2; usage >&2; exit 2 ;;
esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
NODE_JAR="$ROOT/log-node/target/pyralog-node.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [[ $MODE == quick ]]; then
  REPS=1
  FIXED_REPS=1
  RECORDS_1KIB=200000
  RECORDS_100B=1000000
  WARMUP_RECORDS=200000
  FIXED_RATE_SECONDS=10
  CLIENT_TIMEOUT_SECONDS=150
else
  # Throughput samples of both systems spread widely on a shared 2-core machine (Kafka's 100-byte
  # runs from 699,301 to 1,116,695 records/s in one run), so five of those; three of workload 2.
  REPS=5
  FIXED_REPS=3
  # Runs long enough (about 20 s each) that the client JVM's JIT warm-up, which takes several
  # seconds on 2 cores for both systems' clients, does not dominate the figure.
  RECORDS_1KIB=3000000
  RECORDS_100B=6000000
  WARMUP_RECORDS=1000000
  FIXED_RATE_SECONDS=30
  CLIENT_TIMEOUT_SECONDS=300
fi
PARTITIONS=16
BATCH_SIZE=262144
LINGER_MS=5
FIXED_RATE_LINGER_MS=1
FIXED_RATE_FRACTION=0.5
# shellcheck source=benchmarks/lib.sh
source "$BENCH/lib.sh"

START_SECONDS=$SECONDS

# the revision the jars are built from, before a commit made during the run can change HEAD
REVISION=$(git_revision)
build_all

RUN="$BENCH/target/run-$(date -u +%Y%m%d-%H%M%S)"
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
  # The data is many gigabytes and of no use once the figures are out; the logs stay.
  rm -rf "$RUN/kafka-data" "$RUN/pyralog-data" "$RUN/dd.tmp"
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
# Kafka: one node in KRaft combined mode, its logs through reload4j into files of the run.
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

# ---------------------------------------------------------------------------------------------
# Tools; run_client (lib.sh) gives each a time limit and keeps its output for the report.
kafka_admin() {
  "$JAVA" "${CLIENT_JVM[@]}" "${KAFKA_TOOL_LOG[@]}" -cp "$KAFKA_CP" \
    org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP" "$@" \
    >> "$LOGS/topics.log" 2>&1
}
kafka_create() {
  kafka_admin --create --topic "$1" --partitions "$PARTITIONS" --replication-factor 1 "${@:2}" \
    || log "  could not create Kafka topic $1; see $LOGS/topics.log"
}
kafka_delete() { kafka_admin --delete --topic "$1" || true; }

pyralog_cli() {
  "$JAVA" "${PYRALOG_CLIENT_JVM[@]}" -jar "$NODE_JAR" "$@" --bootstrap "$PYRALOG_BOOTSTRAP"
}
pyralog_create() {
  pyralog_cli topic create "$1" --partitions "$PARTITIONS" >> "$LOGS/topics.log" 2>&1 \
    || log "  could not create Pyralog topic $1; see $LOGS/topics.log"
}
pyralog_delete() { pyralog_cli topic delete "$1" >> "$LOGS/topics.log" 2>&1 || true; }

# kafka_produce OUT TOPIC RECORDS SIZE LINGER_MS [THROUGHPUT]
kafka_produce() {
  run_client "$1" "$JAVA" "${CLIENT_JVM[@]}" "${KAFKA_TOOL_LOG[@]}" -cp "$KAFKA_CP" \
    org.apache.kafka.tools.ProducerPerformance --topic "$2" --num-records "$3" \
    --record-size "$4" --throughput "${6:--1}" --producer-props \
    bootstrap.servers="$KAFKA_BOOTSTRAP" acks=all batch.size="$BATCH_SIZE" linger.ms="$5"
}
# pyralog_produce OUT TOPIC RECORDS SIZE LINGER_MS [RATE]
pyralog_produce() {
  run_client "$1" "$JAVA" "${PYRALOG_CLIENT_JVM[@]}" -jar "$NODE_JAR" perf produce \
    --bootstrap "$PYRALOG_BOOTSTRAP" --topic "$2" --records "$3" --record-size "$4" \
    -X linger.ms="$5" -X batch.size="$BATCH_SIZE" ${6:+--rate "$6"}
}
# kafka_consume OUT TOPIC RECORDS
kafka_consume() {
  run_client "$1" "$JAVA" "${CLIENT_JVM[@]}" "${KAFKA_TOOL_LOG[@]}" -cp "$KAFKA_CP" \
    org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$KAFKA_BOOTSTRAP" \
    --topic "$2" --messages "$3" --timeout 30000 --group "perf-$2"
}
# pyralog_consume OUT TOPIC RECORDS
pyralog_consume() {
  run_client "$1" "$JAVA" "${PYRALOG_CLIENT_JVM[@]}" -jar "$NODE_JAR" perf consume \
    --bootstrap "$PYRALOG_BOOTSTRAP" --topic "$2" --records "$3" --timeout-ms 30000
}

disk_check() {
  local out="$OUT/disk/dd-r$1.out"
  mkdir -p "$OUT/disk"
  sync
  LC_ALL=C dd if=/dev/zero of="$RUN/dd.tmp" bs=1M count=1024 conv=fdatasync > "$out" 2>&1 || true
  rm -f "$RUN/dd.tmp"
  log "  disk/dd-r$1: $(tail -1 "$out")"
}

# Workloads 1, 3 and 4 for one system in repetition R.
kafka_round() {
  local r=$1
  kafka_create "k-1kib-parity-r$r" --config flush.messages=1
  kafka_produce "$OUT/kafka/produce-1kib-fsync-parity-r$r.out" "k-1kib-parity-r$r" \
    "$RECORDS_1KIB" 1024 "$LINGER_MS"
  kafka_create "k-1kib-r$r"
  kafka_produce "$OUT/kafka/produce-1kib-defaults-r$r.out" "k-1kib-r$r" \
    "$RECORDS_1KIB" 1024 "$LINGER_MS"
  kafka_consume "$OUT/kafka/consume-1kib-r$r.out" "k-1kib-r$r" "$RECORDS_1KIB"
  kafka_create "k-100b-r$r"
  kafka_produce "$OUT/kafka/produce-100b-r$r.out" "k-100b-r$r" "$RECORDS_100B" 100 "$LINGER_MS"
  kafka_create "k-100b-parity-r$r" --config flush.messages=1
  kafka_produce "$OUT/kafka/produce-100b-fsync-parity-r$r.out" "k-100b-parity-r$r" \
    "$RECORDS_100B" 100 "$LINGER_MS"
  for t in k-1kib-parity k-1kib k-100b k-100b-parity; do kafka_delete "$t-r$r"; done
}
pyralog_round() {
  local r=$1
  pyralog_create "p-1kib-r$r"
  pyralog_produce "$OUT/pyralog/produce-1kib-r$r.out" "p-1kib-r$r" \
    "$RECORDS_1KIB" 1024 "$LINGER_MS"
  pyralog_consume "$OUT/pyralog/consume-1kib-r$r.out" "p-1kib-r$r" "$RECORDS_1KIB"
  pyralog_create "p-100b-r$r"
  pyralog_produce "$OUT/pyralog/produce-100b-r$r.out" "p-100b-r$r" "$RECORDS_100B" 100 "$LINGER_MS"
  for t in p-1kib p-100b; do pyralog_delete "$t-r$r"; done
}

# Workload 2 for one system in repetition R, at $RATE records/s.
kafka_fixed() {
  local r=$1
  kafka_create "k-rate-r$r"
  kafka_produce "$OUT/kafka/fixed-rate-r$r.out" "k-rate-r$r" "$FIXED_RECORDS" 1024 \
    "$FIXED_RATE_LINGER_MS" "$RATE"
  kafka_create "k-rate-parity-r$r" --config flush.messages=1
  kafka_produce "$OUT/kafka/fixed-rate-fsync-parity-r$r.out" "k-rate-parity-r$r" \
    "$FIXED_RECORDS" 1024 "$FIXED_RATE_LINGER_MS" "$RATE"
  kafka_delete "k-rate-r$r"
  kafka_delete "k-rate-parity-r$r"
}
pyralog_fixed() {
  local r=$1
  pyralog_create "p-rate-r$r"
  pyralog_produce "$OUT/pyralog/fixed-rate-r$r.out" "p-rate-r$r" "$FIXED_RECORDS" 1024 \
    "$FIXED_RATE_LINGER_MS" "$RATE"
  pyralog_delete "p-rate-r$r"
}

# ---------------------------------------------------------------------------------------------
# Workloads 1, 3 and 4, then workload 2 at a rate derived from Kafka's workload-1 figure. The
# order of the systems alternates between repetitions, so that drift favours neither.
# Warm-up, not measured: both servers run the produce and consume paths once, so that the
# measured repetitions see JIT-compiled servers rather than interpreter and compiler time
# (on 2 cores a cold JVM spends most of its first seconds compiling). Clients start cold in
# every run, for both systems alike.
log "Warm-up: $WARMUP_RECORDS records of 1 KiB through each system (not measured)"
mkdir -p "$OUT/warmup"
kafka_create "k-warmup"
kafka_produce "$OUT/warmup/kafka-produce.out" "k-warmup" "$WARMUP_RECORDS" 1024 "$LINGER_MS"
kafka_consume "$OUT/warmup/kafka-consume.out" "k-warmup" "$WARMUP_RECORDS"
kafka_delete "k-warmup"
pyralog_create "p-warmup"
pyralog_produce "$OUT/warmup/pyralog-produce.out" "p-warmup" "$WARMUP_RECORDS" 1024 "$LINGER_MS"
pyralog_consume "$OUT/warmup/pyralog-consume.out" "p-warmup" "$WARMUP_RECORDS"
pyralog_delete "p-warmup"

for r in $(seq "$REPS"); do
  log "Throughput, repetition $r of $REPS"
  disk_check "$r"
  if ((r % 2 == 1)); then kafka_round "$r"; pyralog_round "$r"; else pyralog_round "$r"; kafka_round "$r"; fi
done

RATE=$(harness fixed-rate --out "$OUT" --fraction "$FIXED_RATE_FRACTION")
FIXED_RECORDS=$((RATE * FIXED_RATE_SECONDS))
log "Fixed rate: $RATE records/s (${FIXED_RATE_FRACTION} of Kafka's 1 KiB maximum), $FIXED_RECORDS records"
# Warm-up, not measured: small batches at linger.ms=1 take code paths in both servers that the
# throughput workloads (linger.ms=5, full batches) leave cold, so each system first serves one
# run at the rate. Clients start cold in the measured runs, as before.
log "Warm-up: $FIXED_RECORDS records at $RATE records/s through each system (not measured)"
kafka_create "k-rate-warmup"
kafka_produce "$OUT/warmup/kafka-fixed-rate.out" "k-rate-warmup" "$FIXED_RECORDS" 1024 \
  "$FIXED_RATE_LINGER_MS" "$RATE"
kafka_delete "k-rate-warmup"
pyralog_create "p-rate-warmup"
pyralog_produce "$OUT/warmup/pyralog-fixed-rate.out" "p-rate-warmup" "$FIXED_RECORDS" 1024 \
  "$FIXED_RATE_LINGER_MS" "$RATE"
pyralog_delete "p-rate-warmup"
for r in $(seq "$FIXED_REPS"); do
  log "Latency at a fixed rate, repetition $r of $FIXED_REPS"
  if ((r % 2 == 1)); then kafka_fixed "$r"; pyralog_fixed "$r"; else pyralog_fixed "$r"; kafka_fixed "$r"; fi
done

stop_process "$PYRALOG_PID" "the Pyralog node"
stop_process "$KAFKA_PID" "the Kafka broker"
PYRALOG_PID=""
KAFKA_PID=""

# ---------------------------------------------------------------------------------------------
ELAPSED_MIN=$(( (SECONDS - START_SECONDS + 30) / 60 ))
SETTINGS="median of $REPS repetition(s), $FIXED_REPS at the fixed rate; $PARTITIONS partitions; 1 KiB: $RECORDS_1KIB records, \
100 B: $RECORDS_100B records; batch.size=$BATCH_SIZE, linger.ms=$LINGER_MS, Kafka acks=all; \
fixed rate: $RATE records/s for ${FIXED_RATE_SECONDS} s with linger.ms=$FIXED_RATE_LINGER_MS; \
1 GiB heap for broker, node and clients; about $ELAPSED_MIN min in all"
if [[ $MODE == full ]]; then
  RESULTS_MD="$BENCH/RESULTS.md"
  LATEST_JSON="$BENCH/results/latest.json"
else
  RESULTS_MD="$RUN/RESULTS.md"
  LATEST_JSON="$RUN/latest.json"
fi
echo
harness report --out "$OUT" --results-md "$RESULTS_MD" --latest-json "$LATEST_JSON" \
  --revision "$REVISION" --mode "$MODE" --cores "$(nproc)" --df "$(df -P -h "$RUN" | tail -1)" \
  --settings "$SETTINGS"
echo
log "ratio = Pyralog / Kafka: above 1 is better for records/s, below 1 is better for ms"
log "Appended to $RESULTS_MD; wrote $LATEST_JSON (outputs in $OUT)"
