package io.pyralog.client.internal;

import io.grpc.stub.AbstractStub;
import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Json;
import io.pyralog.common.protocol.ProduceAck;
import io.pyralog.common.protocol.ProduceDescriptor;
import io.pyralog.common.protocol.ProduceMetadata;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived DoPut stream: one topic, one leader, one producer id. Batches of any of the
 * topic's partitions that this leader leads go through it, several partitions' batches in one
 * message when they are ready together; the node answers one ack per message, in order, with one
 * result per batch, so a FIFO of what was sent tells which batch each result is for. Every batch
 * that enters the FIFO leaves it through exactly one {@link Event}: an ack, or the stream's
 * failure.
 */
@Internal
final class PutStream {
  private static final Logger LOG = LoggerFactory.getLogger(PutStream.class);

  /** A batch sent on a stream and not yet answered. */
  record InFlight(ProducerBatch batch, Sender.PartitionState partition) {}

  /** Something the sender thread must handle. */
  sealed interface Event permits Ack, Failed {}

  /** The node's answer to {@code inFlight}. */
  record Ack(PutStream stream, InFlight inFlight, ProduceAck ack) implements Event {}

  /** The stream ended; {@code unanswered} got no ack. */
  record Failed(PutStream stream, List<InFlight> unanswered, ApiException error)
      implements Event {}

  final String topic;
  final String address;
  private final Schema schema;
  private final BufferAllocator allocator;
  private final VectorSchemaRoot root;
  private final FlightClient.ClientStreamListener stream;
  private final Consumer<Event> events;
  /** Sent messages not yet answered, each the batches it carries in order. */
  private final ArrayDeque<List<InFlight>> fifo = new ArrayDeque<>();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final long createdNanos = System.nanoTime();
  private volatile boolean wasReady;
  private boolean closed;
  private boolean failureReported;

