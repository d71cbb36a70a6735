package io.pyralog.client;

import io.pyralog.common.annotation.PublicEvolving;
import io.pyralog.common.protocol.Actions.ClusterInfo;
import io.pyralog.common.protocol.Actions.NodeStatus;
import io.pyralog.common.protocol.Actions.TopicInfo;
import io.pyralog.common.protocol.Actions.TransactionInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Manages topics and offsets. Thread-safe and light; it uses its client's connections, so it
 * needs no closing. Each call retries transient failures until {@code request.timeout.ms} and
 * throws {@link io.pyralog.common.errors.ApiException} otherwise.
 */
@PublicEvolving
public interface PyralogAdmin {

  /** Creates a topic and returns it as the node stored it (with defaults filled in). */
  TopicInfo createTopic(NewTopic topic);

  void deleteTopic(String topic);

  List<TopicInfo> listTopics();

  /** The topic's settings, schema and partitions with their leaders. */
  TopicInfo describeTopic(String topic);

  /**
   * The offset that {@code spec} names, per partition of the topic. When the client's {@code
   * isolation.level} is read_committed, {@code latest} is the last stable offset.
   */
  Map<Integer, Long> listOffsets(String topic, OffsetSpec spec);

  /** Stores offsets (the next offset to read) for a consumer group. */
  void commitOffsets(String group, String topic, Map<Integer, Long> offsets);

  /** The group's committed offsets; partitions without one are absent. */
  Map<Integer, Long> fetchOffsets(String group, String topic);

  /**
   * Commits a transaction by its handle, from any process: the handle is what {@link
   * PyralogProducer#transaction()} returned after the transaction's records were flushed.
   * Idempotent: committing a committed transaction succeeds again. Fails with {@code
   * INVALID_TXN_STATE} if it was aborted (for instance because it timed out) and with {@code
   * PRODUCER_FENCED} if a newer producer took its transactional id.
   */
  TransactionInfo commitTransaction(TransactionHandle transaction);

  /** Aborts a transaction by its handle; idempotent. */
  TransactionInfo abortTransaction(TransactionHandle transaction);

  /**
   * Takes over a transactional id without producing: aborts its open transaction, if any, and
   * fences the producer that had it. Returns the new handle (with nothing open under it).
   * {@code timeout} null keeps the node's default transaction timeout.
   */
  TransactionHandle fenceTransactionalId(String transactionalId, Duration timeout);

  /** Transactional ids starting with {@code prefix} (null for all), optionally only open ones. */
  List<TransactionInfo> listTransactions(String prefix, boolean openOnly);

  /** The nodes of the cluster and the client address each registered. */
  ClusterInfo clusterInfo();

  /**
   * The Raft groups of the node at {@code address} (host:port), as that node sees them: its role,
   * the leader, the term, and the commit and applied indexes. One attempt, no retry, so that a
   * status page can tell a node that is down.
   */
  NodeStatus nodeStatus(String address);
}
