package io.pyralog.flink.table;

import io.pyralog.flink.sink.PyralogPartitioner;
import io.pyralog.flink.sink.PyralogSink;
import io.pyralog.flink.sink.PyralogSinkBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.sink.abilities.SupportsWritingMetadata;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * The table sink of {@code 'connector' = 'pyralog'}: rows to a raw topic through formats, or
 * (without a value format) to a typed topic as Arrow batches.
 */
final class PyralogDynamicSink implements DynamicTableSink, SupportsWritingMetadata {

  /** What the factory resolved from the table's options. */
  record Spec(Map<String, String> clientProperties, String topic, DataType physicalType,
      int[] keyProjection, int[] valueProjection, String keyPrefix, boolean upsert,
      DeliveryGuarantee guarantee, String transactionalIdPrefix, String partitioner,
      Integer parallelism, int bufferRows, long bufferIntervalMs) {}

  private final Spec spec;
  private final EncodingFormat<SerializationSchema<RowData>> keyFormat;
  private final EncodingFormat<SerializationSchema<RowData>> valueFormat;
  private List<String> metadataKeys = List.of();

  PyralogDynamicSink(Spec spec, EncodingFormat<SerializationSchema<RowData>> keyFormat,
      EncodingFormat<SerializationSchema<RowData>> valueFormat) {
    this.spec = spec;
    this.keyFormat = keyFormat;
    this.valueFormat = valueFormat;
  }

  @Override
  public ChangelogMode getChangelogMode(ChangelogMode requested) {
    return spec.upsert() ? ChangelogMode.upsert() : ChangelogMode.insertOnly();
  }

  @Override
  public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
    if (valueFormat == null) {
      return SinkV2Provider.of(new TypedRowSink(spec.clientProperties(), spec.topic(),
          (RowType) spec.physicalType().getLogicalType(), spec.guarantee(), spec.bufferRows(),
          spec.bufferIntervalMs(), spec.transactionalIdPrefix()), spec.parallelism());
    }
    SerializationSchema<RowData> key = keyFormat == null ? null
        : keyFormat.createRuntimeEncoder(context, FormatTypes.project(spec.physicalType(),
            spec.keyProjection(), spec.keyPrefix()));
    SerializationSchema<RowData> value = valueFormat.createRuntimeEncoder(context,
        FormatTypes.project(spec.physicalType(), spec.valueProjection(), null));
    PyralogPartitioner<RowData> partitioner = SinkPartitioners.of(spec.partitioner(),
        Thread.currentThread().getContextClassLoader());
    PyralogSinkBuilder<RowData> builder = PyralogSink.<RowData>builder()
        .setRecordSerializer(new RowDataSerializer(spec.topic(), key, value,
            spec.physicalType().getLogicalType(), spec.keyProjection(), spec.valueProjection(),
            metadataPosition(ReadableMetadata.HEADERS), metadataPosition(ReadableMetadata.TIMESTAMP),
            spec.upsert(), partitioner))
        .setDeliveryGuarantee(spec.guarantee())
        .setTransactionalIdPrefix(spec.transactionalIdPrefix());
    spec.clientProperties().forEach(builder::setProperty);
    return SinkV2Provider.of(builder.build(), spec.parallelism());
  }

  /** Where metadata column {@code m} is in the rows the sink gets, or -1. */
  private int metadataPosition(ReadableMetadata m) {
    int i = metadataKeys.indexOf(m.key);
    return i < 0 ? -1 : spec.physicalType().getChildren().size() + i;
  }

  /** A raw topic's records carry headers and a timestamp; a typed topic's rows carry neither. */
  @Override
  public Map<String, DataType> listWritableMetadata() {
    Map<String, DataType> out = new LinkedHashMap<>();
    if (valueFormat != null) {
      out.put(ReadableMetadata.HEADERS.key, ReadableMetadata.HEADERS.type.nullable());
      out.put(ReadableMetadata.TIMESTAMP.key, ReadableMetadata.TIMESTAMP.type.nullable());
    }
    return out;
  }

  @Override
  public void applyWritableMetadata(List<String> keys, DataType consumedDataType) {
    this.metadataKeys = List.copyOf(keys);
  }

  @Override
  public DynamicTableSink copy() {
    PyralogDynamicSink copy = new PyralogDynamicSink(spec, keyFormat, valueFormat);
    copy.metadataKeys = metadataKeys;
    return copy;
  }

  @Override
  public String asSummaryString() {
    return "Pyralog table sink";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PyralogDynamicSink s && s.spec.equals(spec)
        && s.metadataKeys.equals(metadataKeys);
  }

  @Override
  public int hashCode() {
    return Objects.hash(spec, metadataKeys);
  }
}