  /**
   * Opens the stream. {@code readyBytes} is how many bytes it may have queued for the network
   * and still count as ready ({@link #isReady()}): at least one whole message, so that a message
   * does not make the stream wait for the one before it to reach the socket.
   */
  PutStream(FlightClient client, String topic, String address, Schema schema,
      ProduceDescriptor descriptor, BufferAllocator allocator, int readyBytes,
      Consumer<Event> events) {
    this.topic = topic;
    this.address = address;
    this.schema = schema;
    this.allocator = allocator;
    this.events = events;
    this.root = VectorSchemaRoot.create(schema, allocator);
    try {
      this.stream = client.startPut(FlightDescriptor.command(Json.write(descriptor)), root,
          new Listener(), new OnReadyThreshold(readyBytes));
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  /** False when the stream can take no more batches now (flow control) or ever (closed). */
  boolean isReady() {
    synchronized (this) {
      if (closed) {
        return false;
      }
    }
    boolean ready = stream.isReady();
    if (ready) {
      wasReady = true;
    }
    return ready;
  }

  /** True once the stream has been ready to send: its node answered the connection. */
  boolean wasReady() {
    return wasReady;
  }

  long createdNanos() {
    return createdNanos;
  }

  synchronized boolean isClosed() {
    return closed;
  }

  /** Sent but unanswered messages. */
  synchronized int pending() {
    return fifo.size();
  }

  /** When the oldest unanswered batch was sent, or -1. */
  synchronized long oldestSentNanos() {
    List<InFlight> head = fifo.peekFirst();
    return head == null ? -1L : head.get(0).batch().lastSentNanos;
  }

  /**
   * Sends sealed batches of this stream's topic as one message: a single batch with its
   * partition and sequence, several as the parts of one combined Arrow batch. {@code
   * transactionNumber} is the open transaction's number on a transactional stream, else null;
   * {@code sequenced} says whether the batches carry sequence numbers. Returns the batches for
   * which no event will follow, because the stream was already closed or broke before they were
   * handed to it: none when all went out (each will be acked or reported failed).
   */
  List<InFlight> send(List<InFlight> message, Long transactionNumber, boolean sequenced) {
    byte[] md;
    if (message.size() == 1) {
      ProducerBatch b = message.get(0).batch();
      md = Json.write(new ProduceMetadata(b.tp.partition(),
          sequenced ? Integer.valueOf(b.sequence) : null, transactionNumber));
    } else {
      List<ProduceMetadata.Part> parts = new ArrayList<>(message.size());
      for (InFlight f : message) {
        ProducerBatch b = f.batch();
        parts.add(new ProduceMetadata.Part(b.tp.partition(),
            sequenced ? Integer.valueOf(b.sequence) : null, b.recordCount()));
      }
      md = Json.write(ProduceMetadata.ofParts(parts, transactionNumber));
    }
    if (message.size() == 1 && !message.get(0).batch().isRaw()) {
      return sendMessage(message, message.get(0).batch().data(), md) ? List.of() : message;
    }
    ArrowRecordBatch data;
    try {
      data = encode(message);
    } catch (CannotCombine e) {
      // a type the combiner cannot append: send the batches one message each
      LOG.debug("Cannot combine {} batches of {} into one message ({}); sending them one by one",
          message.size(), topic, e.getCause().toString());
      List<InFlight> unsent = new ArrayList<>();
      for (InFlight f : message) {
        unsent.addAll(send(List.of(f), transactionNumber, sequenced));
      }
      return unsent;
    } catch (RuntimeException e) {
      // no memory for the message: as when sending fails, the stream ends and its batches retry
      abort(toApi(e));
      return message;
    }
    try (data) {
      return sendMessage(message, data, md) ? List.of() : message;
    }
  }

  /**
   * The Arrow data of a message: raw batches are written straight from their records, in one
   * pass; batches the user built are copied one after another.
   */
  private ArrowRecordBatch encode(List<InFlight> message) {
    List<RawRecords.Run> runs = new ArrayList<>(message.size());
    for (InFlight f : message) {
      if (f.batch().isRaw()) {
        runs.add(f.batch().run());
      }
    }
    if (runs.size() == message.size()) {
      return RawRecords.write(allocator, runs);
    }
    List<ArrowRecordBatch> written = new ArrayList<>();
    try {
      List<ArrowRecordBatch> data = new ArrayList<>(message.size());
      for (InFlight f : message) {
        ProducerBatch b = f.batch();
        if (b.isRaw()) {
          ArrowRecordBatch one = RawRecords.write(allocator, List.of(b.run()));
          written.add(one);
          data.add(one);
        } else {
          data.add(b.data());
        }
      }
      try {
        return BatchCombiner.combine(schema, allocator, data);
      } catch (RuntimeException e) {
        throw new CannotCombine(e);
      }
    } finally {
      written.forEach(ArrowRecordBatch::close);
    }
  }

  /** The combiner could not append the batches of a message into one. */
  private static final class CannotCombine extends RuntimeException {
    CannotCombine(RuntimeException cause) {
      super(cause);
    }
  }

  /**
   * Sends one message. True when it entered the FIFO (events will follow); false when the
   * stream was already closed or broke while sending, in which case nothing will be reported.
   */
  private boolean sendMessage(List<InFlight> message, ArrowRecordBatch data, byte[] appMetadata) {
    synchronized (this) {
      if (closed) {
        return false;
      }
      fifo.addLast(message);
    }
    try {
      new VectorLoader(root).load(data);
      stream.putNext(ArrowUtil.buffer(allocator, appMetadata));
      return true;
    } catch (RuntimeException e) {
      boolean mine;
      synchronized (this) {
        mine = fifo.removeLastOccurrence(message);
      }
      abort(toApi(e));
      return !mine;
    }
  }

  /** Fails the stream now: unanswered batches are reported as failed with {@code error}. */
  void abort(ApiException error) {
    List<InFlight> rest;
    synchronized (this) {
      closed = true;
      rest = drain();
    }
    try {
      stream.error(error);
    } catch (RuntimeException e) {
      LOG.trace("Cancelling the put stream to {} failed", address, e);
    }
    report(rest, error);
  }

  /** Ends the stream normally; call when nothing is in flight. */
  void complete() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      stream.completed();
    } catch (RuntimeException e) {
      LOG.trace("Completing the put stream to {} failed", address, e);
    }
  }

  /** Releases the stream's Arrow memory; call after it is closed or aborted. */
  void release() {
    synchronized (this) {
      closed = true;
    }
    root.close();
  }

  /** Completes when the node has ended the stream (after {@link #complete()} or a failure). */
  CompletableFuture<Void> finished() {
    return finished;
  }

  private List<InFlight> drain() {
    List<InFlight> rest = new ArrayList<>();
    for (List<InFlight> message : fifo) {
      rest.addAll(message);
    }
    fifo.clear();
    return rest;
  }

