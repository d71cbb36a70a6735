package io.pyralog.common.protocol;

import io.pyralog.common.annotation.PublicEvolving;
import java.util.List;

/**
 * DoPut result metadata: one per message, in the order the messages were sent. On success {@code
 * error} is null and {@code baseOffset} is the offset of the batch's first record. On failure
 * {@code error} is an {@code Errors} name and {@code message} says why; the stream stays open.
 *
 * <p>A message of several partitions' batches ({@link ProduceMetadata#parts()}) is answered with
 * {@code parts}: one result per part, in order, each acknowledged or failed on its own. When the
 * message as a whole is rejected, {@code parts} is absent and {@code error} applies to all parts.
 */
@PublicEvolving
public record ProduceAck(
    int partition,
    Integer sequence,
    long baseOffset,
    int recordCount,
    String error,
    String message,
    List<ProduceAck> parts) {

  public ProduceAck(int partition, Integer sequence, long baseOffset, int recordCount,
      String error, String message) {
    this(partition, sequence, baseOffset, recordCount, error, message, null);
  }

  public static ProduceAck ok(int partition, Integer sequence, long baseOffset, int count) {
    return new ProduceAck(partition, sequence, baseOffset, count, null, null);
  }

  public static ProduceAck failed(int partition, Integer sequence, String error, String message) {
    return new ProduceAck(partition, sequence, -1L, 0, error, message);
  }

  /** The answer to a message of several parts: one result per part, in order. */
  public static ProduceAck ofParts(List<ProduceAck> parts) {
    int records = 0;
    for (ProduceAck p : parts) {
      records += p.recordCount();
    }
    return new ProduceAck(-1, null, -1L, records, null, null, parts);
  }
}
