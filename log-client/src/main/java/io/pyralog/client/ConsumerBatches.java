package io.pyralog.client;

import io.pyralog.common.annotation.Internal;
import io.pyralog.common.annotation.PublicEvolving;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * What one {@link PyralogConsumer#poll} returned: Arrow batches, in offset order per partition.
 * Read them as Arrow ({@link #batches()}) or as records (iterate). Closing releases the Arrow
 * memory; the consumer also releases it on its next poll. Not thread-safe.
 */
@PublicEvolving
public final class ConsumerBatches implements Iterable<ConsumerRecord>, AutoCloseable {
  private static final ConsumerBatches EMPTY = new ConsumerBatches(List.of());

  private final List<ArrowBatch> batches;
  private final int count;

  @Internal
  public ConsumerBatches(List<ArrowBatch> batches) {
    this.batches = Collections.unmodifiableList(new ArrayList<>(batches));
    int n = 0;
    for (ArrowBatch b : batches) {
      n += b.recordCount();
    }
    this.count = n;
  }

  /** A result with no batches. */
  public static ConsumerBatches empty() {
    return EMPTY;
  }

  public List<ArrowBatch> batches() {
    return batches;
  }

  /** The batches of one partition, in offset order. */
  public List<ArrowBatch> batches(TopicPartition tp) {
    List<ArrowBatch> out = new ArrayList<>();
    for (ArrowBatch b : batches) {
      if (b.topicPartition().equals(tp)) {
        out.add(b);
      }
    }
    return out;
  }

  /** Number of records across all batches. */
  public int count() {
    return count;
  }

  public boolean isEmpty() {
    return count == 0;
  }

  /** All records as a list (see {@link ArrowBatch#records()}). */
  public List<ConsumerRecord> records() {
    List<ConsumerRecord> out = new ArrayList<>(count);
    for (ArrowBatch b : batches) {
      out.addAll(b.records());
    }
    return out;
  }

  @Override
  public Iterator<ConsumerRecord> iterator() {
    return new Iterator<>() {
      private int batch = 0;
      private Iterator<ConsumerRecord> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && batch < batches.size()) {
          current = batches.get(batch++).records().iterator();
        }
        return current.hasNext();
      }

      @Override
      public ConsumerRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  /** Releases the Arrow memory of every batch. Idempotent. */
  @Override
  public void close() {
    for (ArrowBatch b : batches) {
      b.close();
    }
  }

  @Override
  public String toString() {
    return "ConsumerBatches(" + batches.size() + " batches, " + count + " records)";
  }
}
