package io.pyralog.flink.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.client.TopicPartition;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionOwnerTest {
  @Test
  void partitionsOfATopicSpreadEvenlyOverReaders() {
    for (int readers = 1; readers <= 5; readers++) {
      Map<Integer, Integer> load = new HashMap<>();
      for (int p = 0; p < 10 * readers; p++) {
        int owner = PyralogSourceEnumerator.owner(new TopicPartition("orders", p), readers);
        assertThat(owner).isBetween(0, readers - 1);
        load.merge(owner, 1, Integer::sum);
      }
      assertThat(load).hasSize(readers).allSatisfy((r, n) -> assertThat(n).isEqualTo(10));
    }
  }
}
