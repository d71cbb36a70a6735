package io.pyralog.flink.source.reader;

import io.pyralog.client.ArrowBatch;
import io.pyralog.common.schema.RawSchema;
import io.pyralog.flink.source.PyralogDeserializationSchema;
import io.pyralog.flink.source.split.PyralogPartitionSplitState;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.util.Collector;

/**
 * Emits one fetched row through the deserializer, with its record timestamp, and moves the
 * split's offset past it. The split reader has already cut rows at a bounded split's stopping
 * offset; the fetch releases the batches' memory once all rows are emitted.
 */
public final class PyralogRecordEmitter<T>
    implements RecordEmitter<PyralogRow, T, PyralogPartitionSplitState> {
  private final PyralogDeserializationSchema<T> deserializer;
  private final TimestampedCollector<T> collector = new TimestampedCollector<>();
  private ArrowBatch lastBatch;
  private TimeStampVector timestamps;

  public PyralogRecordEmitter(PyralogDeserializationSchema<T> deserializer) {
    this.deserializer = deserializer;
  }

  @Override
  public void emitRecord(PyralogRow element, SourceOutput<T> output,
      PyralogPartitionSplitState state) throws Exception {
    long offset = element.offset();
    ArrowBatch batch = element.batch();
    int row = element.row();
    if (batch != lastBatch) {
      timestamps = timestamps(batch);
      lastBatch = batch;
    }
    collector.output = output;
    collector.timestamp = timestamps == null || timestamps.isNull(row)
        ? batch.maxTimestamp() : timestamps.get(row);
    try {
      deserializer.deserialize(batch, row, collector);
    } finally {
      collector.output = null;
    }
    state.setCurrentOffset(offset + 1);
  }

  private static TimeStampVector timestamps(ArrowBatch batch) {
    if (!batch.isRaw()) {
      return null;
    }
    FieldVector v = batch.root().getVector(RawSchema.TIMESTAMP);
    return v instanceof TimeStampVector t ? t : null;
  }

  /** Hands elements to the source output with the current row's timestamp. */
  private static final class TimestampedCollector<T> implements Collector<T> {
    SourceOutput<T> output;
    long timestamp;

    @Override
    public void collect(T record) {
      output.collect(record, timestamp);
    }

    @Override
    public void close() {}
  }
}
