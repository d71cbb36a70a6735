package io.pyralog.common.protocol;

import io.pyralog.common.annotation.PublicEvolving;
import java.util.List;

/**
 * DoGet ticket. Either one partition ({@code partition}, {@code offset}, optional {@code
 * endOffset}) or several ({@code partitions}). Offsets {@value #EARLIEST} and {@value #LATEST}
 * mean the log start and the log end. {@code columns} projects a typed topic. When no data is
 * ready the node waits up to {@code maxWaitMs} for some (long poll); {@code maxBytes} bounds one
 * response. Reads go to the leader of each partition's replica set; with {@code allowFollower} a
 * follower serves them too, from what it has applied, which is never past the committed offset.
 * With {@code isolationLevel} {@value #READ_COMMITTED} the read stops at the last stable offset
 * (the first offset of the oldest open transaction) and batches of aborted transactions are
 * skipped: the node sends them as a batch of zero rows whose {@code recordCount} says how many
 * offsets to skip.
 */
@PublicEvolving
public record FetchTicket(
    String topic,
    Integer partition,
    Long offset,
    Long endOffset,
    List<FetchPartition> partitions,
    List<String> columns,
    Long maxWaitMs,
    Long maxBytes,
    Boolean allowFollower,
    String isolationLevel) {

  public static final String READ_COMMITTED = "read_committed";
  public static final String READ_UNCOMMITTED = "read_uncommitted";

  public FetchTicket(String topic, Integer partition, Long offset, Long endOffset,
      List<FetchPartition> partitions, List<String> columns, Long maxWaitMs, Long maxBytes,
      Boolean allowFollower) {
    this(topic, partition, offset, endOffset, partitions, columns, maxWaitMs, maxBytes,
        allowFollower, null);
  }

  /** Whether only committed transactional data may be returned. */
  public boolean readCommitted() {
    return READ_COMMITTED.equals(isolationLevel);
  }

  public static final long EARLIEST = -2L;
  public static final long LATEST = -1L;

  /** One partition to read, from {@code offset} up to (excluding) {@code endOffset} if set. */
  public record FetchPartition(int partition, long offset, Long endOffset) {}

  /** The partitions this ticket reads, whichever form it used. */
  public List<FetchPartition> effectivePartitions() {
    if (partitions != null && !partitions.isEmpty()) {
      return partitions;
    }
    return List.of(new FetchPartition(partition == null ? 0 : partition,
        offset == null ? EARLIEST : offset, endOffset));
  }
}
