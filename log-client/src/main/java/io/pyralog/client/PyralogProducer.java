package io.pyralog.client;

import io.pyralog.common.annotation.PublicEvolving;
import io.pyralog.common.errors.ApiException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Sends records to topics. A producer is thread-safe: many threads may share one, and sharing is
 * usually faster than one per thread since it gathers their records into larger batches.
 *
 * <p>Records are gathered per partition into batches of up to {@code batch.size} bytes, waiting
 * at most {@code linger.ms} for a batch to fill. A background thread sends each batch to the
 * partition's leader and completes the returned futures when the batch is durable. Transient
 * failures (leader moved, node unavailable) are retried until {@code delivery.timeout.ms}; with
 * {@code enable.idempotence=true} (the default) a retried batch is stored once, and batches of a
 * partition are stored in send order.
 *
 * <p>With {@code transactional.id}, the producer writes in transactions: {@link
 * #initTransactions()} once, then {@link #beginTransaction()}, sends, and {@link
 * #commitTransaction()} or {@link #abortTransaction()}.
 *
 * <p>Futures fail with {@link ApiException}: check {@link ApiException#error()}.
 */
@PublicEvolving
public interface PyralogProducer extends AutoCloseable {

  /**
   * Adds a record to its partition's batch and returns at once, unless {@code buffer.memory} is
   * used up, in which case it blocks until memory frees up or {@code delivery.timeout.ms} passes.
   * The future completes when the record is stored or has definitely failed.
   *
   * <p>Only raw topics accept records; for a typed topic use {@link #sendBatch}.
   */
  CompletableFuture<RecordMetadata> send(ProducerRecord record);

  /**
   * As {@link #send(ProducerRecord)}, and calls {@code callback} when the record is stored or
   * has failed: cheaper than chaining on the future when there are many records.
   */
  CompletableFuture<RecordMetadata> send(ProducerRecord record, Callback callback);

  /**
   * Sends the current rows of {@code root} as one batch to {@code partition} of {@code topic}.
   * The root's schema must match the topic's (field names and types, in order). The rows are
   * copied before this returns, so the caller may reuse or close {@code root} at once.
   */
  CompletableFuture<BatchResult> sendBatch(String topic, int partition, VectorSchemaRoot root);

  /** Sends every buffered record now and waits until each one's future has completed. */
  void flush();

  /** Like {@link #flush()}, but gives up after {@code timeout}; returns whether all completed. */
  boolean flush(Duration timeout);

  /**
   * Registers the producer's {@code transactional.id} with the node and fences any earlier
   * producer with the same id: its open transaction is aborted, and its writes are refused from
   * now on. Call once, before the first transaction. Needs {@code transactional.id}.
   */
  void initTransactions();

  /** Starts a transaction: records sent until commit or abort belong to it. */
  void beginTransaction();

  /**
   * Flushes, then commits: every record of the transaction becomes visible to {@code
   * read_committed} consumers at once. If a send of the transaction failed, this throws and the
   * transaction must be aborted.
   */
  void commitTransaction();

  /** Drops the records of the open transaction: read_committed consumers never see them. */
  void abortTransaction();

  /**
   * Flushes the open transaction's records and returns its handle, without committing: another
   * process may then commit or abort it with {@link PyralogAdmin#commitTransaction}. A
   * transactional id has one transaction at a time, so this producer cannot begin another; the
   * next transaction needs a producer with another id. Returns null when no record was sent in
   * it (there is nothing to commit, and the producer may begin again).
   */
  TransactionHandle prepareTransaction();

  /** Flushes, then stops the sender thread and releases memory. Idempotent. */
  @Override
  void close();

  /**
   * Flushes for at most {@code timeout}; records still unsent then fail with {@code
   * REQUEST_TIMED_OUT}. Idempotent.
   */
  void close(Duration timeout);
}
