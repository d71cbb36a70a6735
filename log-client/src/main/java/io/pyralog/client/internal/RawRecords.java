package io.pyralog.client.internal;

import io.pyralog.client.ConsumerRecord;
import io.pyralog.client.ProducerRecord;
import io.pyralog.common.annotation.Internal;
import io.pyralog.common.schema.RawSchema;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;

/** Converts raw-topic records to and from Arrow columns of {@link RawSchema}. */
@Internal
public final class RawRecords {
  private RawRecords() {}

  /**
   * Builds a root with {@link RawSchema#SCHEMA} holding {@code records}; record {@code i} gets
   * timestamp {@code timestamps[i]}. The caller owns (and closes) the root.
   */
  public static VectorSchemaRoot build(BufferAllocator allocator, List<ProducerRecord> records,
      long[] timestamps) {
    int n = records.size();
    VectorSchemaRoot root = VectorSchemaRoot.create(RawSchema.SCHEMA, allocator);
    try {
      VarBinaryVector key = (VarBinaryVector) root.getVector(RawSchema.KEY);
      VarBinaryVector value = (VarBinaryVector) root.getVector(RawSchema.VALUE);
      MapVector headers = (MapVector) root.getVector(RawSchema.HEADERS);
      TimeStampVector timestamp = (TimeStampVector) root.getVector(RawSchema.TIMESTAMP);
      long keyBytes = 0;
      long valueBytes = 0;
      int headerCount = 0;
      for (int i = 0; i < n; i++) {
        ProducerRecord r = records.get(i);
        keyBytes += r.key() == null ? 0 : r.key().length;
        valueBytes += r.value() == null ? 0 : r.value().length;
        headerCount += r.headers().size();
      }
      key.allocateNew(Math.max(keyBytes, 1), Math.max(n, 1));
      value.allocateNew(Math.max(valueBytes, 1), Math.max(n, 1));
      timestamp.allocateNew(Math.max(n, 1));
      headers.allocateNew();
      StructVector entries = (StructVector) headers.getDataVector();
      VarCharVector headerKey = entries.getChild(MapVector.KEY_NAME, VarCharVector.class);
      VarBinaryVector headerValue = entries.getChild(MapVector.VALUE_NAME, VarBinaryVector.class);
      if (headerCount > 0) {
        entries.setInitialCapacity(headerCount);
        entries.allocateNew();
      }
      for (int i = 0; i < n; i++) {
        ProducerRecord r = records.get(i);
        if (r.key() == null) {
          key.setNull(i);
        } else {
          key.setSafe(i, r.key());
        }
        if (r.value() == null) {
          value.setNull(i);
        } else {
          value.setSafe(i, r.value());
        }
        int start = headers.startNewValue(i);
        int h = 0;
        for (Map.Entry<String, byte[]> e : r.headers().entrySet()) {
          int at = start + h++;
          entries.setIndexDefined(at);
          headerKey.setSafe(at, e.getKey().getBytes(StandardCharsets.UTF_8));
          if (e.getValue() == null) {
            headerValue.setNull(at);
          } else {
            headerValue.setSafe(at, e.getValue());
          }
        }
        headers.endValue(i, h);
        timestamp.setSafe(i, timestamps[i]);
      }
      root.setRowCount(n);
      return root;
    } catch (RuntimeException e) {
      root.close();
      throw e;
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
