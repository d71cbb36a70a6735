#!/usr/bin/env bash
# Replicated produce on this machine: a 3-node Pyralog cluster with a topic at replication factor
# 3, against a 3-broker Apache Kafka 4.1.1 cluster (KRaft combined mode) with a topic at
# replication factor 3, acks=all and min.insync.replicas=2. Prints each figure for both and the
# ratio (Pyralog / Kafka).
#
#   benchmarks/replicated.sh           3 repetitions, about 10-15 minutes; appends to
#                                      benchmarks/RESULTS.md, writes benchmarks/results/replicated.json
#   benchmarks/replicated.sh --quick   1 short repetition to check the script works; its report
#                                      stays in its run directory
#
# Only one cluster runs at a time: each repetition starts a fresh Kafka cluster and a fresh
# Pyralog cluster in turn (the order alternates), warms it up, measures it and stops it.
# See benchmarks/README.md.
set -euo pipefail

usage() {
  sed -n '2,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
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
  RECORDS=200000
  WARMUP_RECORDS=100000
  CLIENT_TIMEOUT_SECONDS=150
else
  REPS=3
  RECORDS=1500000
  WARMUP_RECORDS=300000
  CLIENT_TIMEOUT_SECONDS=300
fi
PARTITIONS=16
BATCH_SIZE=262144
LINGER_MS=5
# shellcheck source=benchmarks/lib.sh
source "$BENCH/lib.sh"

START_SECONDS=$SECONDS
# the revision the jars are built from, before a commit made during the run can change HEAD
REVISION=$(git_revision)
build_all

RUN="$BENCH/target/replicated-$(date -u +%Y%m%d-%H%M%S)"
OUT="$RUN/out"
LOGS="$RUN/logs"
mkdir -p "$OUT" "$LOGS"
log "Run directory: $RUN"
kafka_tool_log4j "$RUN"

PIDS=()
CLIENT_PID=""

stop_all() {
  local i
  for i in "${!PIDS[@]}"; do
    stop_process "${PIDS[$i]}" "process $((i + 1)) of the cluster"
  done
  PIDS=()
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $CLIENT_PID ]]; then
    kill -TERM "$CLIENT_PID" 2>/dev/null || true
    wait "$CLIENT_PID" 2>/dev/null || true
  fi
  stop_all
  rm -rf "$RUN"/data-*
  if [[ $rc -ne 0 ]]; then
    log "Stopped with exit code $rc; logs are in $LOGS"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

read -r -a PORTS <<< "$(harness free-ports 6 | tr '\n' ' ')"
# Node i (1..3) listens on PORTS[2i-2] for clients and PORTS[2i-1] for its controller or Raft.
client_port() { echo "${PORTS[$((2 * $1 - 2))]}"; }
peer_port() { echo "${PORTS[$((2 * $1 - 1))]}"; }
BOOTSTRAP="127.0.0.1:$(client_port 1),127.0.0.1:$(client_port 2),127.0.0.1:$(client_port 3)"
VOTERS="1@127.0.0.1:$(peer_port 1),2@127.0.0.1:$(peer_port 2),3@127.0.0.1:$(peer_port 3)"

# ---------------------------------------------------------------------------------------------
# Kafka: three nodes in KRaft combined mode with a static controller quorum.
start_kafka() {
  local r=$1 i cluster_id
  cluster_id=$("$JAVA" "${KAFKA_TOOL_LOG[@]}" -cp "$KAFKA_CP" kafka.tools.StorageTool random-uuid | tail -1)
  for i in 1 2 3; do
    harness kafka-config --log-dir "$RUN/data-kafka-$i" --port "$(client_port "$i")" \
      --controller-port "$(peer_port "$i")" --node-id "$i" --voters "$VOTERS" \
      > "$RUN/kafka-$i.properties"
    "$JAVA" "${KAFKA_TOOL_LOG[@]}" -cp "$KAFKA_CP" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$RUN/kafka-$i.properties" > "$LOGS/kafka-format-$i-r$r.log" 2>&1
    kafka_broker_log4j "$RUN" "kafka-$i-r$r"
  done
  log "Starting a 3-broker Apache Kafka 4.1.1 cluster on $BOOTSTRAP"
  for i in 1 2 3; do
    "$JAVA" "${SERVER_HEAP[@]}" "${KAFKA_SERVER_JVM[@]}" \
      -Dlog4j.configuration="file:$RUN/log4j-kafka-$i-r$r.properties" \
      -Dlog4j2.statusLoggerLevel=OFF -cp "$KAFKA_CP" kafka.Kafka "$RUN/kafka-$i.properties" \
      > "$LOGS/kafka-$i-stdout-r$r.log" 2>&1 &
    PIDS+=($!)
  done
  for i in 1 2 3; do
    wait_for_line "$LOGS/kafka-$i-r$r.log" "Kafka Server started" "${PIDS[$((i - 1))]}" \
      "Kafka broker $i" 120
  done
}
kafka_topic() {
  "$JAVA" "${CLIENT_JVM[@]}" "${KAFKA_TOOL_LOG[@]}" -cp "$KAFKA_CP" \
    org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --create --topic "$1" \
    --partitions "$PARTITIONS" --replication-factor 3 --config min.insync.replicas=2 "${@:2}" \
    >> "$LOGS/topics.log" 2>&1 || log "  could not create Kafka topic $1; see $LOGS/topics.log"
}
kafka_produce() {
  run_client "$1" "$JAVA" "${CLIENT_JVM[@]}" "${KAFKA_TOOL_LOG[@]}" -cp "$KAFKA_CP" \
    org.apache.kafka.tools.ProducerPerformance --topic "$2" --num-records "$3" \
    --record-size 1024 --throughput -1 --producer-props bootstrap.servers="$BOOTSTRAP" \
    acks=all batch.size="$BATCH_SIZE" linger.ms="$LINGER_MS"
}
kafka_round() {
  local r=$1
  start_kafka "$r"
  kafka_topic "k-warmup-r$r"
  kafka_produce "$OUT/warmup/kafka-r$r.out" "k-warmup-r$r" "$WARMUP_RECORDS"
  kafka_topic "k-rf3-r$r"
  kafka_produce "$OUT/kafka/produce-1kib-rf3-r$r.out" "k-rf3-r$r" "$RECORDS"
  kafka_topic "k-rf3-parity-r$r" --config flush.messages=1
  kafka_produce "$OUT/kafka/produce-1kib-rf3-fsync-parity-r$r.out" "k-rf3-parity-r$r" "$RECORDS"
  stop_all
  rm -rf "$RUN"/data-kafka-*
}

