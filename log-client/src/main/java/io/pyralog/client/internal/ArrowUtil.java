package io.pyralog.client.internal;

import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.Errors;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/** Small Arrow helpers. */
@Internal
public final class ArrowUtil {
  private ArrowUtil() {}

  /**
   * Fails at once, with the fix in the message, when the JVM does not open {@code java.nio} to
   * Arrow. Without it Arrow cannot hand its buffers to gRPC: every produce request would fail
   * inside the client with "Failed to stream message" and be retried until the delivery timeout.
   */
  public static void requireNioAccess() {
    Module arrow = org.apache.arrow.memory.util.MemoryUtil.class.getModule();
    if (!java.nio.Buffer.class.getModule().isOpen("java.nio", arrow)) {
      throw Errors.INVALID_CONFIG.exception("Arrow needs the JVM option "
          + "--add-opens=java.base/java.nio=" + (arrow.isNamed() ? arrow.getName() : "ALL-UNNAMED")
          + "; add it to the java command line (see docs/client.md)");
    }
  }

  /** The readable bytes of a metadata buffer, or null. */
  public static byte[] bytes(ArrowBuf buf) {
    if (buf == null) {
      return null;
    }
    long n = buf.readableBytes();
    long from = buf.readerIndex();
    if (n <= 0) {
      n = buf.capacity();
      from = 0;
    }
    byte[] out = new byte[(int) n];
    buf.getBytes(from, out);
    return out;
  }

  /** A buffer holding {@code bytes}, with its writer index at the end. */
  public static ArrowBuf buffer(BufferAllocator allocator, byte[] bytes) {
    ArrowBuf buf = allocator.buffer(bytes.length);
    buf.setBytes(0, bytes);
    buf.writerIndex(bytes.length);
    return buf;
  }

  /**
   * A copy of {@code root}'s current rows, in memory of {@code allocator}, so the caller may
   * change or close {@code root} afterwards.
   */
  public static ArrowRecordBatch copy(VectorSchemaRoot root, BufferAllocator allocator) {
    try (ArrowRecordBatch source = new VectorUnloader(root).getRecordBatch()) {
      List<ArrowBuf> copies = new ArrayList<>(source.getBuffers().size());
      try {
        for (ArrowBuf b : source.getBuffers()) {
          long size = b.readableBytes();
          ArrowBuf c = allocator.buffer(Math.max(size, 0));
          if (size > 0) {
            c.setBytes(0, b, b.readerIndex(), size);
          }
          c.writerIndex(size);
          copies.add(c);
        }
        return new ArrowRecordBatch(source.getLength(), source.getNodes(), copies);
      } finally {
        for (ArrowBuf c : copies) {
          c.close(); // the record batch holds its own reference
        }
      }
    }
  }

  /** Bytes of the buffers in {@code batch}. */
  public static long sizeInBytes(ArrowRecordBatch batch) {
    long n = 0;
    for (ArrowBuf b : batch.getBuffers()) {
      n += b.readableBytes();
    }
    return n;
  }
}
