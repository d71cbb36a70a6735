package io.pyralog.common.config;

import io.pyralog.common.annotation.PublicEvolving;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalogue of every node, topic and client option, each with its key, default and
 * description. docs/configuration.md lists the same options.
 */
@PublicEvolving
public final class PyralogConfigOptions {
  private PyralogConfigOptions() {}

  // ---- node ---------------------------------------------------------------------------------

  public static final ConfigOption<Integer> NODE_ID = ConfigOption.intOption("node.id", 1,
      "Id of this node in the cluster; unique per cluster.");

  public static final ConfigOption<String> DATA_DIR = ConfigOption.stringOption("data.dir",
      System.getProperty("user.home") + "/.pyralog/data",
      "Directory for the Raft log, partition segments and RocksDB metadata.");

  public static final ConfigOption<String> HOST = ConfigOption.stringOption("host", "127.0.0.1",
      "Address the node binds and advertises to clients.");

  public static final ConfigOption<Integer> PORT = ConfigOption.intOption("port", 7070,
      "Arrow Flight port that clients connect to.");

  public static final ConfigOption<Integer> RAFT_PORT = ConfigOption.intOption("raft.port", 0,
      "Port of the Ratis server for node-to-node replication; 0 means port + 1.");

  public static final ConfigOption<String> PEERS = ConfigOption.stringOption("peers", "",
      "Members of a static cluster as ID@HOST:RAFT_PORT,... (this node included), the same on "
          + "every node. Empty means a single-node cluster of this node.");

  public static final ConfigOption<Integer> REPLICA_SETS = ConfigOption.intOption(
      "replica.sets", 0,
      "Replica sets (Raft groups) per replication factor that partitions are spread over; 0 "
          + "means one per node, each with its preferred leader on a different node.");

  public static final ConfigOption<Long> LIVENESS_TIMEOUT_MS = ConfigOption.longOption(
      "liveness.timeout.ms", 1_000L,
      "How long a peer may not answer before the node counts it as down, e.g. when checking "
          + "that a new topic's replication factor fits the live nodes.");

  public static final ConfigOption<Integer> RAFT_ENTRY_MAX_BYTES = ConfigOption.intOption(
      "raft.entry.max.bytes", 1 << 20,
      "Target size of one Raft entry; batches that arrive together are gathered up to this size.");

  public static final ConfigOption<Integer> RAFT_MAX_INFLIGHT_ENTRIES = ConfigOption.intOption(
      "raft.max.inflight.entries", 8,
      "Raft entries a replica set leader may have submitted but not yet applied.");

  public static final ConfigOption<Long> REPLICA_LAG_MAX_ENTRIES = ConfigOption.longOption(
      "replica.lag.max.entries", 64L,
      "A replica set leader holds new writes back while an in-sync follower is more than this "
          + "many Raft entries behind, so that a failover never waits for a far-behind follower "
          + "to catch up. 0 lets followers fall behind without bound.");

  public static final ConfigOption<Long> REPLICA_LAG_TIME_MAX_MS = ConfigOption.longOption(
      "replica.lag.time.max.ms", 1_000L,
      "A follower that is behind and has made no progress for this long is out of sync: writes "
          + "stop waiting for it until it has caught up again.");

  public static final ConfigOption<Boolean> AUTO_LEADER_REBALANCE_ENABLE =
      ConfigOption.booleanOption("auto.leader.rebalance.enable", true,
          "Move the leadership of each replica set back to its preferred leader once that node "
              + "is up and caught up, checked every leader.imbalance.check.interval.ms.");

  public static final ConfigOption<Long> LEADER_IMBALANCE_CHECK_INTERVAL_MS =
      ConfigOption.longOption("leader.imbalance.check.interval.ms", 30_000L,
          "How often a leader checks whether a replica set it leads should go back to its "
              + "preferred leader.");

  public static final ConfigOption<Boolean> ELECTION_ON_LEADER_EXIT = ConfigOption.booleanOption(
      "election.on.leader.exit", true,
      "Start an election at once when a replica set leader's process exits (its Raft port "
          + "refuses connections), instead of waiting for the followers' election timeouts. "
          + "A leader whose host becomes unreachable is still noticed by the timeouts.");

