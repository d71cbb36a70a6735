package io.pyralog.client.internal;

import io.pyralog.client.TopicPartition;
import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions;
import io.pyralog.common.protocol.ProduceAck;
import io.pyralog.common.protocol.ProduceDescriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's single background thread. It owns all sending state, so none of it is shared:
 * per-partition sequences and unacknowledged batches, the DoPut streams, and the producer id.
 * Acks arrive on gRPC threads and are queued to it as {@link PutStream.Event}s.
 *
 * <p>Each loop: handle acks and stream failures; (re)acquire the producer id if needed; refresh
 * the metadata of topics whose leader moved; resend the unacknowledged batches of partitions
 * whose retry backoff has passed; send ready batches; expire batches past {@code
 * delivery.timeout.ms}; then park until there is more to do.
 *
 * <p>Retry rule for a partition: when a batch fails retriably (or the stream breaks), the
 * partition stops sending new batches, waits until every batch it has in flight is answered,
 * then, after backoff, resends all its unacknowledged batches in sequence order with the same
 * sequence numbers. {@code OUT_OF_ORDER_SEQUENCE} is retriable then, because it only means an
 * earlier batch of the same round was not stored. A batch that fails for good is taken out of
 * the sequence: the later ones are renumbered, since the node did not store it. A batch that
 * expires while its outcome is unknown makes the producer take a new producer id (sequences
 * restart at 0), so nothing is lost or stored twice by mistake.
 */
