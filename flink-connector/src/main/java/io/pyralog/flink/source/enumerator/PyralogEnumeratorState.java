package io.pyralog.flink.source.enumerator;

import io.pyralog.client.TopicPartition;
import java.util.Set;

/**
 * What the enumerator checkpoints: the partitions it has handed to readers (their progress is in
 * the readers' splits), and whether its first discovery is done.
 */
public record PyralogEnumeratorState(Set<TopicPartition> assignedPartitions,
    boolean initialDiscoveryFinished) {
  public PyralogEnumeratorState {
    assignedPartitions = Set.copyOf(assignedPartitions);
  }
}
