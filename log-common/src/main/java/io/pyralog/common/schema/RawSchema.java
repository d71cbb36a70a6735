package io.pyralog.common.schema;

import io.pyralog.common.annotation.PublicEvolving;
import java.util.List;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The default, Kafka-shaped schema of a topic created without one: {@code key: binary
 * (nullable)}, {@code value: binary}, {@code headers: map<utf8, binary>}, {@code timestamp:
 * timestamp[ms]}.
 */
@PublicEvolving
public final class RawSchema {
  public static final String KEY = "key";
  public static final String VALUE = "value";
  public static final String HEADERS = "headers";
  public static final String TIMESTAMP = "timestamp";

  public static final Schema SCHEMA = build();

  private RawSchema() {}

  private static Schema build() {
    Field key = new Field(KEY, FieldType.nullable(ArrowType.Binary.INSTANCE), null);
    Field value = new Field(VALUE, FieldType.nullable(ArrowType.Binary.INSTANCE), null);
    Field entryKey = new Field("key", FieldType.notNullable(ArrowType.Utf8.INSTANCE), null);
    Field entryValue = new Field("value", FieldType.nullable(ArrowType.Binary.INSTANCE), null);
    Field entries =
        new Field("entries", FieldType.notNullable(ArrowType.Struct.INSTANCE),
            List.of(entryKey, entryValue));
    Field headers = new Field(HEADERS, FieldType.nullable(new ArrowType.Map(false)),
        List.of(entries));
    Field timestamp = new Field(TIMESTAMP,
        FieldType.nullable(new ArrowType.Timestamp(TimeUnit.MILLISECOND, null)), null);
    return new Schema(List.of(key, value, headers, timestamp));
  }

  public static boolean isRaw(Schema schema) {
    return SchemaCompatibility.mismatch(SCHEMA, schema) == null;
  }
}
