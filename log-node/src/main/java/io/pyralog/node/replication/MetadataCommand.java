package io.pyralog.node.replication;

import io.pyralog.common.protocol.Actions.PartitionOffset;
import io.pyralog.node.metadata.TopicRecord;
import io.pyralog.node.metadata.TransactionRecord;
import java.util.List;

/**
 * An entry of the metadata group's Raft log. {@code type} selects the fields that are used:
 * {@code create-topic} (topic, without id and replica sets, which apply assigns), {@code
 * delete-topic} (name), {@code init-producer-id}, {@code commit-offsets} (group, topicId,
 * offsets), {@code register-node} (nodeId, address).
 */
public record MetadataCommand(
    String type,
    TopicRecord topic,
    String name,
    String group,
    Long topicId,
    List<PartitionOffset> offsets,
    Integer nodeId,
    String address,
    TxnCommand txn) {

  public static final String CREATE_TOPIC = "create-topic";
  public static final String DELETE_TOPIC = "delete-topic";
  public static final String INIT_PRODUCER_ID = "init-producer-id";
  public static final String COMMIT_OFFSETS = "commit-offsets";
  public static final String REGISTER_NODE = "register-node";
  public static final String TXN = "txn";

  public static MetadataCommand createTopic(TopicRecord t) {
    return new MetadataCommand(CREATE_TOPIC, t, null, null, null, null, null, null, null);
  }

  public static MetadataCommand deleteTopic(String name) {
    return new MetadataCommand(DELETE_TOPIC, null, name, null, null, null, null, null, null);
  }

  public static MetadataCommand initProducerId() {
    return new MetadataCommand(INIT_PRODUCER_ID, null, null, null, null, null, null, null, null);
  }

  public static MetadataCommand commitOffsets(String group, long topicId,
      List<PartitionOffset> offsets) {
    return new MetadataCommand(COMMIT_OFFSETS, null, null, group, topicId, offsets, null, null, null);
  }

  /** Records the address clients use for a node. */
  public static MetadataCommand registerNode(int nodeId, String address) {
    return new MetadataCommand(REGISTER_NODE, null, null, null, null, null, nodeId, address, null);
  }

  /** A transaction coordinator step; see {@link TransactionCommands}. */
  public static MetadataCommand txn(TxnCommand txn) {
    return new MetadataCommand(TXN, null, null, null, null, null, null, null, txn);
  }

  /**
   * One step of the transaction coordinator. {@code op} is {@code init}, {@code add}, {@code
   * end}, {@code complete}, {@code expire} or {@code forget}; {@code nowMs} is the submitting
   * node's clock, so that apply stays deterministic.
   */
  public record TxnCommand(String op, String transactionalId, Long producerId, Short epoch,
      Long timeoutMs, long nowMs, List<TransactionRecord.TxnPartition> partitions,
      Boolean commit) {}

  /**
   * The reply of an applied command: an error, or the affected topic, new producer id or
   * transaction.
   */
  public record Reply(String error, String message, TopicRecord topic, Long producerId,
      TransactionRecord transaction) {
    public Reply(String error, String message, TopicRecord topic, Long producerId) {
      this(error, message, topic, producerId, null);
    }
  }
}
