package io.pyralog.client.internal;

import io.pyralog.common.annotation.Internal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The order in which the sender's drains visit the partitions. A put stream that pushes back
 * stops a drain part-way. If every drain started at the same partition, the partitions late in
 * the list would wait behind the others every time, and their records for seconds under load.
 * So each drain starts one partition further on, and after a push-back the next drain starts at
 * the partition that was refused. Kafka's producer rotates its drains in the same way.
 */
@Internal
final class DrainOrder<T> {
  private int next;
  private int start;
  private boolean refused;

  /** The items, starting where this drain should start; call once per drain. */
  List<T> round(Collection<T> items) {
    List<T> ordered = new ArrayList<>(items);
    int n = ordered.size();
    start = n == 0 ? 0 : Math.floorMod(next, n);
    next = start + 1;
    refused = false;
    Collections.rotate(ordered, -start);
    return ordered;
  }

  /** The item at {@code position} of this round was refused: the next round starts there. */
  void refusedAt(int position) {
    if (!refused) {
      refused = true;
      next = start + position;
    }
  }
}
