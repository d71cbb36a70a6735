package io.pyralog.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.flink.sink.PyralogRecordSerializationSchema;
import io.pyralog.flink.sink.PyralogSink;
import io.pyralog.flink.source.OffsetsInitializer;
import io.pyralog.flink.source.PyralogSource;
import io.pyralog.node.testing.PyralogClusterExtension;
import io.pyralog.node.testing.TopicReader;
import io.pyralog.node.testing.TopicReader.Stored;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sink on a Flink MiniCluster against a real node. */
class PyralogSinkITCase {
  @RegisterExtension
  static final PyralogClusterExtension NODE = PyralogClusterExtension.builder().build();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TestFlink.miniCluster();

  private static PyralogSink<String> sink(PyralogRecordSerializationSchema<String> schema) {
    return PyralogSink.<String>builder()
        .setBootstrap(NODE.bootstrap())
        .setRecordSerializer(schema)
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();
  }

  private static List<String> numbered(String prefix, int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  @Test
  void everyElementIsWrittenOnceAndEqualKeysShareAPartition() throws Exception {
    TestTopics.create(NODE.bootstrap(), "sink-keyed", 4);
    List<String> input = numbered("user-", 2000);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    // the key is the element modulo 10, so ten keys spread over four partitions
    env.fromData(input).sinkTo(sink(PyralogRecordSerializationSchema.<String>builder()
        .setTopic("sink-keyed")
        .setKeySerializationSchema(s -> Integer.toString(
            Integer.parseInt(s.substring(5)) % 10).getBytes())
        .setValueSerializationSchema(new SimpleStringSchema())
        .build()));
    env.execute("sink-keyed");

    List<Stored> stored = TopicReader.readAllStored(NODE.bootstrap(), "sink-keyed", 4);
    assertThat(stored.stream().map(Stored::value)).containsExactlyInAnyOrderElementsOf(input);
    Map<Integer, Set<Integer>> partitionsByKey = stored.stream().collect(Collectors.groupingBy(
        s -> Integer.parseInt(s.value().substring(5)) % 10,
        Collectors.mapping(Stored::partition, Collectors.toSet())));
    assertThat(partitionsByKey).hasSize(10).allSatisfy((k, p) -> assertThat(p).hasSize(1));
    assertThat(partitionsByKey.values().stream().flatMap(Set::stream).collect(
        Collectors.toSet())).hasSizeGreaterThan(1);
  }

  @Test
  void aCustomPartitionerDecidesThePartition() throws Exception {
    TestTopics.create(NODE.bootstrap(), "sink-custom", 3);
    List<String> input = numbered("x", 300);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.fromData(input).sinkTo(sink(PyralogRecordSerializationSchema.<String>builder()
        .setTopic("sink-custom")
        .setValueSerializationSchema(new SimpleStringSchema())
        .setPartitioner((s, key, value, topic, partitions) ->
            Integer.parseInt(s.substring(1)) < 100 ? 0 : partitions - 1)
        .build()));
    env.execute("sink-custom");

    List<Stored> stored = TopicReader.readAllStored(NODE.bootstrap(), "sink-custom", 3);
    assertThat(stored).hasSize(300);
    assertThat(stored).allSatisfy(s -> assertThat(s.partition())
        .isEqualTo(Integer.parseInt(s.value().substring(1)) < 100 ? 0 : 2));
  }

  @Test
  void aJobWritingToAMissingTopicFailsWithTheNodesMessage() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.fromData("a", "b").sinkTo(sink(PyralogRecordSerializationSchema.<String>builder()
        .setTopic("sink-no-such-topic")
        .setValueSerializationSchema(new SimpleStringSchema())
        .build()));
    assertThatThrownBy(() -> env.execute("missing")).hasStackTraceContaining(
        "Topic 'sink-no-such-topic' does not exist");
  }

  @Test
  void exactlyOnceWithoutATransactionalIdPrefixIsRefused() {
    assertThatThrownBy(() -> PyralogSink.<String>builder().setBootstrap(NODE.bootstrap())
        .setRecordSerializer(PyralogRecordSerializationSchema.<String>builder()
            .setTopic("t").setValueSerializationSchema(new SimpleStringSchema()).build())
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).build())
        .hasMessageContaining("EXACTLY_ONCE").hasMessageContaining("setTransactionalIdPrefix");
  }

  /** Fails the job once, after some records have passed it. */
  static final class FailOnce implements MapFunction<String, String> {
    static final AtomicBoolean FAILED = new AtomicBoolean();

    @Override
    public String map(String value) throws Exception {
      if (value.endsWith("-1500") && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure at " + value);
      }
      return value;
    }
  }

  @Test
  void aJobThatFailsAndRestoresLosesNothingAtLeastOnce() throws Exception {
    TestTopics.create(NODE.bootstrap(), "pipe-in", 3);
    TestTopics.create(NODE.bootstrap(), "pipe-out", 3);
    List<String> input = TestTopics.write(NODE.bootstrap(), "pipe-in", "r-", 0, 3000);
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
    env.setParallelism(2);
    env.enableCheckpointing(100);
    PyralogSource<String> source = PyralogSource.<String>builder()
        .setBootstrap(NODE.bootstrap())
        .setTopics("pipe-in")
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setBounded(OffsetsInitializer.latest())
        .setValueOnlyDeserializer(new SimpleStringSchema())
        .build();
    FailOnce.FAILED.set(false);
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "pipe-in")
        .map(new FailOnce())
        .sinkTo(sink(PyralogRecordSerializationSchema.<String>builder()
            .setTopic("pipe-out")
            .setValueSerializationSchema(new SimpleStringSchema())
            .build()));
    env.execute("pipe");

    assertThat(FailOnce.FAILED).isTrue();
    List<String> output = TopicReader.readAll(NODE.bootstrap(), "pipe-out", 3);
    assertThat(new HashSet<>(output)).isEqualTo(new HashSet<>(input));
  }
}
