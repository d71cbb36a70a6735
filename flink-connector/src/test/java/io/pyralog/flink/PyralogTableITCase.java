package io.pyralog.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogProducer;
import io.pyralog.node.testing.PyralogClusterExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code 'connector' = 'pyralog'} in Flink SQL on a MiniCluster against a real node. */
class PyralogTableITCase {
  @RegisterExtension
  static final PyralogClusterExtension NODE = PyralogClusterExtension.builder().build();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TestFlink.miniCluster();

  private static StreamTableEnvironment streaming() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    return StreamTableEnvironment.create(env);
  }

  private static String with(String topic, String extra) {
    return " WITH ('connector' = 'pyralog', 'bootstrap' = '" + NODE.bootstrap() + "', "
        + "'topic' = '" + topic + "'" + (extra.isEmpty() ? "" : ", " + extra) + ")";
  }

  private static List<Row> collect(TableEnvironment t, String query) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<Row> it = t.executeSql(query).collect()) {
      it.forEachRemaining(rows::add);
    }
    return rows;
  }

  @Test
  void insertThenSelectProjectAndReadMetadata() throws Exception {
    TestTopics.create(NODE.bootstrap(), "sql-orders", 3);
    StreamTableEnvironment t = streaming();
    t.executeSql("CREATE TABLE orders (id INT, product STRING, amount DOUBLE, note STRING, "
        + "part INT METADATA FROM 'partition' VIRTUAL, "
        + "off BIGINT METADATA FROM 'offset' VIRTUAL, "
        + "src STRING METADATA FROM 'topic' VIRTUAL, "
        + "ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL)"
        + with("sql-orders", "'format' = 'json', 'scan.startup.mode' = 'earliest-offset', "
            + "'scan.bounded.mode' = 'latest-offset'"));
    t.executeSql("INSERT INTO orders (id, product, amount, note) VALUES "
        + "(1, 'apple', 1.5, 'a'), (2, 'pear', 2.0, 'b'), (3, 'apple', 3.0, 'c'), "
        + "(4, 'plum', 0.5, 'd')").await();

    List<Row> all = collect(t, "SELECT id, product, amount, note FROM orders");
    assertThat(all).containsExactlyInAnyOrder(Row.of(1, "apple", 1.5, "a"),
        Row.of(2, "pear", 2.0, "b"), Row.of(3, "apple", 3.0, "c"), Row.of(4, "plum", 0.5, "d"));

    assertThat(collect(t, "SELECT product, id FROM orders WHERE amount > 1"))
        .containsExactlyInAnyOrder(Row.of("apple", 1), Row.of("pear", 2), Row.of("apple", 3));

    List<Row> meta = collect(t, "SELECT id, part, off, src, ts FROM orders");
    assertThat(meta).hasSize(4).allSatisfy(r -> {
      assertThat((Integer) r.getField(1)).isBetween(0, 2);
      assertThat((Long) r.getField(2)).isGreaterThanOrEqualTo(0);
      assertThat(r.getField(3)).isEqualTo("sql-orders");
      assertThat(r.getField(4)).isNotNull();
    });
    // partition and offset name each record once
    assertThat(meta.stream().map(r -> r.getField(1) + "/" + r.getField(2)).distinct())
        .hasSize(4);
  }

  @Test
  void anExactlyOnceInsertIsVisibleToReadCommittedTablesOnceCommitted() throws Exception {
    TestTopics.create(NODE.bootstrap(), "sql-eo", 2);
    StreamTableEnvironment t = streaming();
    t.getConfig().set("execution.checkpointing.interval", "200 ms");
    String bounded = "'format' = 'json', 'scan.startup.mode' = 'earliest-offset', "
        + "'scan.bounded.mode' = 'latest-offset'";
    t.executeSql("CREATE TABLE eo_out (id INT, name STRING)" + with("sql-eo", bounded
        + ", 'sink.delivery-guarantee' = 'exactly-once', "
        + "'sink.transactional-id-prefix' = 'sql-eo-job'"));
    t.executeSql("CREATE TABLE eo_committed (id INT, name STRING)" + with("sql-eo", bounded
        + ", 'isolation.level' = 'read_committed'"));
    t.executeSql("INSERT INTO eo_out SELECT id, 'n' || CAST(id AS STRING) FROM "
        + "(VALUES (1), (2), (3), (4), (5)) AS v(id)").await();
    assertThat(collect(t, "SELECT id, name FROM eo_committed")).containsExactlyInAnyOrder(
        Row.of(1, "n1"), Row.of(2, "n2"), Row.of(3, "n3"), Row.of(4, "n4"), Row.of(5, "n5"));
    try (PyralogClient client = PyralogClient.create(NODE.bootstrap())) {
      assertThat(client.admin().listTransactions("sql-eo-job-", false))
          .isNotEmpty()
          .allSatisfy(x -> assertThat(x.state()).isEqualTo("COMPLETE_COMMIT"));
    }
  }

  @Test
  void headersAndTimestampAreWrittenAndReadAsMetadata() throws Exception {
    TestTopics.create(NODE.bootstrap(), "sql-meta", 1);
    StreamTableEnvironment t = streaming();
    t.executeSql("CREATE TABLE events (id INT, "
        + "hdrs MAP<STRING, BYTES> METADATA FROM 'headers', "
        + "ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp')"
        + with("sql-meta", "'format' = 'json', 'scan.startup.mode' = 'earliest-offset', "
            + "'scan.bounded.mode' = 'latest-offset'"));
    t.executeSql("INSERT INTO events VALUES (1, MAP['source', X'6170'], "
        + "TO_TIMESTAMP_LTZ(1700000000123, 3))").await();

    List<io.pyralog.client.ConsumerRecord> stored = readAll("sql-meta", 1);
    assertThat(stored).singleElement().satisfies(r -> {
      assertThat(r.timestamp()).isEqualTo(1700000000123L);
      assertThat(r.headers()).containsOnlyKeys("source");
      assertThat(r.headers().get("source")).containsExactly('a', 'p');
      assertThat(r.valueAsString()).isEqualTo("{\"id\":1}");
    });
    List<Row> rows = collect(t, "SELECT id, hdrs['source'], ts FROM events");
    assertThat(rows).singleElement().satisfies(r -> {
      assertThat(r.getField(0)).isEqualTo(1);
      assertThat((byte[]) r.getField(1)).containsExactly('a', 'p');
      assertThat(r.getField(2)).isEqualTo(java.time.Instant.ofEpochMilli(1700000000123L));
    });
  }

  @Test
  void aBoundedTableAnswersABatchQuery() throws Exception {
    TestTopics.create(NODE.bootstrap(), "sql-sales", 2);
    TableEnvironment t = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    String ddl = "CREATE TABLE sales (product STRING, amount INT)" + with("sql-sales",
        "'format' = 'csv', 'scan.startup.mode' = 'earliest-offset', "
            + "'scan.bounded.mode' = 'latest-offset'");
    t.executeSql(ddl);
    t.executeSql("INSERT INTO sales VALUES ('a', 1), ('b', 2), ('a', 3), ('c', 4), ('b', 5)")
        .await();
    assertThat(collect(t, "SELECT product, SUM(amount) FROM sales GROUP BY product"))
        .containsExactlyInAnyOrder(Row.of("a", 4), Row.of("b", 7), Row.of("c", 4));
  }

  @Test
  void rawAndAvroFormatsRoundTrip() throws Exception {
    TestTopics.create(NODE.bootstrap(), "sql-raw", 1);
    TestTopics.create(NODE.bootstrap(), "sql-avro", 2);
    StreamTableEnvironment t = streaming();
    String bounded = "'scan.startup.mode' = 'earliest-offset', "
        + "'scan.bounded.mode' = 'latest-offset'";
    t.executeSql("CREATE TABLE lines (line STRING)" + with("sql-raw",
        "'format' = 'raw', " + bounded));
    t.executeSql("INSERT INTO lines VALUES ('first line'), ('second, with a comma')").await();
    assertThat(collect(t, "SELECT line FROM lines")).containsExactlyInAnyOrder(
        Row.of("first line"), Row.of("second, with a comma"));
    // a raw table stores the value bytes as they are
    assertThat(readAll("sql-raw", 1)).extracting(io.pyralog.client.ConsumerRecord::valueAsString)
        .containsExactlyInAnyOrder("first line", "second, with a comma");

    t.executeSql("CREATE TABLE readings (sensor STRING, celsius DOUBLE, at_ms BIGINT)"
        + with("sql-avro", "'format' = 'avro', " + bounded));
    t.executeSql("INSERT INTO readings VALUES ('s1', 21.5, 1000), ('s2', -3.25, 2000)").await();
    assertThat(collect(t, "SELECT sensor, celsius, at_ms FROM readings"))
        .containsExactlyInAnyOrder(Row.of("s1", 21.5, 1000L), Row.of("s2", -3.25, 2000L));
  }

  @Test
  void anUpsertTableKeepsTheLatestRowPerKeyAndHonoursDeletes() throws Exception {
    TestTopics.create(NODE.bootstrap(), "sql-users", 2);
    StreamTableEnvironment t = streaming();
    t.executeSql("CREATE TABLE users (id INT, name STRING, visits INT, "
        + "PRIMARY KEY (id) NOT ENFORCED)" + with("sql-users", "'key.format' = 'json', "
        + "'value.format' = 'json', 'scan.startup.mode' = 'earliest-offset', "
        + "'scan.bounded.mode' = 'latest-offset'"));
    t.executeSql("CREATE TEMPORARY VIEW visits AS SELECT * FROM (VALUES (1, 'ann'), "
        + "(2, 'bob'), (1, 'ann'), (3, 'cid'), (1, 'ann')) AS v(id, name)");
    // an aggregate is an updating stream: INSERT then UPDATE_AFTER per key
    t.executeSql("INSERT INTO users SELECT id, name, CAST(COUNT(*) AS INT) FROM visits "
        + "GROUP BY id, name").await();
    // a tombstone for key 2, as another upsert writer would send it
    try (PyralogClient client = PyralogClient.create(NODE.bootstrap());
        PyralogProducer producer = client.producer()) {
      producer.send(new ProducerRecord("sql-users", null, "{\"id\":2}".getBytes(), null))
          .join();
    }

    Map<Integer, Row> table = new TreeMap<>();
    for (Row r : collect(t, "SELECT id, name, visits FROM users")) {
      if (r.getKind() == RowKind.DELETE || r.getKind() == RowKind.UPDATE_BEFORE) {
        table.remove((Integer) r.getField(0));
      } else {
        table.put((Integer) r.getField(0), Row.of(r.getField(0), r.getField(1), r.getField(2)));
      }
    }
    assertThat(table).containsOnlyKeys(1, 3);
    assertThat(table.get(1)).isEqualTo(Row.of(1, "ann", 3));
    assertThat(table.get(3)).isEqualTo(Row.of(3, "cid", 1));

    // every record of a key, the tombstone too, is in the same partition
    Map<String, java.util.Set<Integer>> partitionsOfKey = new HashMap<>();
    for (io.pyralog.client.ConsumerRecord r : readAll("sql-users", 2)) {
      partitionsOfKey.computeIfAbsent(r.keyAsString(), k -> new java.util.HashSet<>())
          .add(r.partition());
    }
    assertThat(partitionsOfKey).containsOnlyKeys("{\"id\":1}", "{\"id\":2}", "{\"id\":3}")
        .allSatisfy((k, p) -> assertThat(p).hasSize(1));
  }

  private static List<io.pyralog.client.ConsumerRecord> readAll(String topic, int partitions) {
    List<io.pyralog.client.ConsumerRecord> out = new ArrayList<>();
    try (PyralogClient client = PyralogClient.create(NODE.bootstrap());
        var consumer = client.consumer()) {
      List<io.pyralog.client.TopicPartition> tps = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        tps.add(new io.pyralog.client.TopicPartition(topic, p));
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<io.pyralog.client.TopicPartition, Long> end = consumer.endOffsets(tps);
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        try (var batches = consumer.poll(java.time.Duration.ofMillis(500))) {
          batches.forEach(out::add);
        }
      }
    }
    return out;
  }

  @Test
  void formatOptionsTakeThePrefixOfTheFormatOptionThatIsSet() throws Exception {
    TestTopics.create(NODE.bootstrap(), "sql-lenient", 1);
    try (PyralogClient client = PyralogClient.create(NODE.bootstrap());
        PyralogProducer producer = client.producer()) {
      producer.send(ProducerRecord.ofStrings("sql-lenient", null, "{\"n\": 1}")).join();
      producer.send(ProducerRecord.ofStrings("sql-lenient", null, "not json")).join();
      producer.send(ProducerRecord.ofStrings("sql-lenient", null, "{\"n\": 3}")).join();
    }
    StreamTableEnvironment t = streaming();
    String bounded = "'scan.startup.mode' = 'earliest-offset', "
        + "'scan.bounded.mode' = 'latest-offset'";
    t.executeSql("CREATE TABLE lenient (n INT)" + with("sql-lenient", "'format' = 'json', "
        + "'json.ignore-parse-errors' = 'true', " + bounded));
    assertThat(collect(t, "SELECT n FROM lenient WHERE n IS NOT NULL"))
        .containsExactlyInAnyOrder(Row.of(1), Row.of(3));
    t.executeSql("CREATE TABLE lenient2 (n INT)" + with("sql-lenient", "'value.format' = 'json', "
        + "'value.json.ignore-parse-errors' = 'true', " + bounded));
    assertThat(collect(t, "SELECT n FROM lenient2 WHERE n IS NOT NULL"))
        .containsExactlyInAnyOrder(Row.of(1), Row.of(3));
  }

  @Test
  void badOptionsAreRefusedWithTheOptionsName() {
    StreamTableEnvironment t = streaming();
    t.executeSql("CREATE TABLE no_bootstrap (a STRING) WITH ('connector' = 'pyralog', "
        + "'topic' = 'x', 'format' = 'json')");
    assertThatThrownBy(() -> t.executeSql("SELECT * FROM no_bootstrap"))
        .hasStackTraceContaining("bootstrap");

    t.executeSql("CREATE TABLE eo (a STRING)" + with("x", "'format' = 'json', "
        + "'sink.delivery-guarantee' = 'exactly-once'"));
    assertThatThrownBy(() -> t.executeSql("INSERT INTO eo VALUES ('a')"))
        .hasStackTraceContaining("exactly-once")
        .hasStackTraceContaining("sink.transactional-id-prefix");

    t.executeSql("CREATE TABLE keyless (a STRING, b STRING)" + with("x", "'format' = 'json', "
        + "'key.fields' = 'a'"));
    assertThatThrownBy(() -> t.executeSql("SELECT * FROM keyless"))
        .hasStackTraceContaining("key.format");

    t.executeSql("CREATE TABLE grouped (a STRING)" + with("x", "'format' = 'json', "
        + "'scan.startup.mode' = 'group-offsets'"));
    assertThatThrownBy(() -> t.executeSql("SELECT * FROM grouped"))
        .hasStackTraceContaining("properties.group.id");

    t.executeSql("CREATE TABLE spread (k STRING, v STRING, PRIMARY KEY (k) NOT ENFORCED)"
        + with("x", "'key.format' = 'json', 'value.format' = 'json', "
        + "'sink.partitioner' = 'round-robin'"));
    assertThatThrownBy(() -> t.executeSql("INSERT INTO spread VALUES ('a', 'b')"))
        .hasStackTraceContaining("'sink.partitioner' must be 'default'");

    t.executeSql("CREATE TABLE twice (a STRING)" + with("x", "'format' = 'json', "
        + "'value.format' = 'json'"));
    assertThatThrownBy(() -> t.executeSql("SELECT * FROM twice"))
        .hasStackTraceContaining("both 'format' and 'value.format'");
  }
}
