package io.pyralog.node.replication;

import io.pyralog.node.storage.LogConfig;
import io.pyralog.node.storage.TransactionIndex;
import java.util.List;

/**
 * A replica set checkpoint: every partition is durable up to {@code endOffset}, which is its
 * state after applying Raft entry {@code index}. Stored as the Ratis snapshot file.
 */
record CheckpointManifest(
    long term,
    long index,
    List<PartitionCheckpoint> partitions,
    List<ProducerStateTable.Entry> producers) {

  /** {@code openTxns} and {@code abortedTxns} are null in manifests written before transactions. */
  record PartitionCheckpoint(long topicId, String topic, int partition, long endOffset,
      LogConfig config, List<TransactionIndex.OpenTxn> openTxns,
      List<TransactionIndex.AbortedTxn> abortedTxns) {

    /** A partition without transactions. */
    PartitionCheckpoint(long topicId, String topic, int partition, long endOffset,
        LogConfig config) {
      this(topicId, topic, partition, endOffset, config, null, null);
    }
  }
}
