package io.pyralog.flink.table;

import static io.pyralog.flink.table.PyralogConnectorOptions.BOOTSTRAP;
import static io.pyralog.flink.table.PyralogConnectorOptions.ISOLATION_LEVEL;
import static io.pyralog.flink.table.PyralogConnectorOptions.DELIVERY_GUARANTEE;
import static io.pyralog.flink.table.PyralogConnectorOptions.KEY_FIELDS;
import static io.pyralog.flink.table.PyralogConnectorOptions.KEY_FIELDS_PREFIX;
import static io.pyralog.flink.table.PyralogConnectorOptions.KEY_FORMAT;
import static io.pyralog.flink.table.PyralogConnectorOptions.PROPERTIES_PREFIX;
import static io.pyralog.flink.table.PyralogConnectorOptions.SCAN_BOUNDED_MODE;
import static io.pyralog.flink.table.PyralogConnectorOptions.SCAN_BOUNDED_SPECIFIC_OFFSETS;
import static io.pyralog.flink.table.PyralogConnectorOptions.SCAN_BOUNDED_TIMESTAMP_MILLIS;
import static io.pyralog.flink.table.PyralogConnectorOptions.SCAN_STARTUP_MODE;
import static io.pyralog.flink.table.PyralogConnectorOptions.SCAN_STARTUP_SPECIFIC_OFFSETS;
import static io.pyralog.flink.table.PyralogConnectorOptions.SCAN_STARTUP_TIMESTAMP_MILLIS;
import static io.pyralog.flink.table.PyralogConnectorOptions.SCAN_TOPIC_PARTITION_DISCOVERY;
import static io.pyralog.flink.table.PyralogConnectorOptions.SINK_BUFFER_FLUSH_INTERVAL;
import static io.pyralog.flink.table.PyralogConnectorOptions.SINK_BUFFER_FLUSH_MAX_ROWS;
import static io.pyralog.flink.table.PyralogConnectorOptions.SINK_PARALLELISM;
import static io.pyralog.flink.table.PyralogConnectorOptions.SINK_PARTITIONER;
import static io.pyralog.flink.table.PyralogConnectorOptions.TOPIC;
import static io.pyralog.flink.table.PyralogConnectorOptions.TOPIC_PATTERN;
import static io.pyralog.flink.table.PyralogConnectorOptions.TRANSACTIONAL_ID_PREFIX;
import static io.pyralog.flink.table.PyralogConnectorOptions.VALUE_FIELDS_INCLUDE;
import static io.pyralog.flink.table.PyralogConnectorOptions.VALUE_FORMAT;

import io.pyralog.common.config.PyralogConfigOptions;
import io.pyralog.flink.table.PyralogConnectorOptions.ScanBoundedMode;
import io.pyralog.flink.table.PyralogConnectorOptions.SinkDeliveryGuarantee;
import io.pyralog.flink.table.PyralogConnectorOptions.ValueFieldsStrategy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.SerializationFormatFactory;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * {@code 'connector' = 'pyralog'}: a table over raw topics, read and written through Flink
 * formats, with the options of Flink's Kafka connector where the meaning is the same. A table
 * with a PRIMARY KEY is in upsert mode, like {@code upsert-kafka}.
 */
