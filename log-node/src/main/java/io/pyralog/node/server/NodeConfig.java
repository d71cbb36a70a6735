package io.pyralog.node.server;

import static io.pyralog.common.config.PyralogConfigOptions.*;

import io.pyralog.common.errors.Errors;
import io.pyralog.node.storage.LogConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A node's settings, read once from the options in {@code PyralogConfigOptions}. */
public record NodeConfig(
    int nodeId,
    Path dataDir,
    String host,
    int port,
    int raftPort,
    int replicaSets,
    int entryMaxBytes,
    int maxInflightEntries,
    long checkpointIntervalEntries,
    int messageMaxBytes,
    long retentionCheckIntervalMs,
    long fetchMaxBytes,
    long fetchMaxWaitMs,
    int defaultPartitions,
    LogConfig defaultLogConfig) {

  public static NodeConfig fromMap(Map<String, String> props) {
    int port = PORT.get(props);
    int raftPort = RAFT_PORT.get(props);
    NodeConfig c = new NodeConfig(
        NODE_ID.get(props),
        Path.of(DATA_DIR.get(props)).toAbsolutePath(),
        HOST.get(props),
        port,
        raftPort == 0 ? port + 1 : raftPort,
        REPLICA_SETS.get(props),
        RAFT_ENTRY_MAX_BYTES.get(props),
        RAFT_MAX_INFLIGHT_ENTRIES.get(props),
        CHECKPOINT_INTERVAL_ENTRIES.get(props),
        MESSAGE_MAX_BYTES.get(props),
        RETENTION_CHECK_INTERVAL_MS.get(props),
        FETCH_MAX_BYTES.get(props),
        FETCH_MAX_WAIT_MS.get(props),
        NUM_PARTITIONS.get(props),
        new LogConfig(SEGMENT_BYTES.get(props), SEGMENT_MS.get(props), RETENTION_MS.get(props),
            RETENTION_BYTES.get(props), INDEX_INTERVAL_BYTES.get(props)));
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
    check(replicaSets >= 1 && replicaSets <= 64, "replica.sets", replicaSets, "between 1 and 64");
    check(entryMaxBytes >= 4096, "raft.entry.max.bytes", entryMaxBytes, "at least 4096");
    check(maxInflightEntries >= 1, "raft.max.inflight.entries", maxInflightEntries,
        "at least 1");
    check(checkpointIntervalEntries >= 1, "checkpoint.interval.entries",
        checkpointIntervalEntries, "at least 1");
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

  /** The address clients use for this node. */
  public String advertisedAddress() {
    return host + ":" + port;
  }
}
