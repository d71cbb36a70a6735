package io.pyralog.flink.sink;

import io.pyralog.client.ProducerRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Builds the common {@link PyralogRecordSerializationSchema}: one topic, a value schema, an
 * optional key schema and an optional partitioner. Each record keeps its element's Flink
 * timestamp when it has one.
 */
public final class PyralogRecordSerializationSchemaBuilder<T> {
  private String topic;
  private SerializationSchema<T> valueSchema;
  private SerializationSchema<T> keySchema;
  private PyralogPartitioner<T> partitioner;

  PyralogRecordSerializationSchemaBuilder() {}

  public PyralogRecordSerializationSchemaBuilder<T> setTopic(String topic) {
    this.topic = topic;
    return this;
  }

  public PyralogRecordSerializationSchemaBuilder<T> setValueSerializationSchema(
      SerializationSchema<T> valueSchema) {
    this.valueSchema = valueSchema;
    return this;
  }

  /** The key decides the partition unless a partitioner is set. */
  public PyralogRecordSerializationSchemaBuilder<T> setKeySerializationSchema(
      SerializationSchema<T> keySchema) {
    this.keySchema = keySchema;
    return this;
  }

  public PyralogRecordSerializationSchemaBuilder<T> setPartitioner(
      PyralogPartitioner<T> partitioner) {
    this.partitioner = partitioner;
    return this;
  }

  public PyralogRecordSerializationSchema<T> build() {
    if (topic == null || topic.isBlank()) {
      throw new IllegalStateException("No topic: call setTopic");
    }
    if (valueSchema == null) {
      throw new IllegalStateException("No value schema: call setValueSerializationSchema");
    }
    return new Simple<>(topic, valueSchema, keySchema, partitioner);
  }

  private record Simple<T>(String topic, SerializationSchema<T> valueSchema,
      SerializationSchema<T> keySchema, PyralogPartitioner<T> partitioner)
      implements PyralogRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public void open(SerializationSchema.InitializationContext context, SinkContext sink)
        throws Exception {
      valueSchema.open(context);
      if (keySchema != null) {
        keySchema.open(context);
      }
      if (partitioner != null) {
        partitioner.open(sink.subtaskId(), sink.parallelism());
      }
    }

    @Override
    public ProducerRecord serialize(T element, Context context, Long timestamp) {
      byte[] value = valueSchema.serialize(element);
      byte[] key = keySchema == null ? null : keySchema.serialize(element);
      Integer partition = null;
      if (partitioner != null) {
        int n = context.partitionCount(topic);
        partition = partitioner.partition(element, key, value, topic, n);
        if (partition < 0 || partition >= n) {
          throw new IllegalArgumentException("The partitioner chose partition " + partition
              + " of topic '" + topic + "', which has partitions 0 to " + (n - 1));
        }
      }
      return new ProducerRecord(topic, partition, key, value, null, timestamp);
    }
  }
}
