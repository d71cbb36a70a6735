package io.pyralog.client.internal;

import io.pyralog.common.annotation.Internal;

/**
 * Chooses a partition for a key: the 32-bit MurmurHash2 of the key bytes (seed {@code
 * 0x9747b28c}), made non-negative, modulo the partition count. Kafka's default partitioner uses
 * the same function, so a key lands on the same partition number in both systems.
 */
@Internal
public final class Partitioner {
  private static final int SEED = 0x9747b28c;
  private static final int M = 0x5bd1e995;
  private static final int R = 24;

  private Partitioner() {}

  public static int partitionForKey(byte[] key, int numPartitions) {
    if (numPartitions <= 0) {
      throw new IllegalArgumentException("numPartitions must be > 0 but was " + numPartitions);
    }
    return (murmur2(key) & 0x7fffffff) % numPartitions;
  }

  /** 32-bit MurmurHash2 over {@code data}, little-endian 4-byte blocks. */
  public static int murmur2(byte[] data) {
    int length = data.length;
    int h = SEED ^ length;
    int blocks = length >>> 2;
    for (int b = 0; b < blocks; b++) {
      int i = b << 2;
      int k = (data[i] & 0xff) | ((data[i + 1] & 0xff) << 8) | ((data[i + 2] & 0xff) << 16)
          | ((data[i + 3] & 0xff) << 24);
      k *= M;
      k ^= k >>> R;
      k *= M;
      h *= M;
      h ^= k;
    }
    int tail = blocks << 2;
    switch (length & 3) {
      case 3:
        h ^= (data[tail + 2] & 0xff) << 16;
        // fall through
      case 2:
        h ^= (data[tail + 1] & 0xff) << 8;
        // fall through
      case 1:
        h ^= data[tail] & 0xff;
        h *= M;
        break;
      default:
        break;
    }
    h ^= h >>> 13;
    h *= M;
    h ^= h >>> 15;
    return h;
  }
}
