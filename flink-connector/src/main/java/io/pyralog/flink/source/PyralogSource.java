package io.pyralog.flink.source;

import io.pyralog.client.PyralogClient;
import io.pyralog.common.config.PyralogConfigOptions;
import io.pyralog.flink.source.enumerator.PyralogEnumeratorState;
import io.pyralog.flink.source.enumerator.PyralogEnumeratorStateSerializer;
import io.pyralog.flink.source.enumerator.PyralogSourceEnumerator;
import io.pyralog.flink.source.enumerator.TopicSelector;
import io.pyralog.flink.source.reader.PyralogRecordEmitter;
import io.pyralog.flink.source.reader.PyralogSourceReader;
import io.pyralog.flink.source.split.PyralogPartitionSplit;
import io.pyralog.flink.source.split.PyralogPartitionSplitSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * A Flink source (FLIP-27) that reads Pyralog topics: one split per partition, assigned by an
 * enumerator that can discover new partitions, read by one consumer per subtask. Build it with
 * {@link #builder()}:
 *
 * <pre>{@code
 * PyralogSource<String> source = PyralogSource.<String>builder()
 *     .setBootstrap("127.0.0.1:7070")
 *     .setTopics("orders")
 *     .setGroupId("order-job")
 *     .setStartingOffsets(OffsetsInitializer.earliest())
 *     .setValueOnlyDeserializer(new SimpleStringSchema())
 *     .build();
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "orders");
 * }</pre>
 *
 * <p>The source checkpoints each split's next offset, so a restored job reads every record
 * exactly once into Flink's state. Record timestamps are the records' own (raw topics) or their
 * batch's largest timestamp (typed topics).
 */
public final class PyralogSource<T> implements Source<T, PyralogPartitionSplit,
    PyralogEnumeratorState>, ResultTypeQueryable<T> {
  private static final long serialVersionUID = 1L;

  private final HashMap<String, String> properties;
  private final TopicSelector topics;
  private final OffsetsInitializer starting;
  private final OffsetsInitializer stopping;
  private final PyralogDeserializationSchema<T> deserializer;
  private final ArrayList<String> columns;

  PyralogSource(Map<String, String> properties, TopicSelector topics, OffsetsInitializer starting,
      OffsetsInitializer stopping, PyralogDeserializationSchema<T> deserializer,
      List<String> columns) {
    this.properties = new HashMap<>(properties);
    this.topics = topics;
    this.starting = starting;
    this.stopping = stopping;
    this.deserializer = deserializer;
    this.columns = columns == null ? null : new ArrayList<>(columns);
  }

  public static <T> PyralogSourceBuilder<T> builder() {
    return new PyralogSourceBuilder<>();
  }

  @Override
  public Boundedness getBoundedness() {
    return stopping == null ? Boundedness.CONTINUOUS_UNBOUNDED : Boundedness.BOUNDED;
  }

  @Override
  public SourceReader<T, PyralogPartitionSplit> createReader(SourceReaderContext context)
      throws Exception {
    deserializer.open(new DeserializationSchema.InitializationContext() {
      @Override
      public MetricGroup getMetricGroup() {
        return context.metricGroup().addGroup("deserializer");
      }

      @Override
      public UserCodeClassLoader getUserCodeClassLoader() {
        return context.getUserCodeClassLoader();
      }
    });
    Map<String, String> readerProps = new HashMap<>(properties);
    readerProps.putIfAbsent(PyralogConfigOptions.AUTO_OFFSET_RESET.key(), "earliest");
    readerProps.putIfAbsent(PyralogConfigOptions.CLIENT_ID.key(),
        "pyralog-source-" + context.getIndexOfSubtask());
    PyralogClient client = PyralogClient.create(readerProps);
    Duration pollTimeout = Duration.ofMillis(PyralogSourceOptions.POLL_TIMEOUT_MS.get(properties));
    return new PyralogSourceReader<T>(client, pollTimeout, columns,
        new PyralogRecordEmitter<>(deserializer), context.getConfiguration(), context,
        properties.get(PyralogConfigOptions.GROUP_ID.key()),
        PyralogSourceOptions.COMMIT_OFFSETS_ON_CHECKPOINT.get(properties));
  }

  @Override
  public SplitEnumerator<PyralogPartitionSplit, PyralogEnumeratorState> createEnumerator(
      SplitEnumeratorContext<PyralogPartitionSplit> context) {
    return restoreEnumerator(context, null);
  }

  @Override
  public SplitEnumerator<PyralogPartitionSplit, PyralogEnumeratorState> restoreEnumerator(
      SplitEnumeratorContext<PyralogPartitionSplit> context, PyralogEnumeratorState state) {
    Map<String, String> props = new HashMap<>(properties);
    props.putIfAbsent(PyralogConfigOptions.CLIENT_ID.key(), "pyralog-source-enumerator");
    return new PyralogSourceEnumerator(context, PyralogClient.create(props), topics, starting,
        stopping, properties.get(PyralogConfigOptions.GROUP_ID.key()),
        PyralogSourceOptions.PARTITION_DISCOVERY_INTERVAL_MS.get(properties), state);
  }

  @Override
  public SimpleVersionedSerializer<PyralogPartitionSplit> getSplitSerializer() {
    return new PyralogPartitionSplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<PyralogEnumeratorState> getEnumeratorCheckpointSerializer() {
    return new PyralogEnumeratorStateSerializer();
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return deserializer.getProducedType();
  }
}
