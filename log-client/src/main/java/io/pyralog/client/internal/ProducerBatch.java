package io.pyralog.client.internal;

import io.pyralog.client.BatchResult;
import io.pyralog.client.Callback;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.RecordMetadata;
import io.pyralog.client.TopicPartition;
import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.ApiException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * One batch for one partition. Raw records are gathered while the batch is open (under the
 * accumulator's lock for its partition) and kept until the node acknowledges them, so that they
 * can be resent; each send writes them as Arrow. A batch the user built holds its Arrow rows.
 */
@Internal
final class ProducerBatch {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ProducerBatch.class);
  final TopicPartition tp;
  final long createdNanos;
  final long deadlineNanos;
  /** Completes (normally) once the batch is done, whatever the outcome; flush() waits on it. */
  final CompletableFuture<Void> done = new CompletableFuture<>();

  private List<ProducerRecord> records;
  private long[] timestamps;
  private List<CompletableFuture<RecordMetadata>> futures;
  /** Per record, its callback or null; null while no record of the batch has one. */
  private Callback[] callbacks;
  private final CompletableFuture<BatchResult> batchFuture;

  private ArrowRecordBatch data;
  private int recordCount;
  private int sizeBytes;
  private boolean full;

  /** Producer sequence, or -1 before it is assigned or when not idempotent. */
  int sequence = -1;
  int attempts;
  long lastSentNanos;
  private boolean completed;

  /** An open batch for raw records, sized for about {@code expectedRecords}. */
  ProducerBatch(TopicPartition tp, long nowNanos, long deliveryTimeoutNanos,
      int expectedRecords) {
    int capacity = Math.max(16, expectedRecords);
    this.tp = tp;
    this.createdNanos = nowNanos;
    this.deadlineNanos = nowNanos + deliveryTimeoutNanos;
    this.records = new ArrayList<>(capacity);
    this.timestamps = new long[capacity];
    this.futures = new ArrayList<>(capacity);
    this.batchFuture = null;
  }

  /** A sealed batch holding rows the user built ({@code sendBatch}). */
  ProducerBatch(TopicPartition tp, long nowNanos, long deliveryTimeoutNanos, ArrowRecordBatch data,
      int sizeBytes, CompletableFuture<BatchResult> future) {
    this.tp = tp;
    this.createdNanos = nowNanos;
    this.deadlineNanos = nowNanos + deliveryTimeoutNanos;
    this.data = data;
    this.recordCount = data.getLength();
    this.sizeBytes = sizeBytes;
    this.batchFuture = future;
    this.full = true;
  }

  /**
   * Adds a record unless the batch would pass {@code batchSize} bytes (a record always fits in an
   * empty batch). Returns null when it did not fit.
   */
  CompletableFuture<RecordMetadata> tryAppend(ProducerRecord record, long timestamp, int size,
      int batchSize, Callback callback) {
    if (full || records == null) {
      return null;
    }
    if (recordCount > 0 && sizeBytes + size > batchSize) {
      full = true;
      return null;
    }
    if (recordCount == timestamps.length) {
      timestamps = Arrays.copyOf(timestamps, recordCount * 2);
    }
    records.add(record);
    timestamps[recordCount] = timestamp;
    if (callback != null) {
      if (callbacks == null) {
        callbacks = new Callback[timestamps.length];
      } else if (callbacks.length < timestamps.length) {
        callbacks = Arrays.copyOf(callbacks, timestamps.length);
      }
      callbacks[recordCount] = callback;
    }
    CompletableFuture<RecordMetadata> f = new CompletableFuture<>();
    futures.add(f);
    recordCount++;
    sizeBytes += size;
    if (sizeBytes >= batchSize) {
      full = true;
    }
    return f;
  }

  boolean isFull() {
    return full;
  }

  void close() {
    full = true;
  }

  int recordCount() {
    return recordCount;
  }

  int sizeBytes() {
    return sizeBytes;
  }

  /** Closes the batch to more records; the sender calls it when it takes the batch. */
  void seal() {
    full = true;
  }

  /**
   * True for a batch of records given to {@code send}: its Arrow data is written when it is
   * sent ({@link RawRecords#write}), from {@link #run()}, so that the batches of one message
   * are written together in one pass.
   */
  boolean isRaw() {
    return batchFuture == null;
  }

  /** The records of a raw batch and their timestamps; null once the batch is done. */
  RawRecords.Run run() {
    return records == null ? null : new RawRecords.Run(records, timestamps);
  }

  /** The rows of a batch built by the user ({@code sendBatch}); null for a raw batch. */
  ArrowRecordBatch data() {
    return data;
  }

  boolean isCompleted() {
    return completed;
  }

  /** Completes every future with the offsets the node assigned. */
  void succeed(long baseOffset) {
    if (completed) {
      return;
    }
    completed = true;
    release();
    if (batchFuture != null) {
      batchFuture.complete(new BatchResult(tp.topic(), tp.partition(), baseOffset, recordCount));
    } else {
      for (int i = 0; i < recordCount; i++) {
        RecordMetadata md =
            new RecordMetadata(tp.topic(), tp.partition(), baseOffset + i, timestamps[i]);
        futures.get(i).complete(md);
        callback(i, md, null);
      }
    }
    done.complete(null);
  }

  void fail(ApiException e) {
    if (completed) {
      return;
    }
    completed = true;
    release();
    if (batchFuture != null) {
      batchFuture.completeExceptionally(e);
    } else {
      for (int i = 0; i < recordCount; i++) {
        futures.get(i).completeExceptionally(e);
        callback(i, null, e);
      }
    }
    done.complete(null);
  }

  private void callback(int i, RecordMetadata md, ApiException e) {
    Callback c = callbacks == null ? null : callbacks[i];
    if (c != null) {
      try {
        c.onCompletion(md, e);
      } catch (RuntimeException thrown) {
        LOG.warn("A send callback threw; ignoring it: {}", thrown.toString());
      }
    }
  }

  private void release() {
    if (data != null) {
      data.close();
      data = null;
    }
    records = null;
  }

  @Override
  public String toString() {
    return "batch(" + tp + ", seq=" + sequence + ", records=" + recordCount + ")";
  }
}
