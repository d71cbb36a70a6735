package io.pyralog.node.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The transactions of one partition: for each producer with an open transaction, the offset of
 * its first batch here; and every aborted transaction still in the log, as the range of offsets
 * its batches may occupy. Replicated state: it changes only when a replica set applies a batch or
 * a marker, and is saved in each checkpoint. Fetch threads read it while the apply thread writes.
 *
 * <p>The last stable offset (LSO) is the first offset of the oldest open transaction, or the log
 * end when none is open: a {@code read_committed} reader never reads past it.
 */
public final class TransactionIndex {
  /**
   * An open transaction of a producer: transaction {@code transactionNumber} of its
   * transactional id, whose first batch in this partition is at {@code firstOffset}.
   */
  public record OpenTxn(long producerId, long firstOffset, long transactionNumber) {}

  /**
   * An aborted transaction: its batches are those of {@code producerId} in {@code [firstOffset,
   * endOffset)}.
   */
  public record AbortedTxn(long producerId, long firstOffset, long endOffset) {}

  private final Map<Long, OpenTxn> open = new HashMap<>();
  /** In increasing endOffset order: markers are applied in log order. */
  private final List<AbortedTxn> aborted = new ArrayList<>();

  /** Notes a batch of transaction {@code transactionNumber} about to be appended at offset. */
  public synchronized void begin(long producerId, long transactionNumber, long offset) {
    open.putIfAbsent(producerId, new OpenTxn(producerId, offset, transactionNumber));
  }

  /**
   * Applies a commit or abort marker of transaction {@code transactionNumber} of {@code
   * producerId} at log end {@code endOffset}; returns whether that transaction was open here. A
   * marker of another transaction of the producer changes nothing.
   */
  public synchronized boolean end(long producerId, long transactionNumber, boolean commit,
      long endOffset) {
    OpenTxn o = open.get(producerId);
    if (o == null || o.transactionNumber() != transactionNumber) {
      return false;
    }
    if (!commit) {
      aborted.add(new AbortedTxn(producerId, o.firstOffset(), endOffset));
    }
    open.remove(producerId); // after recording the abort: LSO never passes an unlisted abort
    return true;
  }

  public synchronized long lastStableOffset(long logEndOffset) {
    long lso = logEndOffset;
    for (OpenTxn o : open.values()) {
      lso = Math.min(lso, o.firstOffset());
    }
    return lso;
  }

  /** Whether the transactional batch of {@code producerId} at {@code offset} was aborted. */
  public synchronized boolean isAborted(long producerId, long offset) {
    int lo = 0;
    int hi = aborted.size();
    while (lo < hi) { // first entry that ends after offset
      int mid = (lo + hi) >>> 1;
      if (aborted.get(mid).endOffset() <= offset) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (int i = lo; i < aborted.size(); i++) {
      AbortedTxn a = aborted.get(i);
      if (a.producerId() == producerId && a.firstOffset() <= offset) {
        return true;
      }
    }
    return false;
  }

  /** Forgets aborted transactions that end at or before the log start (deleted by retention). */
  public synchronized void prune(long logStartOffset) {
    aborted.removeIf(a -> a.endOffset() <= logStartOffset);
  }

  public synchronized List<OpenTxn> openTransactions() {
    List<OpenTxn> result = new ArrayList<>(open.values());
    result.sort((a, b) -> Long.compare(a.firstOffset(), b.firstOffset()));
    return result;
  }

  public synchronized List<AbortedTxn> abortedTransactions() {
    return new ArrayList<>(aborted);
  }

  public synchronized void restore(List<OpenTxn> openTxns, List<AbortedTxn> abortedTxns) {
    open.clear();
    aborted.clear();
    if (openTxns != null) {
      openTxns.forEach(o -> open.put(o.producerId(), o));
    }
    if (abortedTxns != null) {
      aborted.addAll(abortedTxns);
    }
  }
}
