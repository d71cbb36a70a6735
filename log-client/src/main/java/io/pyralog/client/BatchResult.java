package io.pyralog.client;

import io.pyralog.common.annotation.PublicEvolving;

/**
 * Where an acknowledged batch was stored: row {@code i} of the batch has offset {@code
 * baseOffset + i}.
 */
@PublicEvolving
public record BatchResult(String topic, int partition, long baseOffset, int recordCount) {
  /** The offset after the batch's last record. */
  public long nextOffset() {
    return baseOffset + recordCount;
  }
}
