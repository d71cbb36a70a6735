package io.pyralog.flink.table;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/** Writes Flink internal values into the Arrow columns of a typed topic. */
final class FlinkToArrow {
  private FlinkToArrow() {}

  /** True when the sink can write columns of this vector type. */
  static boolean writable(FieldVector v) {
    return v instanceof BitVector || v instanceof TinyIntVector || v instanceof SmallIntVector
        || v instanceof IntVector || v instanceof BigIntVector || v instanceof Float4Vector
        || v instanceof Float8Vector || v instanceof VarCharVector
        || v instanceof VarBinaryVector || v instanceof DateDayVector
        || v instanceof TimeMicroVector || v instanceof TimeStampVector
        || v instanceof DecimalVector;
  }

  /** Sets row {@code row} of {@code v} to {@code value} (Flink internal data, or null). */
  static void write(FieldVector v, int row, Object value) {
    if (value == null) {
      if (!v.getField().isNullable()) {
        throw new IllegalArgumentException("Column '" + v.getName() + "' is NOT NULL in the "
            + "topic's schema, but the row has a null there");
      }
      v.setNull(row);
      return;
    }
    if (v instanceof BitVector x) {
      x.setSafe(row, (Boolean) value ? 1 : 0);
    } else if (v instanceof TinyIntVector x) {
      x.setSafe(row, ((Number) value).byteValue());
    } else if (v instanceof SmallIntVector x) {
      x.setSafe(row, ((Number) value).shortValue());
    } else if (v instanceof IntVector x) {
      x.setSafe(row, ((Number) value).intValue());
    } else if (v instanceof BigIntVector x) {
      x.setSafe(row, ((Number) value).longValue());
    } else if (v instanceof Float4Vector x) {
      x.setSafe(row, ((Number) value).floatValue());
    } else if (v instanceof Float8Vector x) {
      x.setSafe(row, ((Number) value).doubleValue());
    } else if (v instanceof VarCharVector x) {
      x.setSafe(row, value instanceof StringData s ? s.toBytes()
          : value.toString().getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof VarBinaryVector x) {
      x.setSafe(row, (byte[]) value);
    } else if (v instanceof DateDayVector x) {
      x.setSafe(row, (Integer) value);
    } else if (v instanceof TimeMicroVector x) {
      x.setSafe(row, ((Integer) value) * 1000L);
    } else if (v instanceof TimeStampVector x) {
      TimestampData t = (TimestampData) value;
      long nanos = t.getMillisecond() * 1_000_000L + t.getNanoOfMillisecond();
      long raw = switch (((ArrowType.Timestamp) x.getField().getType()).getUnit()) {
        case SECOND -> Math.floorDiv(nanos, 1_000_000_000L);
        case MILLISECOND -> t.getMillisecond();
        case MICROSECOND -> Math.floorDiv(nanos, 1_000L);
        case NANOSECOND -> nanos;
      };
      x.setSafe(row, raw);
    } else if (v instanceof DecimalVector x) {
      x.setSafe(row, ((DecimalData) value).toBigDecimal().setScale(x.getScale()));
    } else {
      throw new IllegalArgumentException("Column '" + v.getName() + "' has Arrow type "
          + v.getField().getType() + ", which the Flink sink cannot write yet");
    }
  }
}
