package io.pyralog.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientConfigTest {

  @Test
  void defaultsComeFromTheOptionCatalogue() {
    ClientConfig c = new ClientConfig(Map.of());
    assertThat(c.bootstrap()).containsExactly("127.0.0.1:7070");
    assertThat(c.batchSize()).isEqualTo(256 * 1024);
    assertThat(c.lingerMs()).isEqualTo(5L);
    assertThat(c.idempotence()).isTrue();
    assertThat(c.deliveryTimeoutMs()).isEqualTo(120_000L);
    assertThat(c.requestTimeoutMs()).isEqualTo(30_000L);
    assertThat(c.groupId()).isNull();
    assertThat(c.offsetReset()).isEqualTo(ClientConfig.OffsetReset.LATEST);
  }

  @Test
  void readsEveryKey() {
    ClientConfig c = new ClientConfig(Map.of("bootstrap", "a:1, b:2", "batch.size", "1024",
        "linger.ms", "0", "enable.idempotence", "false", "delivery.timeout.ms", "5000",
        "retry.backoff.ms", "10", "request.timeout.ms", "2000", "buffer.memory", "4096",
        "group.id", "g1", "auto.offset.reset", "Earliest"));
    assertThat(c.bootstrap()).containsExactly("a:1", "b:2");
    assertThat(c.batchSize()).isEqualTo(1024);
    assertThat(c.lingerMs()).isZero();
    assertThat(c.idempotence()).isFalse();
    assertThat(c.deliveryTimeoutMs()).isEqualTo(5000L);
    assertThat(c.retryBackoffMs()).isEqualTo(10L);
    assertThat(c.requestTimeoutMs()).isEqualTo(2000L);
    assertThat(c.bufferMemory()).isEqualTo(4096L);
    assertThat(c.groupId()).isEqualTo("g1");
    assertThat(c.offsetReset()).isEqualTo(ClientConfig.OffsetReset.EARLIEST);
  }

  @Test
  void invalidValuesNameTheKey() {
    assertThatThrownBy(() -> new ClientConfig(Map.of("batch.size", "0")))
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.error()).isEqualTo(Errors.INVALID_CONFIG))
        .hasMessageContaining("batch.size").hasMessageContaining("at least 1");
    assertThatThrownBy(() -> new ClientConfig(Map.of("linger.ms", "soon")))
        .hasMessageContaining("linger.ms");
    assertThatThrownBy(() -> new ClientConfig(Map.of("enable.idempotence", "yes")))
        .hasMessageContaining("enable.idempotence");
    assertThatThrownBy(() -> new ClientConfig(Map.of("auto.offset.reset", "smallest")))
        .hasMessageContaining("use earliest, latest or none");
    assertThatThrownBy(() -> new ClientConfig(Map.of("buffer.memory", "1000",
        "batch.size", "2000")))
        .hasMessageContaining("raise buffer.memory or lower batch.size");
  }

  @Test
  void bootstrapMustBeHostAndPort() {
    assertThatThrownBy(() -> new ClientConfig(Map.of("bootstrap", "localhost")))
        .hasMessageContaining("is not host:port");
    assertThatThrownBy(() -> new ClientConfig(Map.of("bootstrap", "localhost:99999")))
        .hasMessageContaining("port in 1..65535");
    assertThatThrownBy(() -> new ClientConfig(Map.of("bootstrap", " , ")))
        .hasMessageContaining("names no node");
    assertThat(Addresses.toLocation("[::1]:7070").getUri().getPort()).isEqualTo(7070);
    assertThat(Addresses.toLocation("node-1:7071").getUri().toString())
        .isEqualTo("grpc+tcp://node-1:7071");
  }
}
