package io.pyralog.common.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyralog.common.annotation.PublicEvolving;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The schema file format of {@code pyralog topic create --schema FILE.json}:
 *
 * <pre>
 * {"fields": [
 *   {"name": "id", "type": "int64", "nullable": false},
 *   {"name": "name", "type": "utf8"},
 *   {"name": "price", "type": "decimal(10,2)"},
 *   {"name": "ts", "type": "timestamp[ms]"}
 * ]}
 * </pre>
 *
 * Types: boolean, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64,
 * utf8 (or string), binary, date32, time64[us], timestamp[s|ms|us|ns], decimal(P,S), and
 * list&lt;T&gt;. Fields are nullable unless {@code "nullable": false}. Apache Arrow's own JSON
 * schema form (as printed by {@code Schema.toJson()}) is accepted too.
 */
@PublicEvolving
public final class SchemaJson {
  private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+)\\s*,\\s*(\\d+)\\)");
  private static final Pattern TIMESTAMP = Pattern.compile("timestamp\\[(s|ms|us|ns)\\]");
  private static final Pattern LIST = Pattern.compile("list<(.+)>");

  private SchemaJson() {}

  public static Schema parse(String json) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw Errors.INVALID_CONFIG.exception("Schema is not valid JSON: " + e.getMessage().split("\n")[0]);
    }
    JsonNode fields = root == null ? null : root.get("fields");
    if (fields == null || !fields.isArray() || fields.isEmpty()) {
      throw Errors.INVALID_CONFIG.exception(
          "Schema JSON needs a non-empty \"fields\" array, e.g. {\"fields\":[{\"name\":\"id\","
              + "\"type\":\"int64\"}]}");
    }
    if (fields.get(0).path("type").isObject()) {
      try {
        return Schema.fromJSON(json);
      } catch (IOException e) {
        throw Errors.INVALID_CONFIG.exception("Invalid Arrow schema JSON: " + e.getMessage());
      }
    }
    List<Field> result = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (JsonNode f : fields) {
      String name = f.path("name").asText("");
      if (name.isEmpty()) {
        throw Errors.INVALID_CONFIG.exception("Every schema field needs a \"name\"");
      }
      if (seen.contains(name)) {
        throw Errors.INVALID_CONFIG.exception("Schema field '" + name + "' appears twice");
      }
      seen.add(name);
      String type = f.path("type").asText("");
      boolean nullable = f.path("nullable").asBoolean(true);
      result.add(field(name, type, nullable));
    }
    return new Schema(result);
  }

  private static Field field(String name, String type, boolean nullable) {
    String t = type.trim().toLowerCase(Locale.ROOT);
    Matcher list = LIST.matcher(t);
    if (list.matches()) {
      Field item = field("item", list.group(1), true);
      return new Field(name, new FieldType(nullable, ArrowType.List.INSTANCE, null),
          List.of(item));
    }
    return new Field(name, new FieldType(nullable, scalar(name, t), null), null);
  }

  private static ArrowType scalar(String name, String t) {
    switch (t) {
      case "boolean":
      case "bool":
        return ArrowType.Bool.INSTANCE;
      case "int8":
        return new ArrowType.Int(8, true);
      case "int16":
        return new ArrowType.Int(16, true);
      case "int32":
      case "int":
        return new ArrowType.Int(32, true);
      case "int64":
      case "long":
        return new ArrowType.Int(64, true);
      case "uint8":
        return new ArrowType.Int(8, false);
      case "uint16":
        return new ArrowType.Int(16, false);
      case "uint32":
        return new ArrowType.Int(32, false);
      case "uint64":
        return new ArrowType.Int(64, false);
      case "float32":
      case "float":
        return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case "float64":
      case "double":
        return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case "utf8":
      case "string":
        return ArrowType.Utf8.INSTANCE;
      case "binary":
      case "bytes":
        return ArrowType.Binary.INSTANCE;
      case "date32":
      case "date":
        return new ArrowType.Date(DateUnit.DAY);
      case "time64[us]":
        return new ArrowType.Time(TimeUnit.MICROSECOND, 64);
      default:
        break;
    }
    Matcher ts = TIMESTAMP.matcher(t);
    if (ts.matches()) {
      TimeUnit unit = switch (ts.group(1)) {
        case "s" -> TimeUnit.SECOND;
        case "ms" -> TimeUnit.MILLISECOND;
        case "us" -> TimeUnit.MICROSECOND;
        default -> TimeUnit.NANOSECOND;
      };
      return new ArrowType.Timestamp(unit, null);
    }
    Matcher dec = DECIMAL.matcher(t);
    if (dec.matches()) {
      return new ArrowType.Decimal(Integer.parseInt(dec.group(1)), Integer.parseInt(dec.group(2)),
          128);
    }
    throw Errors.INVALID_CONFIG.exception("Field '" + name + "' has unknown type '" + t
        + "'. Use one of boolean, int8..int64, uint8..uint64, float32, float64, utf8, binary, "
        + "date32, time64[us], timestamp[ms], decimal(P,S), list<T>");
  }

  /** Writes a schema in the simple format when every type has a name there, else Arrow's. */
  public static String toJson(Schema schema) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode fields = root.putArray("fields");
    for (Field f : schema.getFields()) {
      String name = simpleTypeName(f);
      if (name == null) {
        return schema.toJson();
      }
      ObjectNode node = fields.addObject();
      node.put("name", f.getName());
      node.put("type", name);
      if (!f.isNullable()) {
        node.put("nullable", false);
      }
    }
    return root.toString();
  }

  /** A readable type name for messages, e.g. {@code int64} or {@code map<utf8, binary>}. */
  public static String typeName(Field f) {
    String simple = simpleTypeName(f);
    if (simple != null) {
      return simple;
    }
    if (f.getType() instanceof ArrowType.Map) {
      return "map<" + typeName(f.getChildren().get(0).getChildren().get(0)) + ", "
          + typeName(f.getChildren().get(0).getChildren().get(1)) + ">";
    }
    return f.getType().toString();
  }

  private static String simpleTypeName(Field f) {
    ArrowType type = f.getType();
    if (type instanceof ArrowType.List && f.getChildren().size() == 1) {
      String item = simpleTypeName(f.getChildren().get(0));
      return item == null ? null : "list<" + item + ">";
    }
    if (type.isComplex()) {
      return null;
    }
    return type.accept(new ArrowType.PrimitiveTypeVisitor<String>() {
      @Override public String visit(ArrowType.Null t) { return null; }
      @Override public String visit(ArrowType.Int t) {
        return (t.getIsSigned() ? "int" : "uint") + t.getBitWidth();
      }
      @Override public String visit(ArrowType.FloatingPoint t) {
        return switch (t.getPrecision()) {
          case SINGLE -> "float32";
          case DOUBLE -> "float64";
          default -> null;
        };
      }
      @Override public String visit(ArrowType.Utf8 t) { return "utf8"; }
      @Override public String visit(ArrowType.Utf8View t) { return null; }
      @Override public String visit(ArrowType.LargeUtf8 t) { return null; }
      @Override public String visit(ArrowType.Binary t) { return "binary"; }
      @Override public String visit(ArrowType.BinaryView t) { return null; }
      @Override public String visit(ArrowType.LargeBinary t) { return null; }
      @Override public String visit(ArrowType.FixedSizeBinary t) { return null; }
      @Override public String visit(ArrowType.Bool t) { return "boolean"; }
      @Override public String visit(ArrowType.Decimal t) {
        return t.getBitWidth() == 128 ? "decimal(" + t.getPrecision() + "," + t.getScale() + ")"
            : null;
      }
      @Override public String visit(ArrowType.Date t) {
        return t.getUnit() == DateUnit.DAY ? "date32" : null;
      }
      @Override public String visit(ArrowType.Time t) {
        return t.getUnit() == TimeUnit.MICROSECOND && t.getBitWidth() == 64 ? "time64[us]" : null;
      }
      @Override public String visit(ArrowType.Timestamp t) {
        if (t.getTimezone() != null) {
          return null;
        }
        return switch (t.getUnit()) {
          case SECOND -> "timestamp[s]";
          case MILLISECOND -> "timestamp[ms]";
          case MICROSECOND -> "timestamp[us]";
          case NANOSECOND -> "timestamp[ns]";
        };
      }
      @Override public String visit(ArrowType.Interval t) { return null; }
      @Override public String visit(ArrowType.Duration t) { return null; }
    });
  }
}
