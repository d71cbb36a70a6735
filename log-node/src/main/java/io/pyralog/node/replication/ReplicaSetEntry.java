package io.pyralog.node.replication;

import io.pyralog.common.protocol.Json;
import io.pyralog.node.storage.LogConfig;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Encoding of the entries a replica set's Raft log carries.
 *
 * <pre>
 * BATCHES:           [1][int count] count x ([long topicId][int partition][int length][batch])
 * CREATE_PARTITIONS: [2][JSON PartitionSpec]
 * DELETE_PARTITIONS: [3][long topicId]
 * TXN_MARKERS:       [4][long producerId][short epoch][long transaction][byte commit][int count]
 *                    count x ([long topicId][int partition])
 * </pre>
 *
 * A batch is the header plus Arrow payload of {@code BatchHeader}; its base offset is assigned
 * when the entry is applied.
 */
final class ReplicaSetEntry {
  static final byte BATCHES = 1;
  static final byte CREATE_PARTITIONS = 2;
  static final byte DELETE_PARTITIONS = 3;
  static final byte TXN_MARKERS = 4;

  /** Bytes an entry adds per batch besides the batch itself. */
  static final int PER_BATCH_OVERHEAD = 16;

  private ReplicaSetEntry() {}

  /** Partitions a replica set should host for one topic. */
  record PartitionSpec(long topicId, String topic, List<Integer> partitions, LogConfig config) {}

  static byte[] createPartitions(PartitionSpec spec) {
    byte[] json = Json.write(spec);
    return ByteBuffer.allocate(1 + json.length).put(CREATE_PARTITIONS).put(json).array();
  }

  static byte[] deletePartitions(long topicId) {
    return ByteBuffer.allocate(9).put(DELETE_PARTITIONS).putLong(topicId).array();
  }

  /** A partition a transaction marker goes to. */
  record MarkerPartition(long topicId, int partition) {}

  static byte[] txnMarkers(long producerId, short epoch, long transactionNumber, boolean commit,
      List<MarkerPartition> partitions) {
    ByteBuffer buf = ByteBuffer.allocate(24 + 12 * partitions.size());
    buf.put(TXN_MARKERS).putLong(producerId).putShort(epoch).putLong(transactionNumber)
        .put((byte) (commit ? 1 : 0)).putInt(partitions.size());
    for (MarkerPartition p : partitions) {
      buf.putLong(p.topicId()).putInt(p.partition());
    }
    return buf.array();
  }

  static byte[] batches(List<ReplicaSetWriter.PendingBatch> batches) {
    int size = 5;
    for (ReplicaSetWriter.PendingBatch b : batches) {
      size += PER_BATCH_OVERHEAD + b.length();
    }
    ByteBuffer buf = ByteBuffer.allocate(size);
    buf.put(BATCHES).putInt(batches.size());
    for (ReplicaSetWriter.PendingBatch b : batches) {
      buf.putLong(b.topicId()).putInt(b.partition()).putInt(b.length()).put(b.bytes(), 0,
          b.length());
    }
    return buf.array();
  }

  record BatchResults(List<AppendResult> results) {}
}
