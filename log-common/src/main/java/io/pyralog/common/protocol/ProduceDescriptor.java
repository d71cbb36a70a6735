package io.pyralog.common.protocol;

import io.pyralog.common.annotation.PublicEvolving;

/**
 * DoPut command descriptor: which topic the stream writes, and the idempotent producer that
 * writes it. A plain path descriptor {@code [topic]} is accepted too and means "not idempotent".
 * With {@code transactionalId}, every batch of the stream belongs to that producer's open
 * transaction; the partition must have been added to it (add-partitions-to-txn) first.
 */
@PublicEvolving
public record ProduceDescriptor(String topic, Long producerId, Short producerEpoch,
    String transactionalId) {

  public ProduceDescriptor(String topic, Long producerId, Short producerEpoch) {
    this(topic, producerId, producerEpoch, null);
  }
}
