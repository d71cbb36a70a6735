package io.pyralog.client;

import io.pyralog.common.annotation.PublicEvolving;
import io.pyralog.common.protocol.Actions.ClusterInfo;
import io.pyralog.common.protocol.Actions.NodeStatus;
import io.pyralog.common.protocol.Actions.TopicInfo;
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

  /** The offset that {@code spec} names, per partition of the topic. */
  Map<Integer, Long> listOffsets(String topic, OffsetSpec spec);

  /** Stores offsets (the next offset to read) for a consumer group. */
  void commitOffsets(String group, String topic, Map<Integer, Long> offsets);

  /** The group's committed offsets; partitions without one are absent. */
  Map<Integer, Long> fetchOffsets(String group, String topic);

  /** The nodes of the cluster and the client address each registered. */
  ClusterInfo clusterInfo();

  /**
   * The Raft groups of the node at {@code address} (host:port), as that node sees them: its role,
   * the leader, the term, and the commit and applied indexes. One attempt, no retry, so that a
   * status page can tell a node that is down.
   */
  NodeStatus nodeStatus(String address);
}
