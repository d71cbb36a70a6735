package io.pyralog.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.client.NewTopic;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogAdmin;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogProducer;
import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions.PartitionInfo;
import io.pyralog.common.protocol.Actions.TopicInfo;
import io.pyralog.node.testing.ClusterProcesses;
import io.pyralog.node.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 3-node cluster of real processes: topics at replication factor 3 are written through their
 * leaders, read back exactly, and stored byte for byte the same on every node.
 */
class ReplicatedClusterITCase {
  private static ClusterProcesses cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new ClusterProcesses(3, List.of("-X", "segment.bytes=1048576")).start();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  static PyralogClient client() {
    return PyralogClient.create(Map.of("bootstrap", cluster.bootstrap(),
        "request.timeout.ms", "30000"));
  }

  /** Waits until every partition of the topic has a leader with a known address. */
  static TopicInfo awaitLeadersOf(PyralogAdmin admin, String topic) {
    TopicInfo[] info = new TopicInfo[1];
    Awaitility.await("leaders of " + topic).atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
          info[0] = admin.describeTopic(topic);
          return info[0].partitionInfo().stream().allMatch(p -> p.leaderAddress() != null);
        });
    return info[0];
  }

  @Test
  void replicatedTopicIsReadBackExactlyAndStoredIdenticallyOnEveryNode() throws Exception {
    String topic = "replicated";
    int partitions = 6;
    int records = 20_000;
    try (PyralogClient client = client(); PyralogProducer producer = client.producer()) {
      client.admin().createTopic(NewTopic.builder(topic).partitions(partitions)
          .replicationFactor(3).build());
      TopicInfo info = awaitLeadersOf(client.admin(), topic);
      assertThat(info.replicationFactor()).isEqualTo(3);

      for (int i = 0; i < records; i++) {
        producer.send(ProducerRecord.of(topic, ("r-" + i).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush(Duration.ofSeconds(60));
    }
    List<String> values = TopicReader.readAll(cluster.bootstrap(), topic, partitions);
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < records; i++) {
      expected.add("r-" + i);
    }
    assertThat(values).hasSize(records);
    assertThat(new HashSet<>(values)).isEqualTo(expected);

    // Apply is deterministic: once the followers have applied everything, every node holds the
    // same segment files, byte for byte.
    Awaitility.await("identical replicas").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          Map<String, byte[]> first = segmentFiles(cluster.dataDir(1), topic);
          assertThat(first).isNotEmpty();
          for (int id = 2; id <= 3; id++) {
            Map<String, byte[]> other = segmentFiles(cluster.dataDir(id), topic);
            assertThat(other.keySet()).isEqualTo(first.keySet());
            for (String f : first.keySet()) {
              assertThat(Arrays.equals(other.get(f), first.get(f)))
                  .as("%s on node %d equals node 1", f, id).isTrue();
            }
          }
        });
  }

  @Test
  void leadershipIsSpreadOverTheNodes() {
    String topic = "spread";
    try (PyralogClient client = client()) {
      client.admin().createTopic(NewTopic.builder(topic).partitions(6).replicationFactor(3)
          .build());
      // One replica set of factor 3 per node, each preferring a different leader.
      Awaitility.await("a leader on every node").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(300)).ignoreExceptions().untilAsserted(() -> {
            Set<Integer> leaders = new TreeSet<>();
            for (PartitionInfo p : client.admin().describeTopic(topic).partitionInfo()) {
              leaders.add(p.leader());
            }
            assertThat(leaders).containsExactly(1, 2, 3);
          });
    }
  }

  @Test
  void replicationFactorLargerThanTheClusterFailsClearly() {
    try (PyralogClient client = client()) {
      assertThatThrownBy(() -> client.admin().createTopic(NewTopic.builder("too-many")
          .partitions(1).replicationFactor(4).build()))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
            assertThat(e.getMessage()).contains("3 nodes");
          });
    }
  }

  /**
   * The topic's segment files on one node, each as the SHA-256 digest of its bytes (streamed, so
   * that comparing large replicas does not hold them in memory).
   */
  static Map<String, byte[]> segmentFiles(Path dataDir, String topic) throws Exception {
    Map<String, byte[]> files = new java.util.TreeMap<>();
    Path sets = dataDir.resolve("replica-sets");
    try (Stream<Path> walk = Files.walk(sets)) {
      for (Path p : walk.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".log"))
          .filter(p -> sets.relativize(p).toString().contains("/" + topic + "@"))
          .toList()) {
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
        try (java.io.InputStream in = Files.newInputStream(p)) {
          byte[] buffer = new byte[1 << 16];
          for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
          }
        }
        files.put(sets.relativize(p).toString(), digest.digest());
      }
    }
    return files;
  }
}
