package io.pyralog.client.internal;

import io.pyralog.client.TopicPartition;
import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions.PartitionInfo;
import io.pyralog.common.protocol.Actions.TopicInfo;
import io.pyralog.common.schema.RawSchema;
import io.pyralog.common.schema.SchemaJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Schema;

/** What the client knows of a topic: its settings, its Arrow schema and its partition leaders. */
@Internal
public final class TopicMetadata {
  private final TopicInfo info;
  private final Schema schema;
  private final String[] leaders;
  private final List<List<String>> replicas;
  /** One shared object per partition, so that sending a record allocates none. */
  private final TopicPartition[] topicPartitions;

  public TopicMetadata(TopicInfo info) {
    this.info = info;
    if (info.raw() || info.schema() == null || info.schema().isBlank()) {
      this.schema = RawSchema.SCHEMA;
    } else {
      this.schema = SchemaJson.parse(info.schema());
    }
    int n = Math.max(0, info.partitions());
    this.leaders = new String[n];
    List<List<String>> members = new ArrayList<>(Collections.nCopies(n, List.of()));
    if (info.partitionInfo() != null) {
      for (PartitionInfo p : info.partitionInfo()) {
        if (p.partition() >= 0 && p.partition() < n) {
          String a = p.leaderAddress();
          leaders[p.partition()] = a == null || a.isBlank() ? null : a;
          if (p.replicaAddresses() != null) {
            members.set(p.partition(), List.copyOf(p.replicaAddresses()));
          }
        }
      }
    }
    this.replicas = members;
    this.topicPartitions = new TopicPartition[n];
    for (int p = 0; p < n; p++) {
      topicPartitions[p] = new TopicPartition(info.name(), p);
    }
  }

  /** The partition as a {@link TopicPartition}; the partition must exist. */
  public TopicPartition topicPartition(int partition) {
    return topicPartitions[partition];
  }

  public TopicInfo info() {
    return info;
  }

  public String name() {
    return info.name();
  }

  public int partitions() {
    return leaders.length;
  }

  public boolean raw() {
    return schema == RawSchema.SCHEMA || info.raw();
  }

  public Schema schema() {
    return schema;
  }

  /** The leader's {@code host:port}, or null when the partition has no leader right now. */
  public String leader(int partition) {
    return partition >= 0 && partition < leaders.length ? leaders[partition] : null;
  }

  /** The client addresses of the partition's replicas, the leader included; may be empty. */
  public List<String> replicas(int partition) {
    return partition >= 0 && partition < leaders.length ? replicas.get(partition) : List.of();
  }

  /** Throws {@code UNKNOWN_TOPIC_OR_PARTITION} when the topic has no such partition. */
  public void checkPartition(int partition) {
    if (partition < 0 || partition >= leaders.length) {
      throw Errors.UNKNOWN_TOPIC_OR_PARTITION.exception("Topic '" + info.name() + "' has "
          + leaders.length + " partition(s), numbered 0.." + (leaders.length - 1) + "; partition "
          + partition + " does not exist");
    }
  }
}
