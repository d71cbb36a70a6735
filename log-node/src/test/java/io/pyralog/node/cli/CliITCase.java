package io.pyralog.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pyralog.common.protocol.Json;
import io.pyralog.node.testing.NodeProcess;
import io.pyralog.node.testing.PyralogClusterExtension;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code pyralog} command line as a user runs it: each call is a separate JVM started from
 * the packaged jar, talking to an in-JVM node. Checks output, exit codes and error messages.
 */
class CliITCase {
  @RegisterExtension
  static final PyralogClusterExtension CLUSTER = PyralogClusterExtension.builder().build();

  static Path workDir;

  @BeforeAll
  static void createWorkDir() throws IOException {
    workDir = Files.createTempDirectory("pyralog-cli-");
  }

  @AfterAll
  static void deleteWorkDir() throws IOException {
    PyralogClusterExtension.deleteRecursively(workDir);
  }

  /** What one CLI run printed and returned. */
  record Run(int exitCode, String stdout, String stderr, long elapsedMs) {
    List<String> stdoutLines() {
      return lines(stdout);
    }

    List<String> stderrLines() {
      return lines(stderr);
    }

    private static List<String> lines(String s) {
      return s.lines().toList();
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
    }
  }

  static Run cli(String stdin, Map<String, String> env, String... args) throws Exception {
    return run(NodeProcess.cli(args), stdin, env);
  }

