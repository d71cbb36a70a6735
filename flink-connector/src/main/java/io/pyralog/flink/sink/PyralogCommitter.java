package io.pyralog.flink.sink;

import io.pyralog.client.PyralogClient;
import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import java.util.Collection;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Committer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the transactions of a completed checkpoint by their handles. Committing is idempotent
 * on the node, so a committable that is committed again after a restore succeeds again.
 * Transient errors retry; a transaction the node aborted (it outlived {@code
 * transaction.timeout.ms}) or that a newer producer took over cannot be committed: its records
 * are lost, which is logged as an error with the remedy.
 */
@Internal
public final class PyralogCommitter implements Committer<PyralogCommittable> {
  private static final Logger LOG = LoggerFactory.getLogger(PyralogCommitter.class);

  private final PyralogClient client;

  public PyralogCommitter(Map<String, String> properties) {
    this.client = PyralogClient.create(properties);
  }

  /** The committer of a sink subtask, with its own client id unless one is set. */
  public static PyralogCommitter create(Map<String, String> properties,
      org.apache.flink.api.connector.sink2.CommitterInitContext context) {
    Map<String, String> props = new java.util.HashMap<>(properties);
    props.putIfAbsent(io.pyralog.common.config.PyralogConfigOptions.CLIENT_ID.key(),
        "pyralog-committer-" + context.getTaskInfo().getIndexOfThisSubtask());
    return new PyralogCommitter(props);
  }

  @Override
  public void commit(Collection<CommitRequest<PyralogCommittable>> requests) {
    for (CommitRequest<PyralogCommittable> request : requests) {
      PyralogCommittable c = request.getCommittable();
      try {
        client.admin().commitTransaction(c.handle());
        LOG.debug("Committed transaction '{}'", c.transactionalId());
      } catch (ApiException e) {
        if (e.isRetriable()) {
          LOG.info("Committing transaction '{}' failed ({}); retrying: {}", c.transactionalId(),
              e.error(), e.getMessage());
          request.retryLater();
        } else if (e.error() == Errors.INVALID_TXN_STATE || e.error() == Errors.PRODUCER_FENCED) {
          LOG.error("Transaction '{}' cannot be committed and its records are lost: {}. If it "
              + "timed out, raise transaction.timeout.ms above the longest time between a "
              + "checkpoint and its completion, restarts included (and the node's "
              + "transaction.max.timeout.ms with it)", c.transactionalId(), e.getMessage());
          request.signalFailedWithKnownReason(e);
        } else {
          request.signalFailedWithUnknownReason(e);
        }
      } catch (RuntimeException e) {
        request.signalFailedWithUnknownReason(e);
      }
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
