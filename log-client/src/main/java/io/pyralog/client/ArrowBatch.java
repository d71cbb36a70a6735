package io.pyralog.client;

import io.pyralog.client.internal.RawRecords;
import io.pyralog.common.annotation.Internal;
import io.pyralog.common.annotation.PublicEvolving;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One record batch of one partition, as fetched by {@link PyralogConsumer#poll}. The {@link
 * #root()} shares the memory received from the node (no copy). Row {@code i} of the root is the
 * record at offset {@code baseOffset() + i}: rows below the consumer's position have already been
 * cut off.
 *
 * <p>The batch belongs to the {@link ConsumerBatches} it came in, and its memory is released when
 * that is closed or when the consumer polls again. Copy whatever must outlive it. Not
 * thread-safe.
 */
@PublicEvolving
public final class ArrowBatch implements AutoCloseable {
  private final TopicPartition topicPartition;
  private final long baseOffset;
  private final long firstTimestamp;
  private final long maxTimestamp;
  private final long highWatermark;
  private final boolean raw;
  private final VectorSchemaRoot root;
  private boolean closed;
  private RawRecords.Reader reader;

  @Internal
  public ArrowBatch(TopicPartition topicPartition, long baseOffset, long firstTimestamp,
      long maxTimestamp, long highWatermark, boolean raw, VectorSchemaRoot root) {
    this.topicPartition = topicPartition;
    this.baseOffset = baseOffset;
    this.firstTimestamp = firstTimestamp;
    this.maxTimestamp = maxTimestamp;
    this.highWatermark = highWatermark;
    this.raw = raw;
    this.root = root;
  }

  public TopicPartition topicPartition() {
    return topicPartition;
  }

  /** Offset of row 0 of {@link #root()}. */
  public long baseOffset() {
    return baseOffset;
  }

  public int recordCount() {
    return root.getRowCount();
  }

  /** The offset after the batch's last row: the consumer's position once it is consumed. */
  public long nextOffset() {
    return baseOffset + recordCount();
  }

  /** Offset of row {@code row}. */
  public long offset(int row) {
    return baseOffset + row;
  }

  /** Smallest record timestamp of the batch as stored (before rows were cut off), epoch ms. */
  public long firstTimestamp() {
    return firstTimestamp;
  }

  /** Largest record timestamp of the batch as stored, epoch ms. */
  public long maxTimestamp() {
    return maxTimestamp;
  }

  /** The partition's end offset when the batch was read; {@code highWatermark - nextOffset()} is
   * the consumer's lag. */
  public long highWatermark() {
    return highWatermark;
  }

  /** True for a raw (key/value/headers/timestamp) topic; false for a typed one. */
  public boolean isRaw() {
    return raw;
  }

  /** The batch's columns: the topic schema, or the projected columns for a typed topic. */
  public VectorSchemaRoot root() {
    if (closed) {
      throw new IllegalStateException("This batch of " + topicPartition + " was released by "
          + "ConsumerBatches.close() or the next poll(); copy data you need before then");
    }
    return root;
  }

  /**
   * The rows as records. For a raw topic each carries key, value, headers and timestamp (copied
   * out of Arrow memory); for a typed topic key and value are null and the timestamp is {@link
   * #maxTimestamp()}.
   */
  /**
   * The record at {@code row}, as {@link #records()} would return it, without building the
   * others: for a raw topic its key, value, headers and timestamp (copied out of Arrow memory);
   * for a typed topic key and value are null and the timestamp is {@link #maxTimestamp()}.
   */
  public ConsumerRecord record(int row) {
    VectorSchemaRoot r = root();
    if (row < 0 || row >= r.getRowCount()) {
      throw new IndexOutOfBoundsException("Row " + row + " of a batch of " + r.getRowCount());
    }
    if (!raw) {
      return new ConsumerRecord(topicPartition.topic(), topicPartition.partition(),
          baseOffset + row, maxTimestamp, null, null, null);
    }
    if (reader == null) {
      reader = new RawRecords.Reader(r);
    }
    return reader.read(topicPartition.topic(), topicPartition.partition(), baseOffset + row, row);
  }

  /**
   * The value of the record at {@code row} of a raw topic (copied out of Arrow memory), or null
   * for a tombstone or a typed topic. Cheaper than {@link #record(int)} when only the value
   * matters.
   */
  public byte[] value(int row) {
    VectorSchemaRoot r = root();
    if (row < 0 || row >= r.getRowCount()) {
      throw new IndexOutOfBoundsException("Row " + row + " of a batch of " + r.getRowCount());
    }
    if (!raw) {
      return null;
    }
    if (reader == null) {
      reader = new RawRecords.Reader(r);
    }
    return reader.value(row);
  }

  public List<ConsumerRecord> records() {
    int n = root().getRowCount();
    List<ConsumerRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(record(i));
    }
    return out;
  }

  /** Releases the batch's Arrow memory. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      root.close();
    }
  }

  @Override
  public String toString() {
    return "ArrowBatch(" + topicPartition + ", baseOffset=" + baseOffset + ", rows="
        + (closed ? "released" : String.valueOf(root.getRowCount())) + ")";
  }
}
