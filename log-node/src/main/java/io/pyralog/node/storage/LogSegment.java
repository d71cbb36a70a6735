package io.pyralog.node.storage;

import io.pyralog.common.errors.Errors;
import io.pyralog.common.record.BatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a partition: a {@code .log} file of whole batches, named by the offset of its
 * first record, with its offset and time indexes. One thread appends; readers use positional
 * reads and see only batches below the volatile {@link #size()}, which is published after the
 * batch and its index entries are written.
 */
final class LogSegment implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogSegment.class);

  static final String LOG_SUFFIX = ".log";
  static final String INDEX_SUFFIX = ".index";
  static final String TIME_INDEX_SUFFIX = ".timeindex";

  private final long baseOffset;
  private final FileHandle log;
  private final OffsetIndex offsetIndex;
  private final TimeIndex timeIndex;

  // Published to readers; written by the appending thread in this order: size, maxTimestamp,
  // nextOffset.
  private volatile int size;
  private volatile long maxTimestamp = -1;
  private volatile long nextOffset;
  private volatile boolean dirty;

  // Appending thread only.
  private int bytesSinceIndexEntry;
  private int lastBatchRelativeOffset = -1;
  private long firstAppendMs = -1;

  private LogSegment(Path dir, long baseOffset) throws IOException {
    this.baseOffset = baseOffset;
    this.log = FileHandle.open(file(dir, baseOffset, LOG_SUFFIX));
    this.offsetIndex = new OffsetIndex(file(dir, baseOffset, INDEX_SUFFIX));
    this.timeIndex = new TimeIndex(file(dir, baseOffset, TIME_INDEX_SUFFIX));
    this.nextOffset = baseOffset;
  }

  static Path file(Path dir, long baseOffset, String suffix) {
    return dir.resolve(String.format("%020d", baseOffset) + suffix);
  }

  /** Creates an empty segment, discarding any files left under its name. */
  static LogSegment create(Path dir, long baseOffset) throws IOException {
    LogSegment segment = new LogSegment(dir, baseOffset);
    segment.log.truncate(0);
    segment.offsetIndex.truncateEntries(0);
    segment.timeIndex.truncateEntries(0);
    return segment;
  }

  /**
   * Opens an existing segment. The active segment is validated batch by batch (CRC included)
   * from its last index entry and truncated at the first torn or corrupt batch. An older segment
   * only has its tail's headers checked; if they do not add up, or an index is missing or out of
   * order, the segment is validated in full and its indexes rebuilt.
   */
  static LogSegment open(Path dir, long baseOffset, boolean active, int indexIntervalBytes,
      long nowMs) throws IOException {
    LogSegment s = new LogSegment(dir, baseOffset);
    try {
      s.load(active, indexIntervalBytes, nowMs);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  private void load(boolean active, int indexIntervalBytes, long nowMs) throws IOException {
    boolean indexesIntact = offsetIndex.intact() && timeIndex.intact();
    if (log.size() == 0) {
      recover(true, false, true, indexIntervalBytes); // only clears stale index entries
    } else if (!indexesIntact) {
      LOG.warn("Rebuilding the indexes of segment {}: an index file is missing or corrupt",
          log.path());
      recover(true, true, true, indexIntervalBytes);
    } else if (active) {
      recover(false, true, true, indexIntervalBytes);
    } else if (!recover(false, false, false, indexIntervalBytes)) {
      recover(true, true, true, indexIntervalBytes);
    }
    if (!active) {
      seal();
    } else if (size > 0) {
      ByteBuffer header = newHeaderBuffer();
      readHeader(0, header);
      long firstTimestamp = header.getLong(BatchHeader.MAX_TIMESTAMP_OFFSET);
      // The append time of the first batch is not stored; its timestamp stands in for it.
      firstAppendMs = firstTimestamp >= 0 ? Math.min(firstTimestamp, nowMs) : nowMs;
    }
  }

  static ByteBuffer newHeaderBuffer() {
    return ByteBuffer.allocate(BatchHeader.SIZE).order(ByteOrder.LITTLE_ENDIAN);
  }

  long baseOffset() {
    return baseOffset;
  }

  /** Bytes of complete batches. */
  int size() {
    return size;
  }

  long maxTimestamp() {
    return maxTimestamp;
  }

  long nextOffset() {
    return nextOffset;
  }

  /** Last-modified time of the log file, for segments without record timestamps. */
  long lastModifiedMs() throws IOException {
    return Files.getLastModifiedTime(log.path()).toMillis();
  }

  Path logFile() {
    return log.path();
  }

  /**
   * Writes one batch, already numbered {@code baseOffset}, from {@code batch}'s position to its
   * limit; the buffer's position is left unchanged.
   */
  void append(ByteBuffer batch, long baseOffset, int recordCount, long batchMaxTimestamp,
      long nowMs, int indexIntervalBytes) throws IOException {
    int position = size;
    int length = batch.remaining();
    int start = batch.position();
    try {
      log.writeFully(batch, position);
    } finally {
      batch.position(start);
    }
    long maxTs = Math.max(maxTimestamp, batchMaxTimestamp);
    indexBatch((int) (baseOffset - this.baseOffset), position, length, maxTs, indexIntervalBytes);
    if (position == 0) {
      firstAppendMs = nowMs;
    }
    dirty = true;
    size = position + length;
    maxTimestamp = maxTs;
    nextOffset = baseOffset + recordCount;
  }

  private void indexBatch(int relativeOffset, int position, int length, long maxTsSoFar,
      int indexIntervalBytes) throws IOException {
    if (bytesSinceIndexEntry >= indexIntervalBytes) {
      offsetIndex.append(relativeOffset, position);
      timeIndex.maybeAppend(maxTsSoFar, relativeOffset);
      bytesSinceIndexEntry = 0;
    }
    bytesSinceIndexEntry += length;
    lastBatchRelativeOffset = relativeOffset;
  }

  /** Whether the next batch must go to a new segment. */
  boolean shouldRoll(LogConfig config, int batchLength, long batchEndOffset, long nowMs) {
    int s = size;
    return s > 0 && (s >= config.segmentBytes()
        || nowMs - firstAppendMs >= config.segmentMs()
        || (long) s + batchLength > Integer.MAX_VALUE
        || batchEndOffset - baseOffset > Integer.MAX_VALUE);
  }

  /** Records the segment's newest timestamp in the time index, once it stops being active. */
  void seal() throws IOException {
    if (size > 0) {
      timeIndex.maybeAppend(maxTimestamp, lastBatchRelativeOffset);
    }
  }

  /**
   * Position of the batch that contains {@code offset}, or {@code limit} when no batch below
   * {@code limit} does.
   */
  int positionOf(long offset, int limit, ByteBuffer header) throws IOException {
    int relative = (int) Math.min(Math.max(offset - baseOffset, 0), Integer.MAX_VALUE);
    int position = offsetIndex.floorPosition(relative);
    while (position < limit) {
      readHeader(position, header);
      if (header.getLong(BatchHeader.BASE_OFFSET_OFFSET)
          + header.getInt(BatchHeader.RECORD_COUNT_OFFSET) > offset) {
        return position;
      }
      position += header.getInt(BatchHeader.LENGTH_OFFSET);
    }
    return limit;
  }

  /** Base offset of the first batch whose max timestamp is at least {@code timestampMs}, or -1. */
  long offsetForTimestamp(long timestampMs, ByteBuffer header) throws IOException {
    int limit = size;
    int before = timeIndex.lastOffsetBefore(timestampMs);
    int position = before < 0 ? 0 : positionOf(baseOffset + before, limit, header);
    while (position < limit) {
      readHeader(position, header);
      if (header.getLong(BatchHeader.MAX_TIMESTAMP_OFFSET) >= timestampMs) {
        return header.getLong(BatchHeader.BASE_OFFSET_OFFSET);
      }
      position += header.getInt(BatchHeader.LENGTH_OFFSET);
    }
    return -1;
  }

  /** Reads the header of the complete batch at {@code position} into {@code header}. */
  void readHeader(int position, ByteBuffer header) throws IOException {
    header.clear();
    log.readFully(header, position);
    int length = header.getInt(BatchHeader.LENGTH_OFFSET);
    if (length < BatchHeader.SIZE || (long) position + length > size) {
      throw Errors.CORRUPT_RECORD.exception("Batch at position " + position + " of "
          + log.path() + " has length " + length + ", which does not fit the segment of "
          + size + " bytes");
    }
  }

  /**
   * Reads the batch of {@code length} bytes at {@code position} into a buffer from {@code
   * buffers}, and returns that buffer from 0 to {@code length}.
   */
  ByteBuffer readBatch(int position, int length, IntFunction<ByteBuffer> buffers)
      throws IOException {
    ByteBuffer batch = buffers.apply(length);
    batch.clear().limit(length);
    log.readFully(batch, position);
    return batch.flip();
  }

  /**
   * Removes the batch at {@code position} and everything after it; {@code position} must be a
   * batch boundary.
   */
  void truncateTo(int position, int indexIntervalBytes) throws IOException {
    log.truncate(position);
    offsetIndex.truncateToPositionsBelow(position);
    dirty = true;
    recover(false, false, true, indexIntervalBytes);
    if (size == 0) {
      firstAppendMs = -1;
    }
  }

  /**
   * Re-derives size, next offset, newest timestamp and the index tail by scanning from the last
   * offset index entry (or from the start) to the end of the file, and re-adds index entries the
   * scan passes. On the first batch that is torn, corrupt ({@code checkCrc}) or out of sequence
   * it truncates the file there, or returns false without changes when {@code mayTruncate} is
   * false. When the batch at the last index entry itself fails, the scan steps back one entry,
   * since that entry may point at no batch at all.
   */
  private boolean recover(boolean fromStart, boolean checkCrc, boolean mayTruncate,
      int indexIntervalBytes) throws IOException {
    long fileSize = log.size();
    if (fromStart) {
      offsetIndex.truncateEntries(0);
      timeIndex.truncateEntries(0);
    } else {
      offsetIndex.truncateToPositionsBelow(fileSize);
    }
    ByteBuffer scratch = newHeaderBuffer();
    int failedEntryPosition = -1;
    while (true) {
      int entries = offsetIndex.count();
      int startRelative = entries == 0 ? 0 : offsetIndex.relativeOffset(entries - 1);
      int startPosition = entries == 0 ? 0 : offsetIndex.position(entries - 1);
      int keptTimeEntries = timeIndex.countUpTo(startRelative);
      long maxTs = keptTimeEntries == 0 ? -1 : timeIndex.timestamp(keptTimeEntries - 1);
      int position = startPosition;
      long expected = baseOffset + startRelative;
      int lastRelative = -1;
      bytesSinceIndexEntry = 0;
      String problem = null;
      while (position < fileSize) {
        long available = fileSize - position;
        scratch.clear().limit((int) Math.min(available, BatchHeader.SIZE));
        log.readFully(scratch, position);
        problem = checkHeader(scratch, available, expected);
        if (problem == null && checkCrc) {
          int length = scratch.getInt(BatchHeader.LENGTH_OFFSET);
          if (scratch.capacity() < length) {
            scratch = ByteBuffer.allocate(Math.max(length, scratch.capacity() * 2))
                .order(ByteOrder.LITTLE_ENDIAN).put(scratch.flip());
          }
          scratch.limit(length).position(BatchHeader.SIZE);
          log.readFully(scratch, position + BatchHeader.SIZE);
          problem = BatchHeader.validate(scratch, 0, length);
        }
        if (problem != null) {
          break;
        }
        int length = scratch.getInt(BatchHeader.LENGTH_OFFSET);
        int relative = (int) (expected - baseOffset);
        maxTs = Math.max(maxTs, scratch.getLong(BatchHeader.MAX_TIMESTAMP_OFFSET));
        if (bytesSinceIndexEntry >= indexIntervalBytes && timeIndex.count() > keptTimeEntries) {
          timeIndex.truncateEntries(keptTimeEntries); // stale entries past the last offset entry
        }
        indexBatch(relative, position, length, maxTs, indexIntervalBytes);
        keptTimeEntries = Math.max(keptTimeEntries, timeIndex.countUpTo(relative));
        lastRelative = relative;
        expected += scratch.getInt(BatchHeader.RECORD_COUNT_OFFSET);
        position += length;
      }
      if (problem != null && !mayTruncate) {
        return false;
      }
      if (problem != null && position == startPosition && entries > 0) {
        if (failedEntryPosition < 0) {
          failedEntryPosition = startPosition;
        }
        offsetIndex.truncateEntries(entries - 1);
        continue;
      }
      if (failedEntryPosition >= 0 && position != failedEntryPosition) {
        LOG.warn("Rebuilt the offset index tail of segment {}: an entry pointed at position {}, "
            + "where no batch starts", log.path(), failedEntryPosition);
      }
      if (problem != null) {
        LOG.warn("Truncating segment {} at position {} (offset {}), discarding {} bytes: {}",
            log.path(), position, expected, fileSize - position, problem);
        log.truncate(position);
        dirty = true;
      }
      timeIndex.truncateEntries(timeIndex.countUpTo((int) (expected - baseOffset) - 1));
      lastBatchRelativeOffset = lastRelative;
      size = position;
      maxTimestamp = maxTs;
      nextOffset = expected;
      return true;
    }
  }

  /** Structural checks of a batch header, without the CRC. Null when it looks right. */
  private String checkHeader(ByteBuffer header, long available, long expectedOffset) {
    if (available < BatchHeader.SIZE) {
      return "truncated header: " + available + " of " + BatchHeader.SIZE + " bytes";
    }
    byte magic = header.get(BatchHeader.MAGIC_OFFSET);
    int length = header.getInt(BatchHeader.LENGTH_OFFSET);
    if (magic != BatchHeader.MAGIC) {
      return "bad magic " + magic;
    }
    if (length < BatchHeader.SIZE
        || header.getInt(BatchHeader.PAYLOAD_LENGTH_OFFSET) != length - BatchHeader.SIZE) {
      return "inconsistent batch length " + length;
    }
    if (length > available) {
      return "truncated batch: " + available + " of " + length + " bytes";
    }
    long base = header.getLong(BatchHeader.BASE_OFFSET_OFFSET);
    if (base != expectedOffset) {
      return "base offset " + base + " where " + expectedOffset + " was expected";
    }
    int records = header.getInt(BatchHeader.RECORD_COUNT_OFFSET);
    if (records < 1 || base + records - baseOffset > Integer.MAX_VALUE) {
      return "bad record count " + records;
    }
    return null;
  }

  /** fsyncs the log and index files if anything was written since the last flush. */
  void flush() throws IOException {
    if (dirty) {
      dirty = false;
      log.force();
    }
    offsetIndex.flush();
    timeIndex.flush();
  }

  @Override
  public void close() throws IOException {
    log.close();
    offsetIndex.close();
    timeIndex.close();
  }

  /** Closes and deletes the files, the log first so that a crash leaves no segment without it. */
  void delete() throws IOException {
    log.delete();
    offsetIndex.delete();
    timeIndex.delete();
  }
}
