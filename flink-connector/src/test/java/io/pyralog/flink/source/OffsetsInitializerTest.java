package io.pyralog.flink.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.client.OffsetSpec;
import io.pyralog.client.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class OffsetsInitializerTest {
  /** A topic "t" with partitions 0..2: log start 10, end 100; group commits only partition 1. */
  private final List<String> asked = new ArrayList<>();
  private final OffsetsInitializer.OffsetsLookup lookup = new OffsetsInitializer.OffsetsLookup() {
    @Override
    public Map<Integer, Long> list(String topic, OffsetSpec spec) {
      asked.add(spec.toString());
      return switch (spec.kind()) {
        case EARLIEST -> Map.of(0, 10L, 1, 10L, 2, 10L);
        case LATEST -> Map.of(0, 100L, 1, 100L, 2, 100L);
        case TIMESTAMP -> Map.of(0, 50L, 1, 60L, 2, 70L);
      };
    }

    @Override
    public Map<Integer, Long> committed(String topic) {
      return Map.of(1, 42L);
    }
  };

  private final List<TopicPartition> all = List.of(new TopicPartition("t", 0),
      new TopicPartition("t", 1), new TopicPartition("t", 2));

  @Test
  void eachKindResolvesEveryPartition() {
    assertThat(OffsetsInitializer.earliest().resolve(all, lookup)).containsValues(10L, 10L, 10L);
    assertThat(OffsetsInitializer.latest().resolve(all, lookup)).containsValues(100L);
    assertThat(OffsetsInitializer.timestamp(5).resolve(all, lookup).values())
        .containsExactly(50L, 60L, 70L);
    assertThat(asked).contains("timestamp(5)");
  }

  @Test
  void missingCommittedOrSpecificOffsetsFallBack() {
    assertThat(OffsetsInitializer.committedOffsets().resolve(all, lookup).values())
        .containsExactly(10L, 42L, 10L);
    assertThat(OffsetsInitializer.committedOffsets(OffsetsInitializer.Kind.LATEST)
        .resolve(all, lookup).values()).containsExactly(100L, 42L, 100L);
    assertThat(OffsetsInitializer.offsets(Map.of(new TopicPartition("t", 2), 77L))
        .resolve(all, lookup).values()).containsExactly(10L, 10L, 77L);
    assertThatThrownBy(() -> OffsetsInitializer.committedOffsets(
        OffsetsInitializer.Kind.TIMESTAMP)).hasMessageContaining("EARLIEST or LATEST");
  }

  @Test
  void itIsSerializableForTheJobGraph() throws Exception {
    OffsetsInitializer o = OffsetsInitializer.offsets(Map.of(new TopicPartition("t", 1), 5L));
    OffsetsInitializer copy = InstantiationUtil.clone(o);
    assertThat(copy.resolve(all, lookup)).isEqualTo(o.resolve(all, lookup));
  }
}
