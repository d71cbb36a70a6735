package io.pyralog.client;

import io.pyralog.common.annotation.PublicEvolving;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One record of a raw topic as returned by {@link PyralogConsumer#poll}. The byte arrays are
 * copies: they stay valid after the poll's {@link ConsumerBatches} is closed.
 *
 * <p>For typed topics, key and value are null and headers are empty: read the columns from
 * {@link ArrowBatch#root()} instead. The timestamp is then the batch's max timestamp.
 */
@PublicEvolving
public final class ConsumerRecord {
  private final String topic;
  private final int partition;
  private final long offset;
  private final long timestamp;
  private final byte[] key;
  private final byte[] value;
  private final Map<String, byte[]> headers;

  public ConsumerRecord(String topic, int partition, long offset, long timestamp, byte[] key,
      byte[] value, Map<String, byte[]> headers) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.key = key;
    this.value = value;
    this.headers = headers == null ? Map.of() : headers;
  }

  public String topic() {
    return topic;
  }

  public int partition() {
    return partition;
  }

  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  public long offset() {
    return offset;
  }

  /** Epoch milliseconds. */
  public long timestamp() {
    return timestamp;
  }

  public byte[] key() {
    return key;
  }

  public byte[] value() {
    return value;
  }

  /** The headers, in the order they were written; never null. */
  public Map<String, byte[]> headers() {
    return headers;
  }

  /** The key decoded as UTF-8, or null. */
  public String keyAsString() {
    return key == null ? null : new String(key, StandardCharsets.UTF_8);
  }

  /** The value decoded as UTF-8, or null. */
  public String valueAsString() {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ConsumerRecord(" + topic + "-" + partition + "@" + offset + ", timestamp=" + timestamp
        + ", key=" + (key == null ? "null" : key.length + " bytes") + ", value="
        + (value == null ? "null" : value.length + " bytes") + ", headers=" + headers.keySet()
        + ")";
  }
}
