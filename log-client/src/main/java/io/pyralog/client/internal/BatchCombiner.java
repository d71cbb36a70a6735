package io.pyralog.client.internal;

import io.pyralog.common.annotation.Internal;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;

/**
 * Puts the Arrow batches of several partitions one after another into one batch, so that they
 * travel as one produce message. The inputs are copied and stay as they are (a batch that must be
 * resent alone later still has its own data).
 */
@Internal
final class BatchCombiner {
  private BatchCombiner() {}

  /** One batch holding the rows of {@code batches}, in order; the caller closes it. */
  static ArrowRecordBatch combine(Schema schema, BufferAllocator allocator,
      List<ArrowRecordBatch> batches) {
    try (VectorSchemaRoot combined = VectorSchemaRoot.create(schema, allocator);
        VectorSchemaRoot part = VectorSchemaRoot.create(schema, allocator)) {
      combined.allocateNew();
      VectorLoader loader = new VectorLoader(part);
      for (ArrowRecordBatch batch : batches) {
        loader.load(batch);
        VectorSchemaRootAppender.append(false, combined, part);
      }
      return new VectorUnloader(combined).getRecordBatch();
    }
  }
}
