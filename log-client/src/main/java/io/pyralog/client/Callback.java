package io.pyralog.client;

import io.pyralog.common.annotation.PublicEvolving;

/**
 * Called once a record sent with {@link PyralogProducer#send(ProducerRecord, Callback)} is stored
 * or has definitely failed, as Kafka's producer callback is. It runs on the producer's sender
 * thread, so it must be quick and must not block.
 */
@PublicEvolving
@FunctionalInterface
public interface Callback {
  /**
   * @param metadata where the record was stored, or null when it failed
   * @param exception why it failed ({@link io.pyralog.common.errors.ApiException}), or null
   */
  void onCompletion(RecordMetadata metadata, Exception exception);
}
