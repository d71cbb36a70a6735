package io.pyralog.flink.source.split;

/** A split being read: its split and the offset of the next record to emit. */
public final class PyralogPartitionSplitState {
  private final PyralogPartitionSplit split;
  private long currentOffset;

  public PyralogPartitionSplitState(PyralogPartitionSplit split) {
    this.split = split;
    this.currentOffset = split.startingOffset();
  }

  public PyralogPartitionSplit split() {
    return split;
  }

  public long currentOffset() {
    return currentOffset;
  }

  public void setCurrentOffset(long offset) {
    this.currentOffset = offset;
  }

  /** The split to checkpoint: the same partition, starting at the next record to emit. */
  public PyralogPartitionSplit toSplit() {
    return new PyralogPartitionSplit(split.topicPartition(), currentOffset, split.stoppingOffset());
  }
}
