package io.pyralog.benchmarks.jmh;

import io.pyralog.node.storage.LogConfig;
import io.pyralog.node.storage.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@link PartitionLog#append} of 256 KiB batches (header included) to a log in a temporary
 * directory, with the default 128 MiB segments and 4 KiB index interval. One operation is one
 * batch, so MB/s = ops/s x 0.262.
 *
 * <p>{@code flushEvery} = 0 never flushes: the writes stay in the page cache (the kernel writes
 * them back in the background). {@code flushEvery} = N calls {@link PartitionLog#flush()}
 * (fsync) after every N appends, i.e. every N x 256 KiB. Append includes what the apply loop
 * pays per batch: the header checks, renumbering, the CRC32C refresh over the whole batch, the
 * positional write and the sparse index entries. Every iteration starts from an empty log, which
 * is deleted afterwards so that dirty pages do not pile up across iterations.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED",
    "-Dpyralog.log.level=WARN", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@State(Scope.Thread)
public class SegmentAppendBenchmark {
  static final int BATCH_BYTES = 256 * 1024;
  static final int RECORDS_PER_BATCH = 256;

  /** Appends between two flushes; 0 never flushes. */
  @Param({"0", "64", "4"})
  public int flushEvery;

  private ByteBuffer batch;
  private Path dir;
  private PartitionLog log;
  private int sinceFlush;

  @Setup(Level.Trial)
  public void createBatch() {
    batch = RawBatches.opaqueBatch(BATCH_BYTES, RECORDS_PER_BATCH, System.currentTimeMillis(), 3);
  }

  @Setup(Level.Iteration)
  public void openLog() throws IOException {
    dir = Files.createTempDirectory("pyralog-jmh-append-");
    log = PartitionLog.open(dir.resolve("bench-0"), LogConfig.defaults());
    sinceFlush = 0;
  }

  @TearDown(Level.Iteration)
  public void deleteLog() {
    if (log != null) {
      log.delete();
      log = null;
    }
    RawBatches.deleteRecursively(dir);
  }

  @Benchmark
  public long append() {
    long offset = log.append(batch);
    if (flushEvery > 0 && ++sinceFlush == flushEvery) {
      sinceFlush = 0;
      log.flush();
    }
    return offset;
  }
}
