package io.pyralog.client.internal;

import io.pyralog.client.PyralogAdmin;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogConsumer;
import io.pyralog.client.PyralogProducer;
import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.PyralogException;
import io.pyralog.common.memory.ArrowAllocators;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link PyralogClient}: owns the allocator, the connections and the metadata cache. */
@Internal
public final class PyralogClientImpl implements PyralogClient {
  private static final Logger LOG = LoggerFactory.getLogger(PyralogClientImpl.class);
  private static final AtomicInteger CONSUMER_IDS = new AtomicInteger();

  private final ClientConfig config;
  private final BufferAllocator allocator;
  private final BufferAllocator flightAllocator;
  private final Connections connections;
  private final RpcClient rpc;
  private final MetadataCache metadata;
  private final AdminImpl admin;
  private final Set<ProducerImpl> producers = ConcurrentHashMap.newKeySet();
  private final Set<ConsumerImpl> consumers = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile ExecutorService fetchPool;

  public PyralogClientImpl(Map<String, String> config) {
    this.config = new ClientConfig(config);
    ArrowUtil.requireNioAccess();
    this.allocator = ArrowAllocators.newRoot();
    this.flightAllocator = allocator.newChildAllocator("pyralog-flight", 0,
        allocator.getLimit());
    this.connections = new Connections(flightAllocator);
    this.rpc = new RpcClient(connections, this.config);
    this.metadata = new MetadataCache(rpc);
    this.admin = new AdminImpl(rpc, metadata, this.config.readCommitted()
        ? this.config.isolationLevel() : null);
  }

  @Override
  public PyralogProducer producer() {
    return producer(Map.of());
  }

  @Override
  public PyralogProducer producer(Map<String, String> overrides) {
    ensureOpen();
    ClientConfig producerConfig = config;
    if (overrides != null && !overrides.isEmpty()) {
      Map<String, String> merged = new HashMap<>(config.raw());
      merged.putAll(overrides);
      producerConfig = new ClientConfig(merged);
    }
    ProducerImpl[] self = new ProducerImpl[1];
    ProducerImpl p = new ProducerImpl(producerConfig, connections, rpc, metadata, allocator,
        () -> producers.remove(self[0]));
    self[0] = p;
    producers.add(p);
    return p;
  }

  @Override
  public PyralogConsumer consumer() {
    ensureOpen();
    ConsumerImpl[] self = new ConsumerImpl[1];
    BufferAllocator child = allocator.newChildAllocator(
        "pyralog-consumer-" + CONSUMER_IDS.incrementAndGet(), 0, allocator.getLimit());
    ConsumerImpl c = new ConsumerImpl(config, connections, rpc, metadata, this::fetchPool, child,
        () -> {
          consumers.remove(self[0]);
          closeQuietly(child);
        });
    self[0] = c;
    consumers.add(c);
    return c;
  }

  private ExecutorService fetchPool() {
    ExecutorService pool = fetchPool;
    if (pool == null) {
      synchronized (this) {
        pool = fetchPool;
        if (pool == null) {
          ensureOpen();
          AtomicInteger n = new AtomicInteger();
          pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "pyralog-fetch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
          fetchPool = pool;
        }
      }
    }
    return pool;
  }

  @Override
  public PyralogAdmin admin() {
    ensureOpen();
    return admin;
  }

  @Override
  public BufferAllocator allocator() {
    return allocator;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (ProducerImpl p : new ArrayList<>(producers)) {
      try {
        p.close();
      } catch (RuntimeException e) {
        LOG.warn("Closing a producer failed: {}", e.toString());
      }
    }
    for (ConsumerImpl c : new ArrayList<>(consumers)) {
      try {
        c.close();
      } catch (RuntimeException e) {
        LOG.warn("Closing a consumer failed (close consumers on their own thread first): {}",
            e.toString());
      }
    }
    ExecutorService pool = fetchPool;
    if (pool != null) {
      pool.shutdownNow();
    }
    connections.close();
    closeQuietly(flightAllocator);
    closeQuietly(allocator);
  }

  private static void closeQuietly(BufferAllocator a) {
    try {
      a.close();
    } catch (RuntimeException e) {
      LOG.warn("Arrow memory of {} was still in use at close (batches not closed?): {}",
          a.getName(), e.getMessage());
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new PyralogException("The PyralogClient is closed; create a new one");
    }
  }
}
