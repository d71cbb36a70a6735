package io.pyralog.common.record;

import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.Errors;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * Some consecutive rows of a batch of the raw schema ({@code key}, {@code value}, {@code
 * headers}, {@code timestamp}) as a record batch of their own, built straight from the batch's
 * buffers: values and timestamps are views of the batch's memory, and only the validity bitmaps
 * and offsets are rewritten, into one small buffer. This is what a node does with each partition
 * of a produce message, instead of slicing Arrow vectors (which creates a vector, a transfer pair
 * and a buffer reference per column and part).
 */
@Internal
public final class RawRowsBatch {
  private final VarBinaryVector key;
  private final VarBinaryVector value;
  private final MapVector headers;
  private final StructVector entries;
  private final VarCharVector headerName;
  private final VarBinaryVector headerValue;
  private final TimeStampMilliVector timestamp;

  private RawRowsBatch(VarBinaryVector key, VarBinaryVector value, MapVector headers,
      StructVector entries, VarCharVector headerName, VarBinaryVector headerValue,
      TimeStampMilliVector timestamp) {
    this.key = key;
    this.value = value;
    this.headers = headers;
    this.entries = entries;
    this.headerName = headerName;
    this.headerValue = headerValue;
    this.timestamp = timestamp;
  }

  /**
   * The reader of {@code root}, or null when its vectors are not those of the raw schema. It
   * reads whatever the vectors hold when {@link #rows} is called, so one reader serves every
   * batch loaded into the same root.
   */
  public static RawRowsBatch of(VectorSchemaRoot root) {
    List<FieldVector> v = root.getFieldVectors();
    if (v.size() != 4 || !(v.get(0) instanceof VarBinaryVector key)
        || !(v.get(1) instanceof VarBinaryVector value)
        || !(v.get(2) instanceof MapVector headers)
        || !(v.get(3) instanceof TimeStampMilliVector timestamp)
        || !(headers.getDataVector() instanceof StructVector entries)
        || entries.getChildrenFromFields().size() != 2
        || !(entries.getChildrenFromFields().get(0) instanceof VarCharVector name)
        || !(entries.getChildrenFromFields().get(1) instanceof VarBinaryVector headerValue)) {
      return null;
    }
    return new RawRowsBatch(key, value, headers, entries, name, headerValue, timestamp);
  }

  /** The timestamp column, for the range of the rows' timestamps. */
  public TimeStampMilliVector timestamps() {
    return timestamp;
  }

  /**
   * Rows {@code from} to {@code from + count - 1} as a record batch that holds its own
   * references to the memory it uses; the caller closes it. Columns shorter than that, or
   * offsets that decrease or point outside their data, are a corrupt record.
   */
  public ArrowRecordBatch rows(int from, int count) {
    if (from < 0 || count < 1) {
      throw new IllegalArgumentException("rows " + from + "+" + count);
    }
    // a batch whose columns are shorter than its row count is malformed input
    for (FieldVector column : List.of(key, value, headers, timestamp)) {
      if (from + count > column.getValueCount()) {
        throw corrupt(column.getName());
      }
    }
    BufferAllocator allocator = key.getAllocator();
    ArrowBuf headerOffsets = headers.getOffsetBuffer();
    int entryFrom = offset(headerOffsets, from, Integer.MAX_VALUE, "headers");
    int entryTo = offset(headerOffsets, from + count, Integer.MAX_VALUE, "headers");
    int entryCount = entryTo - entryFrom;
    if (entryCount < 0 || entryTo > entries.getValueCount()) {
      throw corrupt("headers");
    }
    // validity of the 7 columns, then the offsets of the 5 that have them
    long scratchBytes = 4 * padded((count + 7) / 8) + 3 * padded((entryCount + 7) / 8)
        + 3 * padded(offsetBytes(count)) + 2 * padded(offsetBytes(entryCount));
    List<ArrowFieldNode> nodes = new ArrayList<>(7);
    List<ArrowBuf> buffers = new ArrayList<>(17);
    ArrowBuf scratch = allocator.buffer(Math.max(8, scratchBytes));
    try {
      Cursor at = new Cursor(scratch);
      variableWidth(key, from, count, at, nodes, buffers);
      variableWidth(value, from, count, at, nodes, buffers);
      nodes.add(new ArrowFieldNode(count, count - validity(headers.getValidityBuffer(), from,
          count, at, buffers, "headers")));
      rebasedOffsets(headerOffsets, from, count, at, buffers, "headers");
      nodes.add(new ArrowFieldNode(entryCount, entryCount
          - validity(entries.getValidityBuffer(), entryFrom, entryCount, at, buffers,
              "headers")));
      variableWidth(headerName, entryFrom, entryCount, at, nodes, buffers);
      variableWidth(headerValue, entryFrom, entryCount, at, nodes, buffers);
      nodes.add(new ArrowFieldNode(count, count - validity(timestamp.getValidityBuffer(), from,
          count, at, buffers, "timestamp")));
      long dataFrom = (long) from * TimeStampMilliVector.TYPE_WIDTH;
      long dataBytes = (long) count * TimeStampMilliVector.TYPE_WIDTH;
      if (dataFrom + dataBytes > timestamp.getDataBuffer().capacity()) {
        throw corrupt("timestamp");
      }
      buffers.add(timestamp.getDataBuffer().slice(dataFrom, dataBytes));
      return new ArrowRecordBatch(count, nodes, buffers); // each buffer holds a reference
    } finally {
      scratch.close();
    }
  }

