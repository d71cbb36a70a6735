package io.pyralog.benchmarks.jmh;

import io.pyralog.common.record.BatchHeader;
import io.pyralog.common.record.StoredBatchEncoder;
import io.pyralog.common.schema.RawSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.MapVector;

/** Test data shared by the microbenchmarks: raw-schema batches and stored batches. */
final class RawBatches {
  /** Records per batch in the codec and produce benchmarks. */
  static final int RECORDS = 256;
  /** Value bytes per record in the codec and produce benchmarks. */
  static final int VALUE_BYTES = 1024;

  private RawBatches() {}

  /**
   * A root with {@link RawSchema#SCHEMA}: {@code records} rows, null keys, random values of
   * {@code valueBytes}, empty headers and timestamps {@code firstTimestamp + i}. The caller closes
   * it.
   */
  static VectorSchemaRoot build(BufferAllocator allocator, int records, int valueBytes,
      long firstTimestamp) {
    VectorSchemaRoot root = VectorSchemaRoot.create(RawSchema.SCHEMA, allocator);
    try {
      VarBinaryVector key = (VarBinaryVector) root.getVector(RawSchema.KEY);
      VarBinaryVector value = (VarBinaryVector) root.getVector(RawSchema.VALUE);
      MapVector headers = (MapVector) root.getVector(RawSchema.HEADERS);
      TimeStampMilliVector timestamp =
          (TimeStampMilliVector) root.getVector(RawSchema.TIMESTAMP);
      key.allocateNew(1, records);
      value.allocateNew((long) records * valueBytes, records);
      headers.allocateNew();
      timestamp.allocateNew(records);
      SplittableRandom random = new SplittableRandom(42);
      byte[] bytes = new byte[valueBytes];
      for (int i = 0; i < records; i++) {
        for (int j = 0; j < valueBytes; j++) {
          bytes[j] = (byte) random.nextInt(256);
        }
        key.setNull(i);
        value.setSafe(i, bytes);
        headers.startNewValue(i);
        headers.endValue(i, 0);
        timestamp.setSafe(i, firstTimestamp + i);
      }
      root.setRowCount(records);
      return root;
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  /**
   * Encodes {@code root} into a stored batch with the node's own encoder, as a node does on
   * DoPut.
   */
  static StoredBatchEncoder.Encoded encodeAsNode(VectorSchemaRoot root, int schemaId) {
    return StoredBatchEncoder.encode(root, true, System.currentTimeMillis(),
        BatchHeader.NO_PRODUCER_ID, BatchHeader.NO_PRODUCER_EPOCH, BatchHeader.NO_SEQUENCE,
        schemaId);
  }

  /**
   * A stored batch of {@code length} bytes (header included) with {@code records} records, both
   * timestamps {@code timestamp}, and a random payload that is not Arrow: the storage layer never
   * looks inside it.
   */
  static ByteBuffer opaqueBatch(int length, int records, long timestamp, long seed) {
    int payload = length - BatchHeader.SIZE;
    ByteBuffer buf = ByteBuffer.allocate(length);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = BatchHeader.SIZE; i < length; i++) {
      buf.put(i, (byte) random.nextInt(256));
    }
    BatchHeader.write(buf, 0, (short) 0, 0L, records, timestamp, timestamp,
        BatchHeader.NO_PRODUCER_ID, BatchHeader.NO_PRODUCER_EPOCH, BatchHeader.NO_SEQUENCE,
        BatchHeader.NO_TRANSACTION_ID, 0, payload);
    return buf;
  }

  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
