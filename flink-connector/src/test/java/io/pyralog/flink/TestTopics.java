package io.pyralog.flink;

import io.pyralog.client.NewTopic;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogProducer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Creates topics and writes numbered records for the connector tests. */
final class TestTopics {
  private TestTopics() {}

  static void create(String bootstrap, String topic, int partitions) {
    try (PyralogClient client = PyralogClient.create(bootstrap)) {
      client.admin().createTopic(NewTopic.builder(topic).partitions(partitions).build());
    }
  }

  /** Writes {@code {"id": i, "c1": "v-i"}} for i in [1, n]. */
  static void writeJsonIds(String bootstrap, String topic, int n) {
    try (PyralogClient client = PyralogClient.create(bootstrap);
        PyralogProducer producer = client.producer()) {
      List<CompletableFuture<?>> acks = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        acks.add(producer.send(ProducerRecord.ofStrings(topic, null,
            "{\"id\": " + i + ", \"c1\": \"v-" + i + "\"}")));
      }
      producer.flush();
      acks.forEach(CompletableFuture::join);
    }
  }

  /** Writes values {@code prefix + i} for i in [from, to), keyed {@code "k" + i}; returns them. */
  static List<String> write(String bootstrap, String topic, String prefix, int from, int to) {
    List<String> values = new ArrayList<>();
    try (PyralogClient client = PyralogClient.create(bootstrap);
        PyralogProducer producer = client.producer()) {
      List<CompletableFuture<?>> acks = new ArrayList<>();
      for (int i = from; i < to; i++) {
        String v = prefix + i;
        values.add(v);
        acks.add(producer.send(ProducerRecord.ofStrings(topic, "k" + i, v)));
      }
      producer.flush();
      acks.forEach(CompletableFuture::join);
    }
    return values;
  }
}
