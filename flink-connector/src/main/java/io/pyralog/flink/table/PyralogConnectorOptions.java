package io.pyralog.flink.table;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.description.Description;

/**
 * The options of {@code 'connector' = 'pyralog'}. Where the meaning is the same they have the
 * names of Flink's Kafka connector; {@code bootstrap} is Pyralog's own. {@code properties.*}
 * passes any client option (docs/configuration.md), for example {@code properties.group.id}.
 */
public final class PyralogConnectorOptions {
  private PyralogConnectorOptions() {}

  public static final String PROPERTIES_PREFIX = "properties.";

  public static final ConfigOption<String> BOOTSTRAP = ConfigOptions.key("bootstrap")
      .stringType().noDefaultValue()
      .withDescription("host:port of one or more Pyralog nodes, comma-separated. Required.");

  public static final ConfigOption<List<String>> TOPIC = ConfigOptions.key("topic")
      .stringType().asList().noDefaultValue()
      .withDescription("Topic(s) to read, separated by ';', or the one topic to write.");

  public static final ConfigOption<String> TOPIC_PATTERN = ConfigOptions.key("topic-pattern")
      .stringType().noDefaultValue()
      .withDescription("Regular expression of the topics to read; topics created later are "
          + "found by partition discovery. Source only; excludes 'topic'.");

  public static final ConfigOption<String> VALUE_FORMAT = ConfigOptions.key("value.format")
      .stringType().noDefaultValue()
      .withDescription("Format of the record value (json, csv, raw, avro, ...). 'format' is "
          + "the same; set one of them. The format's own options take the prefix of the one set, "
          + "e.g. 'json.ignore-parse-errors' with 'format', 'value.json.ignore-parse-errors' "
          + "with 'value.format'.");

  public static final ConfigOption<String> KEY_FORMAT = ConfigOptions.key("key.format")
      .stringType().noDefaultValue()
      .withDescription("Format of the record key. Needs 'key.fields', or a PRIMARY KEY.");

  public static final ConfigOption<List<String>> KEY_FIELDS = ConfigOptions.key("key.fields")
      .stringType().asList().defaultValues()
      .withDescription("Physical columns stored in the key, separated by ';'. Defaults to the "
          + "primary key in upsert mode.");

  public static final ConfigOption<String> KEY_FIELDS_PREFIX = ConfigOptions
      .key("key.fields-prefix").stringType().noDefaultValue()
      .withDescription("A prefix of the key columns' names that is removed in the key format, "
          + "so key and value columns can share names.");

  /** Which physical columns the value format covers. */
  public enum ValueFieldsStrategy {
    ALL, EXCEPT_KEY
  }

  public static final ConfigOption<ValueFieldsStrategy> VALUE_FIELDS_INCLUDE = ConfigOptions
      .key("value.fields-include").enumType(ValueFieldsStrategy.class)
      .defaultValue(ValueFieldsStrategy.ALL)
      .withDescription("ALL: the value holds every physical column, key columns too. "
          + "EXCEPT_KEY: the value holds the columns that are not in the key.");

  /** Where a source starts. */
  public enum ScanStartupMode {
    EARLIEST_OFFSET("earliest-offset"), LATEST_OFFSET("latest-offset"),
    GROUP_OFFSETS("group-offsets"), TIMESTAMP("timestamp"),
    SPECIFIC_OFFSETS("specific-offsets");

    private final String value;

    ScanStartupMode(String value) {
      this.value = value;
    }

    @Override
    public String toString() {
      return value;
    }
  }

  public static final ConfigOption<ScanStartupMode> SCAN_STARTUP_MODE = ConfigOptions
      .key("scan.startup.mode").enumType(ScanStartupMode.class)
      .defaultValue(ScanStartupMode.GROUP_OFFSETS)
      .withDescription("earliest-offset, latest-offset, group-offsets (the committed offsets of "
          + "properties.group.id; partitions without one start at the earliest offset), "
          + "timestamp or specific-offsets.");

  public static final ConfigOption<String> SCAN_STARTUP_SPECIFIC_OFFSETS = ConfigOptions
      .key("scan.startup.specific-offsets").stringType().noDefaultValue()
      .withDescription("With specific-offsets: 'partition:0,offset:42;partition:1,offset:300'. "
          + "Partitions not listed start at the earliest offset.");

  public static final ConfigOption<Long> SCAN_STARTUP_TIMESTAMP_MILLIS = ConfigOptions
      .key("scan.startup.timestamp-millis").longType().noDefaultValue()
      .withDescription("With timestamp: epoch milliseconds; reading starts at the first record "
          + "at or after it.");

  /** Where a bounded source stops. */
  public enum ScanBoundedMode {
    UNBOUNDED("unbounded"), LATEST_OFFSET("latest-offset"), GROUP_OFFSETS("group-offsets"),
    TIMESTAMP("timestamp"), SPECIFIC_OFFSETS("specific-offsets");

