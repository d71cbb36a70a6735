package io.pyralog.flink.table;

import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogProducer;
import io.pyralog.common.config.PyralogConfigOptions;
import io.pyralog.common.protocol.Actions.TopicInfo;
import io.pyralog.common.schema.SchemaJson;
import io.pyralog.flink.sink.PyralogCommittable;
import io.pyralog.flink.sink.PyralogCommittableSerializer;
import io.pyralog.flink.sink.PyralogCommitter;
import io.pyralog.flink.sink.PyralogWriterState;
import io.pyralog.flink.sink.SendErrors;
import io.pyralog.flink.sink.TransactionalProducers;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;

/**
 * Writes table rows to a typed topic as Arrow batches: rows gather in columns of the topic's
 * schema (matched to table columns by name) and go out as one batch per {@code rowsPerBatch}
 * rows, after {@code flushIntervalMs}, or at a checkpoint, to the partitions in turn. Topic
 * columns the table lacks are null. With {@code EXACTLY_ONCE} the batches of a checkpoint
 * interval are one transaction, committed when the checkpoint completes.
 */
final class TypedRowSink implements Sink<RowData>, SupportsCommitter<PyralogCommittable>,
    SupportsWriterState<RowData, PyralogWriterState> {
  private static final long serialVersionUID = 1L;

  private final HashMap<String, String> clientProperties;
  private final String topic;
  private final RowType physical;
  private final DeliveryGuarantee guarantee;
  private final int rowsPerBatch;
  private final long flushIntervalMs;
  private final String transactionalIdPrefix;

  TypedRowSink(Map<String, String> clientProperties, String topic, RowType physical,
      DeliveryGuarantee guarantee, int rowsPerBatch, long flushIntervalMs,
      String transactionalIdPrefix) {
    this.transactionalIdPrefix = transactionalIdPrefix;
    this.clientProperties = new HashMap<>(clientProperties);
    this.topic = topic;
    this.physical = physical;
    this.guarantee = guarantee;
    this.rowsPerBatch = rowsPerBatch;
    this.flushIntervalMs = flushIntervalMs;
  }

  @Override
  public Writer createWriter(WriterInitContext context) throws IOException {
    return restoreWriter(context, List.of());
  }

  @Override
  public Writer restoreWriter(WriterInitContext context,
      Collection<PyralogWriterState> restored) throws IOException {
    Map<String, String> props = new HashMap<>(clientProperties);
    props.putIfAbsent(PyralogConfigOptions.CLIENT_ID.key(),
        "pyralog-sink-" + context.getTaskInfo().getIndexOfThisSubtask());
    PyralogClient client = PyralogClient.create(props);
    try {
      TransactionalProducers transactions = guarantee != DeliveryGuarantee.EXACTLY_ONCE ? null
          : TransactionalProducers.forWriter(client, transactionalIdPrefix, context, restored,
              clientProperties);
      return new Writer(client, transactions, context.getTaskInfo().getIndexOfThisSubtask(),
          context.metricGroup().getNumRecordsSendCounter(), context.getProcessingTimeService());
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  @Override
  public Committer<PyralogCommittable> createCommitter(CommitterInitContext context) {
    return PyralogCommitter.create(clientProperties, context);
  }

  @Override
  public SimpleVersionedSerializer<PyralogCommittable> getCommittableSerializer() {
    return new PyralogCommittableSerializer();
  }

  @Override
  public SimpleVersionedSerializer<PyralogWriterState> getWriterStateSerializer() {
    return new PyralogWriterState.Serializer();
  }

  final class Writer implements CommittingSinkWriter<RowData, PyralogCommittable>,
      StatefulSinkWriter<RowData, PyralogWriterState> {
    private final PyralogClient client;
    /** The producer of AT_LEAST_ONCE and NONE; null with EXACTLY_ONCE. */
    private final PyralogProducer producer;
    private final TransactionalProducers transactions;
    private final int partitions;
    private final VectorSchemaRoot root;
    private final FieldVector[] vectors;
    private final RowData.FieldGetter[] getters;
    private final Counter recordsOut;
    private final SendErrors errors = new SendErrors(topic);
    private final ProcessingTimeService timers;
    private int rows;
    private int nextPartition;
    /** Which batch a pending flush timer is for; a timer of an earlier batch does nothing. */
    private long batchNumber;

    Writer(PyralogClient client, TransactionalProducers transactions, int subtask,
        Counter recordsOut, ProcessingTimeService timers) {
      this.client = client;
      this.timers = timers;
      this.transactions = transactions;
      this.producer = transactions == null ? client.producer() : null;
      this.recordsOut = recordsOut;
      TopicInfo info = client.admin().describeTopic(topic);
      if (info.raw() || info.schema() == null) {
        throw new IllegalStateException("Topic '" + topic + "' is a raw topic; a table without "
            + "'format' writes typed topics. Set 'format' (e.g. 'json') to write a raw topic");
      }
      Schema schema = SchemaJson.parse(info.schema());
      this.partitions = info.partitions();
      this.nextPartition = subtask % partitions;
      this.root = VectorSchemaRoot.create(schema, client.allocator());
      List<String> names = physical.getFieldNames();
      this.vectors = new FieldVector[schema.getFields().size()];
      this.getters = new RowData.FieldGetter[vectors.length];
      for (String name : names) {
        if (schema.getFields().stream().noneMatch(f -> f.getName().equals(name))) {
          root.close();
          throw new IllegalStateException("Column '" + name + "' of the table is not in topic '"
              + topic + "', whose schema is " + SchemaJson.toJson(schema));
        }
      }
      for (int i = 0; i < vectors.length; i++) {
        Field f = schema.getFields().get(i);
        vectors[i] = root.getVector(i);
        int column = names.indexOf(f.getName());
        if (column >= 0) {
          LogicalType type = physical.getTypeAt(column);
          if (!ArrowToFlink.compatible(type, f) || !FlinkToArrow.writable(vectors[i])) {
            root.close();
            throw new IllegalStateException("Column '" + f.getName() + "' is " + type
                + " in the table but " + f.getType() + " in topic '" + topic + "' (see the "
                + "type table in docs/flink.md)");
          }
          getters[i] = RowData.createFieldGetter(type, column);
        } else if (!f.isNullable()) {
          root.close();
          throw new IllegalStateException("Topic '" + topic + "' has a NOT NULL column '"
              + f.getName() + "' that the table does not have");
        }
      }
      root.allocateNew();
    }

    @Override
    public void write(RowData row, Context context) throws IOException {
      checkAsyncError();
      if (row.getRowKind() != RowKind.INSERT && row.getRowKind() != RowKind.UPDATE_AFTER) {
        return;
      }
      for (int i = 0; i < vectors.length; i++) {
        FlinkToArrow.write(vectors[i], rows, getters[i] == null ? null
            : getters[i].getFieldOrNull(row));
      }
      rows++;
      if (rows >= rowsPerBatch) {
        send();
      } else if (rows == 1 && flushIntervalMs > 0) {
        long batch = batchNumber;
        // timers run on the task's thread, like write(), so no locking is needed
        timers.registerTimer(timers.getCurrentProcessingTime() + flushIntervalMs, t -> {
          if (batch == batchNumber) {
            send();
          }
        });
      }
    }

    private void send() {
      if (rows == 0) {
        return;
      }
      root.setRowCount(rows);
      int sent = rows;
      PyralogProducer p = transactions == null ? producer : transactions.producer();
      p.sendBatch(topic, nextPartition, root).whenComplete((r, e) -> {
        if (e != null) {
          errors.failed(e);
        } else {
          recordsOut.inc(sent);
        }
      });
      nextPartition = (nextPartition + 1) % partitions;
      batchNumber++;
      root.clear();
      root.allocateNew();
      rows = 0;
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
      send();
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
      errors.check();
    }

    @Override
    public void close() {
      try {
        if (transactions != null) {
          transactions.close();
        } else {
          producer.close(java.time.Duration.ofSeconds(10));
        }
        root.close();
      } finally {
        client.close();
      }
    }
  }
}
