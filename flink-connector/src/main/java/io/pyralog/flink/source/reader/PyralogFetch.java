package io.pyralog.flink.source.reader;

import io.pyralog.client.ArrowBatch;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;

/**
 * What one fetch returned: for each split, its batches and how many leading rows of each to emit
 * (a bounded split's last batch may cross its stopping offset). The batches are released when
 * Flink recycles the fetch.
 */
final class PyralogFetch implements RecordsWithSplitIds<PyralogRow> {
  /** The rows [0, rows) of {@code batch} belong to the split. */
  record Rows(ArrowBatch batch, int rows) {}

  private final Iterator<Map.Entry<String, List<Rows>>> splits;
  private final Map<String, List<Rows>> all;
  private final Set<String> finished;
  private final PyralogRow reused = new PyralogRow();
  private Iterator<Rows> batches;
  private final Set<PyralogFetch> outstanding;
  private Rows current;
  private int next;

  /**
   * @param outstanding the reader's fetches not recycled yet; this one joins it until Flink
   *     recycles it, so that the reader can release what is left when it closes
   */
  PyralogFetch(Map<String, List<Rows>> bySplit, Set<String> finished,
      Set<PyralogFetch> outstanding) {
    this.all = bySplit;
    this.splits = bySplit.entrySet().iterator();
    this.finished = finished;
    this.outstanding = outstanding;
    outstanding.add(this);
  }

  @Override
  public String nextSplit() {
    if (!splits.hasNext()) {
      return null;
    }
    Map.Entry<String, List<Rows>> e = splits.next();
    batches = e.getValue().iterator();
    current = null;
    return e.getKey();
  }

  @Override
  public PyralogRow nextRecordFromSplit() {
    while (current == null || next >= current.rows()) {
      if (batches == null || !batches.hasNext()) {
        return null;
      }
      current = batches.next();
      next = 0;
    }
    reused.set(current.batch(), next++);
    return reused;
  }

  @Override
  public Set<String> finishedSplits() {
    return finished;
  }

  @Override
  public void recycle() {
    outstanding.remove(this);
    release(all);
  }

  /** Closes every batch of {@code bySplit} (closing is idempotent). */
  static void release(Map<String, List<Rows>> bySplit) {
    bySplit.values().forEach(l -> l.forEach(r -> r.batch().close()));
  }
}
