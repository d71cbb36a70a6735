package io.pyralog.flink.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.client.TopicPartition;
import io.pyralog.flink.source.enumerator.PyralogEnumeratorState;
import io.pyralog.flink.source.enumerator.PyralogEnumeratorStateSerializer;
import io.pyralog.flink.source.split.PyralogPartitionSplit;
import io.pyralog.flink.source.split.PyralogPartitionSplitSerializer;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SerializersTest {
  @Test
  void splitsSurviveACheckpoint() throws IOException {
    PyralogPartitionSplitSerializer s = new PyralogPartitionSplitSerializer();
    for (PyralogPartitionSplit split : new PyralogPartitionSplit[] {
        new PyralogPartitionSplit(new TopicPartition("orders", 3), 42, 100),
        new PyralogPartitionSplit(new TopicPartition("ünïcode-topic", 0), 0,
            PyralogPartitionSplit.NO_STOPPING_OFFSET)}) {
      PyralogPartitionSplit back = s.deserialize(s.getVersion(), s.serialize(split));
      assertThat(back).isEqualTo(split);
      assertThat(back.splitId()).isEqualTo(split.splitId());
      assertThat(back.isBounded()).isEqualTo(split.isBounded());
    }
    assertThatThrownBy(() -> s.deserialize(99, new byte[0])).hasMessageContaining("version 99");
  }

  @Test
  void enumeratorStateSurvivesACheckpoint() throws IOException {
    PyralogEnumeratorStateSerializer s = new PyralogEnumeratorStateSerializer();
    PyralogEnumeratorState state = new PyralogEnumeratorState(Set.of(
        new TopicPartition("a", 0), new TopicPartition("a", 1), new TopicPartition("b", 7)),
        List.of(new PyralogPartitionSplit(new TopicPartition("c", 2), 17, 99),
            new PyralogPartitionSplit(new TopicPartition("c", 3), 0,
                PyralogPartitionSplit.NO_STOPPING_OFFSET)),
        true);
    assertThat(s.deserialize(s.getVersion(), s.serialize(state))).isEqualTo(state);
    PyralogEnumeratorState empty = new PyralogEnumeratorState(Set.of(), List.of(), false);
    assertThat(s.deserialize(s.getVersion(), s.serialize(empty))).isEqualTo(empty);
  }
}