public final class PyralogDynamicTableFactory implements DynamicTableSourceFactory,
    DynamicTableSinkFactory {
  public static final String IDENTIFIER = "pyralog";

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of(BOOTSTRAP);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(TOPIC, TOPIC_PATTERN, FactoryUtil.FORMAT, VALUE_FORMAT, KEY_FORMAT, KEY_FIELDS,
        KEY_FIELDS_PREFIX, VALUE_FIELDS_INCLUDE, SCAN_STARTUP_MODE, SCAN_STARTUP_SPECIFIC_OFFSETS,
        SCAN_STARTUP_TIMESTAMP_MILLIS, SCAN_BOUNDED_MODE, SCAN_BOUNDED_SPECIFIC_OFFSETS,
        SCAN_BOUNDED_TIMESTAMP_MILLIS, SCAN_TOPIC_PARTITION_DISCOVERY, DELIVERY_GUARANTEE,
        TRANSACTIONAL_ID_PREFIX, ISOLATION_LEVEL, SINK_PARTITIONER, SINK_PARALLELISM,
        SINK_BUFFER_FLUSH_MAX_ROWS, SINK_BUFFER_FLUSH_INTERVAL);
  }

  @Override
  public DynamicTableSource createDynamicTableSource(Context context) {
    FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
    Optional<DecodingFormat<DeserializationSchema<RowData>>> keyFormat =
        helper.discoverOptionalDecodingFormat(DeserializationFormatFactory.class, KEY_FORMAT);
    DecodingFormat<DeserializationSchema<RowData>> valueFormat =
        helper.discoverOptionalDecodingFormat(DeserializationFormatFactory.class,
            valueFormatOption(context)).orElse(null);
    helper.validateExcept(PROPERTIES_PREFIX);
    ReadableConfig options = helper.getOptions();
    Columns columns = Columns.of(context, options, keyFormat.isPresent(), valueFormat != null);

    List<String> topics = options.getOptional(TOPIC).orElse(null);
    String pattern = options.getOptional(TOPIC_PATTERN).orElse(null);
    if ((topics == null) == (pattern == null)) {
      throw new ValidationException("Set exactly one of 'topic' and 'topic-pattern' for table "
          + context.getObjectIdentifier().asSummaryString());
    }
    Map<String, String> client = clientProperties(context, options);
    String group = client.get(PyralogConfigOptions.GROUP_ID.key());
    long discovery = options.get(SCAN_TOPIC_PARTITION_DISCOVERY).toMillis();
    ScanBoundedMode bounded = options.get(SCAN_BOUNDED_MODE);
    PyralogDynamicSource.Spec spec = new PyralogDynamicSource.Spec(client, topics,
        pattern == null ? null : Pattern.compile(pattern),
        OffsetOptions.starting(options, topics, group),
        bounded == ScanBoundedMode.UNBOUNDED ? null
            : OffsetOptions.stopping(options, bounded, topics, group),
        discovery <= 0 ? -1 : discovery, context.getPhysicalRowDataType(), columns.key,
        columns.value, options.getOptional(KEY_FIELDS_PREFIX).orElse(null), columns.upsert,
        context.getObjectIdentifier().asSummaryString());
    return new PyralogDynamicSource(spec, keyFormat.orElse(null), valueFormat);
  }

  @Override
  public DynamicTableSink createDynamicTableSink(Context context) {
    FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
    Optional<EncodingFormat<SerializationSchema<RowData>>> keyFormat =
        helper.discoverOptionalEncodingFormat(SerializationFormatFactory.class, KEY_FORMAT);
    EncodingFormat<SerializationSchema<RowData>> valueFormat =
        helper.discoverOptionalEncodingFormat(SerializationFormatFactory.class,
            valueFormatOption(context)).orElse(null);
    helper.validateExcept(PROPERTIES_PREFIX);
    ReadableConfig options = helper.getOptions();
    Columns columns = Columns.of(context, options, keyFormat.isPresent(), valueFormat != null);

    List<String> topics = options.getOptional(TOPIC).orElse(List.of());
    if (topics.size() != 1 || options.getOptional(TOPIC_PATTERN).isPresent()) {
      throw new ValidationException("A Pyralog sink writes to one topic: set 'topic' to a "
          + "single topic name (not 'topic-pattern') for table "
          + context.getObjectIdentifier().asSummaryString());
    }
    if (columns.upsert && !options.get(SINK_PARTITIONER).equals("default")) {
      throw new ValidationException("Table " + context.getObjectIdentifier().asSummaryString()
          + " is an upsert table (PRIMARY KEY): every record of a key must go to the key's "
          + "partition, so 'sink.partitioner' must be 'default'");
    }
    SinkDeliveryGuarantee guarantee = options.get(DELIVERY_GUARANTEE);
    String prefix = options.getOptional(TRANSACTIONAL_ID_PREFIX).orElse(null);
    if (guarantee == SinkDeliveryGuarantee.EXACTLY_ONCE && (prefix == null || prefix.isBlank())) {
      throw new ValidationException("'sink.delivery-guarantee' = 'exactly-once' needs "
          + "'sink.transactional-id-prefix' (unique to the job) for table "
          + context.getObjectIdentifier().asSummaryString());
    }
    PyralogDynamicSink.Spec spec = new PyralogDynamicSink.Spec(
        clientProperties(context, options), topics.get(0), context.getPhysicalRowDataType(),
        columns.key, columns.value, options.getOptional(KEY_FIELDS_PREFIX).orElse(null),
        columns.upsert, switch (guarantee) {
          case NONE -> DeliveryGuarantee.NONE;
          case EXACTLY_ONCE -> DeliveryGuarantee.EXACTLY_ONCE;
          case AT_LEAST_ONCE -> DeliveryGuarantee.AT_LEAST_ONCE;
        }, guarantee == SinkDeliveryGuarantee.EXACTLY_ONCE ? prefix : null,
        options.get(SINK_PARTITIONER), options.getOptional(SINK_PARALLELISM).orElse(null),
        options.get(SINK_BUFFER_FLUSH_MAX_ROWS),
        options.get(SINK_BUFFER_FLUSH_INTERVAL).toMillis());
    return new PyralogDynamicSink(spec, keyFormat.orElse(null), valueFormat);
  }

  /**
   * 'format' or 'value.format', whichever the table sets: the format's own options are read
   * with that option's key as their prefix, as in Flink's Kafka connector.
   */
  private static ConfigOption<String> valueFormatOption(Context context) {
    Map<String, String> options = context.getCatalogTable().getOptions();
    boolean value = options.containsKey(VALUE_FORMAT.key());
    if (value && options.containsKey(FactoryUtil.FORMAT.key())) {
      throw new ValidationException("Table " + context.getObjectIdentifier().asSummaryString()
          + " sets both 'format' and 'value.format'; they are the same option, set one");
    }
    return value ? VALUE_FORMAT : FactoryUtil.FORMAT;
  }

  private static Map<String, String> clientProperties(Context context, ReadableConfig options) {
    Map<String, String> out = new HashMap<>();
    context.getCatalogTable().getOptions().forEach((k, v) -> {
      if (k.startsWith(PROPERTIES_PREFIX)) {
        out.put(k.substring(PROPERTIES_PREFIX.length()), v);
      }
    });
    out.put(PyralogConfigOptions.BOOTSTRAP.key(), options.get(BOOTSTRAP));
    if (context.getCatalogTable().getOptions().containsKey(ISOLATION_LEVEL.key())) {
      out.put(PyralogConfigOptions.ISOLATION_LEVEL.key(), options.get(ISOLATION_LEVEL));
    }
    return out;
  }

  /** Which physical columns the key and the value formats hold, and whether it is upsert. */
  private static final class Columns {
    final int[] key;
    final int[] value;
    final boolean upsert;

    private Columns(int[] key, int[] value, boolean upsert) {
      this.key = key;
      this.value = value;
      this.upsert = upsert;
    }

    static Columns of(Context context, ReadableConfig options, boolean hasKeyFormat,
        boolean hasValueFormat) {
      DataType physical = context.getPhysicalRowDataType();
      List<String> names = ((RowType) physical.getLogicalType()).getFieldNames();
      int[] primaryKey = context.getPrimaryKeyIndexes();
      boolean upsert = primaryKey.length > 0;
      List<String> keyFields = options.get(KEY_FIELDS);
      String table = context.getObjectIdentifier().asSummaryString();
      if (!hasValueFormat) {
        // a typed topic: the table's columns are the topic's Arrow columns, by name
        if (upsert || hasKeyFormat || !keyFields.isEmpty()) {
          throw new ValidationException("Table " + table + " has no 'format', so it reads a "
              + "typed topic by its columns; a PRIMARY KEY, 'key.format' and 'key.fields' need "
              + "a raw topic with 'key.format' and 'value.format'");
        }
        int[] all = IntStream.range(0, names.size()).toArray();
        return new Columns(new int[0], all, false);
      }
      int[] key;
      if (keyFields.isEmpty()) {
        key = upsert ? primaryKey : new int[0];
      } else {
        key = keyFields.stream().mapToInt(f -> {
          int i = names.indexOf(f);
          if (i < 0) {
            throw new ValidationException("'key.fields' names column '" + f + "', which table "
                + table + " does not have; its physical columns are " + names);
          }
          return i;
        }).toArray();
      }
      if (upsert && !java.util.Arrays.equals(sorted(key), sorted(primaryKey))) {
        throw new ValidationException("In upsert mode (a PRIMARY KEY) the key is the primary "
            + "key: 'key.fields' of table " + table + " must be the primary key columns");
      }
      if (key.length > 0 && !hasKeyFormat) {
        throw new ValidationException("Table " + table + " has key columns"
            + (upsert ? " (its PRIMARY KEY)" : "") + " but no 'key.format'; set 'key.format'");
      }
      if (key.length == 0 && hasKeyFormat) {
        throw new ValidationException("Table " + table + " sets 'key.format' but no "
            + "'key.fields'; name the key columns in 'key.fields'");
      }
      String prefix = options.getOptional(KEY_FIELDS_PREFIX).orElse("");
      for (int k : key) {
        if (!names.get(k).startsWith(prefix)) {
          throw new ValidationException("Key column '" + names.get(k) + "' of table " + table
              + " does not start with 'key.fields-prefix' '" + prefix + "'");
        }
      }
      int[] value;
      if (options.get(VALUE_FIELDS_INCLUDE) == ValueFieldsStrategy.EXCEPT_KEY) {
        if (key.length == 0) {
          throw new ValidationException("'value.fields-include' = 'EXCEPT_KEY' needs key "
              + "columns ('key.fields' or a PRIMARY KEY) in table " + table);
        }
        int[] k = key;
        value = IntStream.range(0, names.size())
            .filter(i -> IntStream.of(k).noneMatch(j -> j == i)).toArray();
      } else {
        if (!prefix.isEmpty()) {
          throw new ValidationException("'key.fields-prefix' needs 'value.fields-include' = "
              + "'EXCEPT_KEY' in table " + table);
        }
        value = IntStream.range(0, names.size()).toArray();
      }
      return new Columns(key, value, upsert);
    }

    private static int[] sorted(int[] a) {
      int[] c = a.clone();
      java.util.Arrays.sort(c);
      return c;
    }
  }
}
