package io.pyralog.common.protocol;

import io.pyralog.common.annotation.PublicEvolving;

/**
 * DoPut command descriptor: which topic the stream writes, and the idempotent producer that
 * writes it. A plain path descriptor {@code [topic]} is accepted too and means "not idempotent".
 */
@PublicEvolving
public record ProduceDescriptor(String topic, Long producerId, Short producerEpoch) {}
