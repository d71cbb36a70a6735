package io.pyralog.node.replication;

import io.pyralog.node.storage.LogConfig;
import java.util.List;

/** Builds the control entries that create and delete partitions in a replica set. */
public final class ReplicaSetControl {
  private ReplicaSetControl() {}

  public static byte[] createPartitions(long topicId, String topic, List<Integer> partitions,
      LogConfig config) {
    return ReplicaSetEntry.createPartitions(
        new ReplicaSetEntry.PartitionSpec(topicId, topic, partitions, config));
  }

  public static byte[] deletePartitions(long topicId) {
    return ReplicaSetEntry.deletePartitions(topicId);
  }
}
