package io.pyralog.client.internal;

import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Json;
import io.pyralog.common.protocol.ProduceAck;
import io.pyralog.common.protocol.ProduceDescriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived DoPut stream: one topic, one leader, one producer id. Batches of any of the
 * topic's partitions that this leader leads go through it; the node answers one ack per batch, in
 * order, so a FIFO of what was sent tells which batch each ack is for. Every batch that enters the
 * FIFO leaves it through exactly one {@link Event}: an ack, or the stream's failure.
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
  private final BufferAllocator allocator;
  private final VectorSchemaRoot root;
  private final FlightClient.ClientStreamListener stream;
  private final Consumer<Event> events;
  private final ArrayDeque<InFlight> fifo = new ArrayDeque<>();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final long createdNanos = System.nanoTime();
  private volatile boolean wasReady;
  private boolean closed;
  private boolean failureReported;

  PutStream(FlightClient client, String topic, String address, Schema schema,
      ProduceDescriptor descriptor, BufferAllocator allocator, Consumer<Event> events) {
    this.topic = topic;
    this.address = address;
    this.allocator = allocator;
    this.events = events;
    this.root = VectorSchemaRoot.create(schema, allocator);
    try {
      this.stream = client.startPut(FlightDescriptor.command(Json.write(descriptor)), root,
          new Listener());
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

  /** Sent but unanswered batches. */
  synchronized int pending() {
    return fifo.size();
  }

  /** When the oldest unanswered batch was sent, or -1. */
  synchronized long oldestSentNanos() {
    InFlight head = fifo.peekFirst();
    return head == null ? -1L : head.batch().lastSentNanos;
  }

  /**
   * Sends a sealed batch with its app metadata. Returns true when the batch entered the FIFO (an
   * event will follow); false when the stream was already closed or broke while sending, in which
   * case nothing will be reported for it.
   */
  boolean send(InFlight inFlight, byte[] appMetadata) {
    synchronized (this) {
      if (closed) {
        return false;
      }
      fifo.addLast(inFlight);
    }
    try {
      new VectorLoader(root).load(inFlight.batch().data());
      stream.putNext(ArrowUtil.buffer(allocator, appMetadata));
      return true;
    } catch (RuntimeException e) {
      boolean mine;
      synchronized (this) {
        mine = fifo.removeLastOccurrence(inFlight);
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
    List<InFlight> rest = new ArrayList<>(fifo);
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

  @Override
  public String toString() {
    return "put stream(" + topic + " -> " + address + ")";
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
      InFlight head;
      synchronized (PutStream.this) {
        head = fifo.pollFirst();
      }
      if (head == null) {
        LOG.warn("Node {} sent an ack for partition {} of {} with nothing in flight; ignoring it",
            address, ack.partition(), topic);
        return;
      }
      events.accept(new Ack(PutStream.this, head, ack));
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
