package io.pyralog.client.internal;

import io.pyralog.client.BatchResult;
import io.pyralog.client.Callback;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogProducer;
import io.pyralog.client.RecordMetadata;
import io.pyralog.client.TopicPartition;
import io.pyralog.client.TransactionHandle;
import io.pyralog.common.protocol.Actions;
import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.errors.PyralogException;
import io.pyralog.common.schema.SchemaCompatibility;
import io.pyralog.common.schema.SchemaJson;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link PyralogProducer}: an accumulator that user threads append to, and one sender thread. */
@Internal
public final class ProducerImpl implements PyralogProducer {
  private static final Logger LOG = LoggerFactory.getLogger(ProducerImpl.class);
  private static final AtomicInteger IDS = new AtomicInteger();

  private final ClientConfig config;
  private final MetadataCache metadata;
  private final BufferAllocator allocator;
  private final RecordAccumulator accumulator;
  private final MemoryLimiter memory;
  private final Sender sender;
  private final long deliveryTimeoutNanos;
  private final ConcurrentHashMap<String, AtomicInteger> stickyPartitions =
      new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Runnable onClose;
  private final RpcClient rpc;
  /** Transaction state; guarded by {@code txnLock}. */
  private final Object txnLock = new Object();
  private Actions.ProducerId txnProducer;
  private boolean inTransaction;
  /** Set when a transaction was handed off by prepareTransaction(); it ends elsewhere. */
  private boolean handedOff;
  private final Set<TopicPartition> txnPartitions = new HashSet<>();
  private volatile ApiException txnError;

