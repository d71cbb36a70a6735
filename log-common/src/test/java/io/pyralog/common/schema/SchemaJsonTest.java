package io.pyralog.common.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class SchemaJsonTest {
  @Test
  void parsesTheSimpleFormatAndWritesItBack() {
    String json = "{\"fields\":[{\"name\":\"id\",\"type\":\"int64\",\"nullable\":false},"
        + "{\"name\":\"name\",\"type\":\"utf8\"},{\"name\":\"price\",\"type\":\"decimal(10,2)\"},"
        + "{\"name\":\"ts\",\"type\":\"timestamp[ms]\"},{\"name\":\"tags\",\"type\":\"list<utf8>\"}]}";
    Schema s = SchemaJson.parse(json);
    assertThat(s.getFields()).extracting(Field::getName)
        .containsExactly("id", "name", "price", "ts", "tags");
    assertThat(s.getFields().get(0).isNullable()).isFalse();
    assertThat(s.getFields().get(2).getType()).isEqualTo(new ArrowType.Decimal(10, 2, 128));
    assertThat(SchemaJson.parse(SchemaJson.toJson(s))).isEqualTo(s);
  }

  @Test
  void acceptsArrowsOwnJson() {
    Schema s = new Schema(List.of(new Field("x", FieldType.nullable(new ArrowType.Int(32, true)),
        null)));
    assertThat(SchemaJson.parse(s.toJson())).isEqualTo(s);
  }

  @Test
  void rawSchemaRoundTripsThroughArrowJson() {
    assertThat(SchemaJson.parse(SchemaJson.toJson(RawSchema.SCHEMA))).isEqualTo(RawSchema.SCHEMA);
    assertThat(RawSchema.isRaw(RawSchema.SCHEMA)).isTrue();
  }

  @Test
  void rejectsBadSchemasWithAClearMessage() {
    assertThatThrownBy(() -> SchemaJson.parse("{\"fields\":[{\"name\":\"a\",\"type\":\"int99\"}]}"))
        .isInstanceOf(ApiException.class).hasMessageContaining("'a'")
        .hasMessageContaining("int99");
    assertThatThrownBy(() -> SchemaJson.parse("{\"fields\":[]}"))
        .hasMessageContaining("non-empty \"fields\"");
    assertThatThrownBy(() -> SchemaJson.parse("not json"))
        .satisfies(e -> assertThat(((ApiException) e).error()).isEqualTo(Errors.INVALID_CONFIG));
    assertThatThrownBy(() -> SchemaJson.parse(
        "{\"fields\":[{\"name\":\"a\",\"type\":\"int8\"},{\"name\":\"a\",\"type\":\"int8\"}]}"))
        .hasMessageContaining("appears twice");
  }

  @Test
  void mismatchNamesTheField() {
    Schema topic = SchemaJson.parse("{\"fields\":[{\"name\":\"id\",\"type\":\"int64\"},"
        + "{\"name\":\"name\",\"type\":\"utf8\"}]}");
    assertThat(SchemaCompatibility.mismatch(topic, topic)).isNull();
    Schema wrongType = SchemaJson.parse("{\"fields\":[{\"name\":\"id\",\"type\":\"int64\"},"
        + "{\"name\":\"name\",\"type\":\"binary\"}]}");
    assertThat(SchemaCompatibility.mismatch(topic, wrongType))
        .isEqualTo("field 'name' has type binary but the topic expects utf8");
    Schema missing = SchemaJson.parse("{\"fields\":[{\"name\":\"id\",\"type\":\"int64\"}]}");
    assertThat(SchemaCompatibility.mismatch(topic, missing)).contains("'name'")
        .contains("missing");
    Schema extra = SchemaJson.parse("{\"fields\":[{\"name\":\"id\",\"type\":\"int64\"},"
        + "{\"name\":\"name\",\"type\":\"utf8\"},{\"name\":\"z\",\"type\":\"int8\"}]}");
    assertThat(SchemaCompatibility.mismatch(topic, extra)).contains("'z'");
    assertThatThrownBy(() -> SchemaCompatibility.ensureCompatible("t", topic, wrongType))
        .satisfies(e -> assertThat(((ApiException) e).error()).isEqualTo(Errors.SCHEMA_MISMATCH));
  }
}
