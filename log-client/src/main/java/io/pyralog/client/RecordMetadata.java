package io.pyralog.client;

import io.pyralog.common.annotation.PublicEvolving;

/**
 * Where an acknowledged record was stored: its partition and offset, and the timestamp it was
 * stored with (the record's own, or the send time when it had none).
 */
@PublicEvolving
public record RecordMetadata(String topic, int partition, long offset, long timestamp) {
  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }
}
