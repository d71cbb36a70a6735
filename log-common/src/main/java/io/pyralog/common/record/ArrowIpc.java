package io.pyralog.common.record;

import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.Errors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;

/** Converts between Arrow record batches and the IPC message bytes stored as batch payloads. */
@Internal
public final class ArrowIpc {
  private ArrowIpc() {}

  /** Serializes the current contents of {@code root} as one IPC record batch message. */
  public static byte[] serialize(VectorSchemaRoot root) {
    try (ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch()) {
      return serialize(batch);
    }
  }

  public static byte[] serialize(ArrowRecordBatch batch) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 64,
          batch.computeBodyLength() + 512));
      MessageSerializer.serialize(new WriteChannel(Channels.newChannel(out)), batch);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot serialize Arrow batch", e);
    }
  }

  /**
   * Reads one IPC record batch message into {@code root}, replacing its contents. The root must
   * have the schema the batch was written with.
   */
  public static void load(ByteBuffer payload, VectorSchemaRoot root, BufferAllocator allocator) {
    load(new ByteBufferChannel(payload.duplicate()), root, allocator);
  }

  public static void load(byte[] payload, VectorSchemaRoot root, BufferAllocator allocator) {
    load(new ByteArrayReadableSeekableByteChannel(payload), root, allocator);
  }

  /**
   * Loads the IPC record batch message held in {@code buf} from {@code offset} for {@code
   * length} bytes into {@code root} without copying its body: the root's vectors take references
   * to slices of {@code buf}, which stays valid as long as any of them holds it.
   */
  public static void loadInPlace(ArrowBuf buf, long offset, long length, VectorSchemaRoot root) {
    try (ReadChannel in = new ReadChannel(new ByteBufferChannel(buf.nioBuffer(offset,
        (int) length)))) {
      MessageMetadataResult message = MessageSerializer.readMessage(in);
      if (message == null || message.getMessage().headerType() != MessageHeader.RecordBatch) {
        throw Errors.CORRUPT_RECORD.exception("Batch payload holds no Arrow record batch");
      }
      long bodyLength = message.getMessageBodyLength();
      if (in.bytesRead() + bodyLength > length) {
        throw Errors.CORRUPT_RECORD.exception("Arrow record batch body of " + bodyLength
            + " bytes does not fit the payload of " + length + " bytes");
      }
      ArrowBuf body = buf.slice(offset + in.bytesRead(), bodyLength);
      body.getReferenceManager().retain(); // the reference loadBody takes over
      loadBody(message.getMessage(), body, root);
    } catch (IOException | RuntimeException e) {
      throw corrupt(e);
    }
  }

  /**
   * Loads the record batch whose IPC header is {@code header} and whose body is {@code body} into
   * {@code root}, which takes slices of the body without copying it. Takes over one reference of
   * {@code body}: it is released here whether the load succeeds or not.
   */
  public static void loadBody(Message header, ArrowBuf body, VectorSchemaRoot root) {
    ArrowRecordBatch batch;
    try {
      // releases the body's reference once the batch holds its own
      batch = MessageSerializer.deserializeRecordBatch(header, body);
    } catch (IOException | RuntimeException e) {
      body.getReferenceManager().release();
      throw corrupt(e);
    }
    try (batch) {
      new VectorLoader(root).load(batch);
    } catch (RuntimeException e) {
      throw corrupt(e);
    }
  }

  private static RuntimeException corrupt(Exception e) {
    if (e instanceof io.pyralog.common.errors.ApiException api) {
      return api;
    }
    return Errors.CORRUPT_RECORD.exception("Cannot decode Arrow batch payload: " + e.getMessage());
  }

  private static void load(ReadableByteChannel channel, VectorSchemaRoot root,
      BufferAllocator allocator) {
    try (ReadChannel in = new ReadChannel(channel)) {
      ArrowRecordBatch batch = MessageSerializer.deserializeRecordBatch(in, allocator);
      if (batch == null) {
        throw Errors.CORRUPT_RECORD.exception("Batch payload holds no Arrow record batch");
      }
      try (batch) {
        new VectorLoader(root).load(batch);
      }
    } catch (IOException | RuntimeException e) {
      throw corrupt(e);
    }
  }

  /** Reads a buffer's remaining bytes without copying them anywhere first. */
  private static final class ByteBufferChannel implements ReadableByteChannel {
    private final ByteBuffer source;
    private boolean open = true;

    ByteBufferChannel(ByteBuffer source) {
      this.source = source;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (!source.hasRemaining()) {
        return -1;
      }
      int n = Math.min(dst.remaining(), source.remaining());
      ByteBuffer chunk = source.slice();
      chunk.limit(n);
      dst.put(chunk);
      source.position(source.position() + n);
      return n;
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
