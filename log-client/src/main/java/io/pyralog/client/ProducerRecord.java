package io.pyralog.client;

import io.pyralog.common.annotation.PublicEvolving;
import io.pyralog.common.errors.Errors;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record to send to a raw topic: an optional key, a value, optional headers and an optional
 * timestamp. Immutable once built; the producer does not copy the byte arrays until it batches
 * them, so do not modify them after {@link PyralogProducer#send}.
 *
 * <p>When {@link #partition()} is null the producer picks the partition: by the key's hash when
 * there is a key, otherwise it sticks to one partition per batch and moves on round-robin. When
 * {@link #timestamp()} is null the producer stamps the record with the send time.
 */
@PublicEvolving
public final class ProducerRecord {
  private final String topic;
  private final Integer partition;
  private final byte[] key;
  private final byte[] value;
  private final Map<String, byte[]> headers;
  private final Long timestamp;

  public ProducerRecord(String topic, Integer partition, byte[] key, byte[] value,
      Map<String, byte[]> headers, Long timestamp) {
    if (topic == null || topic.isEmpty()) {
      throw Errors.INVALID_REQUEST.exception("topic must be a non-empty topic name");
    }
    if (partition != null && partition < 0) {
      throw Errors.INVALID_REQUEST.exception("partition must be >= 0 or null (let the producer choose)"
          + " but was " + partition);
    }
    if (timestamp != null && timestamp < 0) {
      throw Errors.INVALID_REQUEST.exception("timestamp must be >= 0 (epoch milliseconds) or null "
          + "(use the send time) but was " + timestamp);
    }
    this.topic = topic;
    this.partition = partition;
    this.key = key;
    this.value = value;
    if (headers == null || headers.isEmpty()) {
      this.headers = Collections.emptyMap();
    } else {
      Map<String, byte[]> copy = new LinkedHashMap<>(headers.size() * 2);
      for (Map.Entry<String, byte[]> e : headers.entrySet()) {
        if (e.getKey() == null) {
          throw Errors.INVALID_REQUEST.exception("header names must not be null");
        }
        copy.put(e.getKey(), e.getValue());
      }
      this.headers = Collections.unmodifiableMap(copy);
    }
    this.timestamp = timestamp;
  }

  public ProducerRecord(String topic, byte[] key, byte[] value) {
    this(topic, null, key, value, null, null);
  }

  public ProducerRecord(String topic, byte[] value) {
    this(topic, null, null, value, null, null);
  }

  public ProducerRecord(String topic, Integer partition, byte[] key, byte[] value) {
    this(topic, partition, key, value, null, null);
  }

  /** A record with a value only. */
  public static ProducerRecord of(String topic, byte[] value) {
    return new ProducerRecord(topic, value);
  }

  /** A keyed record. */
  public static ProducerRecord of(String topic, byte[] key, byte[] value) {
    return new ProducerRecord(topic, key, value);
  }

  /** A keyed record whose key and value are UTF-8 strings; either may be null. */
  public static ProducerRecord ofStrings(String topic, String key, String value) {
    return new ProducerRecord(topic, utf8(key), utf8(value));
  }

  /** A copy of this record with {@code name} set to {@code value} among its headers. */
  public ProducerRecord withHeader(String name, byte[] value) {
    if (name == null) {
      throw Errors.INVALID_REQUEST.exception("header name must not be null");
    }
    Map<String, byte[]> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new ProducerRecord(topic, partition, key, this.value, h, timestamp);
  }

  /** A copy of this record with {@code name} set to the UTF-8 bytes of {@code value}. */
  public ProducerRecord withHeader(String name, String value) {
    return withHeader(name, utf8(value));
  }

  /** A copy of this record sent to {@code partition}. */
  public ProducerRecord withPartition(int partition) {
    return new ProducerRecord(topic, partition, key, value, headers, timestamp);
  }

  /** A copy of this record with the given timestamp (epoch milliseconds). */
  public ProducerRecord withTimestamp(long timestampMs) {
    return new ProducerRecord(topic, partition, key, value, headers, timestampMs);
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  public String topic() {
    return topic;
  }

  public Integer partition() {
    return partition;
  }

  public byte[] key() {
    return key;
  }

  public byte[] value() {
    return value;
  }

  /** The headers, in insertion order; never null. */
  public Map<String, byte[]> headers() {
    return headers;
  }

  public Long timestamp() {
    return timestamp;
  }

  /** Bytes of payload this record adds to a batch, used for batch.size and buffer.memory. */
  public int sizeInBytes() {
    int size = 16 + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    for (Map.Entry<String, byte[]> e : headers.entrySet()) {
      size += 8 + e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().length);
    }
    return size;
  }

  @Override
  public String toString() {
    return "ProducerRecord(topic=" + topic + ", partition=" + partition + ", key="
        + (key == null ? "null" : key.length + " bytes") + ", value="
        + (value == null ? "null" : value.length + " bytes") + ", headers=" + headers.keySet()
        + ", timestamp=" + timestamp + ")";
  }
}
