package io.pyralog.client;

import io.pyralog.common.annotation.PublicEvolving;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads partitions that the application assigns. A consumer is <b>not</b> thread-safe: use it
 * from one thread at a time (it throws {@link java.util.ConcurrentModificationException}
 * otherwise). Make one consumer per reading thread; they all share the client's connections.
 *
 * <p>Each assigned partition has a position: the offset of the next record to return. It starts
 * at the group's committed offset when {@code group.id} is set and one exists, otherwise as
 * {@code auto.offset.reset} says (default {@code latest}); {@link #seek} and friends set it.
 * {@link #poll} returns records from the positions on and moves them past what it returned.
 * There is no group rebalancing: Flink and Connect assign partitions themselves.
 */
@PublicEvolving
public interface PyralogConsumer extends AutoCloseable {

  /** Replaces the assignment. Positions of partitions that stay assigned are kept. */
  void assign(Collection<TopicPartition> partitions);

  /** Adds every partition of {@code topic} to the assignment. */
  void assignAll(String topic);

  Set<TopicPartition> assignment();

  /** Sets the position of an assigned partition. */
  void seek(TopicPartition partition, long offset);

  /** Moves the positions to the first offset still in the log. */
  void seekToBeginning(Collection<TopicPartition> partitions);

  /** Moves the positions to the log end, so only records produced from now on are read. */
  void seekToEnd(Collection<TopicPartition> partitions);

  /**
   * Moves the position to the first batch holding a record at or after {@code timestampMs}, or to
   * the log end when there is none.
   */
  void seekToTimestamp(TopicPartition partition, long timestampMs);

  /** The offset of the next record that poll returns for this partition. */
  long position(TopicPartition partition);

  /**
   * Reads only {@code columns} of a typed topic (projection, applied by the node). Null or empty
   * reads all columns again.
   */
  void project(String topic, List<String> columns);

  /**
   * Fetches records from the assigned partitions, waiting up to {@code timeout} for some when
   * none are ready. Returns as soon as there is data. Releases the previous poll's batches.
   *
   * @throws io.pyralog.common.errors.ApiException for failures a retry cannot fix, e.g. {@code
   *     OFFSET_OUT_OF_RANGE} with {@code auto.offset.reset=none}
   */
  ConsumerBatches poll(Duration timeout);

  /** First offset still in the log, per partition. */
  Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions);

  /** Log end offset (the next offset to be written), per partition. */
  Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions);

  /** Commits the current positions of all assigned partitions for {@code group.id}. */
  void commitSync();

  /** Commits the given offsets (the next offset to read, as in Kafka) for {@code group.id}. */
  void commitSync(Map<TopicPartition, Long> offsets);

  /** The offset committed for {@code group.id}, or null when there is none. */
  Long committed(TopicPartition partition);

  /** Releases the last poll's batches. Idempotent. */
  @Override
  void close();
}
