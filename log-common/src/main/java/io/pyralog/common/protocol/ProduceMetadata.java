package io.pyralog.common.protocol;

import io.pyralog.common.annotation.PublicEvolving;

/**
 * DoPut app metadata sent with each batch. {@code partition} defaults to round-robin over the
 * topic's partitions when absent. {@code sequence} is the producer's per-partition batch number,
 * starting at 0; a batch resent with the same sequence is stored once. On a transactional stream
 * {@code transactionNumber} is the number of the open transaction, as add-partitions-to-txn
 * returned it.
 */
@PublicEvolving
public record ProduceMetadata(Integer partition, Integer sequence, Long transactionNumber) {

  public ProduceMetadata(Integer partition, Integer sequence) {
    this(partition, sequence, null);
  }
}
