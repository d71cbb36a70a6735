package io.pyralog.common.protocol;

import io.pyralog.common.annotation.PublicEvolving;
import java.util.List;

/**
 * DoAction types and their JSON bodies. Each action returns one result whose body is the JSON
 * response named here. See docs/protocol.md.
 */
@PublicEvolving
public final class Actions {
  /** {@link CreateTopic} → {@link TopicInfo}. */
  public static final String CREATE_TOPIC = "create-topic";
  /** {@link TopicName} → {@link TopicInfo} of the deleted topic. */
  public static final String DELETE_TOPIC = "delete-topic";
  /** empty → {@link TopicList}. */
  public static final String LIST_TOPICS = "list-topics";
  /** {@link TopicName} → {@link TopicInfo}. */
  public static final String DESCRIBE_TOPIC = "describe-topic";
  /** {@link ListOffsets} → {@link Offsets}. */
  public static final String LIST_OFFSETS = "list-offsets";
  /** {@link CommitOffsets} → {@link Offsets}. */
  public static final String COMMIT_OFFSETS = "commit-offsets";
  /** {@link FetchOffsets} → {@link Offsets}; partitions without a committed offset are absent. */
  public static final String FETCH_OFFSETS = "fetch-offsets";
  /** empty → {@link ProducerId}. */
  public static final String INIT_PRODUCER_ID = "init-producer-id";
  /**
   * {@link InitTransactions} → {@link ProducerId}: the producer id and a new epoch for a
   * transactional id. An open transaction of an earlier epoch is aborted first (fencing).
   */
  public static final String INIT_TRANSACTIONS = "init-transactions";
  /** {@link AddPartitionsToTxn} → empty: partitions the open transaction will write to. */
  public static final String ADD_PARTITIONS_TO_TXN = "add-partitions-to-txn";
  /** {@link EndTxn} → {@link TransactionInfo}: commits or aborts; idempotent. */
  public static final String END_TXN = "end-txn";
  /** {@link ListTransactions} → {@link TransactionList}. */
  public static final String LIST_TRANSACTIONS = "list-transactions";
  /** empty → {@link ClusterInfo}. */
  public static final String CLUSTER_INFO = "cluster-info";
  /** empty → {@link NodeStatus}: the Raft groups of the node that answers, as it sees them. */
  public static final String NODE_STATUS = "node-status";

  private Actions() {}

  public record CreateTopic(
      String name,
      Integer partitions,
      Integer replicationFactor,
      String schema,
      Long retentionMs,
      Long retentionBytes,
      Long segmentBytes,
      Long segmentMs) {}

  public record TopicName(String name) {}

  public record TopicInfo(
      String name,
      long topicId,
      int partitions,
      int replicationFactor,
      String schema,
      boolean raw,
      long retentionMs,
      long retentionBytes,
      long segmentBytes,
      long segmentMs,
      List<PartitionInfo> partitionInfo) {}

  public record PartitionInfo(
      int partition,
      String replicaSet,
      int leader,
      String leaderAddress,
      long logStartOffset,
      long highWatermark,
      List<String> replicaAddresses) {}

  public record TopicList(List<TopicInfo> topics) {}

  /**
   * {@code spec} is {@code earliest}, {@code latest} or {@code timestamp}; for {@code timestamp}
   * the answer is the first offset whose batch max timestamp is at or after {@code timestamp},
   * or the log end when there is none. {@code partitions} null means all.
   */
  public record ListOffsets(String topic, List<Integer> partitions, String spec, Long timestamp,
      String isolationLevel) {
    public ListOffsets(String topic, List<Integer> partitions, String spec, Long timestamp) {
      this(topic, partitions, spec, timestamp, null);
    }
  }

  public record PartitionOffset(int partition, long offset, Long timestamp) {}

  public record Offsets(String topic, List<PartitionOffset> offsets) {}

  public record CommitOffsets(String group, String topic, List<PartitionOffset> offsets) {}

  public record FetchOffsets(String group, String topic) {}

  public record ProducerId(long producerId, short producerEpoch) {}

  /** {@code timeoutMs} null means the node's default transaction timeout. */
  public record InitTransactions(String transactionalId, Long timeoutMs) {}

  public record AddPartitionsToTxn(String transactionalId, long producerId, short producerEpoch,
      String topic, List<Integer> partitions) {}

  public record EndTxn(String transactionalId, long producerId, short producerEpoch,
      boolean commit) {}

  /** {@code prefix} null lists all; {@code openOnly} lists only unfinished transactions. */
  public record ListTransactions(String prefix, Boolean openOnly) {}

  /**
   * A transactional id as the coordinator sees it. {@code state} is EMPTY, ONGOING,
   * PREPARE_COMMIT, PREPARE_ABORT, COMPLETE_COMMIT or COMPLETE_ABORT. {@code
   * transactionNumber} counts the id's transactions: it grows by one each time one begins.
   */
  public record TransactionInfo(String transactionalId, long producerId, short producerEpoch,
      String state, int partitions, long timeoutMs, long startedMs, long transactionNumber) {}

  public record TransactionList(List<TransactionInfo> transactions) {}

  public record NodeInfo(int id, String host, int port) {}

  public record ClusterInfo(String clusterId, List<NodeInfo> nodes) {}

  /**
   * One node's view of the Raft groups it is a member of.
   *
   * @param nodeId the node that answered
   * @param groups the metadata group ({@code "metadata"}) and its replica sets ({@code "rs-N"})
   */
  public record NodeStatus(int nodeId, List<GroupStatus> groups) {}

  /**
   * A Raft group as one member sees it.
   *
   * @param name {@code metadata} or the replica set's name
   * @param replicationFactor the number of members
   * @param members node ids, the preferred leader first
   * @param role this member's role: LEADER, FOLLOWER, CANDIDATE or LISTENER
   * @param leader the leader's node id, or -1 when none is known
   * @param term the current Raft term
   * @param commitIndex the highest Raft index this member knows to be committed
   * @param appliedIndex the highest Raft index this member has applied
   * @param lastIndex the highest Raft index in this member's log
   * @param memberCommits on the leader: each member's commit index as the leader last heard it
   */
  public record GroupStatus(String name, int replicationFactor, List<Integer> members,
      String role, int leader, long term, long commitIndex, long appliedIndex, long lastIndex,
      List<MemberCommit> memberCommits) {}

  /** A member's commit index as the leader last heard it. */
  public record MemberCommit(int nodeId, long commitIndex) {}
}
