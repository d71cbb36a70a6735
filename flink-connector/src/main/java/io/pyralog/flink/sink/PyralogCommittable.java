package io.pyralog.flink.sink;

import io.pyralog.client.TransactionHandle;
import io.pyralog.common.annotation.Internal;

/**
 * One prepared transaction of an exactly-once writer: flushed, not yet committed. It travels in
 * the checkpoint to the committer, which commits it once the checkpoint is complete (again after
 * a restore, idempotently).
 */
@Internal
public record PyralogCommittable(String transactionalId, long producerId, short producerEpoch) {

  static PyralogCommittable of(TransactionHandle handle) {
    return new PyralogCommittable(handle.transactionalId(), handle.producerId(),
        handle.producerEpoch());
  }

  TransactionHandle handle() {
    return new TransactionHandle(transactionalId, producerId, producerEpoch);
  }
}
