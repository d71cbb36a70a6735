package io.pyralog.flink.source.enumerator;

import io.pyralog.client.TopicPartition;
import io.pyralog.flink.source.split.PyralogPartitionSplit;
import java.util.List;
import java.util.Set;

/**
 * What the enumerator checkpoints: the partitions it has handed to readers (their progress is in
 * the readers' splits), the splits it found but has not handed out yet (with their resolved
 * offsets), and whether its first discovery is done.
 */
public record PyralogEnumeratorState(Set<TopicPartition> assignedPartitions,
    List<PyralogPartitionSplit> pendingSplits, boolean initialDiscoveryFinished) {
  public PyralogEnumeratorState {
    assignedPartitions = Set.copyOf(assignedPartitions);
    pendingSplits = List.copyOf(pendingSplits);
  }
}