  private void report(List<InFlight> rest, ApiException error) {
    boolean first;
    synchronized (this) {
      first = !failureReported;
      failureReported = true;
    }
    if (!rest.isEmpty() || first) {
      events.accept(new Failed(this, rest, error));
    }
  }

  static ApiException toApi(Throwable t) {
    if (t instanceof ApiException api) {
      return api;
    }
    if (t instanceof FlightRuntimeException fre) {
      try {
        return Errors.fromFlight(fre);
      } catch (RuntimeException e) {
        return new ApiException(Errors.UNAVAILABLE, "Put stream failed: " + fre.getMessage(), fre);
      }
    }
    return new ApiException(Errors.UNAVAILABLE,
        "Put stream broke: " + (t.getMessage() == null ? t.getClass().getSimpleName()
            : t.getMessage()), t);
  }

  /**
   * The result of each batch of {@code message} from the node's {@code ack}, or null when the
   * ack does not fit the message. An ack without parts answers a single batch, or rejects a
   * message of several as a whole.
   */
  static List<ProduceAck> resultsFor(List<InFlight> message, ProduceAck ack) {
    if (ack.parts() != null) {
      return ack.parts().size() == message.size() ? ack.parts() : null;
    }
    if (message.size() == 1) {
      return List.of(ack);
    }
    if (ack.error() == null) {
      return null;
    }
    List<ProduceAck> results = new ArrayList<>(message.size());
    for (InFlight f : message) {
      ProducerBatch b = f.batch();
      results.add(ProduceAck.failed(b.tp.partition(), b.sequence < 0 ? null : b.sequence,
          ack.error(), ack.message()));
    }
    return results;
  }

  @Override
  public String toString() {
    return "put stream(" + topic + " -> " + address + ")";
  }

  /** Sets gRPC's ready threshold of the call (32 KiB by default). */
  private record OnReadyThreshold(int bytes) implements CallOptions.GrpcCallOption {
    @Override
    public <T extends AbstractStub<T>> T wrapStub(T stub) {
      return stub.withOnReadyThreshold(bytes);
    }
  }

  private final class Listener implements FlightClient.PutListener {
    @Override
    public void onNext(PutResult result) {
      ProduceAck ack;
      try {
        ack = Json.read(ArrowUtil.bytes(result.getApplicationMetadata()), ProduceAck.class);
      } catch (RuntimeException e) {
        abort(new ApiException(Errors.UNKNOWN_SERVER_ERROR,
            "Node " + address + " sent an unreadable produce ack: " + e.getMessage(), e));
        return;
      }
      List<InFlight> head;
      synchronized (PutStream.this) {
        head = fifo.pollFirst();
      }
      if (head == null) {
        LOG.warn("Node {} sent an ack for partition {} of {} with nothing in flight; ignoring it",
            address, ack.partition(), topic);
        return;
      }
      List<ProduceAck> results = resultsFor(head, ack);
      if (results == null) {
        synchronized (PutStream.this) {
          fifo.addFirst(head);
        }
        abort(new ApiException(Errors.UNKNOWN_SERVER_ERROR, "Node " + address + " answered a "
            + "message of " + head.size() + " batch(es) of '" + topic + "' with "
            + (ack.parts() == null ? "one result" : ack.parts().size() + " results")));
        return;
      }
      for (int i = 0; i < head.size(); i++) {
        events.accept(new Ack(PutStream.this, head.get(i), results.get(i)));
      }
    }

    @Override
    public void onError(Throwable t) {
      List<InFlight> rest;
      synchronized (PutStream.this) {
        closed = true;
        rest = drain();
      }
      report(rest, toApi(t));
      finished.complete(null);
    }

    @Override
    public void onCompleted() {
      List<InFlight> rest;
      synchronized (PutStream.this) {
        closed = true;
        rest = drain();
      }
      if (!rest.isEmpty()) {
        report(rest, Errors.UNAVAILABLE.exception("Node " + address + " ended the put stream of '"
            + topic + "' with " + rest.size() + " batch(es) unacknowledged"));
      } else {
        report(rest, Errors.UNAVAILABLE.exception("Put stream ended"));
      }
      finished.complete(null);
    }

    @Override
    public void getResult() {
      finished.join();
    }

    /** Flight's putNext() waits for flow control until this turns true; so must a dead stream. */
    @Override
    public boolean isCancelled() {
      synchronized (PutStream.this) {
        return closed;
      }
    }
  }
}