  public ProducerImpl(ClientConfig config, Connections connections, RpcClient rpc,
      MetadataCache metadata, BufferAllocator parentAllocator, Runnable onClose) {
    int id = IDS.incrementAndGet();
    this.config = config;
    this.rpc = rpc;
    this.metadata = metadata;
    this.onClose = onClose;
    this.allocator = parentAllocator.newChildAllocator("pyralog-producer-" + id, 0,
        parentAllocator.getLimit());
    this.deliveryTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.deliveryTimeoutMs());
    this.accumulator = new RecordAccumulator(config.batchSize(),
        TimeUnit.MILLISECONDS.toNanos(config.lingerMs()), deliveryTimeoutNanos);
    this.memory = new MemoryLimiter(config.bufferMemory());
    this.sender = new Sender("pyralog-producer-sender-" + id, config, connections, rpc, metadata,
        accumulator, memory, allocator);
    sender.start();
  }

  @Override
  public CompletableFuture<RecordMetadata> send(ProducerRecord record) {
    return send(record, null);
  }

  @Override
  public CompletableFuture<RecordMetadata> send(ProducerRecord record, Callback callback) {
    if (record == null) {
      throw Errors.INVALID_REQUEST.exception("record is null");
    }
    ensureOpen();
    try {
      TopicMetadata m = metadata.get(record.topic());
      if (!m.raw()) {
        throw Errors.SCHEMA_MISMATCH.exception("Topic '" + record.topic() + "' is typed (schema "
            + SchemaJson.toJson(m.schema()) + "); send() writes raw key/value records. Use "
            + "sendBatch(topic, partition, root) with a root of the topic's schema");
      }
      int partition = choosePartition(record, m);
      TopicPartition tp = m.topicPartition(partition);
      addToTransaction(tp);
      int size = record.sizeInBytes();
      long ts = record.timestamp() != null ? record.timestamp() : System.currentTimeMillis();
      long now = System.nanoTime();
      memory.reserve(size, now + deliveryTimeoutNanos);
      RecordAccumulator.AppendResult result;
      try {
        result = accumulator.append(tp, record, ts, size, now, callback);
      } catch (RuntimeException e) {
        memory.release(size);
        throw e;
      }
      if (result.batchFull() || result.newBatch()) {
        if (result.batchFull() && record.partition() == null && record.key() == null) {
          stickyPartitions.computeIfAbsent(record.topic(), k -> new AtomicInteger())
              .incrementAndGet();
        }
        sender.wakeup();
      }
      return watch(result.future());
    } catch (ApiException e) {
      if (callback != null) {
        callback.onCompletion(null, e);
      }
      return CompletableFuture.failedFuture(e);
    }
  }

  private int choosePartition(ProducerRecord record, TopicMetadata m) {
    int n = m.partitions();
    if (n <= 0) {
      throw Errors.UNKNOWN_TOPIC_OR_PARTITION.exception("Topic '" + m.name()
          + "' has no partitions");
    }
    if (record.partition() != null) {
      m.checkPartition(record.partition());
      return record.partition();
    }
    if (record.key() != null) {
      return Partitioner.partitionForKey(record.key(), n);
    }
    AtomicInteger sticky = stickyPartitions.computeIfAbsent(record.topic(),
        k -> new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 16)));
    return Math.floorMod(sticky.get(), n);
  }

  @Override
  public CompletableFuture<BatchResult> sendBatch(String topic, int partition,
      VectorSchemaRoot root) {
    if (topic == null || topic.isEmpty()) {
      throw Errors.INVALID_TOPIC.exception("topic must be a non-empty topic name");
    }
    if (root == null) {
      throw Errors.INVALID_REQUEST.exception("root is null; pass a VectorSchemaRoot with rows");
    }
    ensureOpen();
    try {
      TopicMetadata m = metadata.get(topic);
      m.checkPartition(partition);
      String mismatch = SchemaCompatibility.mismatch(m.schema(), root.getSchema());
      if (mismatch != null) {
        throw Errors.SCHEMA_MISMATCH.exception("The root does not match the schema of topic '"
            + topic + "': " + mismatch + ". The topic's schema is "
            + SchemaJson.toJson(m.schema()));
      }
      if (root.getRowCount() == 0) {
        throw Errors.INVALID_REQUEST.exception("The root has no rows; call root.setRowCount(n) "
            + "after filling the vectors");
      }
      addToTransaction(new TopicPartition(topic, partition));
      long size = 0;
      for (FieldVector v : root.getFieldVectors()) {
        size += v.getBufferSize();
      }
      long now = System.nanoTime();
      memory.reserve(size, now + deliveryTimeoutNanos);
      CompletableFuture<BatchResult> future = new CompletableFuture<>();
      ArrowRecordBatch copy;
      try {
        copy = ArrowUtil.copy(root, allocator);
      } catch (RuntimeException e) {
        memory.release(size);
        throw e;
      }
      ProducerBatch batch = new ProducerBatch(new TopicPartition(topic, partition), now,
          deliveryTimeoutNanos, copy, (int) Math.min(Integer.MAX_VALUE, size), future);
      try {
        accumulator.appendSealed(batch);
      } catch (RuntimeException e) {
        copy.close();
        memory.release(size);
        throw e;
      }
      sender.wakeup();
      return watch(future);
    } catch (ApiException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  // ---- transactions ---------------------------------------------------------------------------

  @Override
  public void initTransactions() {
    ensureOpen();
    String id = requireTransactionalId();
    synchronized (txnLock) {
      if (txnProducer != null) {
        throw Errors.INVALID_TXN_STATE.exception("initTransactions() was already called");
      }
      txnProducer = rpc.call(Actions.INIT_TRANSACTIONS, new Actions.InitTransactions(id,
          config.transactionTimeoutMs()), Actions.ProducerId.class);
      sender.useTransactionalProducerId(txnProducer);
      LOG.debug("Transactional id '{}': producer id {} epoch {}", id, txnProducer.producerId(),
          txnProducer.producerEpoch());
    }
  }

  @Override
  public void beginTransaction() {
    ensureOpen();
    requireTransactionalId();
    synchronized (txnLock) {
      if (txnProducer == null) {
        throw Errors.INVALID_TXN_STATE.exception("Call initTransactions() before "
            + "beginTransaction()");
      }
      if (inTransaction) {
        throw Errors.INVALID_TXN_STATE.exception("A transaction is already open; commit or "
            + "abort it first");
      }
      if (handedOff) {
        throw Errors.INVALID_TXN_STATE.exception("This producer handed its transaction off "
            + "with prepareTransaction(); it ends through PyralogAdmin, and the next "
            + "transaction needs a producer with another transactional.id");
      }
      inTransaction = true;
      txnPartitions.clear();
      txnError = null;
    }
  }

  @Override
  public void commitTransaction() {
    TransactionHandle handle = flushTransaction();
    if (handle != null) {
      rpc.call(Actions.END_TXN, new Actions.EndTxn(handle.transactionalId(), handle.producerId(),
          handle.producerEpoch(), true), Actions.TransactionInfo.class);
    }
  }

  @Override
  public TransactionHandle prepareTransaction() {
    TransactionHandle handle = flushTransaction();
    synchronized (txnLock) {
      handedOff = handle != null;
    }
    return handle;
  }

  /** Flushes the open transaction and closes it on this side; null if it wrote nothing. */
  private TransactionHandle flushTransaction() {
    requireOpenTransaction();
    flush();
    synchronized (txnLock) {
      ApiException error = txnError;
      if (error != null) {
        throw Errors.INVALID_TXN_STATE.exception("The transaction cannot commit: a send in it "
            + "failed (" + error.error() + ": " + error.getMessage() + "); abort it");
      }
      inTransaction = false;
      if (txnPartitions.isEmpty()) {
        return null;
      }
      txnPartitions.clear();
      return new TransactionHandle(config.transactionalId(), txnProducer.producerId(),
          txnProducer.producerEpoch());
    }
  }

  @Override
  public void abortTransaction() {
    requireOpenTransaction();
    flush();
    synchronized (txnLock) {
      inTransaction = false;
      boolean wrote = !txnPartitions.isEmpty();
      txnPartitions.clear();
      txnError = null;
      if (wrote) {
        rpc.call(Actions.END_TXN, new Actions.EndTxn(config.transactionalId(),
            txnProducer.producerId(), txnProducer.producerEpoch(), false),
            Actions.TransactionInfo.class);
      }
    }
  }

  /** In a transaction, adds a partition to it before the first record for it is sent. */
  private void addToTransaction(TopicPartition tp) {
    if (config.transactionalId() == null) {
      return;
    }
    synchronized (txnLock) {
      if (!inTransaction) {
        throw Errors.INVALID_TXN_STATE.exception("This producer is transactional "
            + "(transactional.id=" + config.transactionalId() + "): call beginTransaction() "
            + "before sending");
      }
      if (txnPartitions.contains(tp)) {
        return;
      }
      Actions.TransactionList added = rpc.call(Actions.ADD_PARTITIONS_TO_TXN,
          new Actions.AddPartitionsToTxn(config.transactionalId(), txnProducer.producerId(),
              txnProducer.producerEpoch(), tp.topic(), List.of(tp.partition())),
          Actions.TransactionList.class);
      sender.useTransactionNumber(added.transactions().get(0).transactionNumber());
      txnPartitions.add(tp);
    }
  }

  private <T> CompletableFuture<T> watch(CompletableFuture<T> future) {
    if (config.transactionalId() != null) {
      future.whenComplete((r, t) -> {
        if (t != null) {
          Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null
              ? t.getCause() : t;
          txnError = c instanceof ApiException api ? api
              : Errors.UNKNOWN_SERVER_ERROR.exception(String.valueOf(c.getMessage()));
        }
      });
    }
    return future;
  }

  private String requireTransactionalId() {
    String id = config.transactionalId();
    if (id == null) {
      throw Errors.INVALID_TXN_STATE.exception("This producer has no transactional.id; set it "
          + "to use transactions");
    }
    return id;
  }

  private void requireOpenTransaction() {
    ensureOpen();
    requireTransactionalId();
    synchronized (txnLock) {
      if (!inTransaction) {
        throw Errors.INVALID_TXN_STATE.exception("No transaction is open; call "
            + "beginTransaction() first");
      }
    }
  }

  @Override
  public void flush() {
    flush(null);
  }

  @Override
  public boolean flush(Duration timeout) {
    accumulator.beginFlush();
    try {
      sender.wakeup();
      List<CompletableFuture<Void>> pending = accumulator.incompleteSignals();
      CompletableFuture<Void> all = CompletableFuture.allOf(pending.toArray(
          new CompletableFuture<?>[0]));
      try {
        if (timeout == null) {
          all.get();
        } else {
          all.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        }
        return true;
      } catch (TimeoutException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PyralogException("Interrupted while flushing the producer", e);
      } catch (ExecutionException e) {
        return true; // signals never fail; keep the compiler happy
      }
    } finally {
      accumulator.endFlush();
    }
  }

  @Override
  public void close() {
    close(null);
  }

  @Override
  public void close(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    accumulator.close();
    boolean flushed = true;
    if (Thread.currentThread().getName().startsWith("pyralog-producer-sender-")) {
      LOG.warn("close() called from a send callback: not waiting for outstanding records");
      flushed = false;
    } else {
      flushed = flush(timeout);
    }
    sender.initiateClose(!flushed);
    try {
      sender.join(Math.max(1000L, timeout == null ? config.deliveryTimeoutMs()
          : timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (sender.isAlive()) {
      LOG.warn("The producer's sender thread did not stop in time; leaving it to finish");
    } else {
      try {
        allocator.close();
      } catch (RuntimeException e) {
        LOG.warn("Producer memory was not all released: {}", e.getMessage());
      }
    }
    if (onClose != null) {
      onClose.run();
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new PyralogException("The producer is closed; create a new one with "
          + "PyralogClient.producer()");
    }
  }
}
