package io.pyralog.flink.sink;

import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogProducer;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

/**
 * Sends each element through one idempotent producer. With {@code AT_LEAST_ONCE} a checkpoint
 * waits until every record sent before it is acknowledged, so a restored job loses nothing; a
 * record that failed fails the job at the next element, flush or checkpoint.
 */
final class PyralogWriter<IN> implements SinkWriter<IN> {
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final PyralogClient client;
  private final PyralogProducer producer;
  private final PyralogRecordSerializationSchema<IN> schema;
  private final DeliveryGuarantee guarantee;
  private final Map<String, SendErrors> errors = new ConcurrentHashMap<>();
  private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
  private final PyralogRecordSerializationSchema.Context context;
  private final Counter recordsOut;
  private final Counter bytesOut;
  private final Counter sendErrors;

  PyralogWriter(PyralogClient client, PyralogRecordSerializationSchema<IN> schema,
      DeliveryGuarantee guarantee, SinkWriterMetricGroup metrics) {
    this.client = client;
    this.producer = client.producer();
    this.schema = schema;
    this.guarantee = guarantee;
    this.context = topic -> partitionCounts.computeIfAbsent(topic,
        t -> client.admin().describeTopic(t).partitions());
    this.recordsOut = metrics.getNumRecordsSendCounter();
    this.bytesOut = metrics.getNumBytesSendCounter();
    this.sendErrors = metrics.getNumRecordsSendErrorsCounter();
  }

  @Override
  public void write(IN element, Context flinkContext) throws IOException {
    checkAsyncError();
    ProducerRecord record = schema.serialize(element, context, flinkContext.timestamp());
    if (record == null) {
      return;
    }
    int size = record.sizeInBytes();
    producer.send(record).whenComplete((metadata, error) -> {
      if (error != null) {
        sendErrors.inc();
        errors.computeIfAbsent(record.topic(), SendErrors::new).failed(error);
      } else {
        recordsOut.inc();
        bytesOut.inc(size);
      }
    });
  }

  @Override
  public void flush(boolean endOfInput) throws IOException {
    if (guarantee != DeliveryGuarantee.NONE || endOfInput) {
      producer.flush();
    }
    checkAsyncError();
  }

  private void checkAsyncError() throws IOException {
    for (SendErrors e : errors.values()) {
      e.check();
    }
  }

  @Override
  public void close() {
    try {
      // after a final flush nothing is pending; after a failure or a cancel, do not hold up
      // the restart for the whole delivery timeout (the checkpoint has what must be resent)
      producer.close(CLOSE_TIMEOUT);
    } finally {
      client.close();
    }
  }
}
