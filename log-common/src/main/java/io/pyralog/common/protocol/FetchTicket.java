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
    Boolean allowFollower) {

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
