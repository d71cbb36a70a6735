package io.pyralog.client.internal;

import io.pyralog.client.ConsumerRecord;
import io.pyralog.client.ProducerRecord;
import io.pyralog.common.annotation.Internal;
import io.pyralog.common.schema.RawSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/** Converts raw-topic records to and from Arrow columns of {@link RawSchema}. */
@Internal
public final class RawRecords {
  private RawRecords() {}

  /** The records of one producer batch, with record {@code i}'s timestamp at {@code timestamps[i]}. */
  public record Run(List<ProducerRecord> records, long[] timestamps) {}

  /**
   * Writes the records of {@code runs}, one after another, as one record batch of {@link
   * RawSchema#SCHEMA}. The columns are written straight into one buffer, in one pass over the
   * records, with the layout Arrow's own vectors give them; the caller closes the batch.
   */
  public static ArrowRecordBatch write(BufferAllocator allocator, List<Run> runs) {
    int rows = 0;
    long keyBytes = 0;
    long valueBytes = 0;
    int headerCount = 0;
    for (Run run : runs) {
      for (ProducerRecord r : run.records()) {
        rows++;
        keyBytes += r.key() == null ? 0 : r.key().length;
        valueBytes += r.value() == null ? 0 : r.value().length;
        headerCount += r.headers().size();
      }
    }
    byte[][] headerNames = new byte[headerCount][];
    long headerNameBytes = 0;
    long headerValueBytes = 0;
    int h = 0;
    for (int k = 0; headerCount > 0 && k < runs.size(); k++) {
      for (ProducerRecord r : runs.get(k).records()) {
        for (Map.Entry<String, byte[]> e : r.headers().entrySet()) {
          headerNames[h] = e.getKey().getBytes(StandardCharsets.UTF_8);
          headerNameBytes += headerNames[h++].length;
          headerValueBytes += e.getValue() == null ? 0 : e.getValue().length;
        }
      }
    }
    Layout layout = new Layout();
    Column key = layout.variableWidth(rows, keyBytes);
    Column value = layout.variableWidth(rows, valueBytes);
    Column headers = layout.list(rows);
    Column entries = layout.struct(headerCount);
    Column headerName = layout.variableWidth(headerCount, headerNameBytes);
    Column headerValue = layout.variableWidth(headerCount, headerValueBytes);
    Column timestamp = layout.fixedWidth(rows, Long.BYTES);
    List<Column> columns = List.of(key, value, headers, entries, headerName, headerValue,
        timestamp); // in the order of the schema's buffers

    ArrowBuf buf = allocator.buffer(layout.size);
    try {
      for (Column c : columns) {
        buf.setZero(c.validity, c.validityBytes);
      }
      int row = 0;
      int keyAt = 0;
      int valueAt = 0;
      h = 0;
      int headerNameAt = 0;
      int headerValueAt = 0;
      for (Run run : runs) {
        List<ProducerRecord> records = run.records();
        long[] timestamps = run.timestamps();
        for (int i = 0; i < records.size(); i++, row++) {
          ProducerRecord r = records.get(i);
          keyAt = key.put(buf, row, keyAt, r.key());
          valueAt = value.put(buf, row, valueAt, r.value());
          headers.setValid(buf, row);
          buf.setInt(headers.offsets + (long) row * Integer.BYTES, h);
          for (byte[] v : r.headers().values()) {
            entries.setValid(buf, h);
            headerNameAt = headerName.put(buf, h, headerNameAt, headerNames[h]);
            headerValueAt = headerValue.put(buf, h, headerValueAt, v);
            h++;
          }
          timestamp.setValid(buf, row);
          buf.setLong(timestamp.data + (long) row * Long.BYTES, timestamps[i]);
        }
      }
      key.end(buf, rows, keyAt);
      value.end(buf, rows, valueAt);
      headers.end(buf, rows, h);
      headerName.end(buf, headerCount, headerNameAt);
      headerValue.end(buf, headerCount, headerValueAt);

      List<ArrowFieldNode> nodes = new ArrayList<>(7);
      List<ArrowBuf> buffers = new ArrayList<>(17);
      for (Column c : columns) {
        nodes.add(new ArrowFieldNode(c.length, c.length - c.valid));
        c.addBuffers(buf, buffers);
      }
      return new ArrowRecordBatch(rows, nodes, buffers); // each buffer holds a reference
    } finally {
      buf.close();
    }
  }

  /** Where each column's buffers lie in the one buffer {@link #write} fills, 8-byte aligned. */
  private static final class Layout {
    long size;

    private long take(long bytes) {
      long at = size;
      size += (bytes + 7) & ~7L;
      return at;
    }

    private Column column(int length, long offsetBytes, long dataBytes) {
      long validityBytes = (length + 7) / 8;
      long validity = take(validityBytes);
      long offsets = offsetBytes < 0 ? -1 : take(offsetBytes);
      long data = dataBytes < 0 ? -1 : take(dataBytes);
      return new Column(length, validity, validityBytes, offsets, offsetBytes, data, dataBytes);
    }

