package io.pyralog.flink.sink;

import io.pyralog.client.PyralogClient;
import io.pyralog.common.config.PyralogConfigOptions;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A Flink sink (Sink V2) that writes to Pyralog topics. Build it with {@link #builder()}:
 *
 * <pre>{@code
 * PyralogSink<String> sink = PyralogSink.<String>builder()
 *     .setBootstrap("127.0.0.1:7070")
 *     .setRecordSerializer(PyralogRecordSerializationSchema.<String>builder()
 *         .setTopic("results")
 *         .setValueSerializationSchema(new SimpleStringSchema())
 *         .build())
 *     .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
 *     .setTransactionalIdPrefix("my-job")
 *     .build();
 * stream.sinkTo(sink);
 * }</pre>
 *
 * <p>With {@code EXACTLY_ONCE}, records become visible to {@code read_committed} readers when
 * the checkpoint that covers them completes.
 */
public final class PyralogSink<IN> implements Sink<IN>, SupportsCommitter<PyralogCommittable>,
    SupportsWriterState<IN, PyralogWriterState> {
  private static final long serialVersionUID = 1L;

  private final HashMap<String, String> properties;
  private final PyralogRecordSerializationSchema<IN> serializer;
  private final DeliveryGuarantee guarantee;
  private final String transactionalIdPrefix;

  PyralogSink(Map<String, String> properties, PyralogRecordSerializationSchema<IN> serializer,
      DeliveryGuarantee guarantee, String transactionalIdPrefix) {
    this.properties = new HashMap<>(properties);
    this.serializer = serializer;
    this.guarantee = guarantee;
    this.transactionalIdPrefix = transactionalIdPrefix;
  }

  public static <IN> PyralogSinkBuilder<IN> builder() {
    return new PyralogSinkBuilder<>();
  }

  public DeliveryGuarantee deliveryGuarantee() {
    return guarantee;
  }

  @Override
  public PyralogWriter<IN> createWriter(WriterInitContext context) throws IOException {
    return restoreWriter(context, List.of());
  }

  @Override
  public PyralogWriter<IN> restoreWriter(WriterInitContext context,
      Collection<PyralogWriterState> restored) throws IOException {
    try {
      int subtask = context.getTaskInfo().getIndexOfThisSubtask();
      int parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
      serializer.open(context.asSerializationSchemaInitializationContext(),
          new PyralogRecordSerializationSchema.SinkContext() {
            @Override
            public int subtaskId() {
              return subtask;
            }

            @Override
            public int parallelism() {
              return parallelism;
            }
          });
    } catch (Exception e) {
      throw new IOException("Opening the record serializer failed: " + e.getMessage(), e);
    }
    Map<String, String> props = new HashMap<>(properties);
    props.putIfAbsent(PyralogConfigOptions.CLIENT_ID.key(),
        "pyralog-sink-" + context.getTaskInfo().getIndexOfThisSubtask());
    PyralogClient client = PyralogClient.create(props);
    TransactionalProducers transactions = null;
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
      try {
        transactions = TransactionalProducers.forWriter(client, transactionalIdPrefix, context,
            restored, properties);
      } catch (RuntimeException e) {
        client.close();
        throw new IOException("Aborting the transactions an earlier run left open failed: "
            + e.getMessage(), e);
      }
    }
    return new PyralogWriter<>(client, serializer, guarantee, context.metricGroup(),
        transactions, transactionalIdPrefix);
  }

  @Override
  public Committer<PyralogCommittable> createCommitter(CommitterInitContext context) {
    return PyralogCommitter.create(properties, context);
  }

  @Override
  public SimpleVersionedSerializer<PyralogCommittable> getCommittableSerializer() {
    return new PyralogCommittableSerializer();
  }

  @Override
  public SimpleVersionedSerializer<PyralogWriterState> getWriterStateSerializer() {
    return new PyralogWriterState.Serializer();
  }
}
