package io.pyralog.common.protocol;

import io.pyralog.common.annotation.PublicEvolving;

/**
 * DoPut app metadata sent with each batch. {@code partition} defaults to round-robin over the
 * topic's partitions when absent. {@code sequence} is the producer's per-partition batch number,
 * starting at 0; a batch resent with the same sequence is stored once.
 */
@PublicEvolving
public record ProduceMetadata(Integer partition, Integer sequence) {}