    Column variableWidth(int length, long dataBytes) {
      return column(length, offsetBytes(length), dataBytes);
    }

    Column list(int length) {
      return column(length, offsetBytes(length), -1);
    }

    /** As Arrow's vectors write them: none for an empty column, else one more than values. */
    private static long offsetBytes(int length) {
      return length == 0 ? 0 : (length + 1L) * Integer.BYTES;
    }

    Column struct(int length) {
      return column(length, -1, -1);
    }

    Column fixedWidth(int length, int width) {
      return column(length, -1, (long) length * width);
    }
  }

  /**
   * One column's buffers: validity, then offsets and data where its type has them (a negative
   * position means it has none).
   */
  private static final class Column {
    final int length;
    final long validity;
    final long validityBytes;
    final long offsets;
    final long offsetBytes;
    final long data;
    final long dataBytes;
    int valid;

    Column(int length, long validity, long validityBytes, long offsets, long offsetBytes,
        long data, long dataBytes) {
      this.length = length;
      this.validity = validity;
      this.validityBytes = validityBytes;
      this.offsets = offsets;
      this.offsetBytes = offsetBytes;
      this.data = data;
      this.dataBytes = dataBytes;
    }

    void setValid(ArrowBuf buf, int index) {
      long at = validity + (index >>> 3);
      buf.setByte(at, buf.getByte(at) | (1 << (index & 7)));
      valid++;
    }

    /** Writes value {@code index} of a binary column at data position {@code at}; the next. */
    int put(ArrowBuf buf, int index, int at, byte[] bytes) {
      buf.setInt(offsets + (long) index * Integer.BYTES, at);
      if (bytes == null) {
        return at;
      }
      setValid(buf, index);
      buf.setBytes(data + at, bytes);
      return at + bytes.length;
    }

    /** Writes the end offset of a binary or list column of {@code count} values. */
    void end(ArrowBuf buf, int count, int at) {
      if (count > 0) {
        buf.setInt(offsets + (long) count * Integer.BYTES, at);
      }
    }

    void addBuffers(ArrowBuf buf, List<ArrowBuf> out) {
      out.add(buf.slice(validity, validityBytes));
      if (offsets >= 0) {
        out.add(buf.slice(offsets, offsetBytes));
      }
      if (data >= 0) {
        out.add(buf.slice(data, dataBytes));
      }
    }
  }

  /** Reads records out of a root with the raw schema (or a projection of it). */
  public static final class Reader {
    private final VarBinaryVector key;
    private final VarBinaryVector value;
    private final MapVector headers;
    private final VarCharVector headerKey;
    private final VarBinaryVector headerValue;
    private final TimeStampVector timestamp;

    public Reader(VectorSchemaRoot root) {
      this.key = vector(root, RawSchema.KEY, VarBinaryVector.class);
      this.value = vector(root, RawSchema.VALUE, VarBinaryVector.class);
      this.headers = vector(root, RawSchema.HEADERS, MapVector.class);
      this.timestamp = vector(root, RawSchema.TIMESTAMP, TimeStampVector.class);
      if (headers != null && headers.getDataVector() instanceof StructVector entries) {
        this.headerKey = entries.getChild(MapVector.KEY_NAME, VarCharVector.class);
        this.headerValue = entries.getChild(MapVector.VALUE_NAME, VarBinaryVector.class);
      } else {
        this.headerKey = null;
        this.headerValue = null;
      }
    }

    private static <V> V vector(VectorSchemaRoot root, String name, Class<V> type) {
      FieldVector v = root.getVector(name);
      return type.isInstance(v) ? type.cast(v) : null;
    }

    /** Record at {@code row}; {@code fallbackTimestamp} is used when the row has none. */
    public ConsumerRecord read(String topic, int partition, long offset, int row) {
      return read(topic, partition, offset, row, -1L);
    }

    /** The value at {@code row}, or null: no key, headers or record object is built. */
    public byte[] value(int row) {
      return value == null || value.isNull(row) ? null : value.get(row);
    }

    public ConsumerRecord read(String topic, int partition, long offset, int row,
        long fallbackTimestamp) {
      byte[] k = key == null || key.isNull(row) ? null : key.get(row);
      byte[] v = value(row);
      long ts = timestamp == null || timestamp.isNull(row) ? fallbackTimestamp
          : timestamp.get(row);
      return new ConsumerRecord(topic, partition, offset, ts, k, v, headers(row));
    }

    private Map<String, byte[]> headers(int row) {
      if (headers == null || headerKey == null || headers.isNull(row)) {
        return Collections.emptyMap();
      }
      int start = headers.getElementStartIndex(row);
      int end = headers.getElementEndIndex(row);
      if (start == end) {
        return Collections.emptyMap();
      }
      Map<String, byte[]> out = new LinkedHashMap<>((end - start) * 2);
      for (int j = start; j < end; j++) {
        String name = new String(headerKey.get(j), StandardCharsets.UTF_8);
        byte[] hv = headerValue == null || headerValue.isNull(j) ? null : headerValue.get(j);
        out.put(name, hv);
      }
      return Collections.unmodifiableMap(out);
    }
  }
}
