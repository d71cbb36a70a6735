package io.pyralog.examples;

import io.pyralog.client.ConsumerBatches;
import io.pyralog.client.ConsumerRecord;
import io.pyralog.client.NewTopic;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogConsumer;
import io.pyralog.client.PyralogProducer;
import io.pyralog.client.RecordMetadata;
import io.pyralog.client.TopicPartition;
import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Creates a topic, writes ten keyed records, reads them back from the start and commits the
 * consumer group's position. Run it against a node: {@code examples/run-client-quickstart.sh
 * [HOST:PORT]}.
 */
public final class ClientQuickstart {
  private ClientQuickstart() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:7070";
    List<String> lines = run(bootstrap, "quickstart-orders");
    lines.forEach(System.out::println);
  }

  /** Runs the example and returns what it read, one line per record. */
  public static List<String> run(String bootstrap, String topic) throws Exception {
    List<String> read = new ArrayList<>();
    try (PyralogClient client = PyralogClient.create(Map.of("bootstrap", bootstrap,
        "group.id", "quickstart"))) {
      try {
        client.admin().createTopic(NewTopic.builder(topic).partitions(2).build());
      } catch (ApiException e) {
        if (e.error() != Errors.TOPIC_ALREADY_EXISTS) {
          throw e;
        }
      }

      try (PyralogProducer producer = client.producer()) {
        List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          acks.add(producer.send(ProducerRecord.ofStrings(topic, "customer-" + (i % 3),
              "{\"order\": " + i + ", \"amount\": " + (10 * i) + "}")
              .withHeader("source", "quickstart")));
        }
        for (CompletableFuture<RecordMetadata> ack : acks) {
          RecordMetadata md = ack.join(); // acknowledged = committed and fsync'd
          System.out.println("written to partition " + md.partition() + " at offset "
              + md.offset());
        }
      }

      try (PyralogConsumer consumer = client.consumer()) {
        consumer.assignAll(topic);
        consumer.seekToBeginning(consumer.assignment());
        java.util.Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        while (consumer.assignment().stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
          try (ConsumerBatches batches = consumer.poll(Duration.ofSeconds(1))) {
            for (ConsumerRecord r : batches) {
              read.add(r.partition() + "/" + r.offset() + " " + r.keyAsString() + " "
                  + r.valueAsString());
            }
          }
        }
        consumer.commitSync();
      }
    }
    return read;
  }
}
