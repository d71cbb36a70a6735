package io.pyralog.node.replication;

import io.pyralog.common.errors.Errors;
import io.pyralog.node.metadata.MetadataStore;
import io.pyralog.node.metadata.TransactionRecord;
import io.pyralog.node.metadata.TransactionRecord.State;
import io.pyralog.node.metadata.TransactionRecord.TxnPartition;
import io.pyralog.node.replication.MetadataCommand.Reply;
import io.pyralog.node.replication.MetadataCommand.TxnCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * How the metadata group applies the transaction coordinator's steps. Every decision (fencing,
 * commit or abort, timeout) is made here, at apply time, so that it is replicated and a new
 * metadata leader sees exactly what the old one decided. Writing the markers to the partitions
 * happens outside, between a {@code PREPARE_*} state and {@code complete}; whoever finds a
 * transaction in a {@code PREPARE_*} state may (re)write its markers, which are idempotent.
 */
final class TransactionCommands {
  static final String INIT = "init";
  static final String ADD = "add";
  static final String END = "end";
  static final String COMPLETE = "complete";
  static final String EXPIRE = "expire";
  static final String FORGET = "forget";

  private TransactionCommands() {}

  static Reply apply(TxnCommand c, MetadataStore store, MetadataStore.Update update) {
    TransactionRecord rec = store.transaction(c.transactionalId());
    return switch (c.op()) {
      case INIT -> init(c, rec, store, update);
      case ADD -> add(c, rec, update);
      case END -> end(c, rec, update);
      case COMPLETE -> complete(c, rec, update);
      case EXPIRE -> expire(c, rec, update);
      case FORGET -> forget(c, rec, update);
      default -> error(Errors.INVALID_REQUEST, "Unknown transaction step " + c.op());
    };
  }

  private static Reply init(TxnCommand c, TransactionRecord rec, MetadataStore store,
      MetadataStore.Update update) {
    long timeoutMs = c.timeoutMs();
    if (rec == null) {
      long id = store.nextProducerId();
      update.setNextProducerId(id + 1);
      return ok(put(update, new TransactionRecord(c.transactionalId(), id, (short) 0, State.EMPTY,
          List.of(), timeoutMs, c.nowMs(), c.nowMs(), 0)));
    }
    if (rec.state().preparing()) {
      return ok(rec); // the caller finishes it, then asks again
    }
    if (rec.state() == State.ONGOING) {
      // fence the old producer: its open transaction is aborted under a new epoch
      return ok(put(update, rec.with(State.PREPARE_ABORT, bump(rec.producerEpoch()),
          rec.partitions(), rec.startedMs(), c.nowMs())));
    }
    long producerId = rec.producerId();
    short epoch = bump(rec.producerEpoch());
    if (rec.producerEpoch() == Short.MAX_VALUE) {
      producerId = store.nextProducerId();
      update.setNextProducerId(producerId + 1);
      epoch = 0;
    }
    return ok(put(update, new TransactionRecord(c.transactionalId(), producerId, epoch,
        State.EMPTY, List.of(), timeoutMs, c.nowMs(), c.nowMs(), rec.transactionNumber())));
  }

  private static Reply add(TxnCommand c, TransactionRecord rec, MetadataStore.Update update) {
    Reply fenced = checkProducer(c, rec);
    if (fenced != null) {
      return fenced;
    }
    if (rec.state().preparing()) {
      return error(Errors.CONCURRENT_TRANSACTIONS, "Transaction '" + c.transactionalId()
          + "' is still completing its previous " + (rec.state() == State.PREPARE_COMMIT
          ? "commit" : "abort") + "; retry shortly");
    }
    List<TxnPartition> partitions = new ArrayList<>();
    if (rec.state() == State.ONGOING) {
      partitions.addAll(rec.partitions());
    }
    for (TxnPartition p : c.partitions()) {
      if (!partitions.contains(p)) {
        partitions.add(p);
      }
    }
    if (rec.state() != State.ONGOING) {
      return ok(put(update, rec.begin(partitions, c.nowMs())));
    }
    return ok(put(update, rec.with(State.ONGOING, rec.producerEpoch(), partitions,
        rec.startedMs(), c.nowMs())));
  }

