package io.pyralog.node.server;

import static io.pyralog.common.config.PyralogConfigOptions.*;

import io.pyralog.common.errors.Errors;
import io.pyralog.node.cluster.PeerAddress;
import io.pyralog.node.storage.LogConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A node's settings, read once from the options in {@code PyralogConfigOptions}. */
public record NodeConfig(
    int nodeId,
    Path dataDir,
    String host,
    int port,
    int raftPort,
    List<PeerAddress> peers,
    int replicaSets,
    long livenessTimeoutMs,
    int entryMaxBytes,
    int maxInflightEntries,
    long replicaLagMaxEntries,
    long replicaLagTimeMaxMs,
    boolean electionOnLeaderExit,
    boolean autoLeaderRebalance,
    long leaderImbalanceCheckIntervalMs,
    long checkpointIntervalEntries,
    int messageMaxBytes,
    long retentionCheckIntervalMs,
    long fetchMaxBytes,
    long fetchMaxWaitMs,
    int defaultPartitions,
    LogConfig defaultLogConfig,
    long transactionMaxTimeoutMs,
    long transactionCheckIntervalMs,
    long transactionalIdExpirationMs) {

  public static NodeConfig fromMap(Map<String, String> props) {
    int port = PORT.get(props);
    int raftPort = RAFT_PORT.get(props) == 0 ? port + 1 : RAFT_PORT.get(props);
    int nodeId = NODE_ID.get(props);
    String host = HOST.get(props);
    List<PeerAddress> peers = PeerAddress.parseList(PEERS.get(props));
    if (peers.isEmpty()) {
      peers = List.of(new PeerAddress(nodeId, host, raftPort));
    }
    NodeConfig c = new NodeConfig(
        nodeId,
        Path.of(DATA_DIR.get(props)).toAbsolutePath(),
        host,
        port,
        raftPort,
        peers,
        REPLICA_SETS.get(props),
        LIVENESS_TIMEOUT_MS.get(props),
        RAFT_ENTRY_MAX_BYTES.get(props),
        RAFT_MAX_INFLIGHT_ENTRIES.get(props),
        REPLICA_LAG_MAX_ENTRIES.get(props),
        REPLICA_LAG_TIME_MAX_MS.get(props),
        ELECTION_ON_LEADER_EXIT.get(props),
        AUTO_LEADER_REBALANCE_ENABLE.get(props),
        LEADER_IMBALANCE_CHECK_INTERVAL_MS.get(props),
        CHECKPOINT_INTERVAL_ENTRIES.get(props),
        MESSAGE_MAX_BYTES.get(props),
        RETENTION_CHECK_INTERVAL_MS.get(props),
        FETCH_MAX_BYTES.get(props),
        FETCH_MAX_WAIT_MS.get(props),
        NUM_PARTITIONS.get(props),
        new LogConfig(SEGMENT_BYTES.get(props), SEGMENT_MS.get(props), RETENTION_MS.get(props),
            RETENTION_BYTES.get(props), INDEX_INTERVAL_BYTES.get(props)),
        TRANSACTION_MAX_TIMEOUT_MS.get(props),
        TRANSACTION_CHECK_INTERVAL_MS.get(props),
        TRANSACTIONAL_ID_EXPIRATION_MS.get(props));
    c.validate();
    return c;
  }

  public static NodeConfig defaults() {
    return fromMap(new HashMap<>());
  }

  private void validate() {
    check(port > 0 && port < 65536, "port", port, "a TCP port between 1 and 65535");
    check(raftPort > 0 && raftPort < 65536 && raftPort != port, "raft.port", raftPort,
        "a TCP port other than port");
    check(nodeId >= 1, "node.id", nodeId, "a positive integer");
    check(replicaSets >= 0 && replicaSets <= 64, "replica.sets", replicaSets,
        "between 0 (one per node) and 64");
    check(livenessTimeoutMs >= 100, "liveness.timeout.ms", livenessTimeoutMs, "at least 100");
    PeerAddress me = peers.stream().filter(p -> p.nodeId() == nodeId).findFirst().orElse(null);
    if (me == null) {
      throw Errors.INVALID_CONFIG.exception("Invalid peers: this node's id " + nodeId
          + " is not among them (" + peers + "); list every member, this node included");
    }
    if (me.raftPort() != raftPort) {
      throw Errors.INVALID_CONFIG.exception("Invalid peers: they give node " + nodeId
          + " the Raft port " + me.raftPort() + " but this node uses raft.port=" + raftPort
          + "; make them agree");
    }
    check(entryMaxBytes >= 4096, "raft.entry.max.bytes", entryMaxBytes, "at least 4096");
    check(maxInflightEntries >= 1, "raft.max.inflight.entries", maxInflightEntries,
        "at least 1");
    check(replicaLagMaxEntries >= 0, "replica.lag.max.entries", replicaLagMaxEntries,
        "0 (no bound) or more");
    check(leaderImbalanceCheckIntervalMs >= 100, "leader.imbalance.check.interval.ms",
        leaderImbalanceCheckIntervalMs, "at least 100");
    check(replicaLagTimeMaxMs >= 10, "replica.lag.time.max.ms", replicaLagTimeMaxMs,
        "at least 10");
    check(checkpointIntervalEntries >= 1, "checkpoint.interval.entries",
        checkpointIntervalEntries, "at least 1");
    check(transactionMaxTimeoutMs >= 1, "transaction.max.timeout.ms", transactionMaxTimeoutMs,
        "at least 1");
    check(transactionCheckIntervalMs >= 10,
        "transaction.abort.timed.out.transaction.cleanup.interval.ms",
        transactionCheckIntervalMs, "at least 10");
    check(transactionalIdExpirationMs >= 1, "transactional.id.expiration.ms",
        transactionalIdExpirationMs, "at least 1");
    check(messageMaxBytes >= 1024, "message.max.bytes", messageMaxBytes, "at least 1024");
    check(defaultLogConfig.segmentBytes() >= 1024, "segment.bytes",
        defaultLogConfig.segmentBytes(), "at least 1024");
  }

  private static void check(boolean ok, String key, Object value, String expected) {
    if (!ok) {
      throw Errors.INVALID_CONFIG.exception("Invalid " + key + "=" + value + ": expected "
          + expected);
    }
  }

  /** True when this node is one of several cluster members. */
  public boolean clustered() {
    return peers.size() > 1;
  }

  /** The address clients use for this node. */
  public String advertisedAddress() {
    return host + ":" + port;
  }
}
