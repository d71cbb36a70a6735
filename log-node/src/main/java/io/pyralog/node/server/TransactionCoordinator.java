package io.pyralog.node.server;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions;
import io.pyralog.node.metadata.TopicRecord;
import io.pyralog.node.metadata.TransactionRecord;
import io.pyralog.node.metadata.TransactionRecord.State;
import io.pyralog.node.metadata.TransactionRecord.TxnPartition;
import io.pyralog.node.replication.Groups;
import io.pyralog.node.replication.MetadataCommand;
import io.pyralog.node.replication.MetadataCommand.TxnCommand;
import io.pyralog.node.replication.ReplicaSetControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction coordinator. Its state lives in the metadata group (see {@code
 * TransactionCommands}); any node serves the requests by submitting steps to that group. Ending
 * a transaction is two-phase: the decision ({@code PREPARE_COMMIT} or {@code PREPARE_ABORT}) is
 * replicated first, then a marker entry goes to every replica set hosting one of its partitions,
 * then the transaction is marked complete. A node that dies between the steps leaves the
 * transaction prepared; the next request for it, or the metadata leader's periodic check, writes
 * the markers again (they are idempotent) and completes it. The same check aborts transactions
 * open longer than their timeout and forgets long-unused transactional ids.
 */
public final class TransactionCoordinator {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinator.class);
  /** A prepared transaction older than this is taken to be abandoned by its node. */
  static final long ABANDONED_PREPARE_MS = 5_000;

  private final PyralogNode node;
  private final TopicAdmin admin;
  private final NodeConfig config;

  TransactionCoordinator(PyralogNode node, TopicAdmin admin) {
    this.node = node;
    this.admin = admin;
    this.config = node.config();
  }

  public Actions.ProducerId initTransactions(Actions.InitTransactions req) {
    String id = requireId(req.transactionalId());
    long timeoutMs = req.timeoutMs() == null ? 60_000L : req.timeoutMs();
    if (timeoutMs < 1 || timeoutMs > config.transactionMaxTimeoutMs()) {
      throw Errors.INVALID_CONFIG.exception("transaction.timeout.ms=" + timeoutMs
          + " is invalid: use 1 to " + config.transactionMaxTimeoutMs()
          + " (the node's transaction.max.timeout.ms)");
    }
    for (int attempt = 0; attempt < 5; attempt++) {
      TransactionRecord rec = step(new TxnCommand("init", id, null, null, timeoutMs, now(), null,
          null));
      if (rec.state() == State.EMPTY) {
        LOG.info("Transactional id '{}': producer id {} epoch {}", id, rec.producerId(),
            rec.producerEpoch());
        return new Actions.ProducerId(rec.producerId(), rec.producerEpoch());
      }
      LOG.info("Transactional id '{}': finishing its {} transaction (epoch {}) before a new "
          + "producer takes over", id, rec.state(), rec.producerEpoch());
      finish(rec);
    }
    throw Errors.CONCURRENT_TRANSACTIONS.exception("Transactional id '" + id + "' keeps changing "
        + "while it is initialized: is another producer with the same id starting? Retry");
  }

  public Actions.TransactionList addPartitions(Actions.AddPartitionsToTxn req) {
    String id = requireId(req.transactionalId());
    TopicRecord topic = admin.requireTopic(req.topic());
    if (req.partitions() == null || req.partitions().isEmpty()) {
      throw Errors.INVALID_REQUEST.exception("add-partitions-to-txn needs partitions");
    }
    List<TxnPartition> partitions = new ArrayList<>();
    for (int p : req.partitions()) {
      if (p < 0 || p >= topic.partitions()) {
        throw Errors.UNKNOWN_TOPIC_OR_PARTITION.exception("Partition " + p + " of topic '"
            + topic.name() + "' does not exist; the topic has partitions 0-"
            + (topic.partitions() - 1));
      }
      partitions.add(new TxnPartition(topic.topicId(), p, topic.replicaSets().get(p)));
    }
    TransactionRecord rec = step(new TxnCommand("add", id, req.producerId(),
        req.producerEpoch(), null, now(), partitions, null));
    return new Actions.TransactionList(List.of(info(rec)));
  }

  public Actions.TransactionInfo endTxn(Actions.EndTxn req) {
    String id = requireId(req.transactionalId());
    TransactionRecord rec = step(new TxnCommand("end", id, req.producerId(), req.producerEpoch(),
        null, now(), null, req.commit()));
    if (rec.state().preparing()) {
      rec = finish(rec);
    }
    return info(rec);
  }

  public Actions.TransactionList list(Actions.ListTransactions req) {
    List<Actions.TransactionInfo> result = new ArrayList<>();
    boolean openOnly = req != null && Boolean.TRUE.equals(req.openOnly());
    String prefix = req == null ? null : req.prefix();
    for (TransactionRecord rec : node.store().transactions()) {
      if (prefix != null && !rec.transactionalId().startsWith(prefix)) {
        continue;
      }
      if (openOnly && rec.state().finished()) {
        continue;
      }
      result.add(info(rec));
    }
    return new Actions.TransactionList(result);
  }

  /**
   * Whether a batch of a transactional stream may be stored: its partition must belong to the
   * producer's open transaction. The local metadata may lag the metadata leader by a few
   * milliseconds after add-partitions-to-txn returned, so a miss waits briefly for it.
   */
  public void requirePartitionInTransaction(String transactionalId, long producerId, short epoch,
      long transactionNumber, TopicRecord topic, int partition) {
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (true) {
      TransactionRecord rec = node.store().transaction(transactionalId);
      if (rec != null && rec.producerId() == producerId && rec.producerEpoch() > epoch) {
        throw Errors.PRODUCER_FENCED.exception("Producer " + producerId + " epoch " + epoch
            + " of transactional id '" + transactionalId + "' was fenced by epoch "
            + rec.producerEpoch() + "; close this producer");
      }
      if (rec != null && rec.producerId() == producerId && rec.producerEpoch() == epoch
          && rec.transactionNumber() == transactionNumber && rec.state() == State.ONGOING
          && rec.contains(topic.topicId(), partition)) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw Errors.INVALID_TXN_STATE.exception("Partition " + partition + " of topic '"
            + topic.name() + "' is not part of an open transaction of transactional id '"
            + transactionalId + "' (producer " + producerId + " epoch " + epoch
            + ", transaction " + transactionNumber + "); call add-partitions-to-txn before "
            + "writing to it");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Errors.UNAVAILABLE.exception("Interrupted");
      }
    }
  }

  /**
   * The metadata leader's periodic check: aborts timed-out transactions, completes prepared ones
   * a failed node left behind, and forgets expired transactional ids.
   */
  void check() {
    if (config.clustered() && !node.clusterView().isMetadataLeader()) {
      return;
    }
    long now = now();
    for (TransactionRecord rec : node.store().transactions()) {
      try {
        if (rec.state() == State.ONGOING && rec.startedMs() + rec.timeoutMs() <= now) {
          TransactionRecord expired = step(new TxnCommand("expire", rec.transactionalId(),
              rec.producerId(), rec.producerEpoch(), null, now, null, null));
          if (expired != null && expired.state() == State.PREPARE_ABORT) {
            LOG.warn("Transaction '{}' (producer {}) was open for more than its timeout of {} ms;"
                + " aborting it", rec.transactionalId(), rec.producerId(), rec.timeoutMs());
            finish(expired);
          }
        } else if (rec.state().preparing() && rec.updatedMs() + ABANDONED_PREPARE_MS <= now) {
          LOG.info("Transaction '{}' was left in {}; finishing it", rec.transactionalId(),
              rec.state());
          finish(rec);
        } else if (rec.state().finished()
            && rec.updatedMs() + config.transactionalIdExpirationMs() <= now) {
          step(new TxnCommand("forget", rec.transactionalId(), null, null,
              config.transactionalIdExpirationMs(), now, null, null));
          LOG.info("Forgot transactional id '{}', unused for {} ms", rec.transactionalId(),
              config.transactionalIdExpirationMs());
        }
      } catch (ApiException e) {
        LOG.warn("Transaction check of '{}' failed, retrying at the next check: {}",
            rec.transactionalId(), e.getMessage());
      }
    }
  }

  /** Writes the markers of a prepared transaction to its partitions, then completes it. */
  private TransactionRecord finish(TransactionRecord rec) {
    boolean commit = rec.state() == State.PREPARE_COMMIT;
    Map<Integer, List<long[]>> byReplicaSet = new TreeMap<>();
    for (TxnPartition p : rec.partitions()) {
      byReplicaSet.computeIfAbsent(p.replicaSet(), k -> new ArrayList<>())
          .add(new long[] {p.topicId(), p.partition()});
    }
    List<CompletableFuture<?>> markers = new ArrayList<>();
    byReplicaSet.forEach((rs, parts) -> markers.add(node.groupClient(Groups.replicaSet(rs))
        .submit(ReplicaSetControl.txnMarkers(rec.producerId(), rec.producerEpoch(),
            rec.transactionNumber(), commit, parts))));
    markers.forEach(admin::await);
    TransactionRecord done = step(new TxnCommand("complete", rec.transactionalId(),
        rec.producerId(), rec.producerEpoch(), null, now(), null, null));
    LOG.debug("Transaction '{}' {} in {} partitions", rec.transactionalId(),
        commit ? "committed" : "aborted", rec.partitions().size());
    return done == null ? rec : done;
  }

  private TransactionRecord step(TxnCommand command) {
    return admin.metadata(MetadataCommand.txn(command)).transaction();
  }

  private static Actions.TransactionInfo info(TransactionRecord rec) {
    return new Actions.TransactionInfo(rec.transactionalId(), rec.producerId(),
        rec.producerEpoch(), rec.state().name(), rec.partitions().size(), rec.timeoutMs(),
        rec.startedMs(), rec.transactionNumber());
  }

  private static String requireId(String id) {
    if (id == null || id.isBlank()) {
      throw Errors.INVALID_REQUEST.exception("No transactional id given");
    }
    return id;
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
