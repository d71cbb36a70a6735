package io.pyralog.node.replication;

import io.pyralog.node.storage.LogConfig;
import java.util.List;

/**
 * Builds the control entries that create and delete partitions in a replica set, and that end
 * transactions in its partitions.
 */
public final class ReplicaSetControl {
  private ReplicaSetControl() {}

  public static byte[] createPartitions(long topicId, String topic, List<Integer> partitions,
      LogConfig config) {
    return ReplicaSetEntry.createPartitions(
        new ReplicaSetEntry.PartitionSpec(topicId, topic, partitions, config));
  }

  /**
   * Ends the transaction of {@code producerId} in the given partitions of the replica set:
   * {@code partitions} holds [topicId, partition] pairs.
   */
  public static byte[] txnMarkers(long producerId, short epoch, long transactionNumber,
      boolean commit, List<long[]> partitions) {
    List<ReplicaSetEntry.MarkerPartition> ps = new java.util.ArrayList<>();
    for (long[] p : partitions) {
      ps.add(new ReplicaSetEntry.MarkerPartition(p[0], (int) p[1]));
    }
    return ReplicaSetEntry.txnMarkers(producerId, epoch, transactionNumber, commit, ps);
  }

  public static byte[] deletePartitions(long topicId) {
    return ReplicaSetEntry.deletePartitions(topicId);
  }
}