  static Run run(List<String> command, String stdin, Map<String, String> env) throws Exception {
    String[] args = command.toArray(new String[0]);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("PYRALOG_BOOTSTRAP");
    pb.environment().putAll(env);
    File out = Files.createTempFile(workDir, "out", ".txt").toFile();
    File err = Files.createTempFile(workDir, "err", ".txt").toFile();
    pb.redirectOutput(out).redirectError(err);
    long start = System.nanoTime();
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("pyralog " + String.join(" ", args) + " did not finish in 120 s");
    }
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    return new Run(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()),
        elapsed);
  }

  /** Runs against the test node and expects success. */
  static Run ok(String stdin, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--bootstrap");
    all.add(CLUSTER.bootstrap());
    Run r = cli(stdin, Map.of(), all.toArray(new String[0]));
    assertThat(r.exitCode()).as("pyralog %s: %s", String.join(" ", args), r).isZero();
    return r;
  }

  /** Runs and expects a failure reported as exactly one "Error: " line without a stack trace. */
  static Run fails(Map<String, String> env, String... args) throws Exception {
    Run r = cli(null, env, args);
    assertThat(r.exitCode()).as("pyralog %s: %s", String.join(" ", args), r).isNotZero();
    assertThat(r.stderrLines()).as("stderr of pyralog %s", String.join(" ", args))
        .singleElement().asString().startsWith("Error: ");
    assertThat(r.stderr()).doesNotContain("\tat ").doesNotContain("Exception");
    return r;
  }

  @Test
  void topicCommands() throws Exception {
    Run created = ok(null, "topic", "create", "cli-topics", "--partitions", "3",
        "--retention-ms", "86400000");
    assertThat(created.stdoutLines())
        .containsExactly("Created topic cli-topics with 3 partitions.");

    assertThat(ok(null, "topic", "list").stdoutLines()).contains("cli-topics");

    Run described = ok(null, "topic", "describe", "cli-topics");
    List<String> lines = described.stdoutLines();
    assertThat(lines.get(0)).startsWith("Topic: cli-topics  Id: ")
        .endsWith("Partitions: 3  ReplicationFactor: 1");
    assertThat(lines.get(1)).startsWith("Config: retention.ms=86400000 retention.bytes=-1 ");
    assertThat(lines.get(2)).isEqualTo("Schema: raw (key: binary, value: binary, "
        + "headers: map<utf8, binary>, timestamp: timestamp[ms])");
    assertThat(lines.subList(3, lines.size())).hasSize(3).allSatisfy(l ->
        assertThat(l).matches("  Partition: [0-2]  ReplicaSet: rs-0  Leader: 1  "
            + "LogStartOffset: 0  HighWatermark: 0"));

    Run deleted = ok(null, "topic", "delete", "cli-topics");
    assertThat(deleted.stdoutLines()).containsExactly("Deleted topic cli-topics.");
    assertThat(ok(null, "topic", "list").stdoutLines()).doesNotContain("cli-topics");
  }

  @Test
  void consumeReadCommittedPrintsOnlyCommittedTransactions() throws Exception {
    ok(null, "topic", "create", "cli-txn", "--partitions", "2");
    try (io.pyralog.client.PyralogClient c = io.pyralog.client.PyralogClient.create(Map.of(
        "bootstrap", CLUSTER.bootstrap(), "transactional.id", "cli-txn"));
        io.pyralog.client.PyralogProducer p = c.producer()) {
      p.initTransactions();
      p.beginTransaction();
      for (int i = 0; i < 5; i++) {
        p.send(io.pyralog.client.ProducerRecord.ofStrings("cli-txn", "k" + i, "v" + i));
      }
      p.flush();
      assertThat(ok(null, "consume", "cli-txn", "--from", "earliest", "--until-end",
          "--isolation-level", "read_committed").stdoutLines()).isEmpty();
      assertThat(ok(null, "consume", "cli-txn", "--from", "earliest", "--until-end")
          .stdoutLines()).hasSize(5);
      assertThat(ok(null, "transactions", "list", "--open").stdoutLines())
          .anySatisfy(l -> assertThat(l).startsWith("cli-txn ").contains(" ONGOING "));
      p.commitTransaction();
    }
    assertThat(ok(null, "transactions", "list", "--open").stdoutLines())
        .noneSatisfy(l -> assertThat(l).startsWith("cli-txn "));
    assertThat(ok(null, "consume", "cli-txn", "--from", "earliest", "--until-end",
        "--isolation-level", "read_committed").stdoutLines())
        .containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4");
    fails(Map.of(), "consume", "cli-txn", "--bootstrap", CLUSTER.bootstrap(),
        "--isolation-level", "dirty");

    // an application that is gone left a transaction open: the operator aborts it
    try (io.pyralog.client.PyralogClient c = io.pyralog.client.PyralogClient.create(Map.of(
        "bootstrap", CLUSTER.bootstrap(), "transactional.id", "cli-txn-gone"));
        io.pyralog.client.PyralogProducer p = c.producer()) {
      p.initTransactions();
      p.beginTransaction();
      p.send(new io.pyralog.client.ProducerRecord("cli-txn", 0, null,
          "lost".getBytes(StandardCharsets.UTF_8))).join(); // partition 0, as "after" below
      assertThat(ok(null, "consume", "cli-txn", "--from", "earliest", "--until-end",
          "--isolation-level", "read_committed").stdoutLines()).hasSize(5);
      Run aborted = ok(null, "transactions", "abort", "cli-txn-gone");
      assertThat(aborted.stdoutLines()).singleElement().asString()
          .startsWith("Transactional id cli-txn-gone has nothing open now");
    }
    // the id starts over under a new epoch, with nothing open
    assertThat(ok(null, "transactions", "list", "--prefix", "cli-txn-gone").stdoutLines())
        .anySatisfy(l -> assertThat(l).startsWith("cli-txn-gone ").contains(" EMPTY "));
    // the stable offset moved past the aborted record: a record written after it is readable
    ok("after\n", "produce", "cli-txn", "--partition", "0");
    assertThat(ok(null, "consume", "cli-txn", "--from", "earliest", "--until-end",
        "--isolation-level", "read_committed").stdoutLines())
        .containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "after");
  }

  @Test
  void produceAndConsume() throws Exception {
    ok(null, "topic", "create", "cli-data", "--partitions", "1");
    Run produced = ok("k1:v1\nk2:v:2\nnokey\n:empty-key\n", "produce", "cli-data",
        "--key-separator", ":");
    assertThat(produced.stdoutLines()).containsExactly("Acknowledged 4 records.");

    Run values = ok(null, "consume", "cli-data", "--from", "earliest", "--until-end",
        "--format", "value");
    assertThat(values.stdoutLines()).containsExactly("v1", "v:2", "nokey", "empty-key");
    assertThat(values.stderr()).contains("Consumed 4 records.");

    Run jsonl = ok(null, "consume", "cli-data", "--from", "earliest", "--until-end",
        "--format", "jsonl");
    List<JsonNode> records = new ArrayList<>();
    for (String line : jsonl.stdoutLines()) {
      records.add(Json.MAPPER.readTree(line));
    }
    assertThat(records).hasSize(4);
    String[] keys = {"k1", "k2", null, ""};
    String[] vals = {"v1", "v:2", "nokey", "empty-key"};
    for (int i = 0; i < 4; i++) {
      JsonNode n = records.get(i);
      assertThat(n.get("topic").asText()).isEqualTo("cli-data");
      assertThat(n.get("partition").asInt()).isZero();
      assertThat(n.get("offset").asLong()).isEqualTo(i);
      assertThat(n.get("timestamp").asLong()).isPositive();
      if (keys[i] == null) {
        assertThat(n.get("key").isNull()).as("key of record %d", i).isTrue();
      } else {
        assertThat(n.get("key").asText()).isEqualTo(keys[i]);
      }
      assertThat(n.get("value").asText()).isEqualTo(vals[i]);
      assertThat(n.get("headers").isObject()).isTrue();
    }

    assertThat(ok(null, "consume", "cli-data", "--from", "earliest", "--max", "2")
        .stdoutLines()).containsExactly("v1", "v:2");
    assertThat(ok(null, "consume", "cli-data", "--from", "2", "--until-end").stdoutLines())
        .containsExactly("nokey", "empty-key");

    // --from @EPOCH_MS starts at the first batch written at or after that time.
    long boundary = System.currentTimeMillis() + 1;
    Thread.sleep(20);
    ok("late-1\nlate-2\n", "produce", "cli-data");
    assertThat(ok(null, "consume", "cli-data", "--from", "@" + boundary, "--until-end")
        .stdoutLines()).containsExactly("late-1", "late-2");
    assertThat(ok(null, "consume", "cli-data", "--from", "@0", "--until-end").stdoutLines())
        .containsExactly("v1", "v:2", "nokey", "empty-key", "late-1", "late-2");

    // PYRALOG_BOOTSTRAP is used when --bootstrap is absent.
    Run viaEnv = cli(null, Map.of("PYRALOG_BOOTSTRAP", CLUSTER.bootstrap()), "consume",
        "cli-data", "--from", "earliest", "--until-end");
    assertThat(viaEnv.exitCode()).as("%s", viaEnv).isZero();
    assertThat(viaEnv.stdoutLines()).containsExactly("v1", "v:2", "nokey", "empty-key",
        "late-1", "late-2");
  }

  @Test
  void errorsAreOneLine() throws Exception {
    String bootstrap = CLUSTER.bootstrap();
    Run unknown = fails(Map.of(), "consume", "no-such-topic", "--from", "earliest",
        "--until-end", "--bootstrap", bootstrap);
    assertThat(unknown.stderr()).contains("'no-such-topic'");
    assertThat(fails(Map.of(), "topic", "describe", "no-such-topic", "--bootstrap", bootstrap)
        .stderr()).contains("'no-such-topic'");
    Run produce = cli("a\n", Map.of(), "produce", "no-such-topic", "--bootstrap", bootstrap);
    assertThat(produce.exitCode()).isNotZero();
    assertThat(produce.stderrLines()).singleElement().asString().startsWith("Error: ")
        .contains("'no-such-topic'");

    // With the CLI's own request.timeout.ms (10 s), not an override: a person is waiting.
    Run unreachable = fails(Map.of(), "topic", "list", "--bootstrap", "127.0.0.1:1");
    assertThat(unreachable.stderr()).contains("Cannot reach a Pyralog node")
        .contains("127.0.0.1:1").contains("pyralog node start");

    Run badName = fails(Map.of(), "topic", "create", "bad name!", "--bootstrap", bootstrap);
    assertThat(badName.stderr()).contains("'bad name!'").contains("illegal characters");

    Path dataDir = workDir.resolve("node-data");
    Run badOption = fails(Map.of(), "node", "start", "--data-dir", dataDir.toString(),
        "-X", "no.such.option=1");
    assertThat(badOption.stderr()).contains("no.such.option");
    Run badPort = fails(Map.of(), "node", "start", "--data-dir", dataDir.toString(),
        "--port", "0");
    assertThat(badPort.stderr()).contains("port=0");

    Run verbose = cli(null, Map.of(), "topic", "describe", "no-such-topic", "--bootstrap",
        bootstrap, "--verbose");
    assertThat(verbose.exitCode()).isNotZero();
    assertThat(verbose.stderr()).contains("Error: ").contains("'no-such-topic'")
        .contains("ApiException").contains("\tat io.pyralog.");
  }

  /**
   * A JVM started without the jar's manifest (here {@code -cp}, as an application embedding the
   * client would be) and without {@code --add-opens}: the client must say which flag is missing
   * at once, instead of failing every produce request inside gRPC and retrying until the delivery
   * timeout.
   */
  @Test
  void aJvmWithoutNioAccessIsToldWhichFlagToAdd() throws Exception {
    ok(null, "topic", "create", "cli-no-opens");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
        NodeProcess.jar().toString(), PyralogCli.class.getName(), "perf", "produce", "--topic",
        "cli-no-opens", "--records", "10", "--record-size", "10", "--bootstrap",
        CLUSTER.bootstrap()));
    Run r = run(command, null, Map.of());
    assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
    assertThat(r.stderrLines()).as("%s", r).singleElement().asString()
        .startsWith("Error: ").contains("--add-opens=java.base/java.nio=ALL-UNNAMED");
  }

  @Test
  void theDemoFromTheNodeJarAloneSaysHowToRunIt() throws Exception {
    Run r = fails(Map.of(), "demo");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("./bin/pyralog demo");
  }

  /** With --rate, records are never sent much ahead of their schedule, and none is lost. */
  @Test
  void perfProduceAtARateKeepsToTheSchedule() throws Exception {
    ok(null, "topic", "create", "cli-perf-rate", "--partitions", "2");
    Run produce = ok(null, "perf", "produce", "--topic", "cli-perf-rate", "--records", "6000",
        "--record-size", "100", "--rate", "3000");
    List<String> lines = produce.stdoutLines();
    JsonNode summary = Json.MAPPER.readTree(lines.get(lines.size() - 1));
    assertThat(summary.get("records").asLong()).isEqualTo(6_000);
    // the last record is due 5999 / 3000 s after the start, and is sent at most 1 ms early
    assertThat(summary.get("elapsedSec").asDouble()).isGreaterThanOrEqualTo(1.99);
    assertThat(summary.get("recordsPerSec").asDouble()).isLessThanOrEqualTo(3_010);
    assertThat(summary.get("sendLatencyP99Ms").asDouble())
        .isLessThanOrEqualTo(summary.get("latencyP99Ms").asDouble() + 1);
  }

  @Test
  void perfProduceAndConsumeEndWithJson() throws Exception {
    ok(null, "topic", "create", "cli-perf", "--partitions", "2");
    Run produce = ok(null, "perf", "produce", "--topic", "cli-perf", "--records", "20000",
        "--record-size", "100");
    List<String> lines = produce.stdoutLines();
    JsonNode summary = Json.MAPPER.readTree(lines.get(lines.size() - 1));
    assertThat(summary.get("records").asLong()).isEqualTo(20_000);
    assertThat(summary.get("recordSize").asInt()).isEqualTo(100);
    for (String field : List.of("recordsPerSec", "mbPerSec", "latencyP50Ms", "latencyP99Ms",
        "latencyP999Ms", "latencyMaxMs")) {
      assertThat(summary.get(field)).as(field).isNotNull();
      assertThat(summary.get(field).isNumber()).as(field).isTrue();
      assertThat(summary.get(field).asDouble()).as(field).isPositive();
    }
    assertThat(summary.get("latencyP50Ms").asDouble())
        .isLessThanOrEqualTo(summary.get("latencyP99Ms").asDouble());
    assertThat(summary.get("latencyP99Ms").asDouble())
        .isLessThanOrEqualTo(summary.get("latencyMaxMs").asDouble());

    Run consume = ok(null, "perf", "consume", "--topic", "cli-perf", "--records", "20000");
    List<String> consumed = consume.stdoutLines();
    JsonNode total = Json.MAPPER.readTree(consumed.get(consumed.size() - 1));
    assertThat(total.get("records").asLong()).isEqualTo(20_000);
    assertThat(total.get("recordsPerSec").asDouble()).isPositive();

    // every record landed: 20,000 across the two partitions
    Run described = ok(null, "topic", "describe", "cli-perf");
    long sum = 0;
    for (String l : described.stdoutLines()) {
      if (l.contains("HighWatermark: ")) {
        sum += Long.parseLong(l.substring(l.indexOf("HighWatermark: ") + 15).trim());
      }
    }
    assertThat(sum).isEqualTo(20_000);
  }
}
