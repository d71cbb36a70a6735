package io.pyralog.node.replication;

import io.pyralog.node.storage.LogConfig;
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

  record PartitionCheckpoint(long topicId, String topic, int partition, long endOffset,
      LogConfig config) {}
}
