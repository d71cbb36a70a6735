package io.pyralog.benchmarks.flink;

import io.pyralog.client.BatchResult;
import io.pyralog.client.NewTopic;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogProducer;
import io.pyralog.common.schema.SchemaJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the rows of {@link WideRows} to a typed Pyralog topic, as Arrow batches, and the same
 * rows to a Kafka topic, as JSON records. Both topics get the same partitions, and the rows go to
 * them the same way: {@code batchRows} rows to a partition, then the next partition. Returns once
 * every row is acknowledged.
 */
final class TopicFill {
  static final int BATCH_SIZE = 262_144;
  static final int LINGER_MS = 5;

  private TopicFill() {}

  /** Creates the typed topic and writes rows 1 to {@code rows}; returns the fill's result. */
  static Result pyralog(String bootstrap, String topic, int partitions, long rows,
      int batchRows) {
    try (PyralogClient client = PyralogClient.create(bootstrap);
        PyralogProducer producer = client.producer()) {
      client.admin().createTopic(NewTopic.builder(topic).partitions(partitions)
          .schemaJson(WideRows.schemaJson()).build());
      Schema schema = SchemaJson.parse(client.admin().describeTopic(topic).schema());
      List<CompletableFuture<BatchResult>> sent = new ArrayList<>();
      long bytes = 0;
      long start = System.nanoTime();
      try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, client.allocator())) {
        long batch = 0;
        for (long first = 1; first <= rows; first += batchRows, batch++) {
          int n = (int) Math.min(batchRows, rows - first + 1);
          WideRows.fill(root, first, n);
          bytes += WideRows.arrowBytes(root);
          sent.add(producer.sendBatch(topic, (int) (batch % partitions), root));
        }
      }
      long acked = 0;
      for (CompletableFuture<BatchResult> f : sent) {
        acked += f.join().recordCount();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (acked != rows) {
        throw new IllegalStateException("Pyralog acknowledged " + acked + " rows of " + rows);
      }
      return new Result(Result.FILL, Result.PYRALOG, "", 0, rows, seconds, seconds, bytes);
    }
  }

  /** Creates the Kafka topic and writes rows 1 to {@code rows} as JSON; returns the result. */
  static Result kafka(String bootstrap, String topic, int partitions, long rows, int batchRows)
      throws Exception {
    createKafkaTopic(bootstrap, topic, partitions);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(LINGER_MS));
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(BATCH_SIZE));
    AtomicLong acked = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long bytes = 0;
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      StringBuilder json = new StringBuilder(512);
      for (long id = 1; id <= rows; id++) {
        WideRows.json(id, json);
        byte[] value = json.toString().getBytes(StandardCharsets.US_ASCII);
        bytes += value.length;
        int partition = (int) (((id - 1) / batchRows) % partitions);
        producer.send(new ProducerRecord<>(topic, partition, null, value), (md, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          } else {
            acked.incrementAndGet();
          }
        });
      }
      producer.flush();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (failure.get() != null) {
      throw new IllegalStateException("Kafka refused a row: " + failure.get(), failure.get());
    }
    if (acked.get() != rows) {
      throw new IllegalStateException("Kafka acknowledged " + acked.get() + " rows of " + rows);
    }
    return new Result(Result.FILL, Result.KAFKA, "", 0, rows, seconds, seconds, bytes);
  }

  static void createKafkaTopic(String bootstrap, String topic, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrap))) {
      admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, partitions,
          (short) 1))).all().get();
    }
  }

  static void deleteKafkaTopic(String bootstrap, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrap))) {
      admin.deleteTopics(List.of(topic)).all().get();
    }
  }
}
