package io.pyralog.client.internal;

import io.pyralog.client.Callback;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.RecordMetadata;
import io.pyralog.client.TopicPartition;
import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.PyralogException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Batches waiting to be sent, per partition, in send order. Producer threads append; the sender
 * thread takes batches once they are full, have lingered {@code linger.ms}, or a flush asks for
 * everything.
 */
@Internal
final class RecordAccumulator {
  /** What {@link #append} did. */
  record AppendResult(CompletableFuture<RecordMetadata> future, boolean batchFull,
      boolean newBatch) {}

  private final int batchSize;
  private final long lingerNanos;
  private final long deliveryTimeoutNanos;
  private final ConcurrentHashMap<TopicPartition, Deque<ProducerBatch>> batches =
      new ConcurrentHashMap<>();
  /** Every batch not yet completed, sent or not; flush waits on them. */
  private final Set<ProducerBatch> incomplete = ConcurrentHashMap.newKeySet();
  private final AtomicInteger flushesInProgress = new AtomicInteger();
  private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
  private volatile boolean closed;

  RecordAccumulator(int batchSize, long lingerNanos, long deliveryTimeoutNanos) {
    this.batchSize = batchSize;
    this.lingerNanos = lingerNanos;
    this.deliveryTimeoutNanos = deliveryTimeoutNanos;
  }

  AppendResult append(TopicPartition tp, ProducerRecord record, long timestamp, int size,
      long nowNanos, Callback callback) {
    closeLock.readLock().lock();
    try {
      ensureOpen();
      Deque<ProducerBatch> dq = batches.computeIfAbsent(tp, k -> new ArrayDeque<>());
      synchronized (dq) {
        ProducerBatch last = dq.peekLast();
        if (last != null) {
          CompletableFuture<RecordMetadata> f = last.tryAppend(record, timestamp, size, batchSize,
              callback);
          if (f != null) {
            return new AppendResult(f, last.isFull(), false);
          }
        }
        // room for as many records of this size as the batch takes, so the lists do not grow
        int expected = (int) Math.min(4096, batchSize / Math.max(size, 16) + 1);
        ProducerBatch b = new ProducerBatch(tp, nowNanos, deliveryTimeoutNanos, expected);
        CompletableFuture<RecordMetadata> f = b.tryAppend(record, timestamp, size, batchSize,
            callback);
        dq.addLast(b);
        incomplete.add(b);
        return new AppendResult(f, b.isFull() || last != null, true);
      }
    } finally {
      closeLock.readLock().unlock();
    }
  }

  /** Queues a batch the user built; it goes after every record already appended. */
  void appendSealed(ProducerBatch batch) {
    closeLock.readLock().lock();
    try {
      ensureOpen();
      Deque<ProducerBatch> dq = batches.computeIfAbsent(batch.tp, k -> new ArrayDeque<>());
      synchronized (dq) {
        ProducerBatch last = dq.peekLast();
        if (last != null) {
          last.close();
        }
        dq.addLast(batch);
        incomplete.add(batch);
      }
    } finally {
      closeLock.readLock().unlock();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new PyralogException("The producer is closed; create a new one with "
          + "PyralogClient.producer()");
    }
  }

  /** Stops appends; appends that already started finish first. */
  void close() {
    closeLock.writeLock().lock();
    try {
      closed = true;
    } finally {
      closeLock.writeLock().unlock();
    }
  }

  boolean isClosed() {
    return closed;
  }

  Set<TopicPartition> partitions() {
    return batches.keySet();
  }

  /**
   * Takes the first batch of {@code tp} if it may be sent now: it is full, a later batch exists,
   * it has lingered long enough, or {@code force} (flush or close).
   */
  ProducerBatch pollReady(TopicPartition tp, long nowNanos, boolean force) {
    Deque<ProducerBatch> dq = batches.get(tp);
    if (dq == null) {
      return null;
    }
    synchronized (dq) {
      ProducerBatch head = dq.peekFirst();
      if (head == null) {
        return null;
      }
      if (force || flushesInProgress.get() > 0 || closed || head.isFull() || dq.size() > 1
          || nowNanos - head.createdNanos >= lingerNanos) {
        dq.pollFirst();
        head.close();
        return head;
      }
      return null;
    }
  }

  /** When the first batch of {@code tp} becomes ready by lingering, or -1 when it has none. */
  long readyAtNanos(TopicPartition tp) {
    Deque<ProducerBatch> dq = batches.get(tp);
    if (dq == null) {
      return -1L;
    }
    synchronized (dq) {
      ProducerBatch head = dq.peekFirst();
      return head == null ? -1L : head.createdNanos + lingerNanos;
    }
  }

  /** Removes and returns unsent batches whose delivery deadline has passed. */
  List<ProducerBatch> expire(long nowNanos) {
    List<ProducerBatch> out = null;
    for (Deque<ProducerBatch> dq : batches.values()) {
      synchronized (dq) {
        while (!dq.isEmpty() && dq.peekFirst().deadlineNanos - nowNanos <= 0) {
          if (out == null) {
            out = new ArrayList<>();
          }
          ProducerBatch b = dq.pollFirst();
          b.close();
          out.add(b);
        }
      }
    }
    return out == null ? List.of() : out;
  }

  /** Removes and returns every unsent batch. */
  List<ProducerBatch> drainAll() {
    List<ProducerBatch> out = new ArrayList<>();
    for (Deque<ProducerBatch> dq : batches.values()) {
      synchronized (dq) {
        while (!dq.isEmpty()) {
          ProducerBatch b = dq.pollFirst();
          b.close();
          out.add(b);
        }
      }
    }
    return out;
  }

  boolean hasUnsent() {
    for (Deque<ProducerBatch> dq : batches.values()) {
      synchronized (dq) {
        if (!dq.isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }

  void completed(ProducerBatch batch) {
    incomplete.remove(batch);
  }

  /** The completion signals of every batch not yet done. */
  List<CompletableFuture<Void>> incompleteSignals() {
    List<CompletableFuture<Void>> out = new ArrayList<>(incomplete.size());
    for (ProducerBatch b : incomplete) {
      out.add(b.done);
    }
    return out;
  }

  int incompleteCount() {
    return incomplete.size();
  }

  void beginFlush() {
    flushesInProgress.incrementAndGet();
  }

  void endFlush() {
    flushesInProgress.decrementAndGet();
  }

  boolean flushing() {
    return flushesInProgress.get() > 0;
  }
}
