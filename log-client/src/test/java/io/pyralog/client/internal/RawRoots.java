package io.pyralog.client.internal;

import io.pyralog.client.ProducerRecord;
import io.pyralog.common.schema.RawSchema;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/** Raw records as a root, for tests that read them back through Arrow's vectors. */
final class RawRoots {
  private RawRoots() {}

  /**
   * A root with {@link RawSchema#SCHEMA} holding {@code records}, as {@link RawRecords#write}
   * writes them; record {@code i} gets timestamp {@code timestamps[i]}. The caller closes it.
   */
  static VectorSchemaRoot build(BufferAllocator allocator, List<ProducerRecord> records,
      long[] timestamps) {
    VectorSchemaRoot root = VectorSchemaRoot.create(RawSchema.SCHEMA, allocator);
    try (ArrowRecordBatch batch = RawRecords.write(allocator,
        List.of(new RawRecords.Run(records, timestamps)))) {
      new VectorLoader(root).load(batch);
      return root;
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }
}
