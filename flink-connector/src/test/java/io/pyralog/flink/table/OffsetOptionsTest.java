package io.pyralog.flink.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.client.TopicPartition;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class OffsetOptionsTest {
  @Test
  void specificOffsetsParseAsTheKafkaConnectorWritesThem() {
    Configuration c = new Configuration();
    c.setString("scan.startup.specific-offsets", "partition:0,offset:42; partition:1,offset:300");
    assertThat(OffsetOptions.specific(c, PyralogConnectorOptions.SCAN_STARTUP_SPECIFIC_OFFSETS,
        List.of("t"), "scan.startup.mode")).isEqualTo(Map.of(new TopicPartition("t", 0), 42L,
        new TopicPartition("t", 1), 300L));
  }

  @Test
  void malformedEntriesAndMissingOptionsNameTheOption() {
    Configuration c = new Configuration();
    assertThatThrownBy(() -> OffsetOptions.specific(c,
        PyralogConnectorOptions.SCAN_STARTUP_SPECIFIC_OFFSETS, List.of("t"), "scan.startup.mode"))
        .hasMessageContaining("'scan.startup.specific-offsets' is required");
    c.setString("scan.startup.specific-offsets", "partition:zero,offset:1");
    assertThatThrownBy(() -> OffsetOptions.specific(c,
        PyralogConnectorOptions.SCAN_STARTUP_SPECIFIC_OFFSETS, List.of("t"), "scan.startup.mode"))
        .hasMessageContaining("partition:zero,offset:1");
    c.setString("scan.startup.specific-offsets", "partition:0,offset:1");
    assertThatThrownBy(() -> OffsetOptions.specific(c,
        PyralogConnectorOptions.SCAN_STARTUP_SPECIFIC_OFFSETS, List.of("a", "b"),
        "scan.startup.mode")).hasMessageContaining("single 'topic'");
  }
}
