package io.pyralog.flink.source.split;

import io.pyralog.client.TopicPartition;
import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One partition of a topic to read, from {@code startingOffset}, up to (not including) {@code
 * stoppingOffset} when the source is bounded. The offsets are resolved by the enumerator; a split
 * never carries "earliest" or "latest".
 */
public final class PyralogPartitionSplit implements SourceSplit {
  /** The stopping offset of a split that never ends. */
  public static final long NO_STOPPING_OFFSET = Long.MIN_VALUE;

  private final TopicPartition topicPartition;
  private final long startingOffset;
  private final long stoppingOffset;

  public PyralogPartitionSplit(TopicPartition topicPartition, long startingOffset,
      long stoppingOffset) {
    this.topicPartition = Objects.requireNonNull(topicPartition, "topicPartition");
    this.startingOffset = startingOffset;
    this.stoppingOffset = stoppingOffset;
  }

  public static String splitId(TopicPartition tp) {
    return tp.topic() + "-" + tp.partition();
  }

  @Override
  public String splitId() {
    return splitId(topicPartition);
  }

  public TopicPartition topicPartition() {
    return topicPartition;
  }

  public long startingOffset() {
    return startingOffset;
  }

  public long stoppingOffset() {
    return stoppingOffset;
  }

  public boolean isBounded() {
    return stoppingOffset != NO_STOPPING_OFFSET;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PyralogPartitionSplit s && s.topicPartition.equals(topicPartition)
        && s.startingOffset == startingOffset && s.stoppingOffset == stoppingOffset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(topicPartition, startingOffset, stoppingOffset);
  }

  @Override
  public String toString() {
    return "PyralogPartitionSplit{" + topicPartition + ", from " + startingOffset
        + (isBounded() ? " to " + stoppingOffset : "") + "}";
  }
}
