package io.pyralog.node.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.pyralog.client.ConsumerBatches;
import io.pyralog.client.ConsumerRecord;
import io.pyralog.client.NewTopic;
import io.pyralog.client.OffsetSpec;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogConsumer;
import io.pyralog.client.PyralogProducer;
import io.pyralog.client.RecordMetadata;
import io.pyralog.client.TopicPartition;
import io.pyralog.node.replication.Groups;
import io.pyralog.node.testing.PyralogClusterExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clean restarts with frequent checkpoints and small segments: after each restart every
 * partition holds exactly what was written, offsets are dense from 0, appends continue at the
 * log end, and the Raft log has been purged behind a checkpoint.
 */
class RestartRecoveryITCase {
  @RegisterExtension
  static final PyralogClusterExtension CLUSTER = PyralogClusterExtension.builder()
      .option("checkpoint.interval.entries", "8")
      .option("segment.bytes", "65536")
      .build();

  private static final String TOPIC = "restarts";
  private static final int PARTITIONS = 3;
  private static final Pattern SNAPSHOT = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
  private static final Pattern LOG_SEGMENT =
      Pattern.compile("log_(?:inprogress_(\\d+)|(\\d+)-(\\d+))");

  /** What each partition should hold, in offset order. */
  private final Map<Integer, List<String>> expected = new HashMap<>();

