package io.pyralog.flink.testframe;

import io.pyralog.client.NewTopic;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogProducer;
import io.pyralog.flink.source.OffsetsInitializer;
import io.pyralog.flink.source.PyralogSource;
import io.pyralog.flink.source.PyralogSourceBuilder;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.testframe.external.ExternalSystemSplitDataWriter;
import org.apache.flink.connector.testframe.external.source.DataStreamSourceExternalContext;
import org.apache.flink.connector.testframe.external.source.TestingSourceSettings;

/**
 * One test case's view of the node for Flink's source suite: every split is a new one-partition
 * topic under this case's prefix, and the source reads the prefix by pattern, finding the topics
 * through partition discovery.
 */
final class PyralogSourceExternalContext implements DataStreamSourceExternalContext<String> {
  private final String bootstrap;
  private final PyralogClient client;
  private final String prefix;
  private final List<PyralogProducer> producers = new ArrayList<>();
  private int splits;

  PyralogSourceExternalContext(String bootstrap, String prefix) {
    this.bootstrap = bootstrap;
    this.client = PyralogClient.create(bootstrap);
    this.prefix = prefix;
  }

  @Override
  public Source<String, ?, ?> createSource(TestingSourceSettings settings) {
    PyralogSourceBuilder<String> builder = PyralogSource.<String>builder()
        .setBootstrap(bootstrap)
        .setTopicPattern(Pattern.compile(Pattern.quote(prefix) + "-\\d+"))
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setPartitionDiscoveryInterval(Duration.ofMillis(500))
        .setValueOnlyDeserializer(new SimpleStringSchema());
    if (settings.getBoundedness() == Boundedness.BOUNDED) {
      builder.setBounded(OffsetsInitializer.latest());
    }
    return builder.build();
  }

  @Override
  public ExternalSystemSplitDataWriter<String> createSourceSplitDataWriter(
      TestingSourceSettings settings) {
    String topic = prefix + "-" + splits++;
    client.admin().createTopic(NewTopic.builder(topic).partitions(1).build());
    PyralogProducer producer = client.producer();
    producers.add(producer);
    return new ExternalSystemSplitDataWriter<>() {
      @Override
      public void writeRecords(List<String> records) {
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (String r : records) {
          acks.add(producer.send(ProducerRecord.ofStrings(topic, null, r)));
        }
        producer.flush();
        acks.forEach(CompletableFuture::join);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public List<String> generateTestData(TestingSourceSettings settings, int splitIndex,
      long seed) {
    Random random = new Random(seed);
    int n = 20 + random.nextInt(80);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add("split-" + splitIndex + "-" + i + "-" + Long.toHexString(random.nextLong()));
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
    producers.forEach(PyralogProducer::close);
    client.close();
  }

  @Override
  public String toString() {
    return "Pyralog topics " + prefix + "-*";
  }
}
