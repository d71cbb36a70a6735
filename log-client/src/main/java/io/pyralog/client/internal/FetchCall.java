package io.pyralog.client.internal;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.HasByteBuffer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.pyralog.common.annotation.Internal;
import io.pyralog.common.record.ArrowIpc;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.grpc.StatusUtils;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One Arrow Flight DoGet, called through gRPC directly rather than through Flight's {@code
 * FlightStream}. Flight's reader copies each message body into a new heap array and then into
 * Arrow memory; this one copies it once, from gRPC's buffers straight into Arrow memory, so a
 * fetch of many megabytes leaves no garbage behind. The wire format is Flight's own: the node
 * sees an ordinary DoGet.
 *
 * <p>Used by one thread at a time; {@link #cancel} may come from any thread.
 */
@Internal
final class FetchCall implements AutoCloseable {
  /** How many messages gRPC may deliver ahead of {@link #next()}. */
  private static final int PREFETCH = 4;
  private static final int TICKET_FIELD = (1 << 3) | 2;
  private static final int HEADER_FIELD = (2 << 3) | 2;
  private static final int APP_METADATA_FIELD = (3 << 3) | 2;
  private static final int BODY_FIELD = (1000 << 3) | 2;

  /** One FlightData message: an Arrow IPC header, app metadata, and the body in Arrow memory. */
  static final class FlightMessage implements AutoCloseable {
    private final Message header;
    private final byte[] appMetadata;
    private ArrowBuf body;

    FlightMessage(Message header, byte[] appMetadata, ArrowBuf body) {
      this.header = header;
      this.appMetadata = appMetadata;
      this.body = body;
    }

    boolean isSchema() {
      return header != null && header.headerType() == MessageHeader.Schema;
    }

    boolean isRecordBatch() {
      return header != null && header.headerType() == MessageHeader.RecordBatch;
    }

    Schema schema() {
      return MessageSerializer.deserializeSchema(header);
    }

    byte[] appMetadata() {
      return appMetadata;
    }

    /** Loads the record batch into {@code root}; its vectors take slices of the body. */
    void loadInto(VectorSchemaRoot root, BufferAllocator allocator) {
      ArrowBuf b = body == null ? allocator.getEmpty() : body;
      body = null; // loadBody takes over the reference
      ArrowIpc.loadBody(header, b, root);
    }

    @Override
    public void close() {
      if (body != null) {
        body.close();
        body = null;
      }
    }
  }

  /** Parses FlightData from gRPC's message stream, copying the body once into Arrow memory. */
  static final class FlightDataMarshaller implements MethodDescriptor.Marshaller<FlightMessage> {
    private final BufferAllocator allocator;

    FlightDataMarshaller(BufferAllocator allocator) {
      this.allocator = allocator;
    }

    @Override
    public InputStream stream(FlightMessage value) {
      throw new UnsupportedOperationException("fetch responses are only read");
    }

    @Override
    public FlightMessage parse(InputStream in) {
      Message header = null;
      byte[] appMetadata = null;
      ArrowBuf body = null;
      try {
        int tag;
        while ((tag = readVarint(in, true)) >= 0) {
          switch (tag) {
            case HEADER_FIELD -> header = Message.getRootAsMessage(ByteBuffer.wrap(readBytes(in)));
            case APP_METADATA_FIELD -> appMetadata = readBytes(in);
            case BODY_FIELD -> {
              if (body != null) {
                body.close();
              }
              body = readBody(in, readVarint(in, false));
            }
            default -> skipField(in, tag);
          }
        }
        return new FlightMessage(header, appMetadata, body);
      } catch (IOException | RuntimeException e) {
        if (body != null) {
          body.close();
        }
        throw Status.INTERNAL.withDescription("Malformed FlightData in a fetch response: " + e)
            .withCause(e).asRuntimeException();
      }
    }

    private ArrowBuf readBody(InputStream in, int length) throws IOException {
      ArrowBuf body = allocator.buffer(length);
      try {
        long at = 0;
        if (in instanceof HasByteBuffer direct && direct.byteBufferSupported()) {
          while (at < length) {
            ByteBuffer chunk = direct.getByteBuffer();
            if (chunk == null || !chunk.hasRemaining()) {
              break;
            }
            int n = (int) Math.min(chunk.remaining(), length - at);
            chunk.limit(chunk.position() + n);
            body.setBytes(at, chunk);
            at += n;
            in.skip(n);
          }
        }
        byte[] copy = null;
        while (at < length) {
          if (copy == null) {
            copy = new byte[(int) Math.min(64 << 10, length - at)];
          }
          int n = in.read(copy, 0, (int) Math.min(copy.length, length - at));
          if (n < 0) {
            throw new EOFException("FlightData body ends after " + at + " of " + length
                + " bytes");
          }
          body.setBytes(at, copy, 0, n);
          at += n;
        }
        body.writerIndex(length);
        return body;
      } catch (IOException | RuntimeException e) {
        body.close();
        throw e;
      }
    }

    private static byte[] readBytes(InputStream in) throws IOException {
      int length = readVarint(in, false);
      byte[] bytes = in.readNBytes(length);
      if (bytes.length != length) {
        throw new EOFException("FlightData field ends early");
      }
      return bytes;
    }

    private static void skipField(InputStream in, int tag) throws IOException {
      switch (tag & 7) {
        case 0 -> readVarint(in, false);
        case 1 -> skipFully(in, 8);
        case 2 -> skipFully(in, readVarint(in, false));
        case 5 -> skipFully(in, 4);
        default -> throw new IOException("unsupported protobuf wire type in tag " + tag);
      }
    }

    private static void skipFully(InputStream in, long n) throws IOException {
      if (in.skip(n) != n) {
        throw new EOFException("FlightData field ends early");
      }
    }

    /** A varint of at most 32 bits; -1 at the end of the stream when {@code endOk}. */
    private static int readVarint(InputStream in, boolean endOk) throws IOException {
      int result = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        int b = in.read();
        if (b < 0) {
          if (endOk && shift == 0) {
            return -1;
          }
          throw new EOFException("FlightData ends inside a varint");
        }
        result |= (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw new IOException("malformed varint in FlightData");
    }
  }

  /** Writes a Flight Ticket message: its one field holds the ticket bytes. */
  private static final class TicketMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] ticket) {
      byte[] out = new byte[1 + 5 + ticket.length];
      int at = 0;
      out[at++] = (byte) TICKET_FIELD;
      int n = ticket.length;
      while ((n & ~0x7f) != 0) {
        out[at++] = (byte) ((n & 0x7f) | 0x80);
        n >>>= 7;
      }
      out[at++] = (byte) n;
      System.arraycopy(ticket, 0, out, at, ticket.length);
      return new ByteArrayInputStream(out, 0, at + ticket.length);
    }

    @Override
    public byte[] parse(InputStream stream) {
      throw new UnsupportedOperationException("tickets are only written");
    }
  }

  /** The DoGet method of Flight's service, reading responses into {@code allocator}. */
  static MethodDescriptor<byte[], FlightMessage> doGet(BufferAllocator allocator) {
    return MethodDescriptor.<byte[], FlightMessage>newBuilder()
        .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(
            "arrow.flight.protocol.FlightService", "DoGet"))
        .setRequestMarshaller(new TicketMarshaller())
        .setResponseMarshaller(new FlightDataMarshaller(allocator))
        .build();
  }

  private final ClientCall<byte[], FlightMessage> call;
  private final ArrayDeque<FlightMessage> ready = new ArrayDeque<>();
  private boolean done;
  private FlightRuntimeException error;
  private boolean consumerClosed;

  private FetchCall(ClientCall<byte[], FlightMessage> call) {
    this.call = call;
  }

  /** Starts a DoGet of {@code ticket} that must end within {@code timeoutMs}. */
  static FetchCall start(ManagedChannel channel, MethodDescriptor<byte[], FlightMessage> method,
      byte[] ticket, long timeoutMs) {
    FetchCall fetch = new FetchCall(channel.newCall(method,
        CallOptions.DEFAULT.withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS)));
    fetch.call.start(fetch.new Listener(), new Metadata());
    fetch.call.sendMessage(ticket);
    fetch.call.halfClose();
    fetch.call.request(PREFETCH);
    return fetch;
  }

  /**
   * The next message, waiting for it; null once the stream has ended.
   *
   * @throws FlightRuntimeException with the node's status when the call failed
   */
  FlightMessage next() throws InterruptedException {
    FlightMessage m;
    synchronized (this) {
      while (ready.isEmpty() && !done) {
        wait();
      }
      m = ready.poll();
      if (m == null) {
        if (error != null) {
          throw error;
        }
        return null;
      }
    }
    call.request(1);
    return m;
  }

  void cancel(String reason) {
    call.cancel(reason, null);
  }

  /** Cancels the call if it is still running and frees messages not taken. */
  @Override
  public void close() {
    boolean running;
    synchronized (this) {
      consumerClosed = true;
      running = !done;
      ready.forEach(FlightMessage::close);
      ready.clear();
    }
    if (running) {
      call.cancel("fetch closed by the client", null);
    }
  }

  private final class Listener extends ClientCall.Listener<FlightMessage> {
    @Override
    public void onMessage(FlightMessage message) {
      synchronized (FetchCall.this) {
        if (consumerClosed) {
          message.close();
          return;
        }
        ready.add(message);
        FetchCall.this.notifyAll();
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      synchronized (FetchCall.this) {
        if (!status.isOk()) {
          error = StatusUtils.fromGrpcStatusAndTrailers(status, trailers).toRuntimeException();
        }
        done = true;
        FetchCall.this.notifyAll();
      }
    }
  }
}