  private static Reply end(TxnCommand c, TransactionRecord rec, MetadataStore.Update update) {
    Reply fenced = checkProducer(c, rec);
    if (fenced != null) {
      return fenced;
    }
    boolean commit = Boolean.TRUE.equals(c.commit());
    String verb = commit ? "commit" : "abort";
    return switch (rec.state()) {
      case ONGOING -> ok(put(update, rec.with(commit ? State.PREPARE_COMMIT : State.PREPARE_ABORT,
          rec.producerEpoch(), rec.partitions(), rec.startedMs(), c.nowMs())));
      case EMPTY -> ok(put(update, rec.with(commit ? State.COMPLETE_COMMIT : State.COMPLETE_ABORT,
          rec.producerEpoch(), List.of(), rec.startedMs(), c.nowMs())));
      case PREPARE_COMMIT, COMPLETE_COMMIT -> commit ? ok(rec) : error(Errors.INVALID_TXN_STATE,
          "Cannot abort transaction '" + c.transactionalId() + "': it was already committed");
      case PREPARE_ABORT, COMPLETE_ABORT -> !commit ? ok(rec) : error(Errors.INVALID_TXN_STATE,
          "Cannot commit transaction '" + c.transactionalId() + "': it was aborted (by the "
              + "producer, by a newer producer with the same transactional id, or because it "
              + "was open longer than its transaction.timeout.ms of " + rec.timeoutMs() + " ms)");
    };
  }

  private static Reply complete(TxnCommand c, TransactionRecord rec,
      MetadataStore.Update update) {
    if (rec == null || !rec.state().preparing() || rec.producerEpoch() != c.epoch()
        || rec.producerId() != c.producerId()) {
      return ok(rec); // already completed by someone else
    }
    State done = rec.state() == State.PREPARE_COMMIT ? State.COMPLETE_COMMIT
        : State.COMPLETE_ABORT;
    return ok(put(update, rec.with(done, rec.producerEpoch(), List.of(), rec.startedMs(),
        c.nowMs())));
  }

  private static Reply expire(TxnCommand c, TransactionRecord rec, MetadataStore.Update update) {
    if (rec == null || rec.state() != State.ONGOING || rec.producerEpoch() != c.epoch()
        || rec.startedMs() + rec.timeoutMs() > c.nowMs()) {
      return ok(rec);
    }
    return ok(put(update, rec.with(State.PREPARE_ABORT, bump(rec.producerEpoch()),
        rec.partitions(), rec.startedMs(), c.nowMs())));
  }

  private static Reply forget(TxnCommand c, TransactionRecord rec, MetadataStore.Update update) {
    if (rec != null && rec.state().finished() && rec.updatedMs() + c.timeoutMs() <= c.nowMs()) {
      update.deleteTransaction(rec.transactionalId());
      return ok(null);
    }
    return ok(rec);
  }

  private static Reply checkProducer(TxnCommand c, TransactionRecord rec) {
    if (rec == null) {
      return error(Errors.INVALID_TXN_STATE, "Transactional id '" + c.transactionalId()
          + "' is unknown: call initTransactions() first (or it expired after "
          + "transactional.id.expiration.ms)");
    }
    if (rec.producerId() != c.producerId() || rec.producerEpoch() > c.epoch()) {
      return error(Errors.PRODUCER_FENCED, "Producer " + c.producerId() + " epoch " + c.epoch()
          + " of transactional id '" + c.transactionalId() + "' was fenced: a newer producer "
          + "(id " + rec.producerId() + ", epoch " + rec.producerEpoch() + ") has initialized "
          + "it, or its transaction timed out. Close this producer");
    }
    if (rec.producerEpoch() < c.epoch()) {
      return error(Errors.INVALID_REQUEST, "Epoch " + c.epoch() + " of transactional id '"
          + c.transactionalId() + "' was never issued (current " + rec.producerEpoch() + ")");
    }
    return null;
  }

  private static short bump(short epoch) {
    return epoch == Short.MAX_VALUE ? epoch : (short) (epoch + 1);
  }

  private static TransactionRecord put(MetadataStore.Update update, TransactionRecord rec) {
    update.putTransaction(rec);
    return rec;
  }

  private static Reply ok(TransactionRecord rec) {
    return new Reply(null, null, null, null, rec);
  }

  private static Reply error(Errors e, String message) {
    return new Reply(e.name(), message, null, null, null);
  }
}
