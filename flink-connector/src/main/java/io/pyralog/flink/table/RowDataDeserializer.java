package io.pyralog.flink.table;

import io.pyralog.client.ArrowBatch;
import io.pyralog.client.ConsumerRecord;
import io.pyralog.flink.source.PyralogDeserializationSchema;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

/**
 * Builds a table row from a record of a raw topic: the key format fills the key columns, the
 * value format the value columns, and metadata columns follow the physical ones. In upsert mode a
 * record without a value is a DELETE of its key.
 */
final class RowDataDeserializer implements PyralogDeserializationSchema<RowData> {
  private static final long serialVersionUID = 1L;

  private final DeserializationSchema<RowData> keyFormat;
  private final DeserializationSchema<RowData> valueFormat;
  private final int[] keyProjection;
  private final int[] valueProjection;
  private final RowData.FieldGetter[] keyGetters;
  private final RowData.FieldGetter[] valueGetters;
  private final int physicalArity;
  private final int[] output;
  /** The produced row is the physical row: every column, in order, and no metadata. */
  private final boolean physicalAsIs;
  private final List<ReadableMetadata> metadata;
  private final boolean upsert;
  private final TypeInformation<RowData> producedType;
  private transient RowCollector rows;

  /**
   * @param physicalType the table's physical row type
   * @param keyProjection the physical positions of the key format's fields, in its order
   * @param valueProjection the physical positions of the value format's fields, in its order
   * @param output the physical positions the produced row holds, in its order (projection
   *     push-down); metadata columns follow them
   */
  RowDataDeserializer(DeserializationSchema<RowData> keyFormat,
      DeserializationSchema<RowData> valueFormat, LogicalType physicalType, int[] keyProjection,
      int[] valueProjection, int[] output, List<ReadableMetadata> metadata, boolean upsert,
      TypeInformation<RowData> producedType) {
    this.keyFormat = keyFormat;
    this.valueFormat = valueFormat;
    this.keyProjection = keyProjection;
    this.valueProjection = valueProjection;
    this.keyGetters = getters(physicalType, keyProjection);
    this.valueGetters = getters(physicalType, valueProjection);
    this.physicalArity = physicalType.getChildren().size();
    this.output = output;
    this.physicalAsIs = metadata.isEmpty()
        && java.util.Arrays.equals(output, java.util.stream.IntStream.range(0, physicalArity)
            .toArray());
    this.metadata = List.copyOf(metadata);
    this.upsert = upsert;
    this.producedType = producedType;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) throws Exception {
    if (keyFormat != null) {
      keyFormat.open(context);
    }
    valueFormat.open(context);
    rows = new RowCollector();
  }

  @Override
  public void deserialize(ArrowBatch batch, int row, Collector<RowData> out) throws IOException {
    if (!batch.isRaw()) {
      throw new IOException("Topic '" + batch.topicPartition().topic() + "' is a typed topic; "
          + "a table with a 'format' reads raw topics. Remove 'format' (and the key options) to "
          + "read it by its columns");
    }
    ConsumerRecord record = batch.record(row);
    RowData key = null;
    if (keyFormat != null && record.key() != null) {
      key = keyFormat.deserialize(record.key());
    }
    if (record.value() == null) {
      if (upsert && key != null) {
        GenericRowData delete = new GenericRowData(RowKind.DELETE, physicalArity);
        copy(key, keyGetters, keyProjection, delete);
        emit(delete, record, out);
      }
      return; // a tombstone outside upsert mode carries no row
    }
    rows.values.clear();
    valueFormat.deserialize(record.value(), rows);
    for (RowData value : rows.values) {
      GenericRowData result = new GenericRowData(upsert ? RowKind.UPDATE_AFTER : RowKind.INSERT,
          physicalArity);
      copy(value, valueGetters, valueProjection, result);
      if (key != null) {
        copy(key, keyGetters, keyProjection, result);
      }
      emit(result, record, out);
    }
  }

  /** Emits the projected columns of {@code physical}, then the metadata columns. */
  private void emit(GenericRowData physical, ConsumerRecord record, Collector<RowData> out) {
    if (physicalAsIs) {
      out.collect(physical);
      return;
    }
    GenericRowData row = new GenericRowData(physical.getRowKind(),
        output.length + metadata.size());
    for (int i = 0; i < output.length; i++) {
      row.setField(i, physical.getField(output[i]));
    }
    for (int i = 0; i < metadata.size(); i++) {
      row.setField(output.length + i, metadata.get(i).read(record));
    }
    out.collect(row);
  }

  private static RowData.FieldGetter[] getters(LogicalType physicalType, int[] positions) {
    RowData.FieldGetter[] out = new RowData.FieldGetter[positions.length];
    for (int i = 0; i < positions.length; i++) {
      out[i] = RowData.createFieldGetter(physicalType.getChildren().get(positions[i]), i);
    }
    return out;
  }

  /** Copies field i of {@code from} (a row of a format) to position {@code positions[i]}. */
  private static void copy(RowData from, RowData.FieldGetter[] getters, int[] positions,
      GenericRowData to) {
    for (int i = 0; i < positions.length; i++) {
      to.setField(positions[i], getters[i].getFieldOrNull(from));
    }
  }

  @Override
  public TypeInformation<RowData> getProducedType() {
    return producedType;
  }

  /** Gathers what the value format emits for one record. */
  private static final class RowCollector implements Collector<RowData> {
    final java.util.ArrayList<RowData> values = new java.util.ArrayList<>(1);

    @Override
    public void collect(RowData record) {
      values.add(record);
    }

    @Override
    public void close() {}
  }
}
