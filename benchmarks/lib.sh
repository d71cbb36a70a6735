# Shared by benchmarks/run.sh and benchmarks/replicated.sh: JVM options, building, process
# handling and the client runner. Sourced, not run; expects ROOT, BENCH, JAVA, LOGS (once the
# run directory exists) and CLIENT_TIMEOUT_SECONDS.

# Broker and node: the same heap, and each with the JVM options of its own launcher
# (Kafka's kafka-server-start.sh / kafka-run-class.sh, Pyralog's bin/pyralog).
SERVER_HEAP=(-Xmx1g -Xms1g)
KAFKA_SERVER_JVM=(-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
  -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true)
PYRALOG_SERVER_JVM=(-XX:+UseG1GC -XX:MaxGCPauseMillis=50 --add-opens=java.base/java.nio=ALL-UNNAMED)
# Clients: one JVM per run, the same options for both systems (plus what Arrow needs).
CLIENT_JVM=(-Xmx1g -XX:+UseG1GC)
PYRALOG_CLIENT_JVM=("${CLIENT_JVM[@]}" --add-opens=java.base/java.nio=ALL-UNNAMED)

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# Maven's output is shown only when it fails.
quiet_mvn() {
  local output
  if ! output=$(cd "$ROOT" && mvn -B -q "$@" 2>&1); then
    echo "$output" >&2
    echo "The build failed: mvn -B -q $*" >&2
    exit 1
  fi
}
KAFKA_LIB="$BENCH/target/kafka-lib"
KAFKA_CP="$KAFKA_LIB/*"
HARNESS_CP="$BENCH/target/classes:$BENCH/target/lib/*"
harness() { "$JAVA" -cp "$HARNESS_CP" io.pyralog.benchmarks.harness.Harness "$@"; }

# Builds the node and CLI jar and the harness classes, and copies Kafka's own class path (kept
# apart from Pyralog's: the two need different versions of the same libraries).
build_all() {
  log "Building Pyralog and the harness"
  quiet_mvn -DskipTests -pl benchmarks -am package
  log "Copying Apache Kafka's class path"
  quiet_mvn -f "$BENCH/kafka/pom.xml" dependency:copy-dependencies -DoutputDirectory="$KAFKA_LIB"
}

# Stops a process this script started: SIGTERM for a clean shutdown, SIGKILL after 30 s.
stop_process() {
  local pid=$1 name=$2
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  log "Stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 60); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.5
  done
  log "$name did not stop in 30 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Waits until FILE contains PATTERN; fails if PID exits first or after TIMEOUT seconds.
wait_for_line() {
  local file=$1 pattern=$2 pid=$3 name=$4 timeout=$5
  for _ in $(seq $((timeout * 4))); do
    grep -q "$pattern" "$file" 2>/dev/null && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited during start-up; its log, $file, ends with:" >&2
      tail -20 "$file" >&2
      return 1
    fi
    sleep 0.25
  done
  echo "$name did not start in ${timeout} s; see $file" >&2
  return 1
}

# Kafka's logging: the tools log warnings to standard error (kafka_tool_log4j DIR); a broker
# logs through reload4j into LOGS/NAME.log (kafka_broker_log4j DIR NAME writes
# DIR/log4j-NAME.properties).
kafka_tool_log4j() {
  cat > "$1/log4j-tools.properties" <<EOF
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
  KAFKA_TOOL_LOG=(-Dlog4j.configuration="file:$1/log4j-tools.properties" -Dlog4j2.statusLoggerLevel=OFF)
}
kafka_broker_log4j() {
  cat > "$1/log4j-$2.properties" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$LOGS/$2.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

# Tools. Every run starts with `sync`, so that writeback left by the previous run does not
# compete with this one, and has a time limit. A run that fails leaves its output for the
# report, which counts it as a missing sample.
run_client() {
  local out=$1; shift
  mkdir -p "$(dirname "$out")"
  sync
  local rc=0
  # In the background, so that a signal to this script interrupts the wait at once.
  timeout -k 10 "$CLIENT_TIMEOUT_SECONDS" "$@" > "$out" 2>&1 &
  CLIENT_PID=$!
  wait "$CLIENT_PID" || rc=$?
  CLIENT_PID=""
  if [[ $rc -eq 0 ]]; then
    log "  $(basename "$(dirname "$out")")/$(basename "$out" .out): $(tail -1 "$out" | cut -c1-160)"
  else
    log "  $(basename "$(dirname "$out")")/$(basename "$out" .out): FAILED (exit $rc), see $out"
  fi
}



# The git revision the figures come from, marked when the working tree differs from it (results
# files aside).
git_revision() {
  local revision
  revision=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [[ $revision != unknown ]] && ! git -C "$ROOT" diff --quiet HEAD -- . \
      ':(exclude)benchmarks/RESULTS.md' ':(exclude)benchmarks/results' 2>/dev/null; then
    revision="$revision with uncommitted changes"
  fi
  echo "$revision"
}
