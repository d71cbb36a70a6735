package io.pyralog.benchmarks.jmh;

import io.pyralog.common.record.BatchHeader;
import io.pyralog.node.storage.LogConfig;
import io.pyralog.node.storage.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lookups in a partition log of 100,000 batches of 1 KiB (8 records each, so offsets 0 to
 * 800,000) in 16 MiB segments (7 segments), with the default 4 KiB index interval. Batch
 * {@code i} has timestamp {@code t0 + i}. The log is written once per fork and stays in the page
 * cache.
 *
 * <ul>
 *   <li>{@code read}: {@link PartitionLog#read} from a random offset with {@code maxBytes} 1 KiB
 *       (the one batch that holds the offset) or 64 KiB (64 batches); one operation is one read;
 *   <li>{@code offsetForTimestamp}: {@link PartitionLog#offsetForTimestamp} of a random time in
 *       the log's range.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED",
    "-Dpyralog.log.level=WARN", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class IndexLookupBenchmark {
  static final int BATCHES = 100_000;
  static final int BATCH_BYTES = 1024;
  static final int RECORDS_PER_BATCH = 8;
  static final long SEGMENT_BYTES = 16L << 20;
  /** Random lookups are drawn from a table of this many (a power of two). */
  static final int KEYS = 1 << 16;

  /** The log, shared by the benchmark threads of a fork. */
  @State(Scope.Benchmark)
  public static class Log {
    Path dir;
    PartitionLog log;
    long firstTimestamp;

    @Setup(Level.Trial)
    public void write() throws IOException {
      dir = Files.createTempDirectory("pyralog-jmh-index-");
      LogConfig defaults = LogConfig.defaults();
      LogConfig config = new LogConfig(SEGMENT_BYTES, defaults.segmentMs(), -1, -1,
          defaults.indexIntervalBytes());
      log = PartitionLog.open(dir.resolve("bench-0"), config);
      firstTimestamp = System.currentTimeMillis() - BATCHES;
      ByteBuffer batch = RawBatches.opaqueBatch(BATCH_BYTES, RECORDS_PER_BATCH, 0L, 5);
      ByteBuffer le = batch.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < BATCHES; i++) {
        long ts = firstTimestamp + i;
        le.putLong(BatchHeader.FIRST_TIMESTAMP_OFFSET, ts);
        le.putLong(BatchHeader.MAX_TIMESTAMP_OFFSET, ts);
        log.append(batch); // refreshes the CRC
      }
      if (log.logEndOffset() != (long) BATCHES * RECORDS_PER_BATCH) {
        throw new IllegalStateException("log end offset " + log.logEndOffset());
      }
      System.out.println("log: " + log.segmentCount() + " segments, " + log.sizeInBytes()
          + " bytes, offsets [0, " + log.logEndOffset() + ")");
    }

    @TearDown(Level.Trial)
    public void delete() {
      log.delete();
      RawBatches.deleteRecursively(dir);
    }
  }

  /** Per-thread random keys and the read size. */
  @State(Scope.Thread)
  public static class Reads {
    @Param({"1024", "65536"})
    public int maxBytes;

    final long[] offsets = new long[KEYS];
    int next;

    @Setup(Level.Trial)
    public void draw(Log log) {
      SplittableRandom random = new SplittableRandom(11);
      long end = log.log.logEndOffset();
      for (int i = 0; i < KEYS; i++) {
        offsets[i] = random.nextLong(end);
      }
    }
  }

  /** Per-thread random timestamps. */
  @State(Scope.Thread)
  public static class Times {
    final long[] timestamps = new long[KEYS];
    int next;

    @Setup(Level.Trial)
    public void draw(Log log) {
      SplittableRandom random = new SplittableRandom(13);
      for (int i = 0; i < KEYS; i++) {
        timestamps[i] = log.firstTimestamp + random.nextLong(BATCHES);
      }
    }
  }

  @Benchmark
  public List<ByteBuffer> read(Log log, Reads reads) {
    long offset = reads.offsets[reads.next++ & (KEYS - 1)];
    return log.log.read(offset, Long.MAX_VALUE, reads.maxBytes);
  }

  @Benchmark
  public long offsetForTimestamp(Log log, Times times) {
    return log.log.offsetForTimestamp(times.timestamps[times.next++ & (KEYS - 1)]);
  }
}
