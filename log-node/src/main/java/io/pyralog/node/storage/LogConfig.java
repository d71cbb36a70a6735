package io.pyralog.node.storage;

import io.pyralog.common.config.PyralogConfigOptions;
import io.pyralog.common.errors.Errors;
import java.util.Map;

/**
 * Per-topic storage settings of a {@link PartitionLog}. Immutable; a topic config change replaces
 * the whole value through {@link PartitionLog#updateConfig}.
 *
 * @param segmentBytes the active segment rolls once it holds at least this many bytes
 * @param segmentMs the active segment rolls once its first batch was appended this long ago
 * @param retentionMs segments whose newest record is older than this are deleted; -1 keeps them
 * @param retentionBytes oldest segments are deleted while the log is larger than this; -1 means
 *     no limit
 * @param indexIntervalBytes bytes of batches between two entries of the sparse indexes
 */
public record LogConfig(
    long segmentBytes,
    long segmentMs,
    long retentionMs,
    long retentionBytes,
    int indexIntervalBytes) {

  public LogConfig {
    require(segmentBytes > 0, PyralogConfigOptions.SEGMENT_BYTES.key(), segmentBytes,
        "a positive number of bytes");
    require(segmentMs > 0, PyralogConfigOptions.SEGMENT_MS.key(), segmentMs,
        "a positive number of milliseconds");
    require(retentionMs >= -1, PyralogConfigOptions.RETENTION_MS.key(), retentionMs,
        "-1 (forever) or a number of milliseconds");
    require(retentionBytes >= -1, PyralogConfigOptions.RETENTION_BYTES.key(), retentionBytes,
        "-1 (no limit) or a number of bytes");
    require(indexIntervalBytes > 0, PyralogConfigOptions.INDEX_INTERVAL_BYTES.key(),
        indexIntervalBytes, "a positive number of bytes");
  }

  /** The defaults of the option catalogue. */
  public static LogConfig defaults() {
    return from(Map.of());
  }

  /** Reads the storage options of a topic config, falling back on the catalogue defaults. */
  public static LogConfig from(Map<String, String> topicConfig) {
    return new LogConfig(
        PyralogConfigOptions.SEGMENT_BYTES.get(topicConfig),
        PyralogConfigOptions.SEGMENT_MS.get(topicConfig),
        PyralogConfigOptions.RETENTION_MS.get(topicConfig),
        PyralogConfigOptions.RETENTION_BYTES.get(topicConfig),
        PyralogConfigOptions.INDEX_INTERVAL_BYTES.get(topicConfig));
  }

  private static void require(boolean ok, String key, long value, String expected) {
    if (!ok) {
      throw Errors.INVALID_CONFIG.exception(
          "Invalid value " + value + " for " + key + ": expected " + expected + ".");
    }
  }
}
