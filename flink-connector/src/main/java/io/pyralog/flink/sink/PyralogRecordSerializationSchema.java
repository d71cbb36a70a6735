package io.pyralog.flink.sink;

import io.pyralog.client.ProducerRecord;
import java.io.Serializable;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Turns each element into the record to write (topic, partition, key, value, headers,
 * timestamp). {@link #builder()} covers the usual cases; implement it for anything else.
 */
public interface PyralogRecordSerializationSchema<T> extends Serializable {

  /** What the writer knows that a serializer may need. */
  interface Context {
    /** The partition count of {@code topic}, as the writer first found it. */
    int partitionCount(String topic);
  }

  /** Where the writer runs. */
  interface SinkContext {
    int subtaskId();

    int parallelism();
  }

  /** Called once per writer before the first element. */
  default void open(SerializationSchema.InitializationContext context, SinkContext sink)
      throws Exception {}

  /**
   * The record for {@code element}, or null to drop it.
   *
   * @param timestamp the element's Flink timestamp, or null when it has none
   */
  ProducerRecord serialize(T element, Context context, Long timestamp);

  static <T> PyralogRecordSerializationSchemaBuilder<T> builder() {
    return new PyralogRecordSerializationSchemaBuilder<>();
  }
}
