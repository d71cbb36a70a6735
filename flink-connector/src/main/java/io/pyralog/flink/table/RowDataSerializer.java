package io.pyralog.flink.table;

import io.pyralog.client.ProducerRecord;
import io.pyralog.flink.sink.PyralogPartitioner;
import io.pyralog.flink.sink.PyralogRecordSerializationSchema;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.RowKind;

/**
 * Turns a table row into a record of a raw topic: the key columns through the key format, the
 * value columns through the value format, and the {@code headers} and {@code timestamp} metadata
 * columns, when the table writes them, into the record's headers and timestamp. In upsert mode a DELETE becomes a record with the key
 * and no value (a tombstone) and UPDATE_BEFORE rows are dropped, as in upsert-kafka.
 */
final class RowDataSerializer implements PyralogRecordSerializationSchema<RowData> {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final SerializationSchema<RowData> keyFormat;
  private final SerializationSchema<RowData> valueFormat;
  private final RowData.FieldGetter[] keyGetters;
  private final RowData.FieldGetter[] valueGetters;
  private final boolean upsert;
  private final PyralogPartitioner<RowData> partitioner;
  private final int headersPosition;
  private final int timestampPosition;

  RowDataSerializer(String topic, SerializationSchema<RowData> keyFormat,
      SerializationSchema<RowData> valueFormat, LogicalType physicalType, int[] keyProjection,
      int[] valueProjection, int headersPosition, int timestampPosition, boolean upsert,
      PyralogPartitioner<RowData> partitioner) {
    this.headersPosition = headersPosition;
    this.timestampPosition = timestampPosition;
    this.topic = topic;
    this.keyFormat = keyFormat;
    this.valueFormat = valueFormat;
    this.keyGetters = getters(physicalType, keyProjection);
    this.valueGetters = getters(physicalType, valueProjection);
    this.upsert = upsert;
    this.partitioner = partitioner;
  }

  private static RowData.FieldGetter[] getters(LogicalType physicalType, int[] positions) {
    RowData.FieldGetter[] out = new RowData.FieldGetter[positions.length];
    for (int i = 0; i < positions.length; i++) {
      out[i] = RowData.createFieldGetter(physicalType.getChildren().get(positions[i]),
          positions[i]);
    }
    return out;
  }

  @Override
  public void open(SerializationSchema.InitializationContext context, SinkContext sink)
      throws Exception {
    if (keyFormat != null) {
      keyFormat.open(context);
    }
    valueFormat.open(context);
    if (partitioner != null) {
      partitioner.open(sink.subtaskId(), sink.parallelism());
    }
  }

  @Override
  public ProducerRecord serialize(RowData row, Context context, Long timestamp) {
    RowKind kind = row.getRowKind();
    boolean delete = kind == RowKind.DELETE;
    if (kind == RowKind.UPDATE_BEFORE || (delete && !upsert)) {
      return null;
    }
    byte[] key = keyFormat == null ? null : keyFormat.serialize(project(row, keyGetters));
    byte[] value = delete ? null : valueFormat.serialize(project(row, valueGetters));
    Integer partition = null;
    if (partitioner != null) {
      int n = context.partitionCount(topic);
      partition = partitioner.partition(row, key, value, topic, n);
      if (partition < 0 || partition >= n) {
        throw new IllegalArgumentException("The partitioner chose partition " + partition
            + " of topic '" + topic + "', which has partitions 0 to " + (n - 1));
      }
    }
    Map<String, byte[]> headers = null;
    if (headersPosition >= 0 && !row.isNullAt(headersPosition)) {
      headers = headers(row.getMap(headersPosition));
    }
    if (timestampPosition >= 0 && !row.isNullAt(timestampPosition)) {
      timestamp = row.getTimestamp(timestampPosition, 3).getMillisecond();
    }
    return new ProducerRecord(topic, partition, key, value, headers, timestamp);
  }

  private static Map<String, byte[]> headers(MapData map) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    ArrayData keys = map.keyArray();
    ArrayData values = map.valueArray();
    for (int i = 0; i < map.size(); i++) {
      if (!keys.isNullAt(i)) {
        out.put(keys.getString(i).toString(), values.isNullAt(i) ? null : values.getBinary(i));
      }
    }
    return out;
  }

  private static RowData project(RowData row, RowData.FieldGetter[] getters) {
    GenericRowData out = new GenericRowData(getters.length);
    for (int i = 0; i < getters.length; i++) {
      out.setField(i, getters[i].getFieldOrNull(row));
    }
    return out;
  }
}
