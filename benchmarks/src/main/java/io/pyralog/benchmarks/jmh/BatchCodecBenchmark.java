package io.pyralog.benchmarks.jmh;

import io.pyralog.common.record.ArrowIpc;
import io.pyralog.common.record.BatchHeader;
import io.pyralog.common.record.StoredBatchEncoder;
import io.pyralog.common.schema.RawSchema;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batch encode and decode: one raw-schema batch of 256 records with 1 KiB values (262,144 value
 * bytes; the stored batch is about 266 KB with offsets, validity bitmaps, timestamps and the
 * header). One operation is one batch.
 *
 * <ul>
 *   <li>{@code encode}: what a node does with every DoPut batch: unload the root, write the IPC
 *       message behind 72 bytes of header space into a fresh byte array, scan the timestamps,
 *       write the header and its CRC32C;
 *   <li>{@code serializeIpc}: {@link ArrowIpc#serialize(VectorSchemaRoot)} alone (no header, no
 *       CRC), to split the encode cost;
 *   <li>{@code decode}: what a fetch does with every stored batch: {@link ArrowIpc#load} of the
 *       payload into a reused root.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED",
    "-Dpyralog.log.level=WARN", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@State(Scope.Thread)
public class BatchCodecBenchmark {
  private BufferAllocator allocator;
  private VectorSchemaRoot source;
  private VectorSchemaRoot target;
  private ByteBuffer storedPayload;

  @Setup(Level.Trial)
  public void setUp() {
    allocator = new RootAllocator();
    source = RawBatches.build(allocator, RawBatches.RECORDS, RawBatches.VALUE_BYTES,
        System.currentTimeMillis());
    target = VectorSchemaRoot.create(RawSchema.SCHEMA, allocator);
    StoredBatchEncoder.Encoded encoded = RawBatches.encodeAsNode(source, 1);
    ByteBuffer batch = ByteBuffer.wrap(encoded.array(), 0, encoded.length());
    BatchHeader.ensureValid(batch, 0, encoded.length());
    batch.position(BatchHeader.SIZE).limit(BatchHeader.batchLength(batch, 0));
    storedPayload = batch.slice();
    decode();
    VarBinaryVector in = (VarBinaryVector) source.getVector(RawSchema.VALUE);
    VarBinaryVector out = (VarBinaryVector) target.getVector(RawSchema.VALUE);
    if (target.getRowCount() != RawBatches.RECORDS
        || !Arrays.equals(in.get(RawBatches.RECORDS - 1),
            out.get(RawBatches.RECORDS - 1))) {
      throw new IllegalStateException("decode does not round-trip the encoded batch");
    }
    System.out.println("stored batch: " + encoded.length() + " bytes, IPC payload "
        + storedPayload.remaining() + " bytes");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    target.close();
    source.close();
    allocator.close();
  }

  @Benchmark
  public StoredBatchEncoder.Encoded encode() {
    return RawBatches.encodeAsNode(source, 1);
  }

  @Benchmark
  public byte[] serializeIpc() {
    return ArrowIpc.serialize(source);
  }

  @Benchmark
  public int decode() {
    ArrowIpc.load(storedPayload.duplicate(), target, allocator);
    return target.getRowCount();
  }
}
