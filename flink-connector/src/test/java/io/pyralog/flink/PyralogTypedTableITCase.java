package io.pyralog.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.client.ArrowBatch;
import io.pyralog.client.NewTopic;
import io.pyralog.client.PyralogClient;
import io.pyralog.flink.source.OffsetsInitializer;
import io.pyralog.flink.source.PyralogDeserializationSchema;
import io.pyralog.flink.source.PyralogSource;
import io.pyralog.node.testing.PyralogClusterExtension;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Typed topics (Arrow columns) as Flink tables, with projection push-down to the node. */
class PyralogTypedTableITCase {
  @RegisterExtension
  static final PyralogClusterExtension NODE = PyralogClusterExtension.builder().build();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TestFlink.miniCluster();

  private static final int COLUMNS = 20;

  private static void createWideTopic(String topic) {
    StringBuilder schema = new StringBuilder("{\"fields\": [{\"name\": \"id\", \"type\": "
        + "\"int64\", \"nullable\": false}");
    for (int c = 1; c < COLUMNS; c++) {
      schema.append(", {\"name\": \"c").append(c).append("\", \"type\": \"utf8\"}");
    }
    schema.append("]}");
    try (PyralogClient client = PyralogClient.create(NODE.bootstrap())) {
      client.admin().createTopic(NewTopic.builder(topic).partitions(2)
          .schemaJson(schema.toString()).build());
    }
  }

  private static String wideColumns() {
    StringBuilder ddl = new StringBuilder("id BIGINT NOT NULL");
    for (int c = 1; c < COLUMNS; c++) {
      ddl.append(", c").append(c).append(" STRING");
    }
    return ddl.toString();
  }

  private static String with(String topic) {
    return " WITH ('connector' = 'pyralog', 'bootstrap' = '" + NODE.bootstrap() + "', "
        + "'topic' = '" + topic + "', 'scan.startup.mode' = 'earliest-offset', "
        + "'scan.bounded.mode' = 'latest-offset')";
  }