  @Test
  void everyPartitionHoldsExactlyWhatWasWrittenAcrossRestarts() throws Exception {
    try (PyralogClient setup = PyralogClient.create(CLUSTER.bootstrap())) {
      setup.admin().createTopic(NewTopic.builder(TOPIC).partitions(PARTITIONS).build());
    }
    for (int p = 0; p < PARTITIONS; p++) {
      expected.put(p, new ArrayList<>());
    }

    // ~210 batches in three phases, with clean restarts in between. One client and one
    // (idempotent) producer live through the first two restarts, as an application's would.
    try (PyralogClient client = PyralogClient.create(CLUSTER.bootstrap());
        PyralogProducer producer = client.producer()) {
      write(producer, 0, 80);
      verify();
      restartPromptly();
      verify();
      write(producer, 80, 140);
      restartPromptly();
      verify();
      write(producer, 140, 200);
      verify();
    }
    CLUSTER.restart();
    verify();

    // Appends after the last restart continue at each partition's end.
    try (PyralogClient client = PyralogClient.create(CLUSTER.bootstrap());
        PyralogProducer producer = client.producer()) {
      for (int p = 0; p < PARTITIONS; p++) {
        int next = expected.get(p).size();
        RecordMetadata md = producer.send(new ProducerRecord(TOPIC, p, null,
            bytes("after-" + p))).get(30, TimeUnit.SECONDS);
        assertThat(md.offset()).as("offset of the first append to partition %d", p)
            .isEqualTo(next);
        expected.get(p).add("after-" + p);
      }
    }
    verify();

    // Segments rolled (small segment.bytes), so recovery crossed segment boundaries.
    Path partitionDirs = CLUSTER.dataDir().resolve("replica-sets").resolve("rs-0");
    try (Stream<Path> files = Files.walk(partitionDirs)) {
      long segments = files.filter(f -> f.getFileName().toString().endsWith(".log")).count();
      assertThat(segments).as("segment files of the topic").isGreaterThan(PARTITIONS * 2L);
    }

    // The replica set took checkpoints and the Raft log was purged behind them.
    Path group = CLUSTER.dataDir().resolve("raft").resolve(Groups.replicaSet(0).getUuid()
        .toString());
    long snapshotIndex = -1;
    try (Stream<Path> files = Files.list(group.resolve("sm"))) {
      for (Path f : files.toList()) {
        Matcher m = SNAPSHOT.matcher(f.getFileName().toString());
        if (m.matches()) {
          snapshotIndex = Math.max(snapshotIndex, Long.parseLong(m.group(2)));
        }
      }
    }
    assertThat(snapshotIndex).as("index of the latest checkpoint").isGreaterThan(100);
    long firstLogIndex = Long.MAX_VALUE;
    int logSegments = 0;
    try (Stream<Path> files = Files.list(group.resolve("current"))) {
      for (Path f : files.toList()) {
        Matcher m = LOG_SEGMENT.matcher(f.getFileName().toString());
        if (m.matches()) {
          logSegments++;
          long start = Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2));
          firstLogIndex = Math.min(firstLogIndex, start);
        }
      }
    }
    assertThat(logSegments).isPositive();
    assertThat((long) logSegments).as("Raft log segments left, against ~%d checkpoints taken",
        snapshotIndex / 8).isLessThan(snapshotIndex / 16);
    assertThat(firstLogIndex).as("first entry still in the Raft log").isGreaterThan(0);
  }

  /**
   * An open produce stream and a long poll resume on the restarted node at once: the stop ends
   * them instead of waiting for them, and the client reconnects.
   */
  @Test
  void openStreamsEndPromptlyAndResumeAfterRestart() throws Exception {
    String topic = "restart-long-poll";
    TopicPartition tp = new TopicPartition(topic, 0);
    try (PyralogClient client = PyralogClient.create(CLUSTER.bootstrap());
        PyralogProducer producer = client.producer()) {
      client.admin().createTopic(NewTopic.builder(topic).partitions(1).build());
      assertThat(producer.send(new ProducerRecord(topic, 0, null, bytes("before"))).get(30,
          TimeUnit.SECONDS).offset()).isZero();
      CompletableFuture<List<String>> polled = new CompletableFuture<>();
      Thread poller = new Thread(() -> {
        try (PyralogConsumer consumer = client.consumer()) {
          consumer.assign(List.of(tp));
          consumer.seek(tp, 1);
          List<String> values = new ArrayList<>();
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
          while (values.isEmpty() && System.nanoTime() < deadline) {
            try (ConsumerBatches batches = consumer.poll(Duration.ofSeconds(20))) {
              batches.forEach(r -> values.add(r.valueAsString()));
            }
          }
          polled.complete(values);
        } catch (RuntimeException e) {
          polled.completeExceptionally(e);
        }
      }, "long-poller");
      poller.start();
      Thread.sleep(500); // the poll is waiting on the node now
      restartPromptly();
      RecordMetadata md = producer.send(new ProducerRecord(topic, 0, null, bytes("after")))
          .get(30, TimeUnit.SECONDS);
      assertThat(md.offset()).isEqualTo(1);
      assertThat(polled.get(30, TimeUnit.SECONDS)).containsExactly("after");
      poller.join(10_000);
    }
  }

  /**
   * A clean restart must not hang on the streams that clients keep open. How long it takes is
   * a figure for the benchmarks, not a test assertion; only a hang fails here.
   */
  private static void restartPromptly() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), CLUSTER::restart,
        "restart hung on streams that clients keep open");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Rounds {@code from} to {@code to}: each round sends a few records to every partition. */
  private void write(PyralogProducer producer, int from, int to) throws Exception {
    String padding = "x".repeat(400);
    for (int round = from; round < to; round++) {
      List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
      List<String> values = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        int records = 1 + (round + p) % 5;
        for (int i = 0; i < records; i++) {
          String value = "r" + round + "-p" + p + "-" + i + "-" + padding;
          values.add(value);
          futures.add(producer.send(new ProducerRecord(TOPIC, p, null, bytes(value))));
        }
      }
      producer.flush();
      for (int i = 0; i < futures.size(); i++) {
        RecordMetadata md = futures.get(i).get(30, TimeUnit.SECONDS);
        List<String> part = expected.get(md.partition());
        assertThat(md.offset()).as("offset of %s", values.get(i).substring(0, 12))
            .isEqualTo(part.size());
        part.add(values.get(i));
      }
    }
  }

  /** Reads every partition from the start and compares it with what was written. */
  private void verify() {
    try (PyralogClient client = PyralogClient.create(CLUSTER.bootstrap());
        PyralogConsumer consumer = client.consumer()) {
      Map<Integer, Long> starts = client.admin().listOffsets(TOPIC, OffsetSpec.earliest());
      Map<Integer, Long> ends = client.admin().listOffsets(TOPIC, OffsetSpec.latest());
      for (int p = 0; p < PARTITIONS; p++) {
        assertThat(starts.get(p)).isZero();
        assertThat(ends.get(p)).as("end offset of partition %d", p)
            .isEqualTo(expected.get(p).size());
      }
      for (int p = 0; p < PARTITIONS; p++) {
        TopicPartition tp = new TopicPartition(TOPIC, p);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        List<String> values = new ArrayList<>();
        long next = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (consumer.position(tp) < ends.get(p)) {
          assertThat(System.nanoTime()).as("partition %d read within 30 s", p)
              .isLessThan(deadline);
          try (ConsumerBatches batches = consumer.poll(Duration.ofMillis(500))) {
            for (ConsumerRecord r : batches) {
              assertThat(r.offset()).as("offsets of partition %d are dense", p).isEqualTo(next++);
              values.add(r.valueAsString());
            }
          }
        }
        assertThat(values).as("records of partition %d", p)
            .containsExactlyElementsOf(expected.get(p));
      }
    }
  }
}