@Internal
final class Sender implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

  /** Batches a partition may have unanswered at once. */
  static final int MAX_IN_FLIGHT_PER_PARTITION = 5;
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final long BUSY_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final long BACKPRESSURE_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

  /** Sending state of one partition; touched only by the sender thread. */
  static final class PartitionState {
    final TopicPartition tp;
    int nextSequence;
    /** Sent and not yet acknowledged, in sequence order. */
    final ArrayDeque<ProducerBatch> unacked = new ArrayDeque<>();
    /** Entries of {@link #unacked} still to be sent again in this retry round, in order. */
    final ArrayDeque<ProducerBatch> toResend = new ArrayDeque<>();
    /** Entries of {@link #unacked} that are in a stream's FIFO right now. */
    int outstanding;
    /** The leader the in-flight batches went to; changes only when nothing is in flight. */
    String address;
    /** The stream the in-flight batches went on; a new one is used only when none are left. */
    PutStream stream;
    boolean retrying;
    long retryAtNanos;
    int retryAttempt;
    boolean failedThisRound;
    /** The last retriable error since the last acknowledgement, for the timeout message. */
    String lastError;

    PartitionState(TopicPartition tp) {
      this.tp = tp;
    }
  }

  private record StreamKey(String topic, String address) {}

  private final String name;
  private final ClientConfig config;
  private final Connections connections;
  private final RpcClient rpc;
  private final MetadataCache metadata;
  private final RecordAccumulator accumulator;
  private final MemoryLimiter memory;
  private final BufferAllocator allocator;
  private final Backoff backoff;
  private final boolean idempotent;
  private final long requestTimeoutNanos;
  private final int maxRequestSize;

  private final ConcurrentLinkedQueue<PutStream.Event> events = new ConcurrentLinkedQueue<>();
  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
  private final Map<StreamKey, PutStream> streams = new HashMap<>();
  /**
   * Batches chosen to go, per stream, in the order they were chosen; sent at the end of each
   * round, as far as the stream's flow control allows.
   */
  private final Map<PutStream, StagedMessages> staged = new LinkedHashMap<>();
  private final Map<String, Long> staleTopics = new HashMap<>();
  private final Map<String, Integer> refreshAttempts = new HashMap<>();

  private volatile Thread thread;
  private volatile boolean running = true;
  private volatile boolean forceClose;

  private Actions.ProducerId producerId;
  /** For a transactional producer: the id and epoch from init-transactions. */
  private volatile Actions.ProducerId transactionalProducerId;
  /**
   * For a transactional producer: the number of the open transaction. Every batch the sender has
   * belongs to it: a commit or abort waits until all batches are done before the next begins.
   */
  private volatile long transactionNumber = -1;
  private long nextInitNanos;
  private int initAttempts;
  private boolean reinitPending;
  private int totalOutstanding;
  private long parkNanos;
  private final DrainOrder<TopicPartition> drainOrder = new DrainOrder<>();

  Sender(String name, ClientConfig config, Connections connections, RpcClient rpc,
      MetadataCache metadata, RecordAccumulator accumulator, MemoryLimiter memory,
      BufferAllocator allocator) {
    this.name = name;
    this.config = config;
    this.connections = connections;
    this.rpc = rpc;
    this.metadata = metadata;
    this.accumulator = accumulator;
    this.memory = memory;
    this.allocator = allocator;
    this.backoff = config.backoff();
    this.idempotent = config.idempotence();
    this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.requestTimeoutMs());
    this.maxRequestSize = config.maxRequestSize();
  }

  /** Sets the number of the transaction that the batches from now on belong to. */
  void useTransactionNumber(long number) {
    transactionNumber = number;
  }

  /** Sets the producer id of a transactional producer; it sends nothing before this. */
  void useTransactionalProducerId(Actions.ProducerId id) {
    transactionalProducerId = id;
    wakeup();
  }

  void start() {
    Thread t = new Thread(this, name);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  void wakeup() {
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** Asks the loop to finish once everything is sent; {@code force} fails what is left. */
  void initiateClose(boolean force) {
    running = false;
    if (force) {
      forceClose = true;
    }
    wakeup();
  }

  void join(long millis) throws InterruptedException {
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      t.join(millis);
    }
  }

  boolean isAlive() {
    Thread t = thread;
    return t != null && t.isAlive();
  }

  @Override
  public void run() {
    LOG.debug("{} started", name);
    while (true) {
      try {
        runOnce();
      } catch (Throwable t) {
        LOG.error("Unexpected error in the producer's sender loop; continuing", t);
        LockSupport.parkNanos(BUSY_PARK_NANOS);
      }
      if (forceClose || (!running && !hasWork())) {
        break;
      }
    }
    try {
      shutdown();
    } catch (Throwable t) {
      LOG.error("Error while stopping the producer's sender", t);
    }
    LOG.debug("{} stopped", name);
  }

  private boolean hasWork() {
    if (accumulator.hasUnsent() || totalOutstanding > 0 || !events.isEmpty()) {
      return true;
    }
    for (PartitionState ps : partitions.values()) {
      if (!ps.unacked.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  void runOnce() {
    long now = System.nanoTime();
    parkNanos = hasWork() ? BUSY_PARK_NANOS : IDLE_PARK_NANOS;
    processEvents(now);
    if (forceClose) {
      return;
    }
    if (idempotent) {
      maybeReinit(now);
      ensureProducerId(now);
    }
    refreshStaleTopics(now);
    try {
      resend(now);
      drain(now);
    } finally {
      sendStaged(now);
    }
    expire(now);
    checkStuckStreams(now);
    if (events.isEmpty()) {
      LockSupport.parkNanos(this, Math.max(parkNanos, 0L));
    }
  }

  private void wakeAt(long atNanos, long now) {
    parkNanos = Math.min(parkNanos, Math.max(0L, atNanos - now));
  }

  // ---- acks ---------------------------------------------------------------------------------

  private void processEvents(long now) {
    PutStream.Event e;
    while ((e = events.poll()) != null) {
      if (e instanceof PutStream.Ack ack) {
        onAck(ack.inFlight(), ack.ack(), now);
      } else if (e instanceof PutStream.Failed failed) {
        onStreamFailed(failed, now);
      }
    }
  }

  private void onAck(PutStream.InFlight inFlight, ProduceAck ack, long now) {
    PartitionState ps = inFlight.partition();
    ProducerBatch b = inFlight.batch();
    ps.outstanding--;
    totalOutstanding--;
    if (b.isCompleted()) {
      return;
    }
    if (ack.partition() != b.tp.partition()) {
      LOG.warn("Ack for partition {} arrived where {} was expected on {}; treating it as {}'s",
          ack.partition(), b.tp.partition(), b.tp.topic(), b);
    }
    if (ack.error() == null) {
      ps.unacked.remove(b);
      ps.retryAttempt = 0;
      ps.lastError = null;
      complete(b, null, ack.baseOffset());
      return;
    }
    Errors error = Errors.forName(ack.error());
    String message = ack.message() == null ? error.name() : ack.message();
    onFailure(ps, b, error, message, now);
  }

  private void onStreamFailed(PutStream.Failed failed, long now) {
    PutStream s = failed.stream();
    StreamKey key = new StreamKey(s.topic, s.address);
    if (streams.get(key) == s) {
      streams.remove(key);
    }
    s.release();
    ApiException error = failed.error();
    if (!failed.unanswered().isEmpty()) {
      LOG.debug("Put stream of {} to {} failed with {} batch(es) unanswered: {} {}", s.topic,
          s.address, failed.unanswered().size(), error.error(), error.getMessage());
    }
    if (error.isRetriable()) {
      // not at once: while a leader is being elected every node still names the dead one
      markStale(s.topic, now + TimeUnit.MILLISECONDS.toNanos(config.retryBackoffMs()));
    } else if (!failed.unanswered().isEmpty()) {
      metadata.invalidate(s.topic);
    }
    for (PutStream.InFlight inFlight : failed.unanswered()) {
      PartitionState ps = inFlight.partition();
      ps.outstanding--;
      totalOutstanding--;
      if (!inFlight.batch().isCompleted()) {
        onFailure(ps, inFlight.batch(), error.error(), error.getMessage(), now);
      }
    }
  }

  private void onFailure(PartitionState ps, ProducerBatch b, Errors error, String message,
      long now) {
    boolean retriable = error.isRetriable()
        || (error == Errors.OUT_OF_ORDER_SEQUENCE && ps.failedThisRound);
    if (idempotent && error == Errors.UNKNOWN_PRODUCER_ID && config.transactionalId() == null) {
      // The node no longer knows this producer: take a new id and resend under it.
      reinitPending = true;
      retriable = true;
    }
    if (retriable) {
      ps.failedThisRound = true;
      ps.lastError = error + ": " + message;
      ps.toResend.clear(); // the next round resends every unacknowledged batch
      if (error != Errors.OUT_OF_ORDER_SEQUENCE) {
        markStale(b.tp.topic(), now);
      }
      if (!ps.retrying) {
        ps.retrying = true;
        long delayMs = backoff.delayMs(ps.retryAttempt++);
        ps.retryAtNanos = now + TimeUnit.MILLISECONDS.toNanos(delayMs);
        LOG.debug("Retrying {} of {} in {} ms (attempt {}): {} {}", ps.unacked.size() == 1
            ? "1 batch" : ps.unacked.size() + " batches", ps.tp, delayMs, ps.retryAttempt, error,
            message);
      }
      return;
    }
    ps.failedThisRound = true;
    ps.unacked.remove(b);
    ps.toResend.remove(b);
    if (idempotent && b.sequence >= 0) {
      // The node did not store it: close the gap so later batches stay in sequence.
      for (ProducerBatch later : ps.unacked) {
        if (later.sequence > b.sequence) {
          later.sequence--;
        }
      }
      ps.nextSequence--;
    }
    LOG.warn("Giving up on {} of {} record(s) for {}: {} {}", b, b.recordCount(), ps.tp, error,
        message);
    complete(b, error.exception("Producing to " + ps.tp + " failed: " + message), -1L);
  }

  private void complete(ProducerBatch b, ApiException error, long baseOffset) {
    if (error == null) {
      b.succeed(baseOffset);
    } else {
      b.fail(error);
    }
    memory.release(b.sizeBytes());
    accumulator.completed(b);
  }

  // ---- producer id --------------------------------------------------------------------------

  /**
   * Takes a new producer id once a batch's outcome became unknown (it expired unacknowledged).
   * Batches that were already sent under the old id are first resolved under it, acknowledged
   * or expired: giving them new sequence numbers under a new id would store them twice if the
   * node had stored them already. Only then does the switch happen; new batches wait for it.
   */
  private void maybeReinit(long now) {
    if (!reinitPending || totalOutstanding > 0) {
      return;
    }
    for (PartitionState ps : partitions.values()) {
      if (!ps.unacked.isEmpty()) {
        return;
      }
    }
    LOG.info("{}: taking a new producer id because the outcome of a batch is unknown", name);
    closeAllStreams();
    producerId = null;
    reinitPending = false;
    nextInitNanos = now;
    for (PartitionState ps : partitions.values()) {
      ps.nextSequence = 0;
      ps.failedThisRound = false;
    }
  }

  private void ensureProducerId(long now) {
    if (config.transactionalId() != null) {
      producerId = transactionalProducerId;
      return;
    }
    if (producerId != null || now - nextInitNanos < 0 || !hasWork()) {
      return;
    }
    try {
      producerId = rpc.call(Actions.INIT_PRODUCER_ID, null, Actions.ProducerId.class);
      initAttempts = 0;
      LOG.debug("{}: producer id {} epoch {}", name, producerId.producerId(),
          producerId.producerEpoch());
    } catch (ApiException e) {
      long delayMs = backoff.delayMs(initAttempts++);
      nextInitNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
      LOG.warn("{}: cannot get a producer id ({} {}); trying again in {} ms", name, e.error(),
          e.getMessage(), delayMs);
    }
  }

  private boolean canSend() {
    return !idempotent || (producerId != null && !reinitPending);
  }

  // ---- metadata -----------------------------------------------------------------------------

  private void markStale(String topic, long now) {
    staleTopics.putIfAbsent(topic, now);
  }

  private void refreshStaleTopics(long now) {
    if (staleTopics.isEmpty()) {
      return;
    }
    Iterator<Map.Entry<String, Long>> it = staleTopics.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Long> e = it.next();
      if (now - e.getValue() < 0) {
        wakeAt(e.getValue(), now);
        continue;
      }
      String topic = e.getKey();
      try {
        metadata.refresh(topic);
        refreshAttempts.remove(topic);
        it.remove();
      } catch (ApiException ex) {
        int attempt = refreshAttempts.merge(topic, 1, Integer::sum);
        long delayMs = backoff.delayMs(attempt - 1);
        e.setValue(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs));
        LOG.debug("Refreshing metadata of {} failed ({} {}); trying again in {} ms", topic,
            ex.error(), ex.getMessage(), delayMs);
      }
    }
  }

  /** The partition's current leader from cached metadata, loading it if absent; or null. */
  private String leaderOf(TopicPartition tp, long now) {
    TopicMetadata m = metadata.cached(tp.topic());
    if (m == null) {
      if (staleTopics.containsKey(tp.topic())) {
        return null;
      }
      try {
        m = metadata.get(tp.topic());
      } catch (ApiException e) {
        markStale(tp.topic(), now);
        return null;
      }
    }
    String leader = m.leader(tp.partition());
    if (leader == null) {
      markStale(tp.topic(), now);
    }
    return leader;
  }

  // ---- sending ------------------------------------------------------------------------------

  private PartitionState state(TopicPartition tp) {
    return partitions.computeIfAbsent(tp, PartitionState::new);
  }

  private PutStream stream(String topic, String address, long now) {
    StreamKey key = new StreamKey(topic, address);
    PutStream s = streams.get(key);
    if (s != null && !s.isClosed()) {
      return s;
    }
    TopicMetadata m = metadata.cached(topic);
    if (m == null) {
      return null;
    }
    ProduceDescriptor descriptor = idempotent
        ? new ProduceDescriptor(topic, producerId.producerId(), producerId.producerEpoch(),
            config.transactionalId())
        : new ProduceDescriptor(topic, null, null);
    try {
      s = new PutStream(connections.get(address), topic, address, m.schema(), descriptor,
          allocator, (int) Math.min(Integer.MAX_VALUE, 2L * maxRequestSize), this::enqueue);
    } catch (RuntimeException e) {
      ApiException api = PutStream.toApi(e);
      LOG.debug("Cannot open a put stream of {} to {}: {} {}", topic, address, api.error(),
          api.getMessage());
      markStale(topic, now);
      return null;
    }
    streams.put(key, s);
    return s;
  }

  private void enqueue(PutStream.Event e) {
    events.add(e);
    wakeup();
  }

  /**
   * Queues {@code b} to go out on {@code s} at the end of this round, in one message with the
   * other batches queued for {@code s} (see {@link #sendStaged}). From here on the batch is in
   * flight: it is answered by an ack or a failure.
   */
  private void stage(PartitionState ps, ProducerBatch b, PutStream s, long now) {
    b.attempts++;
    b.lastSentNanos = now;
    staged.computeIfAbsent(s, k -> new StagedMessages(maxRequestSize))
        .add(new PutStream.InFlight(b, ps), b.sizeBytes());
    ps.stream = s;
    ps.outstanding++;
    totalOutstanding++;
  }

  /**
   * Sends what this round staged: per stream, the batches in messages of max.request.size. A
   * stream that cannot take more now (flow control) keeps the rest for the next round, so that
   * sending never waits on a stream: Flight would spin until it is ready.
   */
  private void sendStaged(long now) {
    if (staged.isEmpty()) {
      return;
    }
    Long txn = config.transactionalId() == null ? null : transactionNumber;
    Iterator<Map.Entry<PutStream, StagedMessages>> it = staged.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<PutStream, StagedMessages> e = it.next();
      PutStream s = e.getKey();
      StagedMessages messages = e.getValue();
      while (!messages.isEmpty()) {
        if (!s.isClosed() && !s.isReady()) {
          parkNanos = Math.min(parkNanos, BACKPRESSURE_PARK_NANOS);
          break;
        }
        List<PutStream.InFlight> unsent = s.send(messages.takeFirst(), txn, idempotent);
        if (unsent.isEmpty()) {
          continue;
        }
        streams.remove(new StreamKey(s.topic, s.address), s);
        for (PutStream.InFlight f : unsent) {
          f.partition().outstanding--;
          totalOutstanding--;
          onFailure(f.partition(), f.batch(), Errors.UNAVAILABLE,
              "the put stream to " + s.address + " closed", now);
        }
      }
      if (messages.isEmpty()) {
        it.remove();
      }
    }
  }

  private void resend(long now) {
    // Retries go on under the current producer id even while a new one is pending.
    if (idempotent && producerId == null) {
      return;
    }
    for (PartitionState ps : partitions.values()) {
      if (ps.retrying && ps.outstanding == 0) {
        startResendRound(ps, now);
      }
      if (!ps.toResend.isEmpty()) {
        sendResends(ps, now);
      }
    }
  }

  /** Once nothing is in flight and the backoff has passed, queues every unacked batch again. */
  private void startResendRound(PartitionState ps, long now) {
    if (ps.unacked.isEmpty()) {
      ps.retrying = false;
      ps.failedThisRound = false;
      return;
    }
    if (now - ps.retryAtNanos < 0) {
      // Backing off. Keep polling the metadata meanwhile, and resend at once when it names a
      // new leader: after a leader dies, the backoff has grown by the time one is elected.
      TopicMetadata m = metadata.cached(ps.tp.topic());
      String current = m == null ? null : m.leader(ps.tp.partition());
      if (current == null || current.equals(ps.address)) {
        long poll = now + TimeUnit.MILLISECONDS.toNanos(config.retryBackoffMs());
        markStale(ps.tp.topic(), poll);
        wakeAt(ps.retryAtNanos - poll < 0 ? ps.retryAtNanos : poll, now);
        return;
      }
      LOG.debug("{} has a new leader {}; resending before the backoff ends", ps.tp, current);
      ps.retryAttempt = 0; // a new leader starts a fresh backoff
    }
    String leader = leaderOf(ps.tp, now);
    if (leader == null) {
      ps.retryAtNanos = now + TimeUnit.MILLISECONDS.toNanos(backoff.delayMs(ps.retryAttempt));
      wakeAt(ps.retryAtNanos, now);
      return;
    }
    ps.address = leader;
    ps.retrying = false;
    ps.failedThisRound = false;
    ps.toResend.clear();
    ps.toResend.addAll(ps.unacked);
    LOG.debug("Resending {} batch(es) of {} to {}", ps.unacked.size(), ps.tp, leader);
  }

  private void sendResends(PartitionState ps, long now) {
    if (ps.outstanding == 0) {
      // the round may have started while the metadata still named a leader that has since died
      String leader = leaderOf(ps.tp, now);
      if (leader != null && !leader.equals(ps.address)) {
        LOG.debug("Leader of {} moved from {} to {}; resending there", ps.tp, ps.address, leader);
        ps.address = leader;
      }
    }
    PutStream s = stream(ps.tp.topic(), ps.address, now);
    if (s == null) {
      ps.toResend.clear();
      onFailure(ps, ps.unacked.peekFirst(), Errors.UNAVAILABLE, "cannot open a put stream to "
          + ps.address, now);
      return;
    }
    if (ps.outstanding > 0 && ps.stream != s) {
      return; // wait for the old stream's failure to be reported first
    }
    while (!ps.toResend.isEmpty()) {
      if (!s.isReady()) {
        parkNanos = Math.min(parkNanos, BACKPRESSURE_PARK_NANOS);
        return;
      }
      stage(ps, ps.toResend.pollFirst(), s, now);
    }
  }

  private void drain(long now) {
    if (!canSend()) {
      return;
    }
    boolean force = !running || accumulator.flushing();
    List<TopicPartition> order = drainOrder.round(accumulator.partitions());
    for (int k = 0; k < order.size(); k++) {
      TopicPartition tp = order.get(k);
      PartitionState ps = state(tp);
      if (ps.retrying || !ps.toResend.isEmpty()) {
        continue;
      }
      while (ps.outstanding < MAX_IN_FLIGHT_PER_PARTITION) {
        long readyAt = accumulator.readyAtNanos(tp);
        if (readyAt == -1L) {
          break;
        }
        if (ps.outstanding == 0 || ps.address == null) {
          ps.address = leaderOf(tp, now);
        }
        if (ps.address == null) {
          break;
        }
        PutStream s = stream(tp.topic(), ps.address, now);
        if (s == null) {
          break;
        }
        if (ps.outstanding > 0 && ps.stream != s) {
          break; // batches are still in flight on a broken stream; wait for its failure
        }
        if (!s.isReady()) {
          parkNanos = Math.min(parkNanos, BACKPRESSURE_PARK_NANOS);
          drainOrder.refusedAt(k);
          break;
        }
        ProducerBatch b = accumulator.pollReady(tp, now, force);
        if (b == null) {
          wakeAt(readyAt, now);
          break;
        }
        sealAndStage(ps, b, s, now);
      }
    }
    if (!staged.isEmpty()) {
      addWaitingBatches(order, now);
    }
  }

  /**
   * Once a message goes to a stream this round, every other partition of that stream with
   * records waiting adds its first batch to the message, lingered or not: one message then
   * carries what all partitions have, instead of each partition sending its own a little later.
   */
  private void addWaitingBatches(List<TopicPartition> order, long now) {
    for (TopicPartition tp : order) {
      PartitionState ps = partitions.get(tp);
      if (ps == null || ps.retrying || !ps.toResend.isEmpty()
          || ps.outstanding >= MAX_IN_FLIGHT_PER_PARTITION || accumulator.readyAtNanos(tp) == -1L) {
        continue;
      }
      String address = ps.address;
      if (ps.outstanding == 0 || address == null) {
        TopicMetadata m = metadata.cached(tp.topic());
        address = m == null ? null : m.leader(tp.partition());
      }
      PutStream s = address == null ? null : streams.get(new StreamKey(tp.topic(), address));
      if (s == null || !staged.containsKey(s) || (ps.outstanding > 0 && ps.stream != s)) {
        continue;
      }
      ProducerBatch b = accumulator.pollReady(tp, now, true);
      if (b != null) {
        ps.address = address;
        sealAndStage(ps, b, s, now);
      }
    }
  }

  /** Closes the batch to more records, numbers it and stages it. */
  private void sealAndStage(PartitionState ps, ProducerBatch b, PutStream s, long now) {
    b.seal();
    if (idempotent) {
      b.sequence = ps.nextSequence++;
    }
    ps.unacked.addLast(b);
    stage(ps, b, s, now);
  }

  // ---- deadlines ----------------------------------------------------------------------------

  private void expire(long now) {
    for (ProducerBatch b : accumulator.expire(now)) {
      LOG.warn("Giving up on {} record(s) for {}: not sent within delivery.timeout.ms ({} ms)",
          b.recordCount(), b.tp, config.deliveryTimeoutMs());
      complete(b, Errors.REQUEST_TIMED_OUT.exception(b.recordCount() + " record(s) for " + b.tp
          + " were not sent within delivery.timeout.ms (" + config.deliveryTimeoutMs()
          + " ms): no leader was reachable. Check the node, or raise delivery.timeout.ms"),
          -1L);
    }
    for (PartitionState ps : partitions.values()) {
      if (ps.unacked.isEmpty() || ps.outstanding > 0) {
        continue;
      }
      Iterator<ProducerBatch> it = ps.unacked.iterator();
      while (it.hasNext()) {
        ProducerBatch b = it.next();
        if (b.deadlineNanos - now > 0) {
          continue;
        }
        it.remove();
        ps.toResend.remove(b);
        if (idempotent) {
          reinitPending = true;
        }
        LOG.warn("Giving up on {} of {} record(s) for {} after {} attempt(s): not acknowledged "
            + "within delivery.timeout.ms ({} ms)", b, b.recordCount(), ps.tp, b.attempts,
            config.deliveryTimeoutMs());
        complete(b, Errors.REQUEST_TIMED_OUT.exception(b.recordCount() + " record(s) for " + ps.tp
            + " were not acknowledged within delivery.timeout.ms (" + config.deliveryTimeoutMs()
            + " ms) after " + b.attempts + " attempt(s); they may or may not have been stored"
            + (ps.lastError == null ? "" : ". Last error: " + ps.lastError)), -1L);
      }
    }
  }

  /**
   * Breaks streams whose oldest batch has waited for its ack longer than request.timeout.ms, and
   * streams that never became ready to send within it (their node does not answer).
   */
  private void checkStuckStreams(long now) {
    List<PutStream> stuck = null;
    List<PutStream> unready = null;
    for (PutStream s : streams.values()) {
      long oldest = s.oldestSentNanos();
      if (oldest != -1L && now - oldest > requestTimeoutNanos) {
        if (stuck == null) {
          stuck = new ArrayList<>();
        }
        stuck.add(s);
      } else if (!s.wasReady() && now - s.createdNanos() > requestTimeoutNanos) {
        if (unready == null) {
          unready = new ArrayList<>();
        }
        unready.add(s);
      }
    }
    if (stuck != null) {
      for (PutStream s : stuck) {
        LOG.debug("No ack from {} within request.timeout.ms; reconnecting", s.address);
        s.abort(Errors.REQUEST_TIMED_OUT.exception("No produce ack from " + s.address
            + " within request.timeout.ms (" + config.requestTimeoutMs() + " ms)"));
      }
    }
    if (unready != null) {
      for (PutStream s : unready) {
        LOG.debug("The put stream to {} was not ready within request.timeout.ms", s.address);
        s.abort(Errors.UNAVAILABLE.exception("Cannot send to " + s.address
            + ": the connection was not ready within request.timeout.ms ("
            + config.requestTimeoutMs() + " ms)"));
      }
    }
  }

  // ---- shutdown -----------------------------------------------------------------------------

  private void closeAllStreams() {
    for (PutStream s : streams.values()) {
      s.complete();
      s.release();
    }
    streams.clear();
  }

  private void shutdown() {
    ApiException closed = Errors.REQUEST_TIMED_OUT.exception(
        "The producer was closed before these records were acknowledged");
    for (PutStream s : new ArrayList<>(streams.values())) {
      if (s.pending() > 0) {
        s.abort(closed);
      }
    }
    processEvents(System.nanoTime());
    for (ProducerBatch b : accumulator.drainAll()) {
      complete(b, closed, -1L);
    }
    for (PartitionState ps : partitions.values()) {
      for (ProducerBatch b : ps.unacked) {
        complete(b, closed, -1L);
      }
      ps.unacked.clear();
    }
    closeAllStreams();
    events.clear();
  }
}
