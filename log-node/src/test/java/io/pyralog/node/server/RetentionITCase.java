package io.pyralog.node.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.client.NewTopic;
import io.pyralog.client.OffsetSpec;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogConsumer;
import io.pyralog.client.PyralogProducer;
import io.pyralog.client.TopicPartition;
import io.pyralog.common.errors.Errors;
import io.pyralog.node.testing.PyralogClusterExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The node's scheduled retention deletes whole old segments per topic: by size for one topic,
 * by time for another, and leaves a topic that keeps everything alone.
 */
class RetentionITCase {
  @RegisterExtension
  static final PyralogClusterExtension CLUSTER = PyralogClusterExtension.builder()
      .option("retention.check.interval.ms", "200").build();

  private static void fill(PyralogClient client, String topic, int records) {
    byte[] value = "v".repeat(900).getBytes(StandardCharsets.UTF_8);
    try (PyralogProducer producer = client.producer()) {
      for (int i = 0; i < records; i++) {
        // small batches, so that segments of 16 KiB roll many times
        producer.send(new ProducerRecord(topic, 0, null, value)).join();
      }
    }
  }

  private static long start(PyralogClient client, String topic) {
    return client.admin().listOffsets(topic, OffsetSpec.earliest()).get(0);
  }

  @Test
  void retentionBySizeAndByTimeAdvancesTheLogStart() {
    try (PyralogClient client = PyralogClient.create(Map.of("bootstrap", CLUSTER.bootstrap(),
        "linger.ms", "0"))) {
      client.admin().createTopic(NewTopic.builder("by-size").segmentBytes(16384)
          .retentionBytes(32768).build());
      client.admin().createTopic(NewTopic.builder("by-time").segmentBytes(16384)
          .retentionMs(1500).build());
      client.admin().createTopic(NewTopic.builder("forever").segmentBytes(16384)
          .retentionMs(-1).build());
      fill(client, "by-size", 200);
      fill(client, "by-time", 200);
      fill(client, "forever", 200);

      Awaitility.await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
        assertThat(start(client, "by-size")).isGreaterThan(100);
        assertThat(start(client, "by-time")).isGreaterThan(150);
      });
      assertThat(start(client, "forever")).isZero();
      assertThat(client.admin().listOffsets("by-size", OffsetSpec.latest()).get(0))
          .isEqualTo(200);
      // the size-limited partition keeps about retention.bytes plus the active segment
      long kept = 200 - start(client, "by-size");
      assertThat(kept * 900).isLessThan(32768 + 2 * 16384);

      // reading below the new start fails clearly, reading from it works
      try (PyralogConsumer consumer = client.consumer()) {
        TopicPartition tp = new TopicPartition("by-size", 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        long first = consumer.position(tp);
        assertThat(first).isEqualTo(start(client, "by-size"));
        assertThat(consumer.poll(Duration.ofSeconds(5)).records()).isNotEmpty()
            .first().satisfies(r -> assertThat(r.offset()).isEqualTo(first));
      }
      assertThatThrownBy(() -> {
        try (var c = new org.apache.arrow.memory.RootAllocator();
            var flight = org.apache.arrow.flight.FlightClient.builder(c,
                org.apache.arrow.flight.Location.forGrpcInsecure("127.0.0.1", CLUSTER.port()))
                .build();
            var s = flight.getStream(new org.apache.arrow.flight.Ticket(
                "{\"topic\":\"by-size\",\"partition\":0,\"offset\":0}".getBytes(
                    StandardCharsets.UTF_8)))) {
          s.next();
        }
      }).satisfies(e -> assertThat(Errors.fromFlight(
          (org.apache.arrow.flight.FlightRuntimeException) e).error())
          .isEqualTo(Errors.OFFSET_OUT_OF_RANGE));
    }
  }
}
