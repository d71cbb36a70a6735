package io.pyralog.flink.sink;

import io.pyralog.client.PyralogClient;
import io.pyralog.common.config.PyralogConfigOptions;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.DeliveryGuarantee;

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
 *     .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
 *     .build();
 * stream.sinkTo(sink);
 * }</pre>
 */
public final class PyralogSink<IN> implements Sink<IN> {
  private static final long serialVersionUID = 1L;

  private final HashMap<String, String> properties;
  private final PyralogRecordSerializationSchema<IN> serializer;
  private final DeliveryGuarantee guarantee;

  PyralogSink(Map<String, String> properties, PyralogRecordSerializationSchema<IN> serializer,
      DeliveryGuarantee guarantee) {
    this.properties = new HashMap<>(properties);
    this.serializer = serializer;
    this.guarantee = guarantee;
  }

  public static <IN> PyralogSinkBuilder<IN> builder() {
    return new PyralogSinkBuilder<>();
  }

  public DeliveryGuarantee deliveryGuarantee() {
    return guarantee;
  }

  @Override
  public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
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
    return new PyralogWriter<>(PyralogClient.create(props), serializer, guarantee,
        context.metricGroup());
  }
}
