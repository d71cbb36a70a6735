package io.pyralog.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.client.PyralogClient;
import io.pyralog.client.TopicPartition;
import io.pyralog.flink.source.OffsetsInitializer;
import io.pyralog.flink.source.PyralogSource;
import io.pyralog.node.testing.PyralogClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The source on a Flink MiniCluster against a real node. */
class PyralogSourceITCase {
  @RegisterExtension
  static final PyralogClusterExtension NODE = PyralogClusterExtension.builder().build();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TestFlink.miniCluster();

  private static PyralogSource<String> bounded(String topic, OffsetsInitializer from,
      OffsetsInitializer to) {
    return PyralogSource.<String>builder()
        .setBootstrap(NODE.bootstrap())
        .setTopics(topic)
        .setStartingOffsets(from)
        .setBounded(to)
        .setValueOnlyDeserializer(new SimpleStringSchema())
        .build();
  }

  private static List<String> run(PyralogSource<String> source, int parallelism)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(parallelism);
    List<String> out = new ArrayList<>();
    try (CloseableIterator<String> it = env.fromSource(source,
        WatermarkStrategy.noWatermarks(), "pyralog").executeAndCollect()) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void aBoundedSourceReadsEveryRecordExactlyOnceAcrossPartitionsAndReaders() throws Exception {
    TestTopics.create(NODE.bootstrap(), "src-all", 5);
    List<String> written = TestTopics.write(NODE.bootstrap(), "src-all", "v", 0, 3000);

    List<String> read = run(bounded("src-all", OffsetsInitializer.earliest(),
        OffsetsInitializer.latest()), 2);

    assertThat(read).containsExactlyInAnyOrderElementsOf(written);
  }

