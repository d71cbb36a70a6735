package io.pyralog.benchmarks.flink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The rows of the projection workload: 20 columns, {@code id BIGINT NOT NULL}, {@code c1..c6
 * INT}, {@code c7..c12 BIGINT} and {@code c13..c19 STRING} of 10 to 20 characters. Every value is
 * a function of the row's id and column, so the typed Pyralog topic and the Kafka topic of JSON
 * records hold the same rows, and a row can be checked without keeping it.
 */
public final class WideRows {
  /** Number of columns, id included. */
  public static final int COLUMNS = 20;

  static final int FIRST_LONG = 7;
  static final int FIRST_STRING = 13;
  static final int MIN_STRING = 10;
  static final int MAX_STRING = 20;
  private static final byte[] ALPHABET =
      "abcdefghijklmnopqrstuvwxyz0123456789".getBytes(StandardCharsets.US_ASCII);

  private WideRows() {}

  /** Column names in order: {@code id, c1, ..., c19}. */
  public static List<String> names() {
    List<String> names = new ArrayList<>(COLUMNS);
    names.add("id");
    for (int c = 1; c < COLUMNS; c++) {
      names.add("c" + c);
    }
    return names;
  }

  /** The Flink SQL type of column {@code c} (0 is id). */
  public static String sqlType(int c) {
    if (c == 0) {
      return "BIGINT NOT NULL";
    }
    return c < FIRST_LONG ? "INT" : c < FIRST_STRING ? "BIGINT" : "STRING";
  }

  /** The type of column {@code c} in a Pyralog topic schema (docs/schemas.md). */
  static String topicType(int c) {
    return c == 0 || (c >= FIRST_LONG && c < FIRST_STRING) ? "int64"
        : c < FIRST_LONG ? "int32" : "utf8";
  }

  /** The typed topic's schema as Pyralog's schema JSON. */
  public static String schemaJson() {
    StringBuilder json = new StringBuilder("{\"fields\": [");
    List<String> names = names();
    for (int c = 0; c < COLUMNS; c++) {
      json.append(c == 0 ? "" : ", ").append("{\"name\": \"").append(names.get(c))
          .append("\", \"type\": \"").append(topicType(c)).append('"')
          .append(c == 0 ? ", \"nullable\": false" : "").append('}');
    }
    return json.append("]}").toString();
  }

  /**
   * The column list of a CREATE TABLE for the given column indexes, e.g. {@code id BIGINT NOT
   * NULL, c13 STRING}.
   */
  public static String ddlColumns(int... columns) {
    List<String> names = names();
    StringBuilder ddl = new StringBuilder();
    for (int c : columns) {
      ddl.append(ddl.length() == 0 ? "" : ", ").append(names.get(c)).append(' ')
          .append(sqlType(c));
    }
    return ddl.toString();
  }

  /** All column indexes, 0 to 19. */
  public static int[] allColumns() {
    int[] all = new int[COLUMNS];
    for (int c = 0; c < COLUMNS; c++) {
      all[c] = c;
    }
    return all;
  }

  /** The value of an INT column (1 to 6) of row {@code id}. */
  public static int intValue(long id, int column) {
    return (int) mix(id, column);
  }

  /** The value of a BIGINT column (7 to 12) of row {@code id}. */
  public static long longValue(long id, int column) {
    return mix(id, column);
  }

  /** The value of a STRING column (13 to 19) of row {@code id}: 10 to 20 of [a-z0-9]. */
  public static byte[] stringValue(long id, int column) {
    long h = mix(id, column);
    int length = MIN_STRING + (int) Long.remainderUnsigned(h, MAX_STRING - MIN_STRING + 1);
    byte[] s = new byte[length];
    long bits = h;
    for (int i = 0; i < length; i++) {
      if (i % 10 == 0) {
        bits = mix(bits, i);
      }
      s[i] = ALPHABET[(int) Long.remainderUnsigned(bits, ALPHABET.length)];
      bits = Long.divideUnsigned(bits, ALPHABET.length);
    }
    return s;
  }

  /**
   * Fills {@code root}, whose schema is {@link #schemaJson()}, with the rows {@code firstId} to
   * {@code firstId + rows - 1}, and sets its row count.
   */
  public static void fill(VectorSchemaRoot root, long firstId, int rows) {
    root.allocateNew();
    List<FieldVector> vectors = root.getFieldVectors();
    BigIntVector idVector = (BigIntVector) vectors.get(0);
    for (int r = 0; r < rows; r++) {
      long id = firstId + r;
      idVector.setSafe(r, id);
      for (int c = 1; c < COLUMNS; c++) {
        FieldVector v = vectors.get(c);
        if (c < FIRST_LONG) {
          ((IntVector) v).setSafe(r, intValue(id, c));
        } else if (c < FIRST_STRING) {
          ((BigIntVector) v).setSafe(r, longValue(id, c));
        } else {
          ((VarCharVector) v).setSafe(r, stringValue(id, c));
        }
      }
    }
    root.setRowCount(rows);
  }

  /** Bytes of Arrow data in {@code root}: the sizes of its vectors' buffers. */
  public static long arrowBytes(VectorSchemaRoot root) {
    long bytes = 0;
    for (FieldVector v : root.getFieldVectors()) {
      bytes += v.getBufferSize();
    }
    return bytes;
  }

  /**
   * Row {@code id} as a JSON object, {@code {"id":1,"c1":...}}, into {@code json} (cleared
   * first). The strings need no escaping: they are [a-z0-9] only.
   */
  public static void json(long id, StringBuilder json) {
    json.setLength(0);
    json.append("{\"id\":").append(id);
    for (int c = 1; c < COLUMNS; c++) {
      json.append(",\"c").append(c).append("\":");
      if (c < FIRST_LONG) {
        json.append(intValue(id, c));
      } else if (c < FIRST_STRING) {
        json.append(longValue(id, c));
      } else {
        json.append('"').append(new String(stringValue(id, c), StandardCharsets.US_ASCII))
            .append('"');
      }
    }
    json.append('}');
  }

  /** SplitMix64 of the row id and column: well spread, and the same on every run. */
  static long mix(long id, int column) {
    long z = id * 0x9E3779B97F4A7C15L + column * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
