package io.pyralog.node.replication;

/**
 * A read-only request one replica sends another over Ratis ({@code StateMachine.query}), used to
 * rebuild a replica whose data is gone. {@code checkpoint}: the latest checkpoint manifest;
 * {@code read}: stored batches of one partition from {@code offset}, at most {@code maxBytes}
 * (at least one batch); {@code dump}: the whole metadata store; {@code registered}: whether the
 * metadata names {@code nodeId} a registered node ("true" or "false"); {@code topic}: whether
 * the topic {@code name} exists ("true" or "false").
 */
public record ReplicaQuery(String type, Long topicId, Integer partition, Long offset,
    Long endOffset, Integer maxBytes, Integer nodeId, String name) {

  static final String CHECKPOINT = "checkpoint";
  static final String READ = "read";
  static final String DUMP = "dump";
  static final String REGISTERED = "registered";
  static final String TOPIC = "topic";

  static ReplicaQuery checkpoint() {
    return new ReplicaQuery(CHECKPOINT, null, null, null, null, null, null, null);
  }

  static ReplicaQuery read(long topicId, int partition, long offset, long endOffset,
      int maxBytes) {
    return new ReplicaQuery(READ, topicId, partition, offset, endOffset, maxBytes, null, null);
  }

  static ReplicaQuery dump() {
    return new ReplicaQuery(DUMP, null, null, null, null, null, null, null);
  }

  public static ReplicaQuery topic(String name) {
    return new ReplicaQuery(TOPIC, null, null, null, null, null, null, name);
  }

  public static ReplicaQuery registered(int nodeId) {
    return new ReplicaQuery(REGISTERED, null, null, null, null, null, nodeId, null);
  }
}
