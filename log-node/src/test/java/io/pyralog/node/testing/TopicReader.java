package io.pyralog.node.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.client.ArrowBatch;
import io.pyralog.client.ConsumerBatches;
import io.pyralog.client.ConsumerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogConsumer;
import io.pyralog.client.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Reads a whole topic back, from the log start to the end offsets taken when it begins. */
public final class TopicReader {
  private TopicReader() {}

  /** A record read back: its value and where it is stored. */
  public record Stored(String value, int partition, long offset) {
    @Override
    public String toString() {
      return value + "@" + partition + ":" + offset;
    }
  }

  /** Every record value of partitions {@code 0..partitions-1}, as UTF-8 strings. */
  public static List<String> readAll(String bootstrap, String topic, int partitions) {
    List<String> values = new ArrayList<>();
    for (Stored s : readAllStored(bootstrap, topic, partitions)) {
      values.add(s.value());
    }
    return values;
  }

  /**
   * The record values a consumer with {@code fetch.from.followers} reads from offset 0 of every
   * partition through {@code bootstrap} alone. It polls until it has seen all of {@code
   * expected} (or {@code timeout} passes), then polls a second more to catch anything extra.
   */
  public static List<String> readFromFollowers(String bootstrap, String topic, int partitions,
      Set<String> expected, Duration timeout) {
    List<String> values = new ArrayList<>();
    try (PyralogClient client = PyralogClient.create(Map.of("bootstrap", bootstrap,
        "request.timeout.ms", "5000", "fetch.from.followers", "true"));
        PyralogConsumer consumer = client.consumer()) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        parts.add(new TopicPartition(topic, p));
      }
      consumer.assign(parts);
      parts.forEach(tp -> consumer.seek(tp, 0));
      long deadline = System.nanoTime() + timeout.toNanos();
      long quietUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, quietUntil)) {
        try (ConsumerBatches batches = consumer.poll(Duration.ofMillis(200))) {
          for (ArrowBatch b : batches.batches()) {
            for (ConsumerRecord r : b.records()) {
              values.add(new String(r.value(), StandardCharsets.UTF_8));
            }
          }
        }
        if (quietUntil == Long.MAX_VALUE && values.containsAll(expected)) {
          quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        }
      }
    }
    return values;
  }

  /** Every record of partitions {@code 0..partitions-1} with its partition and offset. */
  public static List<Stored> readAllStored(String bootstrap, String topic, int partitions) {
    return readAllStored(bootstrap, topic, partitions, "read_uncommitted");
  }

  /**
   * As above, at an isolation level: read_committed reads committed records up to the last
   * stable offsets.
   */
  public static List<Stored> readAllStored(String bootstrap, String topic, int partitions,
      String isolationLevel) {
    List<Stored> values = new ArrayList<>();
    forEachStored(bootstrap, topic, partitions, isolationLevel, values::add);
    return values;
  }

  /**
   * Hands every record of partitions {@code 0..partitions-1} to {@code action} as it is read,
   * without keeping them: for topics too large to hold in the test's heap.
   */
  public static void forEachStored(String bootstrap, String topic, int partitions,
      String isolationLevel, Consumer<Stored> action) {
    try (PyralogClient client = PyralogClient.create(Map.of("bootstrap", bootstrap,
        "request.timeout.ms", "30000", "isolation.level", isolationLevel));
        PyralogConsumer consumer = client.consumer()) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        parts.add(new TopicPartition(topic, p));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertThat(System.nanoTime()).as("read back within 90 s").isLessThan(deadline);
        try (ConsumerBatches batches = consumer.poll(Duration.ofMillis(500))) {
          for (ArrowBatch b : batches.batches()) {
            for (ConsumerRecord r : b.records()) {
              action.accept(new Stored(new String(r.value(), StandardCharsets.UTF_8),
                  r.partition(), r.offset()));
            }
          }
        }
      }
    }
  }
}
