package io.pyralog.flink.sink;

import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogProducer;
import io.pyralog.client.TransactionHandle;
import io.pyralog.common.annotation.Internal;
import io.pyralog.common.config.PyralogConfigOptions;
import io.pyralog.common.protocol.Actions.TransactionInfo;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactions of one exactly-once writer subtask. Each checkpoint interval writes in its
 * own transaction, {@code <prefix>-<subtask>-<n>}, where n is one more than the checkpoint that
 * ended the previous interval (and always more than the previous transaction's n, so an id is
 * never used twice); a transaction starts with the interval's first record. A transaction
 * handed to checkpoint k has n at most k. At a
 * checkpoint the transaction is flushed and handed to the committer, which commits it when the
 * checkpoint completes.
 *
 * <p>On start, transactions of the prefix that a failed run left open after the checkpoint it
 * is restored from are aborted: their records were written again or will be. Each subtask takes
 * the ids whose subtask number, modulo the new parallelism, is its own, so that scaling down
 * leaves none behind.
 */
@Internal
public final class TransactionalProducers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalProducers.class);
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  /** The default transaction.timeout.ms of the sinks' transactions: one hour. */
  public static final String DEFAULT_TIMEOUT_MS = "3600000";

  private final PyralogClient client;
  private final String prefix;
  private final int subtask;
  private final Map<String, String> producerProperties;
  private long intervalId;
  private PyralogProducer current;
  private String currentId;

  /**
   * @param lastCheckpointId the checkpoint the job was restored from, or 0 on a fresh start
   */
  public TransactionalProducers(PyralogClient client, String prefix, int subtask,
      int parallelism, long lastCheckpointId, Collection<String> restoredPrefixes,
      Map<String, String> producerProperties) {
    this.client = client;
    this.prefix = prefix;
    this.subtask = subtask;
    this.producerProperties = producerProperties;
    this.intervalId = lastCheckpointId + 1;
    Set<String> prefixes = new LinkedHashSet<>();
    prefixes.add(prefix);
    prefixes.addAll(restoredPrefixes);
    for (String p : prefixes) {
      abortLingering(p, parallelism, lastCheckpointId);
    }
  }

  private void abortLingering(String p, int parallelism, long lastCheckpointId) {
    for (TransactionInfo t : client.admin().listTransactions(p + "-", true)) {
      long[] ids = parse(p, t.transactionalId());
      if (ids == null || ids[1] <= lastCheckpointId || ids[0] % parallelism != subtask) {
        continue;
      }
      client.admin().fenceTransactionalId(t.transactionalId(), null);
      LOG.info("Aborted transaction '{}' left open by an earlier run (restored from checkpoint "
          + "{})", t.transactionalId(), lastCheckpointId);
    }
  }

  /**
   * The transactions of a writer that {@code context} starts or restores, with the prefixes of
   * the restored writer states.
   */
  public static TransactionalProducers forWriter(PyralogClient client, String prefix,
      org.apache.flink.api.connector.sink2.WriterInitContext context,
      Collection<PyralogWriterState> restored, Map<String, String> properties) {
    java.util.List<String> restoredPrefixes = new java.util.ArrayList<>();
    for (PyralogWriterState s : restored) {
      if (s.transactionalIdPrefix() != null) {
        restoredPrefixes.add(s.transactionalIdPrefix());
      }
    }
    return new TransactionalProducers(client, prefix,
        context.getTaskInfo().getIndexOfThisSubtask(),
        context.getTaskInfo().getNumberOfParallelSubtasks(),
        context.getRestoredCheckpointId().orElse(0L), restoredPrefixes,
        producerProperties(properties));
  }

  /**
   * Producer settings of the transactions: a checkpoint's transaction must outlive the
   * checkpoint interval plus any restart before its commit, so the default timeout is an hour,
   * as with Flink's Kafka sink.
   */
  static Map<String, String> producerProperties(Map<String, String> properties) {
    Map<String, String> props = new java.util.HashMap<>();
    props.put(PyralogConfigOptions.TRANSACTION_TIMEOUT_MS.key(), properties.getOrDefault(
        PyralogConfigOptions.TRANSACTION_TIMEOUT_MS.key(), DEFAULT_TIMEOUT_MS));
    return props;
  }

  /** [subtask, interval] of an id {@code <prefix>-<subtask>-<interval>}, or null. */
  static long[] parse(String prefix, String transactionalId) {
    if (!transactionalId.startsWith(prefix + "-")) {
      return null;
    }
    String[] parts = transactionalId.substring(prefix.length() + 1).split("-");
    if (parts.length != 2) {
      return null;
    }
    try {
      return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static String transactionalId(String prefix, int subtask, long interval) {
    return prefix + "-" + subtask + "-" + interval;
  }

  /** The producer of the open transaction, starting one if the interval has none yet. */
  public PyralogProducer producer() {
    if (current == null) {
      currentId = transactionalId(prefix, subtask, intervalId);
      Map<String, String> props = new java.util.HashMap<>(producerProperties);
      props.put(PyralogConfigOptions.TRANSACTIONAL_ID.key(), currentId);
      PyralogProducer p = client.producer(props);
      try {
        p.initTransactions();
        p.beginTransaction();
      } catch (RuntimeException e) {
        p.close(CLOSE_TIMEOUT);
        throw e;
      }
      current = p;
    }
    return current;
  }

  /**
   * Flushes the open transaction and hands it over for committing; null when the interval wrote
   * nothing. Fails if a record of the transaction could not be written.
   */
  public PyralogCommittable prepare() {
    if (current == null) {
      return null;
    }
    PyralogProducer p = current;
    current = null;
    // never reuse an id, even if no checkpoint follows this prepare (a declined checkpoint): a
    // second producer with the id would fence this transaction and abort it
    intervalId++;
    try {
      TransactionHandle handle = p.prepareTransaction();
      return handle == null ? null : PyralogCommittable.of(handle);
    } finally {
      p.close(CLOSE_TIMEOUT);
    }
  }

  /** Throws a writer's first asynchronous send failure, if any. */
  @FunctionalInterface
  public interface ErrorCheck {
    void check() throws java.io.IOException;
  }

  /**
   * A writer's {@code prepareCommit}: the committable of the open transaction of {@code
   * transactions} (none without transactions, or when the interval wrote nothing).
   */
  public static java.util.Collection<PyralogCommittable> prepareCommit(
      TransactionalProducers transactions, ErrorCheck errors) throws java.io.IOException {
    if (transactions == null) {
      return java.util.List.of();
    }
    try {
      PyralogCommittable c = transactions.prepare();
      errors.check();
      return c == null ? java.util.List.of() : java.util.List.of(c);
    } catch (RuntimeException e) {
      errors.check();
      throw new java.io.IOException("Preparing the transaction for the checkpoint failed: "
          + e.getMessage(), e);
    }
  }

  /** A writer's {@code snapshotState}: its prefix, after moving to the next interval. */
  public static java.util.List<PyralogWriterState> snapshotState(
      TransactionalProducers transactions, String prefix, long checkpointId) {
    if (transactions != null) {
      transactions.checkpointed(checkpointId);
    }
    return java.util.List.of(new PyralogWriterState(prefix));
  }

  /** The next interval begins after checkpoint {@code checkpointId}. */
  public void checkpointed(long checkpointId) {
    intervalId = Math.max(intervalId, checkpointId + 1);
  }

  /**
   * Stops the open transaction's producer and aborts the transaction, so that its partitions do
   * not wait for its timeout if the job does not come back; a restored job would abort it too.
   */
  @Override
  public void close() {
    if (current == null) {
      return;
    }
    PyralogProducer p = current;
    current = null;
    try {
      p.close(Duration.ZERO);
      client.admin().fenceTransactionalId(currentId, null);
    } catch (RuntimeException e) {
      LOG.warn("Could not abort transaction '{}' on close; a restored job, or its timeout, "
          + "aborts it: {}", currentId, e.getMessage());
    }
  }
}
