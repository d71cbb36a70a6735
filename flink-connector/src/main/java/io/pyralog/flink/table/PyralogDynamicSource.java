package io.pyralog.flink.table;

import io.pyralog.flink.source.OffsetsInitializer;
import io.pyralog.flink.source.PyralogDeserializationSchema;
import io.pyralog.flink.source.PyralogSource;
import io.pyralog.flink.source.PyralogSourceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.Projection;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.source.DataStreamScanProvider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.abilities.SupportsProjectionPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsReadingMetadata;
import org.apache.flink.table.connector.source.abilities.SupportsWatermarkPushDown;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * The table source of {@code 'connector' = 'pyralog'}: a raw topic read through formats, or
 * (without a value format) a typed topic read from its Arrow columns, where projection push-down
 * makes the node send only the columns the query uses.
 */
final class PyralogDynamicSource implements ScanTableSource, SupportsReadingMetadata,
    SupportsWatermarkPushDown, SupportsProjectionPushDown {

  /** What the factory resolved from the table's options. */
  record Spec(Map<String, String> clientProperties, List<String> topics, Pattern topicPattern,
      OffsetsInitializer starting, OffsetsInitializer stopping, long discoveryIntervalMs,
      DataType physicalType, int[] keyProjection, int[] valueProjection, String keyPrefix,
      boolean upsert, String tableName) {}

  private final Spec spec;
  private final DecodingFormat<DeserializationSchema<RowData>> keyFormat;
  private final DecodingFormat<DeserializationSchema<RowData>> valueFormat;
  private List<String> metadataKeys = List.of();
  private int[] projection;
  private DataType producedType;
  private WatermarkStrategy<RowData> watermarks;

  /** A null {@code valueFormat} reads a typed topic. */
  PyralogDynamicSource(Spec spec, DecodingFormat<DeserializationSchema<RowData>> keyFormat,
      DecodingFormat<DeserializationSchema<RowData>> valueFormat) {
    this.spec = spec;
    this.keyFormat = keyFormat;
    this.valueFormat = valueFormat;
    this.producedType = spec.physicalType();
    this.projection = IntStream.range(0, spec.physicalType().getChildren().size()).toArray();
  }

  private boolean typed() {
    return valueFormat == null;
  }

  @Override
  public ChangelogMode getChangelogMode() {
    return spec.upsert() ? ChangelogMode.upsert() : ChangelogMode.insertOnly();
  }

  @Override
  public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
    List<ReadableMetadata> metadata = new ArrayList<>();
    metadataKeys.forEach(k -> metadata.add(ReadableMetadata.of(k)));
    TypeInformation<RowData> type = context.createTypeInformation(producedType);
    RowType projected = (RowType) FormatTypes.project(spec.physicalType(), projection, null)
        .getLogicalType();
    PyralogDeserializationSchema<RowData> deserializer;
    if (typed()) {
      deserializer = new TypedRowDeserializer(projected, metadata, "the table's topic", type);
    } else {
      DeserializationSchema<RowData> key = keyFormat == null ? null
          : keyFormat.createRuntimeDecoder(context, FormatTypes.project(spec.physicalType(),
              spec.keyProjection(), spec.keyPrefix()));
      DeserializationSchema<RowData> value = valueFormat.createRuntimeDecoder(context,
          FormatTypes.project(spec.physicalType(), spec.valueProjection(), null));
      deserializer = new RowDataDeserializer(key, value, spec.physicalType().getLogicalType(),
          spec.keyProjection(), spec.valueProjection(), projection, metadata, spec.upsert(),
          type);
    }

    PyralogSourceBuilder<RowData> builder = PyralogSource.<RowData>builder()
        .setDeserializer(deserializer)
        .setStartingOffsets(spec.starting());
    spec.clientProperties().forEach(builder::setProperty);
    builder.setPartitionDiscoveryInterval(java.time.Duration.ofMillis(spec.discoveryIntervalMs()));
    if (spec.topicPattern() != null) {
      builder.setTopicPattern(spec.topicPattern());
    } else {
      builder.setTopics(spec.topics());
    }
    if (spec.stopping() != null) {
      builder.setBounded(spec.stopping());
    }
    if (typed()) {
      builder.setColumns(projected.getFieldNames());
    }
    PyralogSource<RowData> source = builder.build();
    WatermarkStrategy<RowData> strategy = watermarks == null ? WatermarkStrategy.noWatermarks()
        : watermarks;
    return new DataStreamScanProvider() {
      @Override
      public DataStream<RowData> produceDataStream(ProviderContext provider,
          StreamExecutionEnvironment env) {
        return env.fromSource(source, strategy, "PyralogSource-" + spec.tableName());
      }

      @Override
      public boolean isBounded() {
        return spec.stopping() != null;
      }
    };
  }

  @Override
  public Map<String, DataType> listReadableMetadata() {
    Map<String, DataType> out = new LinkedHashMap<>();
    for (ReadableMetadata m : ReadableMetadata.values()) {
      out.put(m.key, m.type);
    }
    return out;
  }

  @Override
  public void applyReadableMetadata(List<String> keys, DataType producedDataType) {
    this.metadataKeys = List.copyOf(keys);
    this.producedType = producedDataType;
  }

  @Override
  public boolean supportsNestedProjection() {
    return false;
  }

  @Override
  public void applyProjection(int[][] projectedFields, DataType producedDataType) {
    this.projection = Projection.of(projectedFields).toTopLevelIndexes();
    this.producedType = producedDataType;
  }

  @Override
  public void applyWatermark(WatermarkStrategy<RowData> strategy) {
    this.watermarks = strategy;
  }

  @Override
  public DynamicTableSource copy() {
    PyralogDynamicSource copy = new PyralogDynamicSource(spec, keyFormat, valueFormat);
    copy.metadataKeys = metadataKeys;
    copy.projection = projection;
    copy.producedType = producedType;
    copy.watermarks = watermarks;
    return copy;
  }

  @Override
  public String asSummaryString() {
    return typed() ? "Pyralog table source (typed topic)" : "Pyralog table source";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PyralogDynamicSource s && s.spec.equals(spec)
        && s.metadataKeys.equals(metadataKeys) && s.producedType.equals(producedType)
        && java.util.Arrays.equals(s.projection, projection)
        && Objects.equals(s.watermarks, watermarks);
  }

  @Override
  public int hashCode() {
    return Objects.hash(spec, metadataKeys, producedType);
  }
}
