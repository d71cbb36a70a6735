package io.pyralog.client.internal;

import io.grpc.MethodDescriptor;
import io.pyralog.client.ArrowBatch;
import io.pyralog.client.ConsumerBatches;
import io.pyralog.client.OffsetSpec;
import io.pyralog.client.PyralogConsumer;
import io.pyralog.client.TopicPartition;
import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.errors.PyralogException;
import io.pyralog.common.protocol.FetchTicket;
import io.pyralog.common.protocol.FetchTicket.FetchPartition;
import io.pyralog.common.protocol.FetchedBatch;
import io.pyralog.common.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PyralogConsumer}: positions per assigned partition, and per poll one multi-partition
 * DoGet per (topic, leader), run in parallel when there are several.
 */
@Internal
public final class ConsumerImpl implements PyralogConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerImpl.class);

  private record FetchKey(String topic, String address) {}

  /** One batch as received, before it is trimmed to the position. */
  private record Received(FetchedBatch meta, VectorSchemaRoot root) {}

  /** One DoGet of a poll round. */
  private record FetchRequest(FetchKey key, List<TopicPartition> partitions, FetchTicket ticket,
      long maxWaitMs, FetchHandle handle) {}

  /** What one DoGet returned: batches read before it ended, and its error if any. */
  private record FetchResult(FetchKey key, List<TopicPartition> partitions, List<Received> batches,
      ApiException error) {
    void release() {
      batches.forEach(b -> b.root().close());
    }
  }

  /** Lets the polling thread cancel a DoGet running on another thread. */
  private static final class FetchHandle {
    private static final String REASON = "the consumer no longer needs this fetch";
    private volatile boolean cancelled;
    private volatile FetchCall call;

    void attach(FetchCall c) {
      call = c;
      if (cancelled) {
        c.cancel(REASON);
      }
    }

    void cancel() {
      cancelled = true;
      FetchCall c = call;
      if (c != null) {
        c.cancel(REASON);
      }
    }
  }

  /**
   * The fetch of the next round, sent as a poll returns data so that the node reads and sends
   * while the application works on what it got (as Kafka's consumer pipelines its fetches). It
   * was asked for from {@code positions} with {@code projections}; a poll uses it only if both
   * are still the consumer's, and drops it otherwise.
   */
  private record Prefetch(Map<TopicPartition, Long> positions,
      Map<String, List<String>> projections, List<FetchRequest> requests,
      CompletableFuture<List<FetchResult>> results) {

    /** Cancels the fetch and releases whatever it received. */
    void discard() {
      requests.forEach(r -> r.handle().cancel());
      try {
        results.join().forEach(FetchResult::release);
      } catch (RuntimeException e) {
        LOG.debug("A dropped prefetch failed", e);
      }
    }
  }

  /** How long a follower that failed a read is skipped before it is tried again. */
  private static final long FOLLOWER_AVOID_MS = 5_000L;

  private final ClientConfig config;
  private final Connections connections;
  private final RpcClient rpc;
  private final MetadataCache metadata;
  private final Supplier<ExecutorService> fetchPool;
  private final BufferAllocator allocator;
  private final MethodDescriptor<byte[], FetchCall.FlightMessage> doGet;
  private final Backoff backoff;
  private final Runnable onClose;

  /** Assigned partitions and their positions; null means not yet known. */
  private final LinkedHashMap<TopicPartition, Long> positions = new LinkedHashMap<>();
  /** Replicas whose follower reads failed lately, with the nanoTime until which to skip them. */
  private final Map<String, Long> avoided = new HashMap<>();
  private final int followerSalt = ThreadLocalRandom.current().nextInt(1 << 16);
  private final Map<String, List<String>> projections = new HashMap<>();
  private final AtomicReference<Thread> owner = new AtomicReference<>();
  private int depth;
  /** Counts tickets, to rotate which partition each fetch starts with; see {@link #ticket}. */
  private int fetchRound;
  private ConsumerBatches last;
  /** The next round's fetch, sent when a poll returned data; see {@link Prefetch}. */
  private Prefetch prefetch;
  private boolean closed;

  public ConsumerImpl(ClientConfig config, Connections connections, RpcClient rpc,
      MetadataCache metadata, Supplier<ExecutorService> fetchPool, BufferAllocator allocator,
      Runnable onClose) {
    this.config = config;
    this.connections = connections;
    this.rpc = rpc;
    this.metadata = metadata;
    this.fetchPool = fetchPool;
    this.allocator = allocator;
    this.doGet = FetchCall.doGet(allocator);
    this.backoff = config.backoff();
    this.onClose = onClose;
  }

  // ---- assignment and positions ---------------------------------------------------------------

  @Override
  public void assign(Collection<TopicPartition> partitions) {
    acquire();
    try {
      if (partitions == null) {
        throw Errors.INVALID_REQUEST.exception("partitions is null; pass an empty list to "
            + "unassign everything");
      }
      LinkedHashMap<TopicPartition, Long> next = new LinkedHashMap<>();
      for (TopicPartition tp : partitions) {
        if (tp == null) {
          throw Errors.INVALID_REQUEST.exception("partitions contains null");
        }
        next.put(tp, positions.get(tp));
      }
      positions.clear();
      positions.putAll(next);
    } finally {
      release();
    }
  }

  @Override
  public void assignAll(String topic) {
    acquire();
    try {
      checkTopic(topic);
      TopicMetadata m = metadata.get(topic);
      List<TopicPartition> all = new ArrayList<>(positions.keySet());
      for (int p = 0; p < m.partitions(); p++) {
        TopicPartition tp = new TopicPartition(topic, p);
        if (!positions.containsKey(tp)) {
          all.add(tp);
        }
      }
      assign(all);
    } finally {
      release();
    }
  }

  @Override
  public Set<TopicPartition> assignment() {
    acquire();
    try {
      return Set.copyOf(positions.keySet());
    } finally {
      release();
    }
  }

  @Override
  public void seek(TopicPartition partition, long offset) {
    acquire();
    try {
      checkAssigned(partition);
      if (offset < 0) {
        throw Errors.INVALID_REQUEST.exception("Cannot seek " + partition + " to " + offset
            + ": offsets are >= 0; use seekToBeginning or seekToEnd for the log's ends");
      }
      positions.put(partition, offset);
    } finally {
      release();
    }
  }

  @Override
  public void seekToBeginning(Collection<TopicPartition> partitions) {
    seekTo(partitions, OffsetSpec.earliest());
  }

  @Override
  public void seekToEnd(Collection<TopicPartition> partitions) {
    seekTo(partitions, OffsetSpec.latest());
  }

  @Override
  public void seekToTimestamp(TopicPartition partition, long timestampMs) {
    seekTo(List.of(partition), OffsetSpec.forTimestamp(timestampMs));
  }

  private void seekTo(Collection<TopicPartition> partitions, OffsetSpec spec) {
    acquire();
    try {
      Collection<TopicPartition> targets =
          partitions == null || partitions.isEmpty() ? positions.keySet() : partitions;
      for (TopicPartition tp : targets) {
        checkAssigned(tp);
      }
      positions.putAll(listOffsets(targets, spec));
    } finally {
      release();
    }
  }

  @Override
  public long position(TopicPartition partition) {
    acquire();
    try {
      checkAssigned(partition);
      if (positions.get(partition) == null) {
        resolvePositions();
      }
      return positions.get(partition);
    } finally {
      release();
    }
  }

  @Override
  public void project(String topic, List<String> columns) {
    acquire();
    try {
      checkTopic(topic);
      if (columns == null || columns.isEmpty()) {
        projections.remove(topic);
        return;
      }
      for (String c : columns) {
        if (c == null || c.isEmpty()) {
          throw Errors.INVALID_REQUEST.exception("Column names must be non-empty; got "
              + columns);
        }
      }
      projections.put(topic, List.copyOf(columns));
    } finally {
      release();
    }
  }

  // ---- poll -----------------------------------------------------------------------------------

  @Override
  public ConsumerBatches poll(Duration timeout) {
    acquire();
    try {
      ensureOpen();
      if (timeout == null || timeout.isNegative()) {
        throw Errors.INVALID_REQUEST.exception("timeout must be >= 0, e.g. Duration.ofMillis(500)");
      }
      releaseLast();
      if (positions.isEmpty()) {
        throw Errors.INVALID_REQUEST.exception(
            "The consumer has no partitions: call assign() or assignAll(topic) before poll()");
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      int attempt = 0;
      while (true) {
        resolvePositions();
        List<FetchResult> results;
        boolean retriable = false;
        Prefetch ahead = takePrefetch();
        if (ahead != null) {
          results = await(ahead, deadline);
          if (results == null) {
            prefetch = ahead;
            return ConsumerBatches.empty();
          }
        } else {
          Plan plan = plan();
          long remainingMs = Math.max(0L, TimeUnit.NANOSECONDS.toMillis(deadline
              - System.nanoTime()));
          results = plan.fetches().isEmpty() ? List.of()
              : fetch(requests(plan.fetches(), remainingMs));
          retriable = plan.leaderless();
        }
        // errors first: one that is thrown must leave every position where it was
        try {
          for (FetchResult r : results) {
            if (r.error() != null) {
              retriable |= handleFetchError(r);
            }
          }
        } catch (RuntimeException e) {
          results.forEach(FetchResult::release);
          throw e;
        }
        List<ArrowBatch> out = new ArrayList<>();
        for (FetchResult r : results) {
          accept(r, out);
        }
        if (!out.isEmpty()) {
          last = new ConsumerBatches(out);
          startPrefetch(timeout.toMillis());
          return last;
        }
        long leftNanos = deadline - System.nanoTime();
        if (leftNanos <= 0) {
          return ConsumerBatches.empty();
        }
        if (retriable) {
          long sleepMs = Math.min(backoff.delayMs(attempt++),
              TimeUnit.NANOSECONDS.toMillis(leftNanos));
          if (sleepMs > 0) {
            RpcClient.sleep(sleepMs);
          }
        }
      }
    } finally {
      release();
    }
  }

  /**
   * Sends the next round's fetch from the positions just reached, to run while the application
   * works on the batches this poll returns. Anything that stops it (no leader known, a position
   * not yet resolved) leaves it to the next poll, which then fetches and reports as usual.
   */
  private void startPrefetch(long maxWaitMs) {
    if (positions.containsValue(null)) {
      return;
    }
    // never throws: the poll that calls it has moved positions and must return its batches
    try {
      Plan plan = plan();
      if (plan.leaderless() || plan.fetches().isEmpty()) {
        return;
      }
      List<FetchRequest> requests = requests(plan.fetches(), maxWaitMs);
      prefetch = new Prefetch(new LinkedHashMap<>(positions), new HashMap<>(projections),
          requests, CompletableFuture.supplyAsync(() -> fetch(requests), fetchPool.get()));
    } catch (RuntimeException e) {
      LOG.debug("No prefetch: {}", e.toString());
    }
  }

  /** The prefetch, if it was asked for from the current positions; drops one that was not. */
  private Prefetch takePrefetch() {
    Prefetch ahead = prefetch;
    prefetch = null;
    if (ahead == null) {
      return null;
    }
    if (ahead.positions().equals(positions) && ahead.projections().equals(projections)) {
      return ahead;
    }
    ahead.discard();
    return null;
  }

  /**
   * The prefetch's results, or null if they are not in by the deadline; none if the prefetch
   * itself broke (the poll then fetches as usual).
   */
  private static List<FetchResult> await(Prefetch ahead, long deadline) {
    try {
      return ahead.results().get(Math.max(0L, deadline - System.nanoTime()),
          TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ahead.discard();
      throw new ApiException(Errors.REQUEST_TIMED_OUT, "Interrupted while polling", e);
    } catch (ExecutionException e) {
      LOG.debug("Prefetch failed; fetching again", e.getCause());
      return List.of();
    }
  }

  /** The DoGets of one poll round; {@code leaderless} when some partitions have no leader. */
  private record Plan(Map<FetchKey, List<TopicPartition>> fetches, boolean leaderless) {}

  private Plan plan() {
    Map<FetchKey, List<TopicPartition>> plan = new LinkedHashMap<>();
    Set<String> leaderless = new LinkedHashSet<>();
    for (TopicPartition tp : positions.keySet()) {
      TopicMetadata m = metadata.get(tp.topic());
      m.checkPartition(tp.partition());
      String leader = m.leader(tp.partition());
      String source = config.fetchFromFollowers() ? follower(m, tp.partition(), leader) : leader;
      if (source == null) {
        leaderless.add(tp.topic());
        continue;
      }
      plan.computeIfAbsent(new FetchKey(tp.topic(), source), k -> new ArrayList<>()).add(tp);
    }
    for (String topic : leaderless) {
      LOG.debug("Topic {} has partitions without a leader; refreshing its metadata", topic);
      metadata.invalidate(topic);
    }
    return new Plan(plan, !leaderless.isEmpty());
  }

  /**
   * The replica a follower read goes to: one of the partition's followers, picked by partition so
   * that one consumer spreads its reads, skipping those that failed lately; the leader when no
   * follower is left.
   */
  private String follower(TopicMetadata m, int partition, String leader) {
    List<String> candidates = new ArrayList<>();
    long now = System.nanoTime();
    for (String replica : m.replicas(partition)) {
      Long until = avoided.get(replica);
      if (!replica.equals(leader) && (until == null || now - until >= 0)) {
        candidates.add(replica);
      }
    }
    if (candidates.isEmpty()) {
      return leader;
    }
    return candidates.get(Math.floorMod(partition + followerSalt, candidates.size()));
  }

  /**
   * The DoGets of one round, one per (topic, source), with their tickets built from the current
   * positions; built on the polling thread, so that a round can then run on any thread.
   */
  private List<FetchRequest> requests(Map<FetchKey, List<TopicPartition>> plan, long maxWaitMs) {
    List<FetchRequest> requests = new ArrayList<>(plan.size());
    plan.forEach((key, partitions) -> requests.add(new FetchRequest(key, partitions,
        ticket(key.topic(), partitions, maxWaitMs), maxWaitMs, new FetchHandle())));
    return requests;
  }

  /**
   * Runs the DoGets of one round and returns when the first brings data (cancelling the rest) or
   * all end. Touches no consumer state, so it may run on a pool thread.
   */
  private List<FetchResult> fetch(List<FetchRequest> requests) {
    if (requests.size() == 1) {
      return List.of(fetchOne(requests.get(0)));
    }
    ExecutorService pool = fetchPool.get();
    List<CompletableFuture<FetchResult>> futures = new ArrayList<>();
    CompletableFuture<Void> firstData = new CompletableFuture<>();
    for (FetchRequest request : requests) {
      CompletableFuture<FetchResult> f = CompletableFuture.supplyAsync(
          () -> fetchOne(request), pool);
      f.whenComplete((r, ex) -> {
        if (r != null && !r.batches().isEmpty()) {
          firstData.complete(null);
        }
      });
      futures.add(f);
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(
        new CompletableFuture<?>[0]));
    try {
      CompletableFuture.anyOf(firstData, all).join();
      if (!all.isDone()) {
        requests.forEach(r -> r.handle().cancel());
      }
      all.join();
    } catch (RuntimeException e) {
      requests.forEach(r -> r.handle().cancel());
      throw e;
    }
    List<FetchResult> results = new ArrayList<>(futures.size());
    for (CompletableFuture<FetchResult> f : futures) {
      results.add(f.join());
    }
    return results;
  }

  /**
   * The node serves a ticket's partitions in order, each as far as the fetch's byte budget goes,
   * so a partition with a long backlog would take every fetch whole while the ones after it wait.
   * Each ticket therefore starts one partition further on (Kafka's fetcher rotates its
   * partitions in the same way).
   */
  private FetchTicket ticket(String topic, List<TopicPartition> partitions, long maxWaitMs) {
    int n = partitions.size();
    int first = n == 0 ? 0 : Math.floorMod(fetchRound++, n);
    List<FetchPartition> fps = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      TopicPartition tp = partitions.get((first + i) % n);
      fps.add(new FetchPartition(tp.partition(), positions.get(tp), null));
    }
    return new FetchTicket(topic, null, null, null, fps, projections.get(topic), maxWaitMs,
        config.fetchMaxBytes(), config.fetchFromFollowers() ? Boolean.TRUE : null,
        config.readCommitted() ? FetchTicket.READ_COMMITTED : null);
  }

  /** Runs one DoGet to the end; may run on a pool thread, so it touches no consumer state. */
  private FetchResult fetchOne(FetchRequest request) {
    FetchKey key = request.key();
    List<TopicPartition> partitions = request.partitions();
    FetchHandle handle = request.handle();
    List<Received> received = new ArrayList<>();
    try (FetchCall call = FetchCall.start(connections.channel(key.address()), doGet,
        Json.write(request.ticket()), request.maxWaitMs() + config.requestTimeoutMs())) {
      handle.attach(call);
      Schema schema = null;
      for (FetchCall.FlightMessage next = call.next(); next != null; next = call.next()) {
        try (FetchCall.FlightMessage m = next) {
          if (m.isSchema()) {
            schema = m.schema();
          } else if (m.isRecordBatch()) {
            if (schema == null) {
              throw Errors.UNKNOWN_SERVER_ERROR.exception("Fetch from " + key.address()
                  + " sent a record batch before its schema");
            }
            FetchedBatch meta = Json.read(m.appMetadata(), FetchedBatch.class);
            VectorSchemaRoot own = VectorSchemaRoot.create(schema, allocator);
            try {
              m.loadInto(own, allocator);
            } catch (RuntimeException e) {
              own.close();
              throw e;
            }
            received.add(new Received(meta, own));
          }
        }
      }
      return new FetchResult(key, partitions, received, null);
    } catch (FlightRuntimeException e) {
      return new FetchResult(key, partitions, received,
          handle.cancelled ? null : Errors.fromFlight(e));
    } catch (ApiException e) {
      return new FetchResult(key, partitions, received, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new FetchResult(key, partitions, received, new ApiException(Errors.UNAVAILABLE,
          "Fetch from " + key.address() + " was interrupted", e));
    } catch (RuntimeException e) {
      return new FetchResult(key, partitions, received, new ApiException(Errors.UNAVAILABLE,
          "Fetch from " + key.address() + " failed: " + e, e));
    }
  }

  /** Trims the received batches to the positions, keeps what is new, and moves positions. */
  private void accept(FetchResult result, List<ArrowBatch> out) {
    TopicMetadata m = metadata.cached(result.key().topic());
    boolean raw = m == null || m.raw();
    for (Received r : result.batches()) {
      TopicPartition tp = new TopicPartition(result.key().topic(), r.meta().partition());
      Long pos = positions.get(tp);
      VectorSchemaRoot root = r.root();
      int n = root.getRowCount();
      long base = r.meta().baseOffset();
      long end = base + n;
      if (n == 0 && pos != null && base + r.meta().recordCount() > pos) {
        // a read_committed reader steps over a batch of an aborted transaction
        positions.put(tp, base + r.meta().recordCount());
      }
      if (pos == null || n == 0 || end <= pos) {
        root.close();
        continue;
      }
      long first = base;
      if (base < pos) {
        int skip = (int) (pos - base);
        VectorSchemaRoot trimmed = root.slice(skip, n - skip);
        root.close();
        root = trimmed;
        first = pos;
      }
      out.add(new ArrowBatch(tp, first, r.meta().firstTimestamp(), r.meta().maxTimestamp(),
          r.meta().highWatermark(), raw, root));
      positions.put(tp, end);
    }
  }

  /** Handles a failed fetch; returns true when a retry after backoff may help. */
  private boolean handleFetchError(FetchResult r) {
    ApiException e = r.error();
    if (e.error() == Errors.OFFSET_OUT_OF_RANGE) {
      resetOutOfRange(r.key().topic(), r.partitions(), e);
      return false;
    }
    if (e.isRetriable()) {
      LOG.debug("Fetch of {} from {} failed, refreshing metadata: {} {}", r.key().topic(),
          r.key().address(), e.error(), e.getMessage());
      if (config.fetchFromFollowers()) {
        avoided.put(r.key().address(), System.nanoTime()
            + TimeUnit.MILLISECONDS.toNanos(FOLLOWER_AVOID_MS));
      }
      metadata.invalidate(r.key().topic());
      return true;
    }
    throw e;
  }

  private void resetOutOfRange(String topic, List<TopicPartition> partitions, ApiException e) {
    if (config.offsetReset() == ClientConfig.OffsetReset.NONE) {
      throw new ApiException(Errors.OFFSET_OUT_OF_RANGE, e.getMessage() + ". Positions "
          + positionsOf(partitions) + "; auto.offset.reset is none, so seek to a valid offset "
          + "(e.g. seekToBeginning)", e);
    }
    List<Integer> ps = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      ps.add(tp.partition());
    }
    Map<Integer, Long> earliest = AdminImpl.listOffsets(rpc, metadata, topic, ps, OffsetSpec.earliest());
    Map<Integer, Long> latest = AdminImpl.listOffsets(rpc, metadata, topic, ps, OffsetSpec.latest(),
        config.isolationLevel());
    boolean toEarliest = config.offsetReset() == ClientConfig.OffsetReset.EARLIEST;
    for (TopicPartition tp : partitions) {
      Long pos = positions.get(tp);
      Long lo = earliest.get(tp.partition());
      Long hi = latest.get(tp.partition());
      if (pos == null || lo == null || hi == null) {
        continue;
      }
      if (pos < lo || pos > hi) {
        long target = toEarliest ? lo : hi;
        LOG.info("Position {} of {} is out of range [{}, {}]; resetting to {} ({})", pos, tp, lo,
            hi, target, toEarliest ? "earliest" : "latest");
        positions.put(tp, target);
      }
    }
  }

  private String positionsOf(List<TopicPartition> partitions) {
    StringBuilder sb = new StringBuilder("{");
    for (TopicPartition tp : partitions) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(tp).append('=').append(positions.get(tp));
    }
    return sb.append('}').toString();
  }

  /** Gives every assigned partition without a position one: committed, else auto.offset.reset. */
  private void resolvePositions() {
    Map<String, List<TopicPartition>> missing = new LinkedHashMap<>();
    for (Map.Entry<TopicPartition, Long> e : positions.entrySet()) {
      if (e.getValue() == null) {
        missing.computeIfAbsent(e.getKey().topic(), k -> new ArrayList<>()).add(e.getKey());
      }
    }
    for (Map.Entry<String, List<TopicPartition>> e : missing.entrySet()) {
      List<TopicPartition> rest = new ArrayList<>(e.getValue());
      if (config.groupId() != null) {
        Map<Integer, Long> committed = AdminImpl.fetchOffsets(rpc, config.groupId(), e.getKey());
        rest.removeIf(tp -> {
          Long c = committed.get(tp.partition());
          if (c != null && c >= 0) {
            positions.put(tp, c);
            return true;
          }
          return false;
        });
      }
      if (rest.isEmpty()) {
        continue;
      }
      switch (config.offsetReset()) {
        case EARLIEST -> positions.putAll(listOffsets(rest, OffsetSpec.earliest()));
        case LATEST -> positions.putAll(listOffsets(rest, OffsetSpec.latest()));
        default -> throw Errors.OFFSET_OUT_OF_RANGE.exception("No position for " + rest
            + (config.groupId() == null ? "" : " and no offset committed by group '"
            + config.groupId() + "'") + ", and auto.offset.reset is none: seek first, or set "
            + "auto.offset.reset to earliest or latest");
      }
    }
  }

  // ---- offsets --------------------------------------------------------------------------------

  @Override
  public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
    acquire();
    try {
      return listOffsets(partitions, OffsetSpec.earliest());
    } finally {
      release();
    }
  }

  @Override
  public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
    acquire();
    try {
      return listOffsets(partitions, OffsetSpec.latest());
    } finally {
      release();
    }
  }

  private Map<TopicPartition, Long> listOffsets(Collection<TopicPartition> partitions,
      OffsetSpec spec) {
    if (partitions == null) {
      throw Errors.INVALID_REQUEST.exception("partitions is null");
    }
    Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
    for (TopicPartition tp : partitions) {
      byTopic.computeIfAbsent(tp.topic(), k -> new ArrayList<>()).add(tp.partition());
    }
    Map<TopicPartition, Long> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
      Map<Integer, Long> offsets = AdminImpl.listOffsets(rpc, metadata, e.getKey(), e.getValue(), spec,
          config.isolationLevel());
      for (Integer p : e.getValue()) {
        Long o = offsets.get(p);
        if (o == null) {
          throw Errors.UNKNOWN_TOPIC_OR_PARTITION.exception("The node returned no " + spec
              + " offset for " + e.getKey() + "-" + p + "; does the partition exist?");
        }
        out.put(new TopicPartition(e.getKey(), p), o);
      }
    }
    return out;
  }

  @Override
  public void commitSync() {
    acquire();
    try {
      Map<TopicPartition, Long> current = new LinkedHashMap<>();
      positions.forEach((tp, pos) -> {
        if (pos != null) {
          current.put(tp, pos);
        }
      });
      commit(current);
    } finally {
      release();
    }
  }

  @Override
  public void commitSync(Map<TopicPartition, Long> offsets) {
    acquire();
    try {
      if (offsets == null) {
        throw Errors.INVALID_REQUEST.exception("offsets is null");
      }
      commit(offsets);
    } finally {
      release();
    }
  }

  private void commit(Map<TopicPartition, Long> offsets) {
    String group = requireGroup();
    Map<String, Map<Integer, Long>> byTopic = new LinkedHashMap<>();
    offsets.forEach((tp, o) -> byTopic.computeIfAbsent(tp.topic(), k -> new LinkedHashMap<>())
        .put(tp.partition(), o));
    for (Map.Entry<String, Map<Integer, Long>> e : byTopic.entrySet()) {
      AdminImpl.commitOffsets(rpc, group, e.getKey(), e.getValue());
    }
  }

  @Override
  public Long committed(TopicPartition partition) {
    acquire();
    try {
      if (partition == null) {
        throw Errors.INVALID_REQUEST.exception("partition is null");
      }
      return AdminImpl.fetchOffsets(rpc, requireGroup(), partition.topic())
          .get(partition.partition());
    } finally {
      release();
    }
  }

  private String requireGroup() {
    if (config.groupId() == null) {
      throw Errors.INVALID_CONFIG.exception("This consumer has no group: set group.id in the "
          + "PyralogClient config to commit or read committed offsets");
    }
    return config.groupId();
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  @Override
  public void close() {
    acquire();
    try {
      if (closed) {
        return;
      }
      closed = true;
      releaseLast();
      if (prefetch != null) {
        prefetch.discard();
        prefetch = null;
      }
      positions.clear();
    } finally {
      release();
    }
    if (onClose != null) {
      onClose.run();
    }
  }

  private void releaseLast() {
    if (last != null) {
      last.close();
      last = null;
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new PyralogException("The consumer is closed; create a new one with "
          + "PyralogClient.consumer()");
    }
  }

  private void checkAssigned(TopicPartition tp) {
    if (tp == null) {
      throw Errors.INVALID_REQUEST.exception("partition is null");
    }
    if (!positions.containsKey(tp)) {
      throw Errors.INVALID_REQUEST.exception(tp + " is not assigned to this consumer; call "
          + "assign() first (assigned: " + positions.keySet() + ")");
    }
  }

  private static void checkTopic(String topic) {
    if (topic == null || topic.isEmpty()) {
      throw Errors.INVALID_TOPIC.exception("topic must be a non-empty topic name");
    }
  }

  private void acquire() {
    Thread me = Thread.currentThread();
    if (owner.get() != me && !owner.compareAndSet(null, me)) {
      throw new ConcurrentModificationException("PyralogConsumer is not safe for use by several "
          + "threads at once; give each thread its own consumer");
    }
    depth++;
  }

  private void release() {
    if (--depth == 0) {
      owner.set(null);
    }
  }
}