  private static StreamTableEnvironment tables() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    return StreamTableEnvironment.create(env);
  }

  private static List<Row> collect(StreamTableEnvironment t, String query) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<Row> it = t.executeSql(query).collect()) {
      it.forEachRemaining(rows::add);
    }
    return rows;
  }

  /** Writes rows id = 1..rows with c_k = "v{k}-{id}", straight as Arrow batches. */
  private static void fillWideTopic(String topic, int rows) {
    try (PyralogClient client = PyralogClient.create(NODE.bootstrap());
        var producer = client.producer()) {
      org.apache.arrow.vector.types.pojo.Schema schema =
          io.pyralog.common.schema.SchemaJson.parse(client.admin().describeTopic(topic).schema());
      try (var root = org.apache.arrow.vector.VectorSchemaRoot.create(schema,
          client.allocator())) {
        root.allocateNew();
        for (int i = 0; i < rows; i++) {
          long id = i + 1;
          ((org.apache.arrow.vector.BigIntVector) root.getVector("id")).setSafe(i, id);
          for (int c = 1; c < COLUMNS; c++) {
            ((org.apache.arrow.vector.VarCharVector) root.getVector("c" + c)).setSafe(i,
                ("v" + c + "-" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
          }
        }
        root.setRowCount(rows);
        producer.sendBatch(topic, 0, root).join();
      }
    }
  }

  @Test
  void aQueryOfTwoColumnsOfTwentyFetchesOnlyThoseTwo() throws Exception {
    createWideTopic("typed-wide");
    StreamTableEnvironment t = tables();
    t.executeSql("CREATE TABLE wide (" + wideColumns() + ")" + with("typed-wide"));
    fillWideTopic("typed-wide", 500);

    String query = "SELECT id, c7 FROM wide WHERE id <= 3";
    assertThat(t.explainSql(query)).contains("project=[id, c7]");
    assertThat(collect(t, query)).containsExactlyInAnyOrder(Row.of(1L, "v7-1"),
        Row.of(2L, "v7-2"), Row.of(3L, "v7-3"));
    List<Row> counts = collect(t, "SELECT COUNT(*), COUNT(DISTINCT c19) FROM wide");
    assertThat(counts.get(counts.size() - 1).getField(0)).isEqualTo(500L);
    assertThat(counts.get(counts.size() - 1).getField(1)).isEqualTo(500L);
  }

  /** Emits the number of columns of each fetched batch, once per batch. */
  static final class ColumnCount implements PyralogDeserializationSchema<Integer> {
    @Override
    public void deserialize(ArrowBatch batch, int row, Collector<Integer> out) {
      if (row == 0) {
        out.collect(batch.root().getFieldVectors().size());
      }
    }

    @Override
    public TypeInformation<Integer> getProducedType() {
      return Types.INT;
    }
  }

  @Test
  void theNodeSendsOnlyTheProjectedColumns() throws Exception {
    createWideTopic("typed-fetch");
    fillWideTopic("typed-fetch", 100);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    PyralogSource<Integer> projected = PyralogSource.<Integer>builder()
        .setBootstrap(NODE.bootstrap()).setTopics("typed-fetch")
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setBounded(OffsetsInitializer.latest())
        .setColumns(List.of("id", "c3"))
        .setDeserializer(new ColumnCount())
        .build();
    List<Integer> counts = new ArrayList<>();
    try (CloseableIterator<Integer> it = env.fromSource(projected,
        WatermarkStrategy.noWatermarks(), "projected").executeAndCollect()) {
      it.forEachRemaining(counts::add);
    }
    assertThat(counts).isNotEmpty().containsOnly(2);
  }

  @Test
  void columnTypesRoundTripThroughATypedTopic() throws Exception {
    try (PyralogClient client = PyralogClient.create(NODE.bootstrap())) {
      client.admin().createTopic(NewTopic.builder("typed-types").partitions(1).schemaJson(
          "{\"fields\": [{\"name\": \"b\", \"type\": \"boolean\"}, "
              + "{\"name\": \"i8\", \"type\": \"int8\"}, {\"name\": \"i16\", \"type\": \"int16\"}, "
              + "{\"name\": \"i32\", \"type\": \"int32\"}, {\"name\": \"i64\", \"type\": \"int64\"}, "
              + "{\"name\": \"f32\", \"type\": \"float32\"}, {\"name\": \"f64\", \"type\": \"float64\"}, "
              + "{\"name\": \"s\", \"type\": \"utf8\"}, {\"name\": \"bin\", \"type\": \"binary\"}, "
              + "{\"name\": \"d\", \"type\": \"date32\"}, {\"name\": \"ts\", \"type\": \"timestamp[ms]\"}, "
              + "{\"name\": \"amount\", \"type\": \"decimal(10,2)\"}]}").build());
    }
    StreamTableEnvironment t = tables();
    t.executeSql("CREATE TABLE types (b BOOLEAN, i8 TINYINT, i16 SMALLINT, i32 INT, i64 BIGINT, "
        + "f32 FLOAT, f64 DOUBLE, s STRING, bin BYTES, d DATE, ts TIMESTAMP(3), "
        + "amount DECIMAL(10, 2))" + with("typed-types"));
    t.executeSql("INSERT INTO types VALUES (TRUE, CAST(-8 AS TINYINT), CAST(-16 AS SMALLINT), "
        + "-32, CAST(-64 AS BIGINT), CAST(1.5 AS FLOAT), 2.25, 'text', X'0102', "
        + "DATE '2026-11-26', TIMESTAMP '2026-11-26 21:30:15.123', CAST(12.34 AS DECIMAL(10, 2))), "
        + "(CAST(NULL AS BOOLEAN), CAST(NULL AS TINYINT), CAST(NULL AS SMALLINT), "
        + "CAST(NULL AS INT), CAST(NULL AS BIGINT), CAST(NULL AS FLOAT), CAST(NULL AS DOUBLE), "
        + "CAST(NULL AS STRING), CAST(NULL AS BYTES), CAST(NULL AS DATE), "
        + "CAST(NULL AS TIMESTAMP(3)), CAST(NULL AS DECIMAL(10, 2)))").await();

    List<Row> rows = collect(t, "SELECT * FROM types");
    assertThat(rows).hasSize(2);
    Row full = rows.stream().filter(r -> r.getField(0) != null).findFirst().orElseThrow();
    assertThat(full.getField(0)).isEqualTo(true);
    assertThat(full.getField(1)).isEqualTo((byte) -8);
    assertThat(full.getField(2)).isEqualTo((short) -16);
    assertThat(full.getField(3)).isEqualTo(-32);
    assertThat(full.getField(4)).isEqualTo(-64L);
    assertThat(full.getField(5)).isEqualTo(1.5f);
    assertThat(full.getField(6)).isEqualTo(2.25);
    assertThat(full.getField(7)).isEqualTo("text");
    assertThat((byte[]) full.getField(8)).containsExactly(1, 2);
    assertThat(full.getField(9)).isEqualTo(LocalDate.of(2026, 11, 26));
    assertThat(full.getField(10)).isEqualTo(LocalDateTime.of(2026, 11, 26, 21, 30, 15,
        123_000_000));
    assertThat(full.getField(11)).isEqualTo(new BigDecimal("12.34"));
    Row empty = rows.stream().filter(r -> r.getField(0) == null).findFirst().orElseThrow();
    for (int i = 0; i < empty.getArity(); i++) {
      assertThat(empty.getField(i)).as("column %d", i).isNull();
    }
  }

  @Test
  void anExactlyOnceInsertIntoATypedTopicCommitsItsBatchesTogether() throws Exception {
    createWideTopic("typed-eo");
    StreamTableEnvironment t = tables();
    t.getConfig().set("execution.checkpointing.interval", "200 ms");
    t.executeSql("CREATE TABLE typed_eo (id BIGINT NOT NULL, c1 STRING) WITH ("
        + "'connector' = 'pyralog', 'bootstrap' = '" + NODE.bootstrap() + "', "
        + "'topic' = 'typed-eo', 'sink.delivery-guarantee' = 'exactly-once', "
        + "'sink.transactional-id-prefix' = 'typed-eo-job', 'sink.buffer-flush.max-rows' = '7')");
    t.executeSql("CREATE TABLE typed_eo_committed (id BIGINT NOT NULL, c1 STRING) WITH ("
        + "'connector' = 'pyralog', 'bootstrap' = '" + NODE.bootstrap() + "', "
        + "'topic' = 'typed-eo', 'isolation.level' = 'read_committed', "
        + "'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset')");
    t.executeSql("INSERT INTO typed_eo SELECT CAST(id AS BIGINT), 'x' || CAST(id AS STRING) "
        + "FROM (VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12)) AS "
        + "v(id)").await();
    List<Row> rows = collect(t, "SELECT id, c1 FROM typed_eo_committed");
    assertThat(rows).hasSize(12);
    assertThat(rows.stream().map(r -> (Long) r.getField(0))).containsExactlyInAnyOrder(
        1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
  }

  @Test
  void aStreamingInsertSendsAPartialBatchAfterTheFlushInterval() throws Exception {
    createWideTopic("typed-trickle");
    TestTopics.create(NODE.bootstrap(), "typed-trickle-in", 1);
    StreamTableEnvironment t = tables(); // no checkpointing: only the interval sends
    t.executeSql("CREATE TABLE trickle_in (id BIGINT, c1 STRING) WITH ('connector' = "
        + "'pyralog', 'bootstrap' = '" + NODE.bootstrap() + "', 'topic' = 'typed-trickle-in', "
        + "'format' = 'json', 'scan.startup.mode' = 'earliest-offset')");
    t.executeSql("CREATE TABLE trickle (id BIGINT NOT NULL, c1 STRING) WITH ("
        + "'connector' = 'pyralog', 'bootstrap' = '" + NODE.bootstrap() + "', "
        + "'topic' = 'typed-trickle', 'sink.buffer-flush.interval' = '200 ms')");
    TestTopics.writeJsonIds(NODE.bootstrap(), "typed-trickle-in", 5);
    var job = t.executeSql("INSERT INTO trickle SELECT id, c1 FROM trickle_in");
    try (PyralogClient client = PyralogClient.create(NODE.bootstrap())) {
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() ->
          client.admin().listOffsets("typed-trickle",
              io.pyralog.client.OffsetSpec.latest()).values().stream()
              .mapToLong(Long::longValue).sum() == 5);
    } finally {
      job.getJobClient().orElseThrow().cancel().get();
    }
  }

  @Test
  void aTableWhoseColumnsDoNotMatchTheTopicFailsWithTheColumnsName() {
    createWideTopic("typed-mismatch");
    StreamTableEnvironment t = tables();
    t.executeSql("CREATE TABLE wrong (id INT, c1 STRING)" + with("typed-mismatch"));
    assertThatThrownBy(() -> t.executeSql("INSERT INTO wrong VALUES (1, 'x')").await())
        .hasStackTraceContaining("Column 'id' is INT in the table but Int(64, true)");
    t.executeSql("CREATE TABLE missing (id BIGINT, nope STRING)" + with("typed-mismatch"));
    assertThatThrownBy(() -> t.executeSql("INSERT INTO missing VALUES (1, 'x')").await())
        .hasStackTraceContaining("Column 'nope' of the table is not in topic 'typed-mismatch'");
  }
}
