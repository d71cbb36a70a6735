package io.pyralog.flink.source;

import io.pyralog.client.ArrowBatch;
import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.util.Collector;

/**
 * Turns rows of fetched Arrow batches into the source's elements. It sees the whole batch, so a
 * typed topic can read its columns directly (zero copy); {@link #valueOnly} covers raw topics with
 * any Flink {@link DeserializationSchema}.
 *
 * @param <T> the element type
 */
public interface PyralogDeserializationSchema<T> extends Serializable, ResultTypeQueryable<T> {

  /** Called once per reader before the first row. */
  default void open(DeserializationSchema.InitializationContext context) throws Exception {}

  /**
   * Emits the elements of row {@code row} of {@code batch} (zero, one or more). The batch is valid
   * only during the call: copy what must outlive it.
   */
  void deserialize(ArrowBatch batch, int row, Collector<T> out) throws IOException;

  /** For raw topics: the value of each record through {@code valueSchema}. */
  static <T> PyralogDeserializationSchema<T> valueOnly(DeserializationSchema<T> valueSchema) {
    return new ValueOnly<>(valueSchema);
  }

  /** For raw topics: the value of each record through {@code valueSchema}. */
  final class ValueOnly<T> implements PyralogDeserializationSchema<T> {
    private static final long serialVersionUID = 1L;
    private final DeserializationSchema<T> valueSchema;

    ValueOnly(DeserializationSchema<T> valueSchema) {
      this.valueSchema = valueSchema;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
      valueSchema.open(context);
    }

    @Override
    public void deserialize(ArrowBatch batch, int row, Collector<T> out) throws IOException {
      byte[] value = batch.value(row);
      if (value == null) {
        return;
      }
      valueSchema.deserialize(value, out);
    }

    @Override
    public TypeInformation<T> getProducedType() {
      return valueSchema.getProducedType();
    }
  }
}
