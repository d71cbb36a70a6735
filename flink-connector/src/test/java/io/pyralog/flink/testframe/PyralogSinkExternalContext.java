package io.pyralog.flink.testframe;

import io.pyralog.client.ConsumerBatches;
import io.pyralog.client.ConsumerRecord;
import io.pyralog.client.NewTopic;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogConsumer;
import io.pyralog.client.TopicPartition;
import io.pyralog.flink.sink.PyralogRecordSerializationSchema;
import io.pyralog.flink.sink.PyralogSink;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.testframe.external.ExternalSystemDataReader;
import org.apache.flink.connector.testframe.external.sink.DataStreamSinkV2ExternalContext;
import org.apache.flink.connector.testframe.external.sink.TestingSinkSettings;
import org.apache.flink.streaming.api.CheckpointingMode;

/** One test case's topic for Flink's sink suite, and a reader of what the sink wrote. */
final class PyralogSinkExternalContext implements DataStreamSinkV2ExternalContext<String> {
  static final int PARTITIONS = 4;

  private final String bootstrap;
  private final String topic;
  private final PyralogClient client;
  private final List<PyralogConsumer> consumers = new ArrayList<>();
  private final List<PyralogClient> readers = new ArrayList<>();

  PyralogSinkExternalContext(String bootstrap, String topic) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.client = PyralogClient.create(bootstrap);
    client.admin().createTopic(NewTopic.builder(topic).partitions(PARTITIONS).build());
  }

  private static boolean exactlyOnce(TestingSinkSettings settings) {
    return settings.getCheckpointingMode() == CheckpointingMode.EXACTLY_ONCE;
  }

  @Override
  public Sink<String> createSink(TestingSinkSettings settings) {
    return PyralogSink.<String>builder()
        .setBootstrap(bootstrap)
        .setRecordSerializer(PyralogRecordSerializationSchema.<String>builder()
            .setTopic(topic)
            .setValueSerializationSchema(new SimpleStringSchema())
            .build())
        .setDeliveryGuarantee(exactlyOnce(settings) ? DeliveryGuarantee.EXACTLY_ONCE
            : DeliveryGuarantee.AT_LEAST_ONCE)
        .setTransactionalIdPrefix(topic)
        .build();
  }

  @Override
  public ExternalSystemDataReader<String> createSinkDataReader(TestingSinkSettings settings) {
    PyralogClient reader = exactlyOnce(settings)
        ? PyralogClient.create(java.util.Map.of("bootstrap", bootstrap,
            "isolation.level", "read_committed"))
        : client;
    if (reader != client) {
      readers.add(reader);
    }
    PyralogConsumer consumer = reader.consumer();
    consumers.add(consumer);
    List<TopicPartition> all = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      all.add(new TopicPartition(topic, p));
    }
    consumer.assign(all);
    consumer.seekToBeginning(all);
    return new ExternalSystemDataReader<>() {
      @Override
      public List<String> poll(Duration timeout) {
        List<String> out = new ArrayList<>();
        try (ConsumerBatches batches = consumer.poll(timeout)) {
          for (ConsumerRecord r : batches) {
            out.add(r.valueAsString());
          }
        }
        return out;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public List<String> generateTestData(TestingSinkSettings settings, long seed) {
    Random random = new Random(seed);
    int n = 100 + random.nextInt(200);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add("record-" + i + "-" + Long.toHexString(random.nextLong()));
    }
    return out;
  }

  @Override
  public TypeInformation<String> getProducedType() {
    return Types.STRING;
  }

  @Override
  public List<URL> getConnectorJarPaths() {
    return List.of();
  }

  @Override
  public void close() {
    consumers.forEach(PyralogConsumer::close);
    readers.forEach(PyralogClient::close);
    client.close();
  }

  @Override
  public String toString() {
    return "Pyralog topic " + topic;
  }
}
