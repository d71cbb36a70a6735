package io.pyralog.node.metadata;

import java.util.List;

/**
 * A transactional id as the coordinator (the metadata group) stores it: its producer id and
 * current epoch, the state of its latest transaction and the partitions that transaction wrote
 * to. Timestamps are the metadata leader's clock when the command was submitted. {@code
 * transactionNumber} grows by one each time a transaction of the id begins; the batches and the
 * markers of a transaction carry it, so that a marker of an earlier transaction that arrives
 * late at a partition cannot end a later one there.
 */
public record TransactionRecord(
    String transactionalId,
    long producerId,
    short producerEpoch,
    State state,
    List<TxnPartition> partitions,
    long timeoutMs,
    long startedMs,
    long updatedMs,
    long transactionNumber) {

  /** The life cycle of one transaction. */
  public enum State {
    /** Initialized, nothing written since. */
    EMPTY,
    /** Partitions were added; batches may be written. */
    ONGOING,
    /** Commit decided; markers are being written. */
    PREPARE_COMMIT,
    /** Abort decided; markers are being written. */
    PREPARE_ABORT,
    COMPLETE_COMMIT,
    COMPLETE_ABORT;

    public boolean preparing() {
      return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    public boolean finished() {
      return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }
  }

  /** A partition the transaction wrote to, and the replica set that hosts it. */
  public record TxnPartition(long topicId, int partition, int replicaSet) {}

  public TransactionRecord with(State newState, short newEpoch, List<TxnPartition> newPartitions,
      long newStartedMs, long nowMs) {
    return new TransactionRecord(transactionalId, producerId, newEpoch, newState, newPartitions,
        timeoutMs, newStartedMs, nowMs, transactionNumber);
  }

  /** The same id with its next transaction begun. */
  public TransactionRecord begin(List<TxnPartition> newPartitions, long nowMs) {
    return new TransactionRecord(transactionalId, producerId, producerEpoch, State.ONGOING,
        newPartitions, timeoutMs, nowMs, nowMs, transactionNumber + 1);
  }

  public boolean contains(long topicId, int partition) {
    for (TxnPartition p : partitions) {
      if (p.topicId() == topicId && p.partition() == partition) {
        return true;
      }
    }
    return false;
  }
}