# ---------------------------------------------------------------------------------------------
# Pyralog: three nodes of a static cluster, each replica set of factor 3 preferring a different
# leader.
start_pyralog() {
  local r=$1 i peers
  peers="1@127.0.0.1:$(peer_port 1),2@127.0.0.1:$(peer_port 2),3@127.0.0.1:$(peer_port 3)"
  log "Starting a 3-node Pyralog cluster on $BOOTSTRAP"
  for i in 1 2 3; do
    "$JAVA" "${SERVER_HEAP[@]}" "${PYRALOG_SERVER_JVM[@]}" -jar "$NODE_JAR" node start \
      --node-id "$i" --data-dir "$RUN/data-pyralog-$i" --port "$(client_port "$i")" \
      --raft-port "$(peer_port "$i")" --peers "$peers" > "$LOGS/pyralog-$i-r$r.log" 2>&1 &
    PIDS+=($!)
  done
  for i in 1 2 3; do
    wait_for_line "$LOGS/pyralog-$i-r$r.log" "is up" "${PIDS[$((i - 1))]}" "Pyralog node $i" 120
  done
}
pyralog_topic() {
  # the cluster may still be electing its metadata leader: retry for up to a minute
  local _
  for _ in $(seq 30); do
    "$JAVA" "${PYRALOG_CLIENT_JVM[@]}" -jar "$NODE_JAR" topic create "$1" --partitions \
      "$PARTITIONS" --replication-factor 3 --bootstrap "$BOOTSTRAP" >> "$LOGS/topics.log" 2>&1 \
      && return 0
    sleep 2
  done
  log "  could not create Pyralog topic $1; see $LOGS/topics.log"
}
pyralog_produce() {
  run_client "$1" "$JAVA" "${PYRALOG_CLIENT_JVM[@]}" -jar "$NODE_JAR" perf produce \
    --bootstrap "$BOOTSTRAP" --topic "$2" --records "$3" --record-size 1024 \
    -X linger.ms="$LINGER_MS" -X batch.size="$BATCH_SIZE"
}
pyralog_round() {
  local r=$1
  start_pyralog "$r"
  pyralog_topic "p-warmup-r$r"
  pyralog_produce "$OUT/warmup/pyralog-r$r.out" "p-warmup-r$r" "$WARMUP_RECORDS"
  pyralog_topic "p-rf3-r$r"
  pyralog_produce "$OUT/pyralog/produce-1kib-rf3-r$r.out" "p-rf3-r$r" "$RECORDS"
  stop_all
  rm -rf "$RUN"/data-pyralog-*
}

# ---------------------------------------------------------------------------------------------
mkdir -p "$OUT/warmup"
for r in $(seq "$REPS"); do
  log "Repetition $r of $REPS"
  if ((r % 2 == 1)); then kafka_round "$r"; pyralog_round "$r"; else pyralog_round "$r"; kafka_round "$r"; fi
done

ELAPSED_MIN=$(( (SECONDS - START_SECONDS + 30) / 60 ))
SETTINGS="replicated: 3 nodes or brokers on this machine, replication factor 3, Kafka acks=all \
and min.insync.replicas=2; median of $REPS repetition(s) of $RECORDS records of 1 KiB after a \
$WARMUP_RECORDS-record warm-up per cluster start; $PARTITIONS partitions; batch.size=$BATCH_SIZE, \
linger.ms=$LINGER_MS; 1 GiB heap for every broker, node and client; about $ELAPSED_MIN min in all"
if [[ $MODE == full ]]; then
  RESULTS_MD="$BENCH/RESULTS.md"
  RESULTS_JSON="$BENCH/results/replicated.json"
else
  RESULTS_MD="$RUN/RESULTS.md"
  RESULTS_JSON="$RUN/replicated.json"
fi
echo
harness report --figures replicated --out "$OUT" --results-md "$RESULTS_MD" \
  --latest-json "$RESULTS_JSON" --revision "$REVISION" --mode "replicated $MODE" \
  --cores "$(nproc)" --df "$(df -P -h "$RUN" | tail -1)" --settings "$SETTINGS"
echo
log "ratio = Pyralog / Kafka: above 1 is better for records/s, below 1 is better for ms"
log "Appended to $RESULTS_MD; wrote $RESULTS_JSON (outputs in $OUT)"
