#!/usr/bin/env bash
# Repeats one fault: start a fresh 3-node cluster, create a 16-partition RF=3 topic, start a
# producer, kill -9 node 2 at a random moment soon after, and check that every replica set that
# node 2 belonged to has a leader again within 30 s. Stops at the first failure and keeps that
# attempt's node logs (Ratis at INFO) for reading.
#
#   scripts/early-kill-loop.sh [attempts (default 20)] [latest kill, seconds after the topic is
#                              created (default 2.5)]
#
# See docs/operations.md, "Known limits".
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/log-node/target/pyralog-node.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
ATTEMPTS="${1:-20}"
LATEST="${2:-2.5}"
WORK="$(mktemp -d -t pyralog-early-kill-XXXX)"
[[ -f "$JAR" ]] || (cd "$ROOT" && mvn -B -q -DskipTests -pl log-node -am package)
BASE=$((20000 + RANDOM % 20000))
PEERS="1@127.0.0.1:$((BASE + 1)),2@127.0.0.1:$((BASE + 11)),3@127.0.0.1:$((BASE + 21))"
BOOT="127.0.0.1:$BASE"
cli() { "$JAVA" -Xmx256m -jar "$JAR" "$@"; }
pids=()
cleanup() { kill -9 "${pids[@]}" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT

# every replica set with node 2 among its members, and the metadata group, has a leader other
# than node 2 in node 1's view (RF=2 sets with node 2 cannot elect without it and are skipped)
led() {
  # exit code 2 only says a node is down, which is expected after the kill
  cli cluster status --bootstrap "$BOOT" > "$1" 2>&1
  awk -v need="$2" '/^(metadata|rs-[0-9]+) / && $2 == 3 {
      n++; if ($4 == "none" || $4 == "-" || (need && $4 == "2")) bad = 1 }
    END { exit !(n >= 4 && !bad) }' "$1"
}

for attempt in $(seq 1 "$ATTEMPTS"); do
  dir="$WORK/attempt-$attempt"
  mkdir -p "$dir"
  pids=()
  for n in 1 2 3; do
    "$JAVA" -Xmx512m -Dpyralog.ratis.log.level=INFO -jar "$JAR" node start --node-id "$n" \
      --data-dir "$dir/node-$n" --port $((BASE + 10 * (n - 1))) \
      --raft-port $((BASE + 10 * (n - 1) + 1)) --peers "$PEERS" \
      -X segment.bytes=1048576 -X checkpoint.interval.entries=64 > "$dir/node-$n.log" 2>&1 &
    pids+=($!)
  done
  for _ in $(seq 1 60); do led "$dir/status-start.txt" 0 && break; sleep 1; done
  cli topic create t --partitions 16 --replication-factor 3 --bootstrap "$BOOT" > /dev/null
  "$JAVA" -Xmx512m -jar "$JAR" perf produce --topic t --records 100000000 --record-size 1024 \
    --bootstrap "$BOOT" > "$dir/producer.log" 2>&1 &
  pids+=($!)
  delay=$(awk -v max="$LATEST" 'BEGIN { srand(); printf "%.2f", 0.1 + rand() * (max - 0.1) }')
  sleep "$delay"
  kill -9 "${pids[1]}"
  ok=0
  for t in $(seq 1 30); do
    sleep 1
    if led "$dir/status.txt" 1; then ok=1; break; fi
  done
  cleanup
  if [[ $ok == 1 ]]; then
    echo "attempt $attempt: node 2 killed ${delay}s after the topic was created; led again within ${t}s"
    rm -rf "$dir"
  else
    echo "attempt $attempt: node 2 killed ${delay}s after the topic was created; a replica set"
    echo "had no leader 30 s later. Logs and the last status: $dir"
    cat "$dir/status.txt"
    exit 1
  fi
done
rm -rf "$WORK"
echo "All $ATTEMPTS attempts recovered."
