package io.pyralog.common.protocol;

import io.pyralog.common.annotation.PublicEvolving;

/**
 * DoGet app metadata sent with each batch: where the batch sits in its partition. Record {@code i}
 * of the batch has offset {@code baseOffset + i}. {@code highWatermark} is the partition's end
 * offset when the batch was read.
 */
@PublicEvolving
public record FetchedBatch(
    int partition,
    long baseOffset,
    int recordCount,
    long firstTimestamp,
    long maxTimestamp,
    long highWatermark) {}
