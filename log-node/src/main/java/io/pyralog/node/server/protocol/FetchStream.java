package io.pyralog.node.server.protocol;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.FetchTicket;
import io.pyralog.common.protocol.FetchTicket.FetchPartition;
import io.pyralog.common.protocol.FetchedBatch;
import io.pyralog.common.protocol.Json;
import io.pyralog.common.record.ArrowIpc;
import io.pyralog.common.record.BatchHeader;
import io.pyralog.node.metadata.TopicRecord;
import io.pyralog.node.replication.DataSignal;
import io.pyralog.node.server.PyralogNode;
import io.pyralog.node.server.TopicAdmin;
import io.pyralog.node.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DoGet: streams whole stored batches of one or more partitions from the requested offsets,
 * optionally projected to some columns. When nothing is ready it waits up to the ticket's {@code
 * maxWaitMs} for new data (long poll), then ends the stream with what it has.
 */
final class FetchStream {
  private static final Logger LOG = LoggerFactory.getLogger(FetchStream.class);
  /** How much of a partition is read from its log before it is sent. */
  private static final int READ_CHUNK_BYTES = 1 << 20;

  private final PyralogNode node;
  private final TopicAdmin admin;
  private final Ticket ticket;
  private final ServerStreamListener listener;

  private static final class Position {
    final int partition;
    final PartitionLog log;
    long offset;
    final long endOffset;
    final int replicaSet;

    Position(int partition, PartitionLog log, long offset, long endOffset, int replicaSet) {
      this.partition = partition;
      this.log = log;
      this.offset = offset;
      this.endOffset = endOffset;
      this.replicaSet = replicaSet;
    }

    boolean finished() {
      return offset >= endOffset;
    }
  }

  FetchStream(PyralogNode node, Ticket ticket, ServerStreamListener listener) {
    this.node = node;
    this.admin = node.admin();
    this.ticket = ticket;
    this.listener = listener;
  }

  void run() {
    FetchTicket t;
    TopicRecord topic;
    List<Position> positions;
    Schema full;
    List<Integer> projection;
    try {
      t = Json.read(ticket.getBytes(), FetchTicket.class);
      topic = admin.requireTopic(t.topic());
      full = admin.schemaOf(topic);
      projection = projection(topic, full, t.columns());
      positions = positions(topic, t.effectivePartitions(),
          Boolean.TRUE.equals(t.allowFollower()));
    } catch (ApiException e) {
      listener.error(Errors.toFlight(e));
      return;
    } catch (RuntimeException e) {
      LOG.warn("Fetch rejected", e);
      listener.error(Errors.toFlight(e));
      return;
    }
    long maxWait = Math.min(t.maxWaitMs() == null ? 0 : Math.max(0, t.maxWaitMs()),
        node.config().fetchMaxWaitMs());
    long budget = Math.min(t.maxBytes() == null || t.maxBytes() <= 0
        ? node.config().fetchMaxBytes() : t.maxBytes(), node.config().fetchMaxBytes());
    long deadline = System.nanoTime() + maxWait * 1_000_000L;
    boolean readCommitted = t.readCommitted();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(full, node.allocator())) {
      VectorSchemaRoot out = root;
      if (projection != null) {
        List<Field> fields = new ArrayList<>();
        List<FieldVector> vectors = new ArrayList<>();
        for (int i : projection) {
          fields.add(full.getFields().get(i));
          vectors.add(root.getVector(i));
        }
        out = new VectorSchemaRoot(fields, vectors, 0);
      }
      listener.start(out);
      long sent = 0;
      while (true) {
        List<CompletableFuture<Void>> signals = new ArrayList<>();
        Set<Integer> sets = new LinkedHashSet<>();
        positions.forEach(p -> sets.add(p.replicaSet));
        sets.forEach(rs -> signals.add(node.replicaSet(rs).signal().nextApply()));
        signals.add(node.stopping());
        boolean allFinished = true;
        for (Position p : positions) {
          if (p.finished()) {
            continue;
          }
          allFinished = false;
          if (sent >= budget || listener.isCancelled()) {
            break;
          }
          long logEnd = p.log.logEndOffset();
          if (p.offset > logEnd) {
            continue;
          }
          long end = p.endOffset;
          if (readCommitted) {
            end = Math.min(end, p.log.transactions().lastStableOffset(logEnd));
            if (p.offset >= end) {
              continue;
            }
          }
          sent += sendFrom(p, end, budget - sent, readCommitted, root, out);
        }
        if (sent > 0 || allFinished || listener.isCancelled()
            || System.nanoTime() >= deadline) {
          break;
        }
        if (node.stopping().isDone()) {
          // a long poll must not hold up the shutdown; the client retries after the restart
          throw Errors.UNAVAILABLE.exception("Node is shutting down; retry on the new leader or "
              + "after the restart");
        }
        DataSignal.await(CompletableFuture.anyOf(signals.toArray(new CompletableFuture[0]))
                .thenApply(x -> (Void) null),
            Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
      }
      listener.completed();
    } catch (ApiException e) {
      listener.error(Errors.toFlight(e));
    } catch (RuntimeException e) {
      if (listener.isCancelled()) {
        LOG.debug("Fetch cancelled by the client");
        return;
      }
      LOG.warn("Fetch failed", e);
      listener.error(Errors.toFlight(e));
    }
  }

