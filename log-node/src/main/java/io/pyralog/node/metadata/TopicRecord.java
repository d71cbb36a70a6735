package io.pyralog.node.metadata;

import io.pyralog.node.storage.LogConfig;
import java.util.List;

/**
 * A topic as the metadata group stores it. {@code schema} is the schema JSON, null for a raw
 * topic. {@code replicaSets} gives, for each partition, the index of the replica set it lives in.
 */
public record TopicRecord(
    String name,
    long topicId,
    int partitions,
    int replicationFactor,
    String schema,
    int schemaId,
    long retentionMs,
    long retentionBytes,
    long segmentBytes,
    long segmentMs,
    List<Integer> replicaSets) {

  public boolean raw() {
    return schema == null;
  }

  public LogConfig logConfig(int indexIntervalBytes) {
    return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes);
  }
}
