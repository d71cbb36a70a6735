package io.pyralog.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.client.NewTopic;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogProducer;
import io.pyralog.node.testing.NodeProcess;
import io.pyralog.node.testing.PyralogClusterExtension;
import io.pyralog.node.testing.TopicReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real node process takes 100,000 records through the CLI and the Java client, is killed with
 * {@code kill -9} while the client is still writing, and is restarted: every acknowledged record
 * must be there exactly once.
 */
class NodeKillRecoveryITCase {
  private static final String TOPIC = "durable";
  private static final int CLI_RECORDS = 50_000;
  private static final int CLIENT_RECORDS = 50_000;

  private Path dataDir;
  private NodeProcess node;
  private int port;
  private int raftPort;

  @BeforeEach
  void setUp() throws Exception {
    dataDir = Files.createTempDirectory("pyralog-kill-");
    int[] free = PyralogClusterExtension.freePorts(2);
    port = free[0];
    raftPort = free[1];
  }

  @AfterEach
  void tearDown() throws Exception {
    if (node != null) {
      node.close();
    }
    PyralogClusterExtension.deleteRecursively(dataDir);
  }

  private NodeProcess startNode() throws Exception {
    // Frequent checkpoints, so recovery exercises checkpoint, truncation and log replay.
    return new NodeProcess(dataDir, port, raftPort,
        List.of("-X", "checkpoint.interval.entries=64", "-X", "segment.bytes=1048576")).start();
  }

  @Test
  void aKilledNodeLeavesNoNativeLibraryCopyBehind() throws Exception {
    long before = rocksDbCopiesInTmp();
    node = startNode();
    node.killHard();
    node = startNode();
    node.killHard();
    node = null;
    // RocksDB's native library is loaded from the data directory, replaced at each start ...
    try (var files = Files.list(dataDir.resolve("native"))) {
      assertThat(files.map(f -> f.getFileName().toString()).toList())
          .singleElement().asString().startsWith("librocksdbjni");
    }
    // ... instead of a new temporary file per start that only a clean exit deletes
    assertThat(rocksDbCopiesInTmp()).isEqualTo(before);
  }

  private static long rocksDbCopiesInTmp() throws IOException {
    try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(f -> f.getFileName().toString().startsWith("librocksdbjni")).count();
    }
  }

  @Test
  void everyAcknowledgedRecordSurvivesKillDashNine() throws Exception {
    node = startNode();
    String bootstrap = node.bootstrap();
    runCli(null, "topic", "create", TOPIC, "--partitions", "4", "--bootstrap", bootstrap);

    // 1. Through the CLI: one record per stdin line.
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < CLI_RECORDS; i++) {
      lines.append("cli-").append(i).append('\n');
    }
    String out = runCli(lines.toString(), "produce", TOPIC, "--bootstrap", bootstrap);
    assertThat(out).contains("Acknowledged " + CLI_RECORDS + " records.");

    // 2. Through the client, killing the node with kill -9 part way.
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicBoolean killed = new AtomicBoolean();
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap", bootstrap);
    config.put("delivery.timeout.ms", "3000");
    config.put("request.timeout.ms", "3000");
    config.put("linger.ms", "2");
    try (PyralogClient client = PyralogClient.create(config);
        PyralogProducer producer = client.producer()) {
      for (int i = 0; i < CLIENT_RECORDS; i++) {
        String value = "client-" + i;
        producer.send(ProducerRecord.of(TOPIC, value.getBytes(StandardCharsets.UTF_8)))
            .whenComplete((md, t) -> {
              if (t == null) {
                acked.add(value);
              }
            });
        if (i == CLIENT_RECORDS * 3 / 5) {
          producer.flush(Duration.ofSeconds(30));
          assertThat(acked).hasSizeGreaterThanOrEqualTo(i);
        }
        if (i == CLIENT_RECORDS * 4 / 5) {
          node.killHard();
          killed.set(true);
        }
      }
      producer.flush(Duration.ofSeconds(30));
    }
    assertThat(killed).isTrue();
    assertThat(acked.size()).isBetween(CLIENT_RECORDS * 3 / 5, CLIENT_RECORDS * 4 / 5 + 1);

    // 3. Restart and read everything back.
    node = startNode();
    List<String> values = TopicReader.readAll(node.bootstrap(), TOPIC, 4);
    Set<String> unique = new HashSet<>(values);
    assertThat(values).as("no record is stored twice").hasSameSizeAs(unique);
    for (int i = 0; i < CLI_RECORDS; i++) {
      assertThat(unique).contains("cli-" + i);
    }
    Set<String> missing = new HashSet<>(acked);
    missing.removeAll(unique);
    assertThat(missing).as("acknowledged client records lost").isEmpty();
    for (String v : unique) {
      assertThat(v).matches("(cli|client)-\\d+");
    }
  }

  private static String runCli(String stdin, String... args) throws Exception {
    Process p = new ProcessBuilder(NodeProcess.cli(args)).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("pyralog %s failed: %s", String.join(" ", args), out)
        .isZero();
    return out;
  }
}
