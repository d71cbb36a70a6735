package io.pyralog.node.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An append-only file of fixed-size little-endian entries, mirrored in a {@code long[]} so that
 * lookups never touch the disk. One thread appends and truncates; any number of threads may look
 * entries up at the same time. An entry is published by the volatile write of {@link #count}
 * after its slots are filled, and the array only ever grows, so a reader that reads {@code count}
 * first always finds its entries in the array it reads next.
 */
abstract class SparseIndex implements AutoCloseable {
  private final FileHandle file;
  private final int entryBytes;
  private final int slotsPerEntry;
  private final ByteBuffer entryBuffer;
  private final boolean intact;
  private volatile long[] slots;
  private volatile int count;
  private volatile boolean dirty;

  SparseIndex(Path path, int entryBytes, int slotsPerEntry) throws IOException {
    this.entryBytes = entryBytes;
    this.slotsPerEntry = slotsPerEntry;
    this.entryBuffer = ByteBuffer.allocate(entryBytes).order(ByteOrder.LITTLE_ENDIAN);
    boolean existed = Files.exists(path);
    this.file = FileHandle.open(path);
    long fileBytes = file.size();
    int entries = (int) Math.min(fileBytes / entryBytes, (Integer.MAX_VALUE - 8) / entryBytes);
    ByteBuffer content = ByteBuffer.allocate(entries * entryBytes).order(ByteOrder.LITTLE_ENDIAN);
    file.readFully(content, 0);
    content.flip();
    long[] loaded = new long[Math.max(16, entries) * slotsPerEntry];
    boolean ordered = true;
    for (int i = 0; i < entries && ordered; i++) {
      decode(content, loaded, i * slotsPerEntry);
      ordered = i == 0 ? isValidFirst(loaded, 0) : follows(loaded, (i - 1) * slotsPerEntry,
          i * slotsPerEntry);
    }
    this.slots = loaded;
    this.intact = existed && ordered;
    if (!ordered) {
      this.count = 0;
      file.truncate(0);
    } else {
      this.count = entries;
      if (fileBytes != (long) entries * entryBytes) {
        file.truncate((long) entries * entryBytes); // a torn last entry
      }
    }
  }

  /** Reads one entry from {@code in} into {@code slots[at..]}. */
  abstract void decode(ByteBuffer in, long[] slots, int at);

  /** Writes the entry at {@code slots[at..]} to {@code out}. */
  abstract void encode(long[] slots, int at, ByteBuffer out);

  /** Whether a stored first entry is plausible. */
  abstract boolean isValidFirst(long[] slots, int at);

  /** Whether the entry at {@code next} may follow the one at {@code prev}. */
  abstract boolean follows(long[] slots, int prev, int next);

  /** False when the file was missing or its entries were out of order (it is then empty). */
  final boolean intact() {
    return intact;
  }

  final int count() {
    return count;
  }

  /** Slot {@code slot} of entry {@code entry}; callers read {@link #count()} first. */
  final long slot(int entry, int slot) {
    return slots[entry * slotsPerEntry + slot];
  }

  /** Appends an entry whose slots are {@code a} and {@code b} (b is ignored for one slot). */
  final void append(long a, long b) throws IOException {
    int n = count;
    long[] s = slots;
    int at = n * slotsPerEntry;
    if (at + slotsPerEntry > s.length) {
      s = Arrays.copyOf(s, s.length * 2);
      slots = s;
    }
    s[at] = a;
    if (slotsPerEntry > 1) {
      s[at + 1] = b;
    }
    entryBuffer.clear();
    encode(s, at, entryBuffer);
    entryBuffer.flip();
    file.writeFully(entryBuffer, (long) n * entryBytes);
    dirty = true;
    count = n + 1;
  }

  /** Keeps the first {@code entries} entries. */
  final void truncateEntries(int entries) throws IOException {
    if (entries < count) {
      count = entries;
      file.truncate((long) entries * entryBytes);
      dirty = true;
    }
  }

  final void flush() throws IOException {
    if (dirty) {
      dirty = false;
      file.force();
    }
  }

  @Override
  public final void close() throws IOException {
    file.close();
  }

  final void delete() throws IOException {
    file.delete();
  }
}
