package io.pyralog.node.server.protocol;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Json;
import io.pyralog.common.protocol.ProduceAck;
import io.pyralog.common.protocol.ProduceDescriptor;
import io.pyralog.common.protocol.ProduceMetadata;
import io.pyralog.common.record.BatchHeader;
import io.pyralog.common.record.RawRowsBatch;
import io.pyralog.common.record.StoredBatchEncoder;
import io.pyralog.common.schema.SchemaCompatibility;
import io.pyralog.node.metadata.TopicRecord;
import io.pyralog.node.replication.AppendResult;
import io.pyralog.node.replication.ReplicaSetWriter;
import io.pyralog.node.server.PyralogNode;
import io.pyralog.node.server.TopicAdmin;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightProducer.StreamListener;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DoPut stream: validates the stream's topic and schema, turns every incoming Arrow batch
 * into a stored batch (header plus IPC payload), hands it to its replica set's group commit, and
 * answers each message with a {@link ProduceAck}, in order, once it is committed and applied. A
 * message may carry the batches of several partitions ({@link ProduceMetadata#parts()}); each
 * becomes a stored batch of its own partition and its ack lists one result per part. A bad batch
 * gets an error ack and the stream goes on; a bad stream (unknown topic, schema mismatch) fails as
 * a whole.
 */
final class ProduceStream implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ProduceStream.class);
  private static final int MAX_PENDING_BATCHES = 1024;

  private final PyralogNode node;
  private final TopicAdmin admin;
  private final FlightStream stream;
  private final StreamListener<PutResult> acks;
  private final ArrayDeque<CompletableFuture<ProduceAck>> pending = new ArrayDeque<>();
  private final Semaphore window = new Semaphore(MAX_PENDING_BATCHES);
  private final Object sendLock = new Object();
  private int roundRobin;
  /** Set once the ack stream has been completed or failed; guarded by sendLock. */
  private boolean ended;
  private volatile Thread runner;
  private volatile boolean awaitingBatch;
  /** The reader of the stream's root for a raw topic, made again only if the root changes. */
  private VectorSchemaRoot rawRoot;
  private RawRowsBatch rawRows;

  ProduceStream(PyralogNode node, FlightStream stream, StreamListener<PutResult> acks) {
    this.node = node;
    this.admin = node.admin();
    this.stream = stream;
    this.acks = acks;
  }

  @Override
  public void run() {
    runner = Thread.currentThread();
    try {
      FlightDescriptor descriptor = stream.getDescriptor();
      long producerId = BatchHeader.NO_PRODUCER_ID;
      short epoch = BatchHeader.NO_PRODUCER_EPOCH;
      String topicName;
      String transactionalId = null;
      if (descriptor.isCommand()) {
        ProduceDescriptor d = Json.read(descriptor.getCommand(), ProduceDescriptor.class);
        topicName = d.topic();
        transactionalId = d.transactionalId();
        if (d.producerId() != null) {
          producerId = d.producerId();
          epoch = d.producerEpoch() == null ? 0 : d.producerEpoch();
        } else if (transactionalId != null) {
          throw Errors.INVALID_REQUEST.exception("A transactional produce stream needs the "
              + "producer id and epoch from init-transactions");
        }
      } else {
        topicName = PyralogFlightProducer.topicOf(descriptor);
      }
      TopicRecord topic = admin.requireTopic(topicName);
      SchemaCompatibility.ensureCompatible(topic.name(), admin.schemaOf(topic),
          stream.getSchema());
      boolean raw = topic.raw();
      while (nextBatch()) {
        VectorSchemaRoot root = stream.getRoot();
        ProduceMetadata md = readMetadata(stream.getLatestMetadata());
        window.acquireUninterruptibly();
        CompletableFuture<ProduceAck> ack;
        if (md != null && md.parts() != null) {
          ack = produceParts(topic, raw, root, md, producerId, epoch, transactionalId);
        } else {
          Integer partition = md == null ? null : md.partition();
          Integer sequence = md == null ? null : md.sequence();
          ack = produceOrFail(topic, raw, root, 0, root.getRowCount(), partition, sequence,
              md == null ? null : md.transactionNumber(), producerId, epoch, transactionalId);
        }
        synchronized (sendLock) {
          pending.add(ack);
        }
        ack.whenComplete((a, t) -> sendReadyAcks());
      }
      // the client half-closed: wait for the outstanding acks, then finish
      CompletableFuture<?>[] all;
      synchronized (sendLock) {
        all = pending.toArray(new CompletableFuture<?>[0]);
      }
      CompletableFuture.allOf(all).handle((v, t) -> null).join();
      sendReadyAcks();
      synchronized (sendLock) {
        if (!ended) {
          ended = true;
          acks.onCompleted();
        }
      }
    } catch (ApiException e) {
      LOG.debug("Produce stream rejected: {}", e.getMessage());
      end(Errors.toFlight(e));
    } catch (RuntimeException e) {
      if (isEnded()) {
        LOG.debug("Produce stream ended by the node's shutdown: {}", e.toString());
        return;
      }
      LOG.warn("Produce stream failed: {}", e.toString());
      end(Errors.CORRUPT_RECORD.toFlight("Produce stream failed: " + e.getMessage()));
    } finally {
      runner = null;
    }
  }

  private boolean nextBatch() {
    awaitingBatch = true;
    try {
      // checked after announcing the wait, so that shutdown() either sees the wait or we see it
      if (isEnded()) {
        return false;
      }
      return stream.next();
    } finally {
      awaitingBatch = false;
    }
  }

  /**
   * Ends the stream because the node is stopping: the client gets {@code UNAVAILABLE} at once
   * (and resends unacknowledged batches elsewhere or after the restart), and the handler thread
   * stops waiting for batches that will never come. gRPC does not wake a server-side DoPut
   * reader on shutdown, so without this the node's Flight server cannot terminate.
   */
  void shutdown() {
    end(Errors.UNAVAILABLE.toFlight("Node is shutting down; retry on the new leader or after "
        + "the restart"));
    Thread t = runner;
    if (t != null && awaitingBatch) {
      t.interrupt();
    }
  }

  private void end(RuntimeException error) {
    synchronized (sendLock) {
      if (!ended) {
        ended = true;
        try {
          acks.onError(error);
        } catch (RuntimeException e) {
          LOG.debug("Cannot fail the produce stream (client gone?): {}", e.getMessage());
        }
      }
    }
  }

  private boolean isEnded() {
    synchronized (sendLock) {
      return ended;
    }
  }

  /**
   * A message of several partitions' batches: part <i>i</i> is the next {@code records} rows of
   * {@code root}. Each part is stored as its partition's own batch and answered on its own; a
   * message whose parts do not add up to its rows is rejected as a whole.
   */
  private CompletableFuture<ProduceAck> produceParts(TopicRecord topic, boolean raw,
      VectorSchemaRoot root, ProduceMetadata md, long producerId, short epoch,
      String transactionalId) {
    List<ProduceMetadata.Part> parts = md.parts();
    int rows = root.getRowCount();
    long total = 0;
    for (ProduceMetadata.Part part : parts) {
      if (part == null || part.records() <= 0) {
        total = -1;
        break;
      }
      total += part.records();
    }
    if (parts.isEmpty() || total != rows) {
      return CompletableFuture.completedFuture(ProduceAck.failed(-1, null,
          Errors.INVALID_REQUEST.name(), "The message's parts must each hold at least one record "
              + "and add up to its " + rows + " rows; they hold " + describe(parts)));
    }
    if (parts.size() == 1) {
      ProduceMetadata.Part only = parts.get(0);
      return produceOrFail(topic, raw, root, 0, rows, only.partition(), only.sequence(),
          md.transactionNumber(), producerId, epoch, transactionalId)
          .thenApply(a -> ProduceAck.ofParts(List.of(a)));
    }
    // every part is checked and encoded first, then each replica set gets its parts at once
    List<CompletableFuture<ProduceAck>> acks = new ArrayList<>(parts.size());
    Map<ReplicaSetWriter, List<Prepared>> byWriter = new LinkedHashMap<>();
    int offset = 0;
    for (int i = 0; i < parts.size(); i++) {
      ProduceMetadata.Part part = parts.get(i);
      acks.add(null);
      try {
        Prepared prepared = prepare(i, topic, raw, root, offset, part.records(),
            part.partition(), part.sequence(), md.transactionNumber(), producerId, epoch,
            transactionalId);
        byWriter.computeIfAbsent(prepared.writer(), w -> new ArrayList<>()).add(prepared);
      } catch (ApiException e) {
        acks.set(i, CompletableFuture.completedFuture(failed(part.partition(), part.sequence(),
            e)));
      }
      offset += part.records();
    }
    byWriter.forEach((writer, prepared) -> {
      List<CompletableFuture<ProduceAck>> queued = queue(writer, prepared);
      for (int k = 0; k < prepared.size(); k++) {
        acks.set(prepared.get(k).part(), queued.get(k));
      }
    });
    return CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      List<ProduceAck> results = new ArrayList<>(acks.size());
      for (CompletableFuture<ProduceAck> a : acks) {
        results.add(a.join());
      }
      return ProduceAck.ofParts(results);
    });
  }

  private static String describe(List<ProduceMetadata.Part> parts) {
    StringBuilder b = new StringBuilder("[");
    for (ProduceMetadata.Part part : parts) {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append(part == null ? "null" : String.valueOf(part.records()));
    }
    return b.append(']').toString();
  }

  /** One batch, queued on its own; a rejected batch gets its error ack. */
  private CompletableFuture<ProduceAck> produceOrFail(TopicRecord topic, boolean raw,
      VectorSchemaRoot root, int from, int rows, Integer partition, Integer sequence,
      Long transactionNumber, long producerId, short epoch, String transactionalId) {
    try {
      Prepared prepared = prepare(0, topic, raw, root, from, rows, partition, sequence,
          transactionNumber, producerId, epoch, transactionalId);
      return queue(prepared.writer(), List.of(prepared)).get(0);
    } catch (ApiException e) {
      return CompletableFuture.completedFuture(failed(partition, sequence, e));
    }
  }

  private static ProduceAck failed(Integer partition, Integer sequence, ApiException e) {
    return ProduceAck.failed(partition == null ? -1 : partition, sequence, e.error().name(),
        e.getMessage());
  }

  /** Part {@code part} of a message, checked and encoded for its replica set's group commit. */
  private record Prepared(int part, ReplicaSetWriter writer, ReplicaSetWriter.Batch batch,
      Integer sequence) {}

  /**
   * Queues batches of one replica set together, so that they share one Raft entry; ack {@code
   * i} completes once batch {@code i} is committed and applied.
   */
  private static List<CompletableFuture<ProduceAck>> queue(ReplicaSetWriter writer,
      List<Prepared> prepared) {
    List<ReplicaSetWriter.Batch> batches = new ArrayList<>(prepared.size());
    prepared.forEach(p -> batches.add(p.batch()));
    List<CompletableFuture<AppendResult>> appended = writer.appendAll(batches);
    List<CompletableFuture<ProduceAck>> acks = new ArrayList<>(prepared.size());
    for (int i = 0; i < prepared.size(); i++) {
      acks.add(ackOf(prepared.get(i), appended.get(i)));
    }
    return acks;
  }

  private static CompletableFuture<ProduceAck> ackOf(Prepared prepared,
      CompletableFuture<AppendResult> appended) {
    int p = prepared.batch().partition();
    Integer sequence = prepared.sequence();
    return appended.handle((r, t) -> {
      if (t != null) {
        Throwable c = t.getCause() != null ? t.getCause() : t;
        if (c instanceof ApiException api) {
          return ProduceAck.failed(p, sequence, api.error().name(), api.getMessage());
        }
        return ProduceAck.failed(p, sequence, Errors.UNKNOWN_SERVER_ERROR.name(),
            String.valueOf(c.getMessage()));
      }
      if (r.error() != null) {
        return ProduceAck.failed(p, sequence, r.error(), r.message());
      }
      return ProduceAck.ok(p, sequence, r.baseOffset(), r.recordCount());
    });
  }

  /**
   * Checks and encodes rows {@code from} to {@code from + rows - 1} of {@code root}, part {@code
   * part} of its message, as one batch for its replica set's group commit. {@code partition}
   * null means round-robin.
   */
  private Prepared prepare(int part, TopicRecord topic, boolean raw, VectorSchemaRoot root,
      int from, int rows, Integer requestedPartition, Integer sequence,
      Long requestedTransactionNumber, long producerId, short epoch, String transactionalId) {
    int partition = requestedPartition != null ? requestedPartition
        : Math.floorMod(roundRobin++, topic.partitions());
    if (partition < 0 || partition >= topic.partitions()) {
      throw Errors.UNKNOWN_TOPIC_OR_PARTITION.exception("Partition " + partition + " of topic '"
          + topic.name() + "' does not exist; the topic has partitions 0-"
          + (topic.partitions() - 1));
    }
    if (rows == 0) {
      throw Errors.INVALID_REQUEST.exception("Empty batch: a batch must hold at least one record");
    }
    if (producerId >= 0 && sequence == null) {
      throw Errors.INVALID_REQUEST.exception("Idempotent producer " + producerId
          + " sent a batch without a sequence number");
    }
    long transactionNumber = BatchHeader.NO_TRANSACTION_ID;
    if (transactionalId != null) {
      if (requestedTransactionNumber == null) {
        throw Errors.INVALID_REQUEST.exception("A batch of transactional id '" + transactionalId
            + "' has no transactionNumber (from add-partitions-to-txn)");
      }
      transactionNumber = requestedTransactionNumber;
      node.transactions().requirePartitionInTransaction(transactionalId, producerId, epoch,
          transactionNumber, topic, partition);
    }
    RawRowsBatch rawReader = raw ? rawRows(root) : null;
    int baseSequence = sequence == null ? BatchHeader.NO_SEQUENCE : sequence;
    StoredBatchEncoder.Encoded encoded = rawReader != null
        ? StoredBatchEncoder.encodeRows(rawReader, from, rows, System.currentTimeMillis(),
            producerId, epoch, baseSequence, topic.schemaId(), transactionNumber)
        : StoredBatchEncoder.encodeRows(root, from, rows, raw, System.currentTimeMillis(),
            producerId, epoch, baseSequence, topic.schemaId(), transactionNumber);
    int payload = encoded.payloadLength();
    if (payload > node.config().messageMaxBytes()) {
      throw Errors.RECORD_TOO_LARGE.exception("Batch of " + payload + " bytes is larger than "
          + node.config().messageMaxBytes() + ", which is the value of the node's "
          + "message.max.bytes; send smaller batches (lower batch.size)");
    }
    int rs = topic.replicaSets().get(partition);
    ReplicaSetWriter writer = node.writer(rs);
    if (writer == null) {
      throw node.admin().notHosted(topic, partition, rs);
    }
    if (node.config().clustered()) {
      node.clusterView().requireQuorum(rs, () -> "Partition " + partition + " of topic '"
          + topic.name() + "'");
    }
    return new Prepared(part, writer, new ReplicaSetWriter.Batch(topic.topicId(), partition,
        encoded.array(), encoded.length()), sequence);
  }

  private RawRowsBatch rawRows(VectorSchemaRoot root) {
    if (root != rawRoot) {
      rawRoot = root;
      rawRows = RawRowsBatch.of(root);
    }
    return rawRows;
  }

  private static ProduceMetadata readMetadata(ArrowBuf buf) {
    if (buf == null || buf.readableBytes() == 0) {
      return null;
    }
    byte[] bytes = new byte[(int) buf.readableBytes()];
    buf.getBytes(buf.readerIndex(), bytes);
    return Json.read(bytes, ProduceMetadata.class);
  }

  private void sendReadyAcks() {
    synchronized (sendLock) {
      while (!pending.isEmpty() && pending.peek().isDone()) {
        ProduceAck ack = pending.poll().join();
        window.release();
        if (ended) {
          continue;
        }
        byte[] json = Json.write(ack);
        ArrowBuf buf = node.allocator().buffer(json.length);
        buf.writeBytes(json);
        try (PutResult result = PutResult.metadata(buf)) {
          acks.onNext(result);
        } catch (RuntimeException e) {
          LOG.debug("Cannot send ack (client gone?): {}", e.getMessage());
        }
      }
    }
  }
}