  public static final ConfigOption<Long> CHECKPOINT_INTERVAL_ENTRIES = ConfigOption.longOption(
      "checkpoint.interval.entries", 2048,
      "Raft entries between checkpoints (Ratis snapshots). A checkpoint fsyncs the partition "
          + "segments and lets the Raft log be purged up to it.");

  public static final ConfigOption<Integer> MESSAGE_MAX_BYTES = ConfigOption.intOption(
      "message.max.bytes", 8 << 20,
      "Largest record batch the node accepts, in bytes of Arrow IPC payload.");

  public static final ConfigOption<Long> RETENTION_CHECK_INTERVAL_MS = ConfigOption.longOption(
      "retention.check.interval.ms", 60_000L,
      "How often the node deletes segments that are past their topic's retention.");

  public static final ConfigOption<Long> FETCH_MAX_BYTES = ConfigOption.longOption(
      "fetch.max.bytes", 50L << 20, "Upper bound on the bytes one fetch (DoGet) returns: a "
          + "consumer asks for this much per fetch, and a node caps every fetch at its own value. "
          + "At least one batch is returned even when it is larger.");

  public static final ConfigOption<Long> FETCH_MAX_WAIT_MS = ConfigOption.longOption(
      "fetch.max.wait.ms", 30_000L, "Upper bound on the long-poll wait a fetch may ask for.");

  public static final ConfigOption<Long> TRANSACTION_MAX_TIMEOUT_MS = ConfigOption.longOption(
      "transaction.max.timeout.ms", 3_600_000L,
      "Largest transaction.timeout.ms a producer may ask for; init-transactions with a larger "
          + "one is refused.");

  public static final ConfigOption<Long> TRANSACTION_CHECK_INTERVAL_MS = ConfigOption.longOption(
      "transaction.abort.timed.out.transaction.cleanup.interval.ms", 10_000L,
      "How often the metadata leader aborts transactions open longer than their timeout and "
          + "finishes commits or aborts a failed node left half done.");

  public static final ConfigOption<Long> TRANSACTIONAL_ID_EXPIRATION_MS = ConfigOption.longOption(
      "transactional.id.expiration.ms", 7L * 24 * 3600 * 1000,
      "A finished transactional id unused for this long is forgotten (its producer id too).");

  // ---- topic defaults ------------------------------------------------------------------------

  public static final ConfigOption<Integer> NUM_PARTITIONS = ConfigOption.intOption(
      "num.partitions", 1, "Partitions of a topic created without --partitions.");

  public static final ConfigOption<Long> SEGMENT_BYTES = ConfigOption.longOption(
      "segment.bytes", 128L << 20, "A partition's active segment rolls when it reaches this size.");

  public static final ConfigOption<Long> SEGMENT_MS = ConfigOption.longOption("segment.ms",
      7L * 24 * 3600 * 1000, "A partition's active segment rolls once it is this old.");

  public static final ConfigOption<Long> RETENTION_MS = ConfigOption.longOption("retention.ms",
      7L * 24 * 3600 * 1000,
      "Segments whose newest record is older than this are deleted; -1 keeps them forever.");

  public static final ConfigOption<Long> RETENTION_BYTES = ConfigOption.longOption(
      "retention.bytes", -1L,
      "Oldest segments are deleted while a partition is larger than this; -1 means no limit.");

  public static final ConfigOption<Integer> INDEX_INTERVAL_BYTES = ConfigOption.intOption(
      "index.interval.bytes", 4096,
      "Bytes of batches between two entries of the sparse offset and time indexes.");

  // ---- client --------------------------------------------------------------------------------

  public static final ConfigOption<String> BOOTSTRAP = ConfigOption.stringOption("bootstrap",
      "127.0.0.1:7070", "host:port of any node; PYRALOG_BOOTSTRAP overrides it in the CLI.");

