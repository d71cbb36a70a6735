package io.pyralog.common.protocol;

import io.pyralog.common.annotation.PublicEvolving;

/**
 * DoPut result metadata: one per batch, in the order the batches were sent. On success {@code
 * error} is null and {@code baseOffset} is the offset of the batch's first record. On failure
 * {@code error} is an {@code Errors} name and {@code message} says why; the stream stays open.
 */
@PublicEvolving
public record ProduceAck(
    int partition,
    Integer sequence,
    long baseOffset,
    int recordCount,
    String error,
    String message) {

  public static ProduceAck ok(int partition, Integer sequence, long baseOffset, int count) {
    return new ProduceAck(partition, sequence, baseOffset, count, null, null);
  }

  public static ProduceAck failed(int partition, Integer sequence, String error, String message) {
    return new ProduceAck(partition, sequence, -1L, 0, error, message);
  }
}
