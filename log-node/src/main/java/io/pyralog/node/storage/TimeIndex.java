package io.pyralog.node.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The sparse time index of one segment: entries of (largest max timestamp of the segment's
 * batches up to and including a batch, that batch's offset relative to the segment base). An
 * entry is only added when the timestamp grows, so timestamps are strictly increasing. When a
 * segment rolls it gets a last entry for its newest timestamp, which retention reads on restart.
 */
final class TimeIndex extends SparseIndex {
  static final int ENTRY_BYTES = 12;

  TimeIndex(Path path) throws IOException {
    super(path, ENTRY_BYTES, 2);
  }

  long timestamp(int entry) {
    return slot(entry, 0);
  }

  int relativeOffset(int entry) {
    return (int) slot(entry, 1);
  }

  /** Adds an entry unless {@code timestamp} is negative or not above the last one. */
  void maybeAppend(long timestamp, int relativeOffset) throws IOException {
    int n = count();
    if (timestamp < 0 || (n > 0 && (timestamp <= timestamp(n - 1)
        || relativeOffset < relativeOffset(n - 1)))) {
      return;
    }
    append(timestamp, relativeOffset);
  }

  /**
   * Relative offset of the last entry whose timestamp is below {@code timestampMs}: every batch up
   * to it is older than {@code timestampMs}. -1 when there is none.
   */
  int lastOffsetBefore(long timestampMs) {
    int lo = 0;
    int hi = count() - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (timestamp(mid) < timestampMs) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? -1 : relativeOffset(found);
  }

  /** Number of leading entries whose relative offset is at most {@code relativeOffset}. */
  int countUpTo(int relativeOffset) {
    int lo = 0;
    int hi = count();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (relativeOffset(mid) <= relativeOffset) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  void decode(ByteBuffer in, long[] slots, int at) {
    slots[at] = in.getLong();
    slots[at + 1] = in.getInt();
  }

  @Override
  void encode(long[] slots, int at, ByteBuffer out) {
    out.putLong(slots[at]).putInt((int) slots[at + 1]);
  }

  @Override
  boolean isValidFirst(long[] slots, int at) {
    return slots[at] >= 0 && slots[at + 1] >= 0;
  }

  @Override
  boolean follows(long[] slots, int prev, int next) {
    return slots[next] > slots[prev] && slots[next + 1] >= slots[prev + 1];
  }
}