  public static final ConfigOption<Integer> BATCH_SIZE = ConfigOption.intOption("batch.size",
      256 * 1024, "Producer: bytes of record data gathered per partition before a batch is sent.");

  public static final ConfigOption<Long> LINGER_MS = ConfigOption.longOption("linger.ms", 5L,
      "Producer: how long a partly filled batch waits for more records.");

  public static final ConfigOption<Integer> MAX_REQUEST_SIZE = ConfigOption.intOption(
      "max.request.size", 1024 * 1024,
      "Producer: most bytes of record data in one produce message. Batches of several "
          + "partitions that are ready at once for the same node share a message up to this "
          + "size; a larger batch goes alone.");

  public static final ConfigOption<Boolean> ENABLE_IDEMPOTENCE = ConfigOption.booleanOption(
      "enable.idempotence", true,
      "Producer: number batches so that a retried batch is stored exactly once.");

  public static final ConfigOption<String> TRANSACTIONAL_ID = ConfigOption.stringOption(
      "transactional.id", null,
      "Producer: makes the producer transactional. Records sent between beginTransaction() and "
          + "commitTransaction() become visible to read_committed consumers together, or not at "
          + "all. A new producer with the same id fences the old one and aborts its open "
          + "transaction.");

  public static final ConfigOption<Long> TRANSACTION_TIMEOUT_MS = ConfigOption.longOption(
      "transaction.timeout.ms", 60_000L,
      "Producer: a transaction left open longer than this is aborted by the node. At most the "
          + "node's transaction.max.timeout.ms.");

  public static final ConfigOption<Long> DELIVERY_TIMEOUT_MS = ConfigOption.longOption(
      "delivery.timeout.ms", 120_000L,
      "Producer: how long a batch may be retried before its future fails.");

  public static final ConfigOption<Long> RETRY_BACKOFF_MS = ConfigOption.longOption(
      "retry.backoff.ms", 100L, "Client: first wait before a retry; doubles up to 1 s.");

  public static final ConfigOption<Long> REQUEST_TIMEOUT_MS = ConfigOption.longOption(
      "request.timeout.ms", 30_000L, "Client: deadline of one admin call, retries included.");

  public static final ConfigOption<Long> BUFFER_MEMORY = ConfigOption.longOption(
      "buffer.memory", 64L << 20,
      "Producer: bytes of unsent records it may hold; send() blocks when they are used up.");

  public static final ConfigOption<String> GROUP_ID = ConfigOption.stringOption("group.id", null,
      "Consumer: group whose committed offsets commitSync() writes and committed() reads. "
          + "Partitions are assigned by the application, not by the group.");

  public static final ConfigOption<String> AUTO_OFFSET_RESET = ConfigOption.stringOption(
      "auto.offset.reset", "latest",
      "Consumer: where to start a partition that has no position and no committed offset, or "
          + "whose position is out of range: earliest, latest or none (fail).");

  public static final ConfigOption<String> ISOLATION_LEVEL = ConfigOption.stringOption(
      "isolation.level", "read_uncommitted",
      "Consumer: read_committed returns only records of committed transactions (and records "
          + "written outside transactions), stopping at the first offset of the oldest open "
          + "transaction; read_uncommitted returns every stored record.");

  public static final ConfigOption<Boolean> FETCH_FROM_FOLLOWERS = ConfigOption.booleanOption(
      "fetch.from.followers", false,
      "Consumer: read from a follower of each partition's replica set instead of its leader, "
          + "to spread reads over the cluster or keep reading while the set has no leader. A "
          + "follower serves only what it has applied, which is never past the committed offset, "
          + "so it can be a little behind the leader. Falls back to the leader when no follower "
          + "answers.");

  public static final ConfigOption<String> CLIENT_ID = ConfigOption.stringOption("client.id",
      "pyralog-client", "Client: name of this client in logs and thread names.");

  /** Every option declared above, in declaration order. */
  public static List<ConfigOption<?>> all() {
    List<ConfigOption<?>> result = new ArrayList<>();
    for (Field f : PyralogConfigOptions.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
        try {
          result.add((ConfigOption<?>) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return result;
  }
}
