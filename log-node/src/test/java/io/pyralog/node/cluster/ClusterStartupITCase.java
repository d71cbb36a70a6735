package io.pyralog.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.client.NewTopic;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogProducer;
import io.pyralog.node.testing.ClusterProcesses;
import io.pyralog.node.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Starting a cluster in awkward orders. */
class ClusterStartupITCase {

  /**
   * A node that is killed before any entry of its groups reached its disk (here: it ran alone,
   * so no group could elect a leader) keeps group directories without a configuration. When the
   * cluster comes up, it must still join every group and replicate.
   */
  @Test
  void nodeKilledBeforeItsGroupsWroteAnythingJoinsTheCluster() throws Exception {
    try (ClusterProcesses cluster = new ClusterProcesses(3, List.of())) {
      cluster.start(3);
      cluster.kill(3);
      cluster.start(1);
      cluster.start(2);
      cluster.start(3);
      String topic = "late";
      try (PyralogClient client = PyralogClient.create(Map.of("bootstrap", cluster.bootstrap(),
          "request.timeout.ms", "30000"));
          PyralogProducer producer = client.producer()) {
        client.admin().createTopic(NewTopic.builder(topic).partitions(3).replicationFactor(3)
            .build());
        ReplicatedClusterITCase.awaitLeadersOf(client.admin(), topic);
        for (int i = 0; i < 3_000; i++) {
          producer.send(ProducerRecord.of(topic, ("v-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush(Duration.ofSeconds(60));
      }
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < 3_000; i++) {
        expected.add("v-" + i);
      }
      List<String> values = TopicReader.readAll(cluster.bootstrap(), topic, 3);
      assertThat(values).hasSize(3_000);
      assertThat(new HashSet<>(values)).isEqualTo(expected);
      Awaitility.await("node 3 holds every partition, as node 1 does")
          .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> {
            var first = ReplicatedClusterITCase.segmentFiles(cluster.dataDir(1), topic);
            var third = ReplicatedClusterITCase.segmentFiles(cluster.dataDir(3), topic);
            assertThat(third.keySet()).isEqualTo(first.keySet()).hasSize(3);
            for (String f : first.keySet()) {
              assertThat(Arrays.equals(third.get(f), first.get(f))).as(f).isTrue();
            }
          });
    }
  }
}
