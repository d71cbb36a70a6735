package io.pyralog.benchmarks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class WideRowsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theSchemaHasTwentyColumnsOfIntsLongsAndStrings() throws Exception {
    JsonNode fields = JSON.readTree(WideRows.schemaJson()).get("fields");
    assertThat(fields).hasSize(20);
    List<String> types = new ArrayList<>();
    fields.forEach(f -> types.add(f.get("type").asText()));
    assertThat(types.stream().filter("int32"::equals)).hasSize(6);
    assertThat(types.stream().filter("int64"::equals)).hasSize(7);
    assertThat(types.stream().filter("utf8"::equals)).hasSize(7);
    assertThat(fields.get(0).get("name").asText()).isEqualTo("id");
    assertThat(fields.get(0).get("nullable").asBoolean()).isFalse();
    assertThat(fields.get(19).get("name").asText()).isEqualTo("c19");
    assertThat(fields.get(19).has("nullable")).isFalse();
  }

  @Test
  void theSqlColumnsMatchTheTopicTypes() {
    assertThat(WideRows.ddlColumns(0, 13)).isEqualTo("id BIGINT NOT NULL, c13 STRING");
    assertThat(WideRows.ddlColumns(1, 6, 7, 12, 19))
        .isEqualTo("c1 INT, c6 INT, c7 BIGINT, c12 BIGINT, c19 STRING");
    assertThat(WideRows.ddlColumns(WideRows.allColumns()).split(", ")).hasSize(20);
  }

  @Test
  void stringsAreTenToTwentyCharactersOfLettersAndDigits() {
    int shortest = Integer.MAX_VALUE;
    int longest = 0;
    for (long id = 1; id <= 2000; id++) {
      for (int c = 13; c < 20; c++) {
        String s = new String(WideRows.stringValue(id, c), StandardCharsets.US_ASCII);
        assertThat(s).matches("[a-z0-9]{10,20}");
        shortest = Math.min(shortest, s.length());
        longest = Math.max(longest, s.length());
      }
    }
    assertThat(shortest).isEqualTo(10);
    assertThat(longest).isEqualTo(20);
  }

  @Test
  void valuesDependOnTheRowAndColumnAndAreTheSameEveryTime() {
    assertThat(WideRows.longValue(5, 7)).isEqualTo(WideRows.longValue(5, 7));
    assertThat(WideRows.longValue(5, 7)).isNotEqualTo(WideRows.longValue(6, 7));
    assertThat(WideRows.longValue(5, 7)).isNotEqualTo(WideRows.longValue(5, 8));
    assertThat(WideRows.stringValue(5, 13)).isEqualTo(WideRows.stringValue(5, 13));
    assertThat(WideRows.stringValue(5, 13)).isNotEqualTo(WideRows.stringValue(5, 14));
  }

  @Test
  void theJsonRecordAndTheArrowRowHoldTheSameValues() throws Exception {
    Schema schema = arrowSchema();
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      WideRows.fill(root, 101, 50);
      assertThat(root.getRowCount()).isEqualTo(50);
      assertThat(WideRows.arrowBytes(root)).isGreaterThan(50L * (8 + 6 * 4 + 6 * 8 + 7 * 10));
      StringBuilder json = new StringBuilder();
      for (int r = 0; r < 50; r++) {
        long id = 101 + r;
        WideRows.json(id, json);
        JsonNode row = JSON.readTree(json.toString());
        assertThat(row.size()).isEqualTo(20);
        assertThat(((BigIntVector) root.getVector("id")).get(r)).isEqualTo(id);
        assertThat(row.get("id").asLong()).isEqualTo(id);
        for (int c = 1; c < 7; c++) {
          int v = ((IntVector) root.getVector("c" + c)).get(r);
          assertThat(v).isEqualTo(WideRows.intValue(id, c));
          assertThat(row.get("c" + c).isInt()).isTrue();
          assertThat(row.get("c" + c).asInt()).isEqualTo(v);
        }
        for (int c = 7; c < 13; c++) {
          long v = ((BigIntVector) root.getVector("c" + c)).get(r);
          assertThat(row.get("c" + c).asLong()).isEqualTo(v);
        }
        for (int c = 13; c < 20; c++) {
          String v = new String(((VarCharVector) root.getVector("c" + c)).get(r),
              StandardCharsets.UTF_8);
          assertThat(row.get("c" + c).asText()).isEqualTo(v);
        }
      }
    }
  }

  /** The Arrow schema the node makes of {@link WideRows#schemaJson()}. */
  private static Schema arrowSchema() {
    List<Field> fields = new ArrayList<>();
    List<String> names = WideRows.names();
    for (int c = 0; c < WideRows.COLUMNS; c++) {
      ArrowType type = switch (WideRows.topicType(c)) {
        case "int32" -> new ArrowType.Int(32, true);
        case "int64" -> new ArrowType.Int(64, true);
        default -> ArrowType.Utf8.INSTANCE;
      };
      fields.add(new Field(names.get(c), new FieldType(c != 0, type, null), null));
    }
    return new Schema(fields);
  }
}
