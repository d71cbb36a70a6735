package io.pyralog.benchmarks.flink;

import io.pyralog.client.ConsumerBatches;
import io.pyralog.client.NewTopic;
import io.pyralog.client.OffsetSpec;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogConsumer;
import io.pyralog.flink.sink.PyralogRecordSerializationSchema;
import io.pyralog.flink.sink.PyralogSink;
import io.pyralog.flink.sink.PyralogSinkBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The sink workload of one system: a job that generates {@code records} strings of {@link
 * #RECORD_BYTES} bytes ({@code env.fromSequence}, mapped) and writes them to a fresh topic through
 * the system's Flink sink, {@code PyralogSink} or Kafka's {@code KafkaSink}, at one delivery
 * guarantee, with a checkpoint every second. Afterwards, outside the measured time, it checks the
 * topic and deletes it: after at-least-once its end offsets must add up to at least that many
 * records; after exactly-once a {@code read_committed} reader must read exactly that many.
 */
final class SinkJob {
  static final int RECORD_BYTES = 100;
  static final long CHECKPOINT_INTERVAL_MS = 1_000;
  /** Kafka's producer default is 1 minute; a transaction must outlive checkpoints and restarts. */
  static final String KAFKA_TRANSACTION_TIMEOUT_MS = "600000";
  /** The exactly-once check's poll timeout, and how long it waits while nothing arrives. */
  static final Duration CHECK_POLL = Duration.ofSeconds(1);
  static final Duration CHECK_IDLE = Duration.ofSeconds(15);

  private final String system;
  private final String bootstrap;
  private final int parallelism;
  private final int partitions;

  SinkJob(String system, String bootstrap, int parallelism, int partitions) {
    if (!system.equals(Result.PYRALOG) && !system.equals(Result.KAFKA)) {
      throw new IllegalArgumentException("Unknown system " + system
          + "; expected pyralog or kafka");
    }
    this.system = system;
    this.bootstrap = bootstrap;
    this.parallelism = parallelism;
    this.partitions = partitions;
  }

  /** {@code at-least-once} or {@code exactly-once} as Flink's guarantee. */
  static DeliveryGuarantee guarantee(String variant) {
    return switch (variant) {
      case Result.AT_LEAST_ONCE -> DeliveryGuarantee.AT_LEAST_ONCE;
      case Result.EXACTLY_ONCE -> DeliveryGuarantee.EXACTLY_ONCE;
      default -> throw new IllegalArgumentException("Unknown delivery guarantee " + variant
          + "; expected " + Result.AT_LEAST_ONCE + " or " + Result.EXACTLY_ONCE);
    };
  }

  /** Record {@code i}: a fixed text and {@code i}, {@link #RECORD_BYTES} ASCII characters. */
  static String record(long i) {
    String n = Long.toString(i);
    return Payload.PREFIX.substring(0, RECORD_BYTES - n.length()) + n;
  }

  /** Maps the sequence to records; a class of its own, so that the job serializes it. */
  static final class Payload implements MapFunction<Long, String> {
    private static final long serialVersionUID = 1L;
    static final String PREFIX = "record-" + "x".repeat(RECORD_BYTES);

    @Override
    public String map(Long i) {
      return record(i);
    }
  }

  /** Writes {@code records} records to a new topic named {@code topic}; deletes it afterwards. */
  Result run(String variant, String topic, long records, int rep, String runId)
      throws Exception {
    DeliveryGuarantee guarantee = guarantee(variant);
    createTopic(topic);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(parallelism);
    env.enableCheckpointing(CHECKPOINT_INTERVAL_MS);
    String prefix = "bench-" + topic + "-" + runId;
    env.fromSequence(1, records).map(new Payload()).name("records")
        .sinkTo(sink(topic, guarantee, prefix)).name(system + "-sink");
    long start = System.nanoTime();
    JobExecutionResult done = env.execute(system + " sink " + variant);
    double wall = (System.nanoTime() - start) / 1e9;
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
      long committed = committedRecords(topic, records);
      if (committed != records) {
        throw new IllegalStateException("The " + system + " sink " + variant + " wrote "
            + records + " records but a read_committed reader of topic " + topic + " read "
            + committed);
      }
    } else {
      long stored = endOffsets(topic);
      if (stored < records) {
        throw new IllegalStateException("The " + system + " sink " + variant + " wrote "
            + records + " records but topic " + topic + " ends at offsets adding up to "
            + stored);
      }
    }
    deleteTopic(topic);
    return new Result(Result.SINK, system, variant, rep, records,
        done.getNetRuntime() / 1000.0, wall, 0);
  }

  private Sink<String> sink(String topic, DeliveryGuarantee guarantee, String prefix) {
    if (system.equals(Result.PYRALOG)) {
      PyralogSinkBuilder<String> builder = PyralogSink.<String>builder()
          .setBootstrap(bootstrap)
          .setRecordSerializer(PyralogRecordSerializationSchema.<String>builder()
              .setTopic(topic).setValueSerializationSchema(new SimpleStringSchema()).build())
          .setDeliveryGuarantee(guarantee)
          .setProperty("linger.ms", Integer.toString(TopicFill.LINGER_MS))
          .setProperty("batch.size", Integer.toString(TopicFill.BATCH_SIZE));
      if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
        builder.setTransactionalIdPrefix(prefix);
      }
      return builder.build();
    }
    KafkaSinkBuilder<String> builder = KafkaSink.<String>builder()
        .setBootstrapServers(bootstrap)
        .setRecordSerializer(KafkaRecordSerializationSchema.<String>builder()
            .setTopic(topic).setValueSerializationSchema(new SimpleStringSchema()).build())
        .setDeliveryGuarantee(guarantee)
        .setProperty("acks", "all")
        .setProperty("linger.ms", Integer.toString(TopicFill.LINGER_MS))
        .setProperty("batch.size", Integer.toString(TopicFill.BATCH_SIZE));
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
      builder.setTransactionalIdPrefix(prefix)
          .setProperty("transaction.timeout.ms", KAFKA_TRANSACTION_TIMEOUT_MS);
    }
    return builder.build();
  }

  private void createTopic(String topic) throws Exception {
    if (system.equals(Result.PYRALOG)) {
      try (PyralogClient client = PyralogClient.create(bootstrap)) {
        client.admin().createTopic(NewTopic.builder(topic).partitions(partitions).build());
      }
    } else {
      TopicFill.createKafkaTopic(bootstrap, topic, partitions);
    }
  }

  private void deleteTopic(String topic) throws Exception {
    if (system.equals(Result.PYRALOG)) {
      try (PyralogClient client = PyralogClient.create(bootstrap)) {
        client.admin().deleteTopic(topic);
      }
    } else {
      TopicFill.deleteKafkaTopic(bootstrap, topic);
    }
  }

  /** The sum of the topic's end offsets. */
  private long endOffsets(String topic) {
    if (system.equals(Result.PYRALOG)) {
      try (PyralogClient client = PyralogClient.create(bootstrap)) {
        return client.admin().listOffsets(topic, OffsetSpec.latest()).values().stream()
            .mapToLong(Long::longValue).sum();
      }
    }
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      return consumer.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Reads the topic from the start with {@code isolation.level=read_committed} and counts its
   * records: polls until it has {@code expected} records and the next poll comes back empty, or
   * until nothing has arrived for {@link #CHECK_IDLE}.
   */
  private long committedRecords(String topic, long expected) {
    long count = 0;
    long lastData = System.nanoTime();
    if (system.equals(Result.PYRALOG)) {
      try (PyralogClient client = PyralogClient.create(Map.of("bootstrap", bootstrap,
              "isolation.level", "read_committed", "auto.offset.reset", "earliest"));
          PyralogConsumer consumer = client.consumer()) {
        consumer.assignAll(topic);
        consumer.seekToBeginning(consumer.assignment());
        while (System.nanoTime() - lastData < CHECK_IDLE.toNanos()) {
          try (ConsumerBatches batches = consumer.poll(CHECK_POLL)) {
            if (batches.isEmpty() && count >= expected) {
              break;
            }
            if (!batches.isEmpty()) {
              count += batches.count();
              lastData = System.nanoTime();
            }
          }
        }
      }
      return count;
    }
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      while (System.nanoTime() - lastData < CHECK_IDLE.toNanos()) {
        int n = consumer.poll(CHECK_POLL).count();
        if (n == 0 && count >= expected) {
          break;
        }
        if (n > 0) {
          count += n;
          lastData = System.nanoTime();
        }
      }
    }
    return count;
  }
}