  @Test
  void aBoundedSourceStopsAtTheEndItSawAtStartEvenWhileWritesGoOn() throws Exception {
    TestTopics.create(NODE.bootstrap(), "src-stop", 2);
    List<String> before = TestTopics.write(NODE.bootstrap(), "src-stop", "a", 0, 200);
    PyralogSource<String> source = bounded("src-stop", OffsetsInitializer.earliest(),
        OffsetsInitializer.offsets(endOffsets("src-stop", 2)));
    TestTopics.write(NODE.bootstrap(), "src-stop", "b", 0, 100);

    assertThat(run(source, 1)).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void startingOffsetsLatestTimestampSpecificAndCommitted() throws Exception {
    String topic = "src-start";
    TestTopics.create(NODE.bootstrap(), topic, 2);
    List<String> first = TestTopics.write(NODE.bootstrap(), topic, "a", 0, 100);
    Thread.sleep(20);
    long between = System.currentTimeMillis();
    Thread.sleep(20);
    List<String> second = TestTopics.write(NODE.bootstrap(), topic, "b", 0, 100);
    Map<TopicPartition, Long> end = endOffsets(topic, 2);

    assertThat(run(bounded(topic, OffsetsInitializer.latest(), OffsetsInitializer.latest()), 2))
        .isEmpty();
    assertThat(run(bounded(topic, OffsetsInitializer.timestamp(between),
        OffsetsInitializer.latest()), 2)).containsExactlyInAnyOrderElementsOf(second);

    // partition 0 from its 10th record, partition 1 (not given) from the start
    List<String> specific = run(bounded(topic, OffsetsInitializer.offsets(
        Map.of(new TopicPartition(topic, 0), 10L)), OffsetsInitializer.latest()), 2);
    assertThat(specific).hasSize((int) (end.get(new TopicPartition(topic, 0)) - 10
        + end.get(new TopicPartition(topic, 1))));
    assertThat(first.size() + second.size() - specific.size()).isEqualTo(10);

    try (PyralogClient client = PyralogClient.create(NODE.bootstrap())) {
      client.admin().commitOffsets("src-group", topic, Map.of(0, 50L));
    }
    PyralogSource<String> committed = PyralogSource.<String>builder()
        .setBootstrap(NODE.bootstrap())
        .setTopics(topic)
        .setGroupId("src-group")
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetsInitializer.Kind.LATEST))
        .setBounded(OffsetsInitializer.latest())
        .setValueOnlyDeserializer(new SimpleStringSchema())
        .build();
    // partition 0 from the committed 50, partition 1 (nothing committed) from its end
    assertThat(run(committed, 2)).hasSize((int) (end.get(new TopicPartition(topic, 0)) - 50));
  }

  @Test
  void anUnboundedSourceFindsNewTopicsOfItsPatternAndCommitsOffsetsOnCheckpoints()
      throws Exception {
    TestTopics.create(NODE.bootstrap(), "disc-a", 2);
    List<String> a = TestTopics.write(NODE.bootstrap(), "disc-a", "a", 0, 50);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.enableCheckpointing(200);
    PyralogSource<String> source = PyralogSource.<String>builder()
        .setBootstrap(NODE.bootstrap())
        .setTopicPattern(Pattern.compile("disc-.*"))
        .setGroupId("disc-group")
        .setPartitionDiscoveryInterval(Duration.ofMillis(300))
        .setValueOnlyDeserializer(new SimpleStringSchema())
        .build();
    List<String> read = new ArrayList<>();
    try (CloseableIterator<String> it = env.fromSource(source,
        WatermarkStrategy.noWatermarks(), "pyralog").executeAndCollect()) {
      while (read.size() < a.size()) {
        read.add(it.next());
      }
      TestTopics.create(NODE.bootstrap(), "disc-b", 3);
      List<String> b = TestTopics.write(NODE.bootstrap(), "disc-b", "b", 0, 60);
      while (read.size() < a.size() + b.size()) {
        read.add(it.next());
      }
      List<String> expected = new ArrayList<>(a);
      expected.addAll(b);
      assertThat(read).containsExactlyInAnyOrderElementsOf(expected);

      try (PyralogClient client = PyralogClient.create(NODE.bootstrap())) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          assertThat(client.admin().fetchOffsets("disc-group", "disc-a"))
              .isEqualTo(toPartitionMap(endOffsets("disc-a", 2)));
          assertThat(client.admin().fetchOffsets("disc-group", "disc-b"))
              .isEqualTo(toPartitionMap(endOffsets("disc-b", 3)));
        });
      }
    }
  }

  @Test
  void aBoundedJobCommitsTheEndOfItsFinishedPartitions() throws Exception {
    TestTopics.create(NODE.bootstrap(), "src-final", 3);
    TestTopics.write(NODE.bootstrap(), "src-final", "f", 0, 300);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.enableCheckpointing(100);
    PyralogSource<String> source = PyralogSource.<String>builder()
        .setBootstrap(NODE.bootstrap())
        .setTopics("src-final")
        .setGroupId("final-group")
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setBounded(OffsetsInitializer.latest())
        .setValueOnlyDeserializer(new SimpleStringSchema())
        .build();
    List<String> read = new ArrayList<>();
    try (CloseableIterator<String> it = env.fromSource(source,
        WatermarkStrategy.noWatermarks(), "pyralog").executeAndCollect()) {
      it.forEachRemaining(read::add);
    }
    assertThat(read).hasSize(300);
    try (PyralogClient client = PyralogClient.create(NODE.bootstrap())) {
      Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(client.admin().fetchOffsets("final-group", "src-final"))
              .isEqualTo(toPartitionMap(endOffsets("src-final", 3))));
    }
  }

  /** Writes records {@code prefix-i} to one partition with timestamps {@code t0 + i} s. */
  private static List<String> writeTimed(String topic, int partition, String prefix, int from,
      int to, long t0) {
    List<String> out = new ArrayList<>();
    try (PyralogClient client = PyralogClient.create(NODE.bootstrap());
        var producer = client.producer()) {
      List<java.util.concurrent.CompletableFuture<?>> acks = new ArrayList<>();
      for (int i = from; i < to; i++) {
        String v = prefix + "-" + i;
        out.add(v);
        acks.add(producer.send(new io.pyralog.client.ProducerRecord(topic, partition, null,
            v.getBytes(java.nio.charset.StandardCharsets.UTF_8), null, t0 + i * 1_000L)));
      }
      producer.flush();
      acks.forEach(java.util.concurrent.CompletableFuture::join);
    }
    return out;
  }

  @Test
  void watermarkAlignmentHoldsBackTheSplitThatIsAhead() throws Exception {
    TestTopics.create(NODE.bootstrap(), "src-aligned", 2);
    long t0 = 1_700_000_000_000L;
    long hourLater = t0 + 3_600_000L;
    List<String> behindFirst = writeTimed("src-aligned", 0, "behind", 0, 10, t0);
    writeTimed("src-aligned", 1, "ahead", 0, 10, hourLater);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1); // one reader holds both splits: alignment pauses one of them
    env.getConfig().setAutoWatermarkInterval(50);
    WatermarkStrategy<String> aligned = WatermarkStrategy.<String>forMonotonousTimestamps()
        .withWatermarkAlignment("aligned", Duration.ofSeconds(1), Duration.ofMillis(50));
    PyralogSource<String> source = PyralogSource.<String>builder()
        .setBootstrap(NODE.bootstrap())
        .setTopics("src-aligned")
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setValueOnlyDeserializer(new SimpleStringSchema())
        .build();
    List<String> read = java.util.Collections.synchronizedList(new ArrayList<>());
    try (CloseableIterator<String> it = env.fromSource(source, aligned, "aligned")
        .executeAndCollect()) {
      Thread reader = new Thread(() -> it.forEachRemaining(read::add));
      reader.setDaemon(true);
      reader.start();
      Awaitility.await().atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(read).containsAll(behindFirst));
      Thread.sleep(2000); // watermarks go out and the alignment decides
      // partition 1 is an hour ahead in event time: Flink has paused it, so what arrives there
      // now waits, while partition 0 goes on
      List<String> later = writeTimed("src-aligned", 1, "ahead", 10, 20, hourLater);
      List<String> behind = writeTimed("src-aligned", 0, "behind", 10, 20, t0);
      Awaitility.await().atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(read).containsAll(behind));
      Thread.sleep(1000);
      assertThat(read).doesNotContainAnyElementsOf(later);
    }
  }

  @Test
  void aMissingTopicFailsTheJobWithTheNodesMessage() {
    assertThatThrownBy(() -> run(bounded("no-such-topic", OffsetsInitializer.earliest(),
        OffsetsInitializer.latest()), 1)).hasStackTraceContaining("no-such-topic")
        .hasStackTraceContaining("does not exist");
  }

  @Test
  void theBuilderNamesWhatIsMissing() {
    assertThatThrownBy(() -> PyralogSource.<String>builder().setTopics("t")
        .setValueOnlyDeserializer(new SimpleStringSchema()).build())
        .hasMessageContaining("setBootstrap");
    assertThatThrownBy(() -> PyralogSource.<String>builder().setBootstrap("127.0.0.1:1")
        .setValueOnlyDeserializer(new SimpleStringSchema()).build())
        .hasMessageContaining("setTopics");
    assertThatThrownBy(() -> PyralogSource.<String>builder().setBootstrap("127.0.0.1:1")
        .setTopics("t").setStartingOffsets(OffsetsInitializer.committedOffsets())
        .setValueOnlyDeserializer(new SimpleStringSchema()).build())
        .hasMessageContaining("setGroupId");
    assertThatThrownBy(() -> PyralogSource.<String>builder().setBootstrap("127.0.0.1:1")
        .setTopics("t").setProperty("poll.timeout.ms", "soon")
        .setValueOnlyDeserializer(new SimpleStringSchema()).build())
        .hasMessageContaining("poll.timeout.ms");
  }

  private static Map<TopicPartition, Long> endOffsets(String topic, int partitions) {
    try (PyralogClient client = PyralogClient.create(NODE.bootstrap());
        var consumer = client.consumer()) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        tps.add(new TopicPartition(topic, p));
      }
      consumer.assign(tps);
      return consumer.endOffsets(tps);
    }
  }

  private static Map<Integer, Long> toPartitionMap(Map<TopicPartition, Long> offsets) {
    Map<Integer, Long> out = new java.util.HashMap<>();
    offsets.forEach((tp, o) -> out.put(tp.partition(), o));
    return out;
  }
}