    private final String value;

    ScanBoundedMode(String value) {
      this.value = value;
    }

    @Override
    public String toString() {
      return value;
    }
  }

  public static final ConfigOption<ScanBoundedMode> SCAN_BOUNDED_MODE = ConfigOptions
      .key("scan.bounded.mode").enumType(ScanBoundedMode.class)
      .defaultValue(ScanBoundedMode.UNBOUNDED)
      .withDescription("unbounded, latest-offset (the end when the job starts), group-offsets, "
          + "timestamp or specific-offsets. Anything but unbounded makes the table bounded, "
          + "so batch queries can read it.");

  public static final ConfigOption<String> SCAN_BOUNDED_SPECIFIC_OFFSETS = ConfigOptions
      .key("scan.bounded.specific-offsets").stringType().noDefaultValue()
      .withDescription("With specific-offsets: where each partition ends (exclusive), in the "
          + "format of scan.startup.specific-offsets. Partitions not listed end at the latest "
          + "offset.");

  public static final ConfigOption<Long> SCAN_BOUNDED_TIMESTAMP_MILLIS = ConfigOptions
      .key("scan.bounded.timestamp-millis").longType().noDefaultValue()
      .withDescription("With timestamp: epoch milliseconds; each partition ends before the first "
          + "record at or after it.");

  public static final ConfigOption<Duration> SCAN_TOPIC_PARTITION_DISCOVERY = ConfigOptions
      .key("scan.topic-partition-discovery.interval").durationType()
      .defaultValue(Duration.ofMinutes(5))
      .withDescription("How often an unbounded source looks for new partitions and topics; "
          + "0 looks once.");

  /** The guarantee of the sink. */
  public enum SinkDeliveryGuarantee {
    AT_LEAST_ONCE("at-least-once"), EXACTLY_ONCE("exactly-once"), NONE("none");

    private final String value;

    SinkDeliveryGuarantee(String value) {
      this.value = value;
    }

    @Override
    public String toString() {
      return value;
    }
  }

  public static final ConfigOption<SinkDeliveryGuarantee> DELIVERY_GUARANTEE = ConfigOptions
      .key("sink.delivery-guarantee").enumType(SinkDeliveryGuarantee.class)
      .defaultValue(SinkDeliveryGuarantee.AT_LEAST_ONCE)
      .withDescription("at-least-once: a checkpoint waits for every record sent before it. "
          + "none: no waiting. exactly-once: the rows of each checkpoint interval are one "
          + "transaction, committed when the checkpoint completes; needs "
          + "'sink.transactional-id-prefix' and checkpointing, and readers with "
          + "'isolation.level' = 'read_committed'.");

  public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = ConfigOptions
      .key("sink.transactional-id-prefix").stringType().noDefaultValue()
      .withDescription("With exactly-once: the prefix of the sink's transactional ids "
          + "(<prefix>-<subtask>-<n>). Unique to the job: a starting job aborts the open "
          + "transactions of its prefix that it does not own.");

  public static final ConfigOption<String> ISOLATION_LEVEL = ConfigOptions
      .key("isolation.level").stringType().defaultValue("read_uncommitted")
      .withDescription("Source: read_committed reads only committed transactional records "
          + "(and records written outside transactions), up to the last stable offset; "
          + "read_uncommitted reads every stored record. Same as "
          + "'properties.isolation.level'.");

  public static final ConfigOption<String> SINK_PARTITIONER = ConfigOptions
      .key("sink.partitioner").stringType().defaultValue("default")
      .withDescription(Description.builder().text("default: by the key's hash when the row has "
          + "key fields, else spread by the producer. fixed: each sink subtask writes to one "
          + "partition. round-robin: rows in turn over all partitions. Or the class name of a "
          + "io.pyralog.flink.sink.PyralogPartitioner.").build());

  public static final ConfigOption<Integer> SINK_BUFFER_FLUSH_MAX_ROWS = ConfigOptions
      .key("sink.buffer-flush.max-rows").intType().defaultValue(4096)
      .withDescription("Typed topics: rows gathered into one Arrow batch before it is sent.");

  public static final ConfigOption<Duration> SINK_BUFFER_FLUSH_INTERVAL = ConfigOptions
      .key("sink.buffer-flush.interval").durationType().defaultValue(Duration.ofSeconds(1))
      .withDescription("Typed topics: the longest a row waits in a batch that is not full; "
          + "each checkpoint also sends the batch.");

  public static final ConfigOption<Integer> SINK_PARALLELISM = ConfigOptions
      .key("sink.parallelism").intType().noDefaultValue()
      .withDescription("Parallelism of the sink; by default that of its input.");
}
