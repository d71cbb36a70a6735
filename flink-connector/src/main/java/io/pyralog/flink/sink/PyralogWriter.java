package io.pyralog.flink.sink;

import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogProducer;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

/**
 * Sends each element through one idempotent producer. With {@code AT_LEAST_ONCE} a checkpoint
 * waits until every record sent before it is acknowledged, so a restored job loses nothing; a
 * record that failed fails the job at the next element, flush or checkpoint. With {@code
 * EXACTLY_ONCE} each checkpoint interval writes in its own transaction ({@link
 * TransactionalProducers}), which the checkpoint hands to the committer.
 */
final class PyralogWriter<IN> implements CommittingSinkWriter<IN, PyralogCommittable>,
    StatefulSinkWriter<IN, PyralogWriterState> {
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final PyralogClient client;
  /** The producer of AT_LEAST_ONCE and NONE; null with EXACTLY_ONCE. */
  private final PyralogProducer producer;
  /** The transactions of EXACTLY_ONCE; null otherwise. */
  private final TransactionalProducers transactions;
  private final String transactionalIdPrefix;
  private final PyralogRecordSerializationSchema<IN> schema;
  private final DeliveryGuarantee guarantee;
  private final Map<String, SendErrors> errors = new ConcurrentHashMap<>();
  private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
  private final PyralogRecordSerializationSchema.Context context;
  private final Counter recordsOut;
  private final Counter bytesOut;
  private final Counter sendErrors;

  PyralogWriter(PyralogClient client, PyralogRecordSerializationSchema<IN> schema,
      DeliveryGuarantee guarantee, SinkWriterMetricGroup metrics,
      TransactionalProducers transactions, String transactionalIdPrefix) {
    this.client = client;
    this.transactions = transactions;
    this.transactionalIdPrefix = transactionalIdPrefix;
    this.producer = transactions == null ? client.producer() : null;
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
    PyralogProducer p = transactions == null ? producer : transactions.producer();
    p.send(record, (metadata, error) -> {
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
    if (transactions == null && (guarantee != DeliveryGuarantee.NONE || endOfInput)) {
      producer.flush();
    }
    checkAsyncError();
  }

  @Override
  public Collection<PyralogCommittable> prepareCommit() throws IOException {
    return TransactionalProducers.prepareCommit(transactions, this::checkAsyncError);
  }

  @Override
  public List<PyralogWriterState> snapshotState(long checkpointId) {
    return TransactionalProducers.snapshotState(transactions, transactionalIdPrefix,
        checkpointId);
  }

  private void checkAsyncError() throws IOException {
    for (SendErrors e : errors.values()) {
      e.check();
    }
  }

  @Override
  public void close() {
    try {
      if (transactions != null) {
        transactions.close();
      } else {
        // after a final flush nothing is pending; after a failure or a cancel, do not hold up
        // the restart for the whole delivery timeout (the checkpoint has what must be resent)
        producer.close(CLOSE_TIMEOUT);
      }
    } finally {
      client.close();
    }
  }
}