  /** Where the next rewritten buffer goes in the scratch buffer, 8-byte aligned. */
  private static final class Cursor {
    final ArrowBuf buf;
    long position;

    Cursor(ArrowBuf buf) {
      this.buf = buf;
    }

    ArrowBuf take(long bytes) {
      ArrowBuf view = buf.slice(position, bytes);
      position += padded(bytes);
      return view;
    }
  }

  private static long padded(long bytes) {
    return (bytes + 7) & ~7L;
  }

  /** As Arrow's vectors write them: none for an empty column, else one more than values. */
  private static long offsetBytes(int count) {
    return count == 0 ? 0 : (count + 1L) * Integer.BYTES;
  }

  private static void variableWidth(BaseVariableWidthVector v, int from, int count, Cursor at,
      List<ArrowFieldNode> nodes, List<ArrowBuf> buffers) {
    int valid = validity(v.getValidityBuffer(), from, count, at, buffers, v.getName());
    nodes.add(new ArrowFieldNode(count, count - valid));
    if (count == 0) {
      buffers.add(at.take(0));
      buffers.add(at.take(0));
      return;
    }
    ArrowBuf data = v.getDataBuffer();
    int start = offset(v.getOffsetBuffer(), from, data.capacity(), v.getName());
    int end = rebasedOffsets(v.getOffsetBuffer(), from, count, at, buffers, v.getName()) + start;
    if (end > data.capacity()) {
      throw corrupt(v.getName());
    }
    buffers.add(data.slice(start, end - start));
  }

  /**
   * Writes the offsets of rows {@code from..from+count} less the first, as a batch of its own
   * has them; returns the last. Offsets must not decrease.
   */
  private static int rebasedOffsets(ArrowBuf offsets, int from, int count, Cursor at,
      List<ArrowBuf> buffers, String column) {
    ArrowBuf out = at.take(offsetBytes(count));
    if (offsets.capacity() < (from + count + 1L) * Integer.BYTES) {
      throw corrupt(column);
    }
    int base = offsets.getInt((long) from * Integer.BYTES);
    int previous = base;
    for (int i = 0; i <= count; i++) {
      int o = offsets.getInt((long) (from + i) * Integer.BYTES);
      if (o < previous) {
        throw corrupt(column);
      }
      out.setInt((long) i * Integer.BYTES, o - base);
      previous = o;
    }
    buffers.add(out);
    return previous - base;
  }

  private static int offset(ArrowBuf offsets, int index, long limit, String column) {
    if (offsets.capacity() < (index + 1L) * Integer.BYTES) {
      throw corrupt(column);
    }
    int o = offsets.getInt((long) index * Integer.BYTES);
    if (o < 0 || o > limit) {
      throw corrupt(column);
    }
    return o;
  }

  /**
   * Writes the validity bits of rows {@code from..from+count-1} from bit 0 on, with the bits past
   * the last row cleared; returns how many rows are valid.
   */
  private static int validity(ArrowBuf source, int from, int count, Cursor at,
      List<ArrowBuf> buffers, String column) {
    int bytes = (count + 7) / 8;
    ArrowBuf out = at.take(bytes);
    buffers.add(out);
    if (count == 0) {
      return 0;
    }
    long first = from >>> 3;
    int shift = from & 7;
    long sourceBytes = source.capacity();
    if (first + (shift + count + 7) / 8 > sourceBytes) {
      throw corrupt(column);
    }
    int valid = 0;
    for (int i = 0; i < bytes; i++) {
      int b = (source.getByte(first + i) & 0xFF) >>> shift;
      if (shift != 0 && first + i + 1 < sourceBytes) {
        b |= (source.getByte(first + i + 1) & 0xFF) << (8 - shift);
      }
      if (i == bytes - 1 && (count & 7) != 0) {
        b &= (1 << (count & 7)) - 1;
      }
      b &= 0xFF;
      out.setByte(i, b);
      valid += Integer.bitCount(b);
    }
    return valid;
  }

  private static RuntimeException corrupt(String column) {
    return Errors.CORRUPT_RECORD.exception("Malformed batch: the " + column + " column's "
        + "buffers do not match its row count or offsets");
  }
}
