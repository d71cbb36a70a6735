package io.pyralog.node.server.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Arrow memory for the batches of one partition read: each buffer handed out is a view of a new
 * {@link ArrowBuf}, so a batch read from a segment file lands where Flight sends it from. Closing
 * drops this holder's references; vectors loaded from a buffer keep it alive until they are done.
 */
final class ArrowReadBuffers implements IntFunction<ByteBuffer>, AutoCloseable {
  private final BufferAllocator allocator;
  private final List<ArrowBuf> buffers = new ArrayList<>();

  ArrowReadBuffers(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  @Override
  public ByteBuffer apply(int capacity) {
    ArrowBuf buf = allocator.buffer(capacity);
    buffers.add(buf);
    return buf.nioBuffer(0, capacity);
  }

  /** The memory behind the {@code i}-th buffer handed out. */
  ArrowBuf get(int i) {
    return buffers.get(i);
  }

  @Override
  public void close() {
    buffers.forEach(ArrowBuf::close);
    buffers.clear();
  }
}
