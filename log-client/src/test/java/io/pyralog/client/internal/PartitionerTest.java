package io.pyralog.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartitionerTest {

  private static int hash(String s) {
    return Partitioner.murmur2(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void murmur2MatchesKnownValues() {
    // Reference values of 32-bit MurmurHash2 with seed 0x9747b28c, covering every tail length.
    assertThat(hash("21")).isEqualTo(-973932308);
    assertThat(hash("foobar")).isEqualTo(-790332482);
    assertThat(hash("a-little-bit-long-string")).isEqualTo(-985981536);
    assertThat(hash("a-little-bit-longer-string")).isEqualTo(-1486304829);
    assertThat(hash("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8")).isEqualTo(-58897971);
    assertThat(hash("abc")).isEqualTo(479470107);
  }

  @Test
  void sameKeyAlwaysGetsSamePartition() {
    byte[] key = "customer-42".getBytes(StandardCharsets.UTF_8);
    int first = Partitioner.partitionForKey(key, 12);
    for (int i = 0; i < 100; i++) {
      assertThat(Partitioner.partitionForKey(key.clone(), 12)).isEqualTo(first);
    }
  }

  @Test
  void partitionsAreInRangeAndSpread() {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      int p = Partitioner.partitionForKey(("key-" + i).getBytes(StandardCharsets.UTF_8), 7);
      assertThat(p).isBetween(0, 6);
      seen.add(p);
    }
    assertThat(seen).hasSize(7);
  }

  @Test
  void negativeHashesStillMapToValidPartitions() {
    byte[] key = "21".getBytes(StandardCharsets.UTF_8); // hashes to a negative value
    assertThat(Partitioner.murmur2(key)).isNegative();
    assertThat(Partitioner.partitionForKey(key, 3))
        .isEqualTo((-973932308 & 0x7fffffff) % 3);
  }

  @Test
  void emptyKeyHasAPartition() {
    assertThat(Partitioner.partitionForKey(new byte[0], 5)).isBetween(0, 4);
  }

  @Test
  void rejectsNoPartitions() {
    assertThatThrownBy(() -> Partitioner.partitionForKey(new byte[] {1}, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
