package io.pyralog.flink.table;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.concurrent.TimeUnit;
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
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * Reads values of typed topics (Arrow columns) as Flink's internal data, and says which Flink
 * type each Arrow type maps to. docs/flink.md has the table.
 */
final class ArrowToFlink {
  private ArrowToFlink() {}

  /** The Flink type root a column of {@code field}'s Arrow type is read as. */
  static LogicalTypeRoot flinkRoot(Field field) {
    ArrowType t = field.getType();
    return switch (t.getTypeID()) {
      case Bool -> LogicalTypeRoot.BOOLEAN;
      case Int -> {
        ArrowType.Int i = (ArrowType.Int) t;
        if (i.getIsSigned()) {
          yield switch (i.getBitWidth()) {
            case 8 -> LogicalTypeRoot.TINYINT;
            case 16 -> LogicalTypeRoot.SMALLINT;
            case 32 -> LogicalTypeRoot.INTEGER;
            default -> LogicalTypeRoot.BIGINT;
          };
        }
        yield switch (i.getBitWidth()) {
          case 8 -> LogicalTypeRoot.SMALLINT;
          case 16 -> LogicalTypeRoot.INTEGER;
          case 32 -> LogicalTypeRoot.BIGINT;
          default -> LogicalTypeRoot.DECIMAL;
        };
      }
      case FloatingPoint -> ((ArrowType.FloatingPoint) t).getPrecision()
          == org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE
          ? LogicalTypeRoot.FLOAT : LogicalTypeRoot.DOUBLE;
      case Utf8 -> LogicalTypeRoot.VARCHAR;
      case Binary -> LogicalTypeRoot.VARBINARY;
      case Date -> {
        if (((ArrowType.Date) t).getUnit() != org.apache.arrow.vector.types.DateUnit.DAY) {
          throw unsupported(field);
        }
        yield LogicalTypeRoot.DATE;
      }
      case Time -> {
        ArrowType.Time time = (ArrowType.Time) t;
        if (time.getUnit() != org.apache.arrow.vector.types.TimeUnit.MICROSECOND
            || time.getBitWidth() != 64) {
          throw unsupported(field);
        }
        yield LogicalTypeRoot.TIME_WITHOUT_TIME_ZONE;
      }
      case Timestamp -> ((ArrowType.Timestamp) t).getTimezone() == null
          ? LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE
          : LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
      case Decimal -> LogicalTypeRoot.DECIMAL;
      case List -> LogicalTypeRoot.ARRAY;
      default -> throw unsupported(field);
    };
  }

  private static IllegalArgumentException unsupported(Field field) {
    return new IllegalArgumentException("Column '" + field.getName() + "' has Arrow type "
        + field.getType() + ", which the Flink connector cannot read yet (see docs/flink.md)");
  }

  /**
   * True when a table column of type {@code declared} holds the values of the Arrow column
   * {@code field}: the same kind of type, and for decimals the same precision and scale.
   */
  static boolean compatible(LogicalType declared, Field field) {
    LogicalTypeRoot arrow = flinkRoot(field);
    LogicalTypeRoot root = declared.getTypeRoot();
    if (root == LogicalTypeRoot.DECIMAL && arrow == LogicalTypeRoot.DECIMAL
        && field.getType() instanceof ArrowType.Decimal d) {
      DecimalType dt = (DecimalType) declared;
      return dt.getPrecision() == d.getPrecision() && dt.getScale() == d.getScale();
    }
    if (root == LogicalTypeRoot.ARRAY && arrow == LogicalTypeRoot.ARRAY) {
      return compatible(((ArrayType) declared).getElementType(), field.getChildren().get(0));
    }
    return root == arrow
        || (root == LogicalTypeRoot.CHAR && arrow == LogicalTypeRoot.VARCHAR)
        || (root == LogicalTypeRoot.BINARY && arrow == LogicalTypeRoot.VARBINARY);
  }

  /** The value at {@code row}, as Flink internal data; null for a null. */
  static Object read(ValueVector v, int row) {
    if (v.isNull(row)) {
      return null;
    }
    if (v instanceof BitVector b) {
      return b.get(row) == 1;
    } else if (v instanceof TinyIntVector x) {
      return x.get(row);
    } else if (v instanceof SmallIntVector x) {
      return x.get(row);
    } else if (v instanceof IntVector x) {
      return x.get(row);
    } else if (v instanceof BigIntVector x) {
      return x.get(row);
    } else if (v instanceof UInt1Vector x) {
      return (short) Byte.toUnsignedInt(x.get(row));
    } else if (v instanceof UInt2Vector x) {
      return (int) x.get(row);
    } else if (v instanceof UInt4Vector x) {
      return Integer.toUnsignedLong(x.get(row));
    } else if (v instanceof UInt8Vector x) {
      BigInteger u = new BigInteger(Long.toUnsignedString(x.get(row)));
      return DecimalData.fromBigDecimal(new BigDecimal(u), 20, 0);
    } else if (v instanceof Float4Vector x) {
      return x.get(row);
    } else if (v instanceof Float8Vector x) {
      return x.get(row);
    } else if (v instanceof VarCharVector x) {
      return StringData.fromBytes(x.get(row));
    } else if (v instanceof VarBinaryVector x) {
      return x.get(row);
    } else if (v instanceof DateDayVector x) {
      return x.get(row);
    } else if (v instanceof TimeMicroVector x) {
      return (int) (x.get(row) / 1000);
    } else if (v instanceof TimeStampVector x) {
      return timestamp(x, row);
    } else if (v instanceof DecimalVector x) {
      return DecimalData.fromBigDecimal(x.getObject(row), x.getPrecision(), x.getScale());
    } else if (v instanceof ListVector x) {
      int start = x.getElementStartIndex(row);
      int end = x.getElementEndIndex(row);
      FieldVector items = x.getDataVector();
      Object[] out = new Object[end - start];
      for (int i = start; i < end; i++) {
        out[i - start] = read(items, i);
      }
      return new GenericArrayData(out);
    }
    throw new IllegalArgumentException("Column '" + v.getName() + "' has Arrow vector "
        + v.getClass().getSimpleName() + ", which the Flink connector cannot read yet");
  }

  private static TimestampData timestamp(TimeStampVector v, int row) {
    long raw = v.get(row);
    TimeUnit unit = switch (((ArrowType.Timestamp) v.getField().getType()).getUnit()) {
      case SECOND -> TimeUnit.SECONDS;
      case MILLISECOND -> TimeUnit.MILLISECONDS;
      case MICROSECOND -> TimeUnit.MICROSECONDS;
      case NANOSECOND -> TimeUnit.NANOSECONDS;
    };
    long nanos = unit.toNanos(raw);
    return TimestampData.fromEpochMillis(Math.floorDiv(nanos, 1_000_000L),
        (int) Math.floorMod(nanos, 1_000_000L));
  }
}
