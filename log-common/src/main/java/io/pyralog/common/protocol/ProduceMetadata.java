package io.pyralog.common.protocol;

import io.pyralog.common.annotation.PublicEvolving;
import java.util.List;

/**
 * DoPut app metadata sent with each Arrow batch. {@code partition} defaults to round-robin over
 * the topic's partitions when absent. {@code sequence} is the producer's per-partition batch
 * number, starting at 0; a batch resent with the same sequence is stored once. On a
 * transactional stream {@code transactionNumber} is the number of the open transaction, as
 * add-partitions-to-txn returned it.
 *
 * <p>When {@code parts} is present the Arrow batch carries the batches of several partitions one
 * after another: part <i>i</i> is the next {@link Part#records()} rows, stored as one batch of
 * its partition with its own sequence; {@code partition} and {@code sequence} are then unused.
 * The node answers such a message with one {@link ProduceAck} whose {@code parts} hold one result
 * per part, in order.
 */
@PublicEvolving
public record ProduceMetadata(Integer partition, Integer sequence, Long transactionNumber,
    List<Part> parts) {

  /** One partition's batch inside a message of several. */
  public record Part(int partition, Integer sequence, int records) {}

  public ProduceMetadata(Integer partition, Integer sequence, Long transactionNumber) {
    this(partition, sequence, transactionNumber, null);
  }

  public ProduceMetadata(Integer partition, Integer sequence) {
    this(partition, sequence, null, null);
  }

  /** A message of several partitions' batches, in the order of {@code parts}. */
  public static ProduceMetadata ofParts(List<Part> parts, Long transactionNumber) {
    return new ProduceMetadata(null, null, transactionNumber, parts);
  }
}
