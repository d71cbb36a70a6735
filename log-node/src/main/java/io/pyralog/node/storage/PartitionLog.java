package io.pyralog.node.storage;

import io.pyralog.common.errors.Errors;
import io.pyralog.common.record.BatchHeader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stored log of one partition: a directory of segments, each a file of whole record batches
 * named by its first offset, with a sparse offset index and a time index.
 *
 * <p>Thread safety: one thread appends (the replica set's apply loop) while any number of threads
 * read. A reader sees a batch only once it is fully written, because segment sizes and the end
 * offset are published through volatile fields after the write. Changes that remove data
 * (truncation, retention, close) take a write lock that readers share. Mutating calls are
 * serialized among themselves.
 *
 * <p>Durability: appends go through the page cache; {@link #flush()} fsyncs. After a crash,
 * {@link #open} validates the active segment and cuts it at the first torn or corrupt batch.
 * Older segments get a cheaper check of their tail's headers; data they lost that was never
 * flushed is expected to be removed by the caller with {@link #truncateTo} to its last
 * checkpoint, which had flushed everything before it.
 *
 * <p>I/O failures are reported as {@link UncheckedIOException}.
 */
public final class PartitionLog implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);
  private static final Pattern SEGMENT_FILE = Pattern.compile("\\d{20}\\.(log|index|timeindex)");

  private final Path dir;
  private final LongSupplier clockMs;
  private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
  private final Object appendLock = new Object();
  private final ReentrantReadWriteLock removalLock = new ReentrantReadWriteLock();

  private volatile LogConfig config;
  private volatile LogSegment active;
  private volatile long logStartOffset;
  private volatile long logEndOffset;
  private volatile boolean directoryDirty;
  private final TransactionIndex transactions = new TransactionIndex();
  private volatile boolean closed;

  private PartitionLog(Path dir, LogConfig config, LongSupplier clockMs) {
    this.dir = dir;
    this.config = config;
    this.clockMs = clockMs;
  }

  /**
   * Opens (creating if missing) the partition directory and recovers it: scans the active (last)
   * segment from its last index entry, validates each batch (length and CRC32C) and truncates
   * the file at the first torn or corrupt batch, with a WARN that gives the reason. Rebuilds
   * missing or corrupt index files. A cut-off write never makes it fail.
   */
  public static PartitionLog open(Path dir, LogConfig config) {
    return open(dir, config, System::currentTimeMillis);
  }

  /** Like {@link #open(Path, LogConfig)}, reading the time for segment rolling from a clock. */
  public static PartitionLog open(Path dir, LogConfig config, LongSupplier clockMs) {
    PartitionLog log = new PartitionLog(dir, config, clockMs);
    try {
      log.load();
    } catch (IOException e) {
      log.closeQuietly();
      throw new UncheckedIOException("Cannot open the partition log in " + dir, e);
    } catch (RuntimeException e) {
      log.closeQuietly();
      throw e;
    }
    return log;
  }

  private void load() throws IOException {
    Files.createDirectories(dir);
    List<Long> bases = new ArrayList<>();
    List<Path> indexFiles = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (SEGMENT_FILE.matcher(name).matches()) {
          if (name.endsWith(LogSegment.LOG_SUFFIX)) {
            bases.add(Long.parseLong(name.substring(0, 20)));
          } else {
            indexFiles.add(file);
          }
        }
      }
    }
    bases.sort(null);
    for (Path index : indexFiles) {
      long base = Long.parseLong(index.getFileName().toString().substring(0, 20));
      if (!bases.contains(base)) {
        Files.delete(index); // left behind by a deletion that a crash interrupted
      }
    }
    long now = clockMs.getAsLong();
    // An empty last segment is what a crash right after a roll leaves; its predecessor is the
    // real tail and needs the full check.
    while (bases.size() > 1
        && Files.size(LogSegment.file(dir, bases.get(bases.size() - 1), LogSegment.LOG_SUFFIX))
            == 0) {
      long base = bases.remove(bases.size() - 1);
      LogSegment.create(dir, base).delete();
    }
    int interval = config.indexIntervalBytes();
    for (int i = 0; i < bases.size(); i++) {
      boolean last = i == bases.size() - 1;
      LogSegment segment = LogSegment.open(dir, bases.get(i), last, interval, now);
      segments.put(segment.baseOffset(), segment);
    }
    if (segments.isEmpty()) {
      LogSegment segment = LogSegment.create(dir, 0);
      segments.put(0L, segment);
      directoryDirty = true;
    }
    active = segments.lastEntry().getValue();
    logStartOffset = segments.firstKey();
    logEndOffset = active.nextOffset();
    LOG.info("Opened partition log {}: offsets [{}, {}) in {} segments", dir, logStartOffset,
        logEndOffset, segments.size());
  }

  /** True once the log was closed or deleted. */
  /** Open and aborted transactions of this partition (replicated state, kept in memory). */
  public TransactionIndex transactions() {
    return transactions;
  }

  public boolean isClosed() {
    return closed;
  }

  /** First offset still stored (0 for a new log). */
  public long logStartOffset() {
    return logStartOffset;
  }

  /** Next offset to be assigned. */
  public long logEndOffset() {
    return logEndOffset;
  }

  /**
   * Appends one complete batch, header and payload, from the buffer's position to its limit. The
   * batch is numbered from {@link #logEndOffset()} (its header's base offset and CRC are
   * rewritten in place) and written through the page cache. The active segment rolls first when
   * it holds {@code segmentBytes} or its first batch was appended {@code segmentMs} ago. The
   * buffer's position and limit are left unchanged.
   *
   * @return the base offset given to the batch
   */
  public long append(ByteBuffer batch) {
    int at = batch.position();
    int length = batch.remaining();
    int records = checkBatch(batch, at, length);
    long maxTimestamp = BatchHeader.maxTimestamp(batch, at);
    synchronized (appendLock) {
      ensureOpen();
      LogConfig cfg = config;
      long now = clockMs.getAsLong();
      long offset = logEndOffset;
      try {
        LogSegment segment = active;
        if (segment.shouldRoll(cfg, length, offset + records, now)) {
          segment = roll(segment, offset);
        }
        BatchHeader.assignBaseOffset(batch, at, offset);
        segment.append(batch, offset, records, maxTimestamp, now, cfg.indexIntervalBytes());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot append to the partition log in " + dir, e);
      }
      logEndOffset = offset + records;
      return offset;
    }
  }

  private static int checkBatch(ByteBuffer batch, int at, int length) {
    if (length < BatchHeader.SIZE) {
      throw Errors.CORRUPT_RECORD.exception("A record batch needs at least the "
          + BatchHeader.SIZE + "-byte header, but " + length + " bytes were given");
    }
    int declared = BatchHeader.batchLength(batch, at);
    if (declared != length || BatchHeader.payloadLength(batch, at) != length - BatchHeader.SIZE) {
      throw Errors.CORRUPT_RECORD.exception("The batch header declares " + declared
          + " bytes but the buffer holds " + length + "; pass exactly one batch");
    }
    int records = BatchHeader.recordCount(batch, at);
    if (records < 1) {
      throw Errors.CORRUPT_RECORD.exception("A record batch must hold at least one record, "
          + "but its header says " + records);
    }
    return records;
  }

  private LogSegment roll(LogSegment current, long offset) throws IOException {
    current.seal();
    LogSegment next = LogSegment.create(dir, offset);
    segments.put(offset, next);
    active = next;
    directoryDirty = true;
    LOG.info("Rolled partition log {}: new segment at offset {} after {} bytes", dir, offset,
        current.size());
    return next;
  }

  /**
   * Reads whole batches in order, starting with the one that contains {@code offset}. Stops
   * before the first batch whose base offset is at or above {@code endOffset} or the log end
   * offset as it was when the read began, and before a batch
   * that would take the total past {@code maxBytes}; the first batch is returned whatever its
   * size. Each buffer holds exactly one batch and is not affected by later writes. Returns an
   * empty list when {@code offset} is the end offset or {@code endOffset <= offset}.
   *
   * @throws io.pyralog.common.errors.ApiException OFFSET_OUT_OF_RANGE when {@code offset} is
   *     below {@link #logStartOffset()} or above {@link #logEndOffset()}
   */
  public List<ByteBuffer> read(long offset, long endOffset, int maxBytes) {
    return read(offset, endOffset, maxBytes, ByteBuffer::allocate);
  }

  /**
   * {@link #read(long, long, int)} into buffers of the caller's: {@code buffers} is asked for one
   * buffer of at least the given capacity per batch, in order, and the batch is read straight
   * into it (a direct buffer saves the copy a heap buffer needs).
   */
  public List<ByteBuffer> read(long offset, long endOffset, int maxBytes,
      IntFunction<ByteBuffer> buffers) {
    removalLock.readLock().lock();
    try {
      ensureOpen();
      long end = logEndOffset;
      checkInRange(offset, end);
      // A batch being appended can be in the segment before the end offset moves past it: read
      // only what is below the end offset seen here, so a reader never gets ahead of the end.
      long stop = Math.min(endOffset, end);
      if (stop <= offset) {
        return List.of();
      }
      List<ByteBuffer> batches = new ArrayList<>();
      ByteBuffer header = LogSegment.newHeaderBuffer();
      long total = 0;
      Map.Entry<Long, LogSegment> entry = segments.floorEntry(offset);
      int position = entry.getValue().positionOf(offset, entry.getValue().size(), header);
      while (entry != null) {
        // Once a later segment exists this one takes no more appends, so a size read after
        // finding the successor is final and no batch appended before the roll is skipped.
        Map.Entry<Long, LogSegment> next = segments.higherEntry(entry.getKey());
        LogSegment segment = entry.getValue();
        int limit = segment.size();
        while (position < limit) {
          segment.readHeader(position, header);
          int length = header.getInt(BatchHeader.LENGTH_OFFSET);
          if (header.getLong(BatchHeader.BASE_OFFSET_OFFSET) >= stop
              || (!batches.isEmpty() && total + length > maxBytes)) {
            return batches;
          }
          batches.add(segment.readBatch(position, length, buffers));
          total += length;
          position += length;
        }
        entry = next;
        position = 0;
      }
      return batches;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the partition log in " + dir, e);
    } finally {
      removalLock.readLock().unlock();
    }
  }

  private void checkInRange(long offset, long end) {
    long start = logStartOffset;
    if (offset < start || offset > end) {
      throw Errors.OFFSET_OUT_OF_RANGE.exception("Offset " + offset + " is out of range: the log "
          + "in " + dir + " holds offsets [" + start + ", " + end + "). Seek to an offset in "
          + "that range, or to the end offset to wait for new data.");
    }
  }

  /**
   * Base offset of the first batch whose max timestamp is at least {@code timestampMs}, or
   * {@link #logEndOffset()} when there is none.
   */
  public long offsetForTimestamp(long timestampMs) {
    removalLock.readLock().lock();
    try {
      ensureOpen();
      ByteBuffer header = LogSegment.newHeaderBuffer();
      long end = logEndOffset;
      Map.Entry<Long, LogSegment> entry = segments.firstEntry();
      while (entry != null) {
        Map.Entry<Long, LogSegment> next = segments.higherEntry(entry.getKey()); // as in read
        LogSegment segment = entry.getValue();
        if (segment.maxTimestamp() >= timestampMs) {
          long offset = segment.offsetForTimestamp(timestampMs, header);
          if (offset >= 0) {
            return offset;
          }
        }
        entry = next;
      }
      return end;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the time index of " + dir, e);
    } finally {
      removalLock.readLock().unlock();
    }
  }

  /**
   * fsyncs every segment and index file written since the last flush, and the directory when
   * segments were created or deleted. Everything appended before the call is durable after it.
   * May run while another thread appends.
   */
  public void flush() {
    removalLock.readLock().lock();
    try {
      ensureOpen();
      flushFiles();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot flush the partition log in " + dir, e);
    } finally {
      removalLock.readLock().unlock();
    }
  }

  private void flushFiles() throws IOException {
    for (LogSegment segment : segments.values()) {
      segment.flush();
    }
    if (directoryDirty) {
      directoryDirty = false;
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException e) {
        LOG.debug("Cannot fsync directory {} on this platform: {}", dir, e.toString());
      }
    }
  }

  /**
   * Removes every batch whose base offset is at or above {@code offset}; when {@code offset} is
   * inside a batch, that batch goes too. Later segments are deleted whole. When {@code offset} is
   * below {@link #logStartOffset()} the log becomes empty and starts at {@code offset}. Nothing
   * happens when {@code offset} is at or beyond {@link #logEndOffset()}.
   */
  public void truncateTo(long offset) {
    synchronized (appendLock) {
      removalLock.writeLock().lock();
      try {
        ensureOpen();
        if (offset >= logEndOffset) {
          return;
        }
        long before = logEndOffset;
        if (offset < logStartOffset) {
          restartEmptyAt(offset);
        } else {
          LogSegment keep = segments.floorEntry(offset).getValue();
          while (segments.lastKey() > keep.baseOffset()) {
            deleteSegment(segments.lastEntry().getValue());
          }
          int position = keep.positionOf(offset, keep.size(), LogSegment.newHeaderBuffer());
          keep.truncateTo(position, config.indexIntervalBytes());
          active = keep;
        }
        directoryDirty = true;
        logEndOffset = active.nextOffset();
        LOG.info("Truncated partition log {} to offset {}: end offset {} -> {}", dir, offset,
            before, logEndOffset);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot truncate the partition log in " + dir, e);
      } finally {
        removalLock.writeLock().unlock();
      }
    }
  }

  /**
   * Deletes every batch and makes the log empty, with its next offset at {@code offset}. Used when
   * a checkpoint names a partition whose files are gone: the log restarts where the checkpoint
   * says, so replayed entries get the same offsets as on every other replica.
   */
  public void resetTo(long offset) {
    synchronized (appendLock) {
      removalLock.writeLock().lock();
      try {
        ensureOpen();
        long before = logEndOffset;
        restartEmptyAt(offset);
        directoryDirty = true;
        logEndOffset = active.nextOffset();
        LOG.warn("Reset partition log {} to an empty log at offset {} (end offset was {})", dir,
            offset, before);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot reset the partition log in " + dir, e);
      } finally {
        removalLock.writeLock().unlock();
      }
    }
  }

  private void restartEmptyAt(long offset) throws IOException {
    while (!segments.isEmpty()) {
      deleteSegment(segments.lastEntry().getValue());
    }
    LogSegment segment = LogSegment.create(dir, offset);
    segments.put(offset, segment);
    active = segment;
    logStartOffset = offset;
  }

  private void deleteSegment(LogSegment segment) throws IOException {
    segments.remove(segment.baseOffset());
    segment.delete();
    directoryDirty = true;
  }

  /**
   * Deletes the oldest segments that are past retention: by time (the segment's newest timestamp
   * is older than {@code nowMs - retentionMs}; for a segment without timestamps its file's
   * modification time counts) and by size (while the log is larger than {@code retentionBytes}).
   * The active segment is never deleted, and only a prefix of the log is, so offsets stay dense.
   *
   * @return the number of segments deleted
   */
  public int deleteExpiredSegments(long nowMs) {
    synchronized (appendLock) {
      LogConfig cfg = config;
      if (cfg.retentionMs() < 0 && cfg.retentionBytes() < 0) {
        return 0;
      }
      removalLock.writeLock().lock();
      try {
        ensureOpen();
        long total = sizeInBytes();
        int deleted = 0;
        while (segments.size() > 1) {
          LogSegment oldest = segments.firstEntry().getValue();
          long newest = oldest.maxTimestamp() >= 0
              ? oldest.maxTimestamp() : oldest.lastModifiedMs();
          boolean expired = cfg.retentionMs() >= 0 && newest < nowMs - cfg.retentionMs();
          boolean tooBig = cfg.retentionBytes() >= 0 && total > cfg.retentionBytes();
          if (!expired && !tooBig) {
            break;
          }
          deleteSegment(oldest);
          total -= oldest.size();
          deleted++;
          logStartOffset = segments.firstKey();
          LOG.info("Deleted segment {} of partition log {} by {} retention; log start offset is "
              + "now {}", oldest.logFile().getFileName(), dir, expired ? "time" : "size",
              logStartOffset);
        }
        return deleted;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete segments of the partition log in " + dir, e);
      } finally {
        removalLock.writeLock().unlock();
      }
    }
  }

  /** Replaces the storage settings; they apply from the next append and retention run. */
  public void updateConfig(LogConfig config) {
    this.config = config;
  }

  public LogConfig config() {
    return config;
  }

  /** Bytes of stored batches, over all segments. */
  public long sizeInBytes() {
    long total = 0;
    for (LogSegment segment : segments.values()) {
      total += segment.size();
    }
    return total;
  }

  public int segmentCount() {
    return segments.size();
  }

  /** Flushes and closes the files. Later calls other than close fail with UNAVAILABLE. */
  @Override
  public void close() {
    synchronized (appendLock) {
      removalLock.writeLock().lock();
      try {
        if (closed) {
          return;
        }
        flushFiles();
        closed = true;
        closeSegments();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot close the partition log in " + dir, e);
      } finally {
        removalLock.writeLock().unlock();
      }
    }
  }

  /** Closes the log and deletes its directory. */
  public void delete() {
    synchronized (appendLock) {
      removalLock.writeLock().lock();
      try {
        closed = true;
        closeSegments();
        segments.clear();
        if (Files.exists(dir)) {
          try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
              Files.delete(p);
            }
          }
        }
        LOG.info("Deleted partition log {}", dir);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete the partition log in " + dir, e);
      } finally {
        removalLock.writeLock().unlock();
      }
    }
  }

  private void closeSegments() throws IOException {
    IOException failure = null;
    for (LogSegment segment : segments.values()) {
      try {
        segment.close();
      } catch (IOException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void closeQuietly() {
    closed = true;
    try {
      closeSegments();
    } catch (IOException e) {
      LOG.debug("Error closing {} after a failed open", dir, e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw Errors.UNAVAILABLE.exception("The partition log in " + dir + " is closed; the "
          + "partition was moved or deleted, or the node is shutting down");
    }
  }

  @Override
  public String toString() {
    return "PartitionLog(" + dir + ", [" + logStartOffset + ", " + logEndOffset + "))";
  }
}
