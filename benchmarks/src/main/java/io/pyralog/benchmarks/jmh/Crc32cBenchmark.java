package io.pyralog.benchmarks.jmh;

import io.pyralog.common.record.BatchHeader;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The batch CRC32C over a stored batch of {@code size} bytes (the CRC covers all but the first 8
 * bytes). One operation is one checksum of one batch.
 *
 * <ul>
 *   <li>{@code batchHeaderCrc}: {@link BatchHeader#computeCrc}, as append, apply and recovery use
 *       it (it makes a new {@link CRC32C} and a buffer view per call);
 *   <li>{@code reusedCrc32c}: the JDK's {@link CRC32C} held in a field and reset per call, over
 *       the same bytes: the floor for the checksum itself.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED",
    "-Dpyralog.log.level=WARN", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@State(Scope.Thread)
public class Crc32cBenchmark {
  @Param({"1024", "65536", "1048576"})
  public int size;

  private final CRC32C crc = new CRC32C();
  private ByteBuffer batch;

  @Setup(Level.Trial)
  public void setUp() {
    batch = RawBatches.opaqueBatch(size, 1, 0L, 7);
  }

  @Benchmark
  public int batchHeaderCrc() {
    return BatchHeader.computeCrc(batch, 0, size);
  }

  @Benchmark
  public int reusedCrc32c() {
    crc.reset();
    ByteBuffer b = batch;
    b.limit(size).position(BatchHeader.MAGIC_OFFSET);
    crc.update(b);
    return (int) crc.getValue();
  }
}
