package io.pyralog.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaServerConfigTest {
  @Test
  void combinedModeOnLoopbackWithTheGivenPortsAndDirectory() throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(
        KafkaServerConfig.render(Path.of("/data/kafka"), "127.0.0.1", 9092, 9093)));

    assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
    assertThat(p.getProperty("listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
    assertThat(p.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092");
    assertThat(p.getProperty("controller.quorum.bootstrap.servers")).isEqualTo("127.0.0.1:9093");
    assertThat(p.getProperty("log.dirs")).isEqualTo("/data/kafka");
    assertThat(p.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
    // --standalone formatting requires the dynamic quorum, so no static voters.
    assertThat(p).doesNotContainKey("controller.quorum.voters");
    // Durability and batching stay at Kafka's defaults.
    assertThat(p).doesNotContainKeys("log.flush.interval.messages", "log.flush.interval.ms",
        "num.io.threads", "num.network.threads");
  }

  @Test
  void clusterNodeHasAStaticQuorumAndDefaultReplication() throws IOException {
    String voters = "1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097";
    Properties p = new Properties();
    p.load(new StringReader(KafkaServerConfig.renderClusterNode(Path.of("/data/k2"),
        "127.0.0.1", 2, 9094, 9095, voters)));

    assertThat(p.getProperty("node.id")).isEqualTo("2");
    assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
    assertThat(p.getProperty("listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:9094,CONTROLLER://127.0.0.1:9095");
    assertThat(p.getProperty("controller.quorum.voters")).isEqualTo(voters);
    assertThat(p).doesNotContainKeys("controller.quorum.bootstrap.servers",
        "offsets.topic.replication.factor", "min.insync.replicas", "log.flush.interval.messages");
    assertThatThrownBy(() -> KafkaServerConfig.renderClusterNode(Path.of("/d"), "127.0.0.1", 4,
        9098, 9099, voters)).hasMessageContaining("do not include node 4");
  }

  @Test
  void samePortTwiceIsRejected() {
    assertThatThrownBy(() -> KafkaServerConfig.render(Path.of("/d"), "127.0.0.1", 9092, 9092))
        .hasMessageContaining("must differ");
  }
}
