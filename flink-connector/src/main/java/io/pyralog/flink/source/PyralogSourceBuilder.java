package io.pyralog.flink.source;

import io.pyralog.common.config.ConfigOption;
import io.pyralog.common.config.PyralogConfigOptions;
import io.pyralog.flink.source.enumerator.TopicSelector;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.flink.api.common.serialization.DeserializationSchema;

/** Builds a {@link PyralogSource}; the method names follow Flink's {@code KafkaSourceBuilder}. */
public final class PyralogSourceBuilder<T> {
  private final Map<String, String> properties = new HashMap<>();
  private TopicSelector topics;
  private OffsetsInitializer starting = OffsetsInitializer.earliest();
  private OffsetsInitializer stopping;
  private PyralogDeserializationSchema<T> deserializer;
  private List<String> columns;

  PyralogSourceBuilder() {}

  /** host:port of one or more nodes, comma-separated. */
  public PyralogSourceBuilder<T> setBootstrap(String bootstrap) {
    return setProperty(PyralogConfigOptions.BOOTSTRAP.key(), bootstrap);
  }

  public PyralogSourceBuilder<T> setTopics(String... topics) {
    return setTopics(Arrays.asList(topics));
  }

  public PyralogSourceBuilder<T> setTopics(List<String> topics) {
    this.topics = TopicSelector.topics(topics);
    return this;
  }

  /** Every topic whose whole name matches, including topics created later (see discovery). */
  public PyralogSourceBuilder<T> setTopicPattern(Pattern pattern) {
    this.topics = TopicSelector.pattern(pattern);
    return this;
  }

  /** The consumer group that offsets are committed to and read from. */
  public PyralogSourceBuilder<T> setGroupId(String groupId) {
    return setProperty(PyralogConfigOptions.GROUP_ID.key(), groupId);
  }

  /** Where each partition starts; default {@link OffsetsInitializer#earliest()}. */
  public PyralogSourceBuilder<T> setStartingOffsets(OffsetsInitializer starting) {
    this.starting = starting;
    return this;
  }

  /**
   * Makes the source bounded: each partition ends before the offset {@code stopping} gives
   * ({@link OffsetsInitializer#latest()}: the end when the job starts). Discovery is off.
   */
  public PyralogSourceBuilder<T> setBounded(OffsetsInitializer stopping) {
    this.stopping = stopping;
    return this;
  }

  public PyralogSourceBuilder<T> setDeserializer(PyralogDeserializationSchema<T> deserializer) {
    this.deserializer = deserializer;
    return this;
  }

  /** For raw topics: reads each record's value with {@code valueSchema}. */
  public PyralogSourceBuilder<T> setValueOnlyDeserializer(DeserializationSchema<T> valueSchema) {
    return setDeserializer(PyralogDeserializationSchema.valueOnly(valueSchema));
  }

  /**
   * Fetches only these columns of typed topics: the node sends nothing else (projection
   * push-down). The batches the deserializer sees hold just these columns.
   */
  public PyralogSourceBuilder<T> setColumns(List<String> columns) {
    this.columns = columns == null ? null : List.copyOf(columns);
    return this;
  }

  /** How often to look for new partitions; zero or negative looks once. Default 5 minutes. */
  public PyralogSourceBuilder<T> setPartitionDiscoveryInterval(Duration interval) {
    return setProperty(PyralogSourceOptions.PARTITION_DISCOVERY_INTERVAL_MS.key(),
        Long.toString(interval.toMillis()));
  }

  /** A client option (docs/configuration.md) or a {@link PyralogSourceOptions} option. */
  public PyralogSourceBuilder<T> setProperty(String key, String value) {
    properties.put(key, value);
    return this;
  }

  public PyralogSourceBuilder<T> setProperties(Properties props) {
    props.stringPropertyNames().forEach(k -> properties.put(k, props.getProperty(k)));
    return this;
  }

  public PyralogSource<T> build() {
    if (topics == null) {
      throw new IllegalStateException("No topics: call setTopics or setTopicPattern");
    }
    if (deserializer == null) {
      throw new IllegalStateException("No deserializer: call setDeserializer or "
          + "setValueOnlyDeserializer");
    }
    if (!properties.containsKey(PyralogConfigOptions.BOOTSTRAP.key())) {
      throw new IllegalStateException("No bootstrap address: call setBootstrap(\"host:port\")");
    }
    boolean committed = starting.kind() == OffsetsInitializer.Kind.COMMITTED
        || (stopping != null && stopping.kind() == OffsetsInitializer.Kind.COMMITTED);
    if (committed && properties.get(PyralogConfigOptions.GROUP_ID.key()) == null) {
      throw new IllegalStateException("Starting or stopping at committed offsets needs a group "
          + "id: call setGroupId");
    }
    for (ConfigOption<?> o : PyralogSourceOptions.ALL) {
      String raw = properties.get(o.key());
      if (raw != null) {
        o.parse(raw); // fails now, with the option's name, rather than in a task
      }
    }
    return new PyralogSource<>(properties, topics, starting, stopping, deserializer, columns);
  }
}
