package io.pyralog.flink.sink;

import java.io.Serializable;

/**
 * Picks the partition of each element, like Flink's {@code FlinkKafkaPartitioner}. Without one,
 * records with a key go to the partition of the key's hash and records without a key are spread
 * by the producer.
 */
@FunctionalInterface
public interface PyralogPartitioner<T> extends Serializable {
  /** Called once per sink subtask before the first element. */
  default void open(int subtaskId, int parallelism) {}

  /**
   * @param record the element
   * @param key its serialized key, or null
   * @param value its serialized value
   * @param topic the target topic
   * @param partitions the topic's partition count
   * @return a partition in [0, partitions)
   */
  int partition(T record, byte[] key, byte[] value, String topic, int partitions);
}
