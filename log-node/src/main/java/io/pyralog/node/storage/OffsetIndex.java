package io.pyralog.node.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The sparse offset index of one segment: entries of (offset relative to the segment's base,
 * file position of the batch starting at that offset), both int32, strictly increasing. Both
 * values of an entry are packed in one long, relative offset in the high half, so a reader sees
 * them together.
 */
final class OffsetIndex extends SparseIndex {
  static final int ENTRY_BYTES = 8;

  OffsetIndex(Path path) throws IOException {
    super(path, ENTRY_BYTES, 1);
  }

  int relativeOffset(int entry) {
    return (int) (slot(entry, 0) >>> 32);
  }

  int position(int entry) {
    return (int) slot(entry, 0);
  }

  void append(int relativeOffset, int position) throws IOException {
    append(((long) relativeOffset << 32) | (position & 0xFFFF_FFFFL), 0);
  }

  /** Position of the last indexed batch starting at or before {@code relativeOffset}, else 0. */
  int floorPosition(int relativeOffset) {
    int n = count();
    int lo = 0;
    int hi = n - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (relativeOffset(mid) <= relativeOffset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? 0 : position(found);
  }

  /** Drops the entries that point at or past {@code position}. */
  void truncateToPositionsBelow(long position) throws IOException {
    int n = count();
    while (n > 0 && position(n - 1) >= position) {
      n--;
    }
    truncateEntries(n);
  }

  @Override
  void decode(ByteBuffer in, long[] slots, int at) {
    int rel = in.getInt();
    int pos = in.getInt();
    slots[at] = ((long) rel << 32) | (pos & 0xFFFF_FFFFL);
  }

  @Override
  void encode(long[] slots, int at, ByteBuffer out) {
    out.putInt((int) (slots[at] >>> 32)).putInt((int) slots[at]);
  }

  @Override
  boolean isValidFirst(long[] slots, int at) {
    return (int) (slots[at] >>> 32) >= 0 && (int) slots[at] >= 0;
  }

  @Override
  boolean follows(long[] slots, int prev, int next) {
    return (int) (slots[next] >>> 32) > (int) (slots[prev] >>> 32)
        && (int) slots[next] > (int) slots[prev];
  }
}
