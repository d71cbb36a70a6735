package io.pyralog.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions;
import io.pyralog.common.protocol.Json;
import org.junit.jupiter.api.Test;

class NewTopicTest {

  @Test
  void defaultsLeaveNodeSettingsUnset() {
    NewTopic t = NewTopic.builder("orders").build();
    assertThat(t.name()).isEqualTo("orders");
    assertThat(t.partitions()).isNull();
    assertThat(t.replicationFactor()).isEqualTo(1);
    assertThat(t.schemaJson()).isNull();
    Actions.CreateTopic req = t.toRequest();
    assertThat(req.retentionMs()).isNull();
    // Unset settings are left out of the JSON so the node applies its defaults.
    assertThat(Json.writeString(req)).isEqualTo("{\"name\":\"orders\",\"replicationFactor\":1}");
  }

  @Test
  void carriesEverySetting() {
    String schema = "{\"fields\":[{\"name\":\"id\",\"type\":\"int64\"}]}";
    Actions.CreateTopic req = NewTopic.builder("metrics.v1").partitions(6).replicationFactor(3)
        .schemaJson(schema).retentionMs(-1).retentionBytes(1 << 30).segmentBytes(1 << 20)
        .segmentMs(60_000).build().toRequest();
    assertThat(req).isEqualTo(new Actions.CreateTopic("metrics.v1", 6, 3, schema, -1L,
        (long) (1 << 30), (long) (1 << 20), 60_000L));
  }

  @Test
  void rejectsBadNamesWithAHint() {
    assertThatThrownBy(() -> NewTopic.builder("").build())
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.error()).isEqualTo(Errors.INVALID_TOPIC))
        .hasMessageContaining("NewTopic.builder(name)");
    assertThatThrownBy(() -> NewTopic.builder("a b").build())
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("letters, digits, '.', '_' and '-'");
    assertThatThrownBy(() -> NewTopic.builder("..").build()).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> NewTopic.builder("x".repeat(250)).build())
        .hasMessageContaining("at most 249");
    assertThat(NewTopic.builder("x".repeat(249)).build().name()).hasSize(249);
  }

  @Test
  void rejectsBadNumbers() {
    assertThatThrownBy(() -> NewTopic.builder("t").partitions(0).build())
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.error()).isEqualTo(Errors.INVALID_CONFIG))
        .hasMessageContaining("partitions must be at least 1")
        .hasMessageContaining("num.partitions");
    assertThatThrownBy(() -> NewTopic.builder("t").replicationFactor(0).build())
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR));
    assertThatThrownBy(() -> NewTopic.builder("t").retentionMs(-2).build())
        .hasMessageContaining("retentionMs must be -1 (no limit) or >= 0");
    assertThatThrownBy(() -> NewTopic.builder("t").segmentBytes(0).build())
        .hasMessageContaining("segmentBytes must be > 0");
  }

  @Test
  void checksTheSchemaUpFront() {
    assertThatThrownBy(() -> NewTopic.builder("t").schemaJson("{\"fields\":[{\"name\":\"a\","
        + "\"type\":\"int128\"}]}").build())
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.error()).isEqualTo(Errors.INVALID_CONFIG))
        .hasMessageContaining("int128");
    assertThatThrownBy(() -> NewTopic.builder("t").schemaJson(" ").build())
        .hasMessageContaining("pass null for a raw topic");
  }
}