  /**
   * Sends the batches of one partition from its position up to {@code end}, at most {@code
   * budget} bytes (but at least one batch), and moves the position past them. The log is read a
   * chunk at a time and each chunk is sent before the next is read, so the network and the
   * client get the first batches while the node still reads (reading a whole 16 MiB fetch before
   * sending any of it held the first byte back by about 5 ms on a 2-core machine).
   */
  private long sendFrom(Position p, long end, long budget, boolean readCommitted,
      VectorSchemaRoot root, VectorSchemaRoot out) {
    long sent = 0;
    while (sent < budget && p.offset < end && !listener.isCancelled()) {
      int chunk = (int) Math.min(READ_CHUNK_BYTES, budget - sent);
      try (ArrowReadBuffers buffers = new ArrowReadBuffers(node.allocator())) {
        List<ByteBuffer> batches = p.log.read(p.offset, end, chunk, buffers);
        if (batches.isEmpty()) {
          return sent;
        }
        for (int i = 0; i < batches.size(); i++) {
          ByteBuffer b = batches.get(i);
          if (readCommitted && isAborted(p, b)) {
            sent += sendSkip(p, b, root, out);
          } else {
            sent += sendBatch(p, b, buffers.get(i), root, out);
          }
          p.offset = BatchHeader.nextOffset(b, 0);
        }
      }
    }
    return sent;
  }

  /**
   * Sends one stored batch. Its Arrow buffers are slices of {@code stored}, the memory the batch
   * was read into: nothing is copied on the way to the network.
   */
  private int sendBatch(Position p, ByteBuffer batch, ArrowBuf stored, VectorSchemaRoot root,
      VectorSchemaRoot out) {
    int length = BatchHeader.batchLength(batch, 0);
    ArrowIpc.loadInPlace(stored, BatchHeader.SIZE, length - BatchHeader.SIZE, root);
    if (out != root) {
      out.setRowCount(root.getRowCount());
    }
    listener.putNext(metadata(p, batch));
    return length;
  }

  /** The app metadata sent with a batch: where it sits in its partition. */
  private ArrowBuf metadata(Position p, ByteBuffer batch) {
    FetchedBatch md = new FetchedBatch(p.partition, BatchHeader.baseOffset(batch, 0),
        BatchHeader.recordCount(batch, 0), BatchHeader.firstTimestamp(batch, 0),
        BatchHeader.maxTimestamp(batch, 0), p.log.logEndOffset());
    byte[] json = Json.write(md);
    ArrowBuf buf = node.allocator().buffer(json.length);
    buf.writeBytes(json);
    return buf;
  }

  private static boolean isAborted(Position p, ByteBuffer batch) {
    return (BatchHeader.attributes(batch, 0) & BatchHeader.ATTR_TRANSACTIONAL) != 0
        && p.log.transactions().isAborted(BatchHeader.producerId(batch, 0),
            BatchHeader.baseOffset(batch, 0));
  }

  /**
   * Tells a read_committed reader to step over a batch of an aborted transaction: no rows, and
   * the batch's offsets in the metadata.
   */
  private int sendSkip(Position p, ByteBuffer batch, VectorSchemaRoot root,
      VectorSchemaRoot out) {
    root.setRowCount(0);
    if (out != root) {
      out.setRowCount(0);
    }
    listener.putNext(metadata(p, batch));
    return BatchHeader.SIZE;
  }

  private List<Integer> projection(TopicRecord topic, Schema full, List<String> columns) {
    if (columns == null || columns.isEmpty()) {
      return null;
    }
    List<Integer> result = new ArrayList<>();
    for (String c : columns) {
      int index = -1;
      for (int i = 0; i < full.getFields().size(); i++) {
        if (full.getFields().get(i).getName().equals(c)) {
          index = i;
        }
      }
      if (index < 0) {
        List<String> names = new ArrayList<>();
        full.getFields().forEach(f -> names.add(f.getName()));
        throw Errors.INVALID_REQUEST.exception("Column '" + c + "' is not in topic '"
            + topic.name() + "'; its columns are " + names);
      }
      result.add(index);
    }
    return result;
  }

  private List<Position> positions(TopicRecord topic, List<FetchPartition> requested,
      boolean allowFollower) {
    List<Position> result = new ArrayList<>();
    for (FetchPartition fp : requested) {
      PartitionLog log = admin.partitionLog(topic, fp.partition());
      int rs = topic.replicaSets().get(fp.partition());
      boolean leader = node.clusterView().leaderNode(rs) == node.config().nodeId();
      if (!allowFollower && !leader) {
        throw admin.notHosted(topic, fp.partition(), rs);
      }
      long start = log.logStartOffset();
      long end = log.logEndOffset();
      long offset = fp.offset();
      if (offset == FetchTicket.EARLIEST) {
        offset = start;
      } else if (offset == FetchTicket.LATEST) {
        offset = end;
      } else if (offset > end && !leader) {
        // a follower that has not applied this far yet: wait for it as for new data
        LOG.debug("Follower read of partition {} of '{}' at {} waits for this replica ({})",
            fp.partition(), topic.name(), offset, end);
      } else if (offset < start || offset > end) {
        throw Errors.OFFSET_OUT_OF_RANGE.exception("Offset " + offset + " is out of range for "
            + "partition " + fp.partition() + " of topic '" + topic.name()
            + "': valid offsets are " + start + " to " + end);
      }
      long endOffset = fp.endOffset() == null ? Long.MAX_VALUE : fp.endOffset();
      result.add(new Position(fp.partition(), log, offset, endOffset, rs));
    }
    return result;
  }
}
