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
 * Emits the rows of one fetched batch through the deserializer, each with its record timestamp,
 * and moves the split's offset past every row it emits. Rows before the split's offset (already
 * emitted) and at or after its stopping offset are skipped. The batch's memory is released
 * afterwards.
 */
public final class PyralogRecordEmitter<T>
    implements RecordEmitter<ArrowBatch, T, PyralogPartitionSplitState> {
  private final PyralogDeserializationSchema<T> deserializer;
  private final TimestampedCollector<T> collector = new TimestampedCollector<>();

  public PyralogRecordEmitter(PyralogDeserializationSchema<T> deserializer) {
    this.deserializer = deserializer;
  }

  @Override
  public void emitRecord(ArrowBatch batch, SourceOutput<T> output,
      PyralogPartitionSplitState state) throws Exception {
    try (batch) {
      int rows = batch.recordCount();
      long stop = state.split().isBounded() ? state.split().stoppingOffset() : Long.MAX_VALUE;
      int first = (int) Math.max(0, Math.min(rows, state.currentOffset() - batch.baseOffset()));
      TimeStampVector timestamps = timestamps(batch);
      collector.output = output;
      for (int row = first; row < rows; row++) {
        long offset = batch.offset(row);
        if (offset >= stop) {
          break;
        }
        collector.timestamp = timestamps == null || timestamps.isNull(row)
            ? batch.maxTimestamp() : timestamps.get(row);
        deserializer.deserialize(batch, row, collector);
        state.setCurrentOffset(offset + 1);
      }
    } finally {
      collector.output = null;
    }
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
