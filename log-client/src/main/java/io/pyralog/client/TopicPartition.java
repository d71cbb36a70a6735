package io.pyralog.client;

import io.pyralog.common.annotation.PublicEvolving;
import io.pyralog.common.errors.Errors;

/** A partition of a topic. Immutable; usable as a map key. */
@PublicEvolving
public record TopicPartition(String topic, int partition) {
  public TopicPartition {
    if (topic == null || topic.isEmpty()) {
      throw Errors.INVALID_REQUEST.exception("topic must be a non-empty topic name");
    }
    if (partition < 0) {
      throw Errors.INVALID_REQUEST.exception(
          "partition must be >= 0 but was " + partition + " (topic '" + topic + "')");
    }
  }

  @Override
  public String toString() {
    return topic + "-" + partition;
  }
}
