package io.pyralog.client;

import io.pyralog.common.annotation.PublicEvolving;

/**
 * Names one transaction: its transactional id and the producer id and epoch it was written
 * under. Serializable as three fields, so that another process (a Flink committer after a
 * restart) can commit or abort it through {@link PyralogAdmin}.
 */
@PublicEvolving
public record TransactionHandle(String transactionalId, long producerId, short producerEpoch) {}
