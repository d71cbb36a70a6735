package io.pyralog.common.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.schema.RawSchema;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class RawRowsBatchTest {
  private static final int ROWS = 203;

  /**
   * A raw batch with null keys, values, timestamps and header maps, rows without headers and
   * header entries with null values; {@code withHeaders} false leaves every map empty.
   */
  private static VectorSchemaRoot sample(BufferAllocator allocator, boolean withHeaders) {
    VectorSchemaRoot root = VectorSchemaRoot.create(RawSchema.SCHEMA, allocator);
    root.allocateNew();
    VarBinaryVector key = (VarBinaryVector) root.getVector(RawSchema.KEY);
    VarBinaryVector value = (VarBinaryVector) root.getVector(RawSchema.VALUE);
    MapVector headers = (MapVector) root.getVector(RawSchema.HEADERS);
    StructVector entries = (StructVector) headers.getDataVector();
    VarCharVector name = (VarCharVector) entries.getChildrenFromFields().get(0);
    VarBinaryVector headerValue = (VarBinaryVector) entries.getChildrenFromFields().get(1);
    TimeStampMilliVector ts = (TimeStampMilliVector) root.getVector(RawSchema.TIMESTAMP);
    int e = 0;
    for (int i = 0; i < ROWS; i++) {
      if (i % 5 == 2) {
        key.setNull(i);
      } else {
        key.setSafe(i, ("k" + i).getBytes(StandardCharsets.UTF_8));
      }
      if (i % 13 == 7) {
        value.setNull(i);
      } else {
        value.setSafe(i, ("value-" + i + "-".repeat(i % 17)).getBytes(StandardCharsets.UTF_8));
      }
      if (withHeaders && i % 11 == 4) {
        headers.setNull(i);
      } else {
        headers.startNewValue(i);
        int n = withHeaders ? i % 4 : 0;
        for (int k = 0; k < n; k++, e++) {
          entries.setIndexDefined(e);
          name.setSafe(e, ("h" + k).getBytes(StandardCharsets.UTF_8));
          if ((i + k) % 3 == 0) {
            headerValue.setNull(e);
          } else {
            headerValue.setSafe(e, ("v" + i + "." + k).getBytes(StandardCharsets.UTF_8));
          }
        }
        headers.endValue(i, n);
      }
      if (i % 7 == 6) {
        ts.setNull(i);
      } else {
        ts.setSafe(i, 1_700_000_000_000L + (i * 37L) % 1000);
      }
    }
    root.setRowCount(ROWS);
    return root;
  }

  private static StoredBatchEncoder.Encoded sliced(VectorSchemaRoot root, int from, int count) {
    try (VectorSchemaRoot slice = root.slice(from, count)) {
      return StoredBatchEncoder.encode(slice, true, 5L, 9L, (short) 1, 3, 2, -1L);
    }
  }

  private static StoredBatchEncoder.Encoded direct(VectorSchemaRoot root, int from, int count) {
    return StoredBatchEncoder.encodeRows(root, from, count, true, 5L, 9L, (short) 1, 3, 2, -1L);
  }

  private static ByteBuffer header(StoredBatchEncoder.Encoded e) {
    return ByteBuffer.wrap(e.array(), 0, e.length());
  }

  private static byte[] payload(StoredBatchEncoder.Encoded e) {
    return Arrays.copyOfRange(e.array(), BatchHeader.SIZE, e.length());
  }

  /** Each row as text: key, value, headers and timestamp, nulls as "null". */
  private static List<String> rows(BufferAllocator allocator, StoredBatchEncoder.Encoded e) {
    List<String> out = new ArrayList<>();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(RawSchema.SCHEMA, allocator)) {
      ArrowIpc.load(payload(e), root, allocator);
      for (int i = 0; i < root.getRowCount(); i++) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < 4; c++) {
          Object v = root.getVector(c).getObject(i);
          b.append(v instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : String.valueOf(v))
              .append(" | ");
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  /** The IPC message's field nodes, as (length, null count) pairs. */
  private static List<String> nodes(BufferAllocator allocator, StoredBatchEncoder.Encoded e)
      throws IOException {
    ReadChannel in = new ReadChannel(Channels.newChannel(new ByteArrayInputStream(payload(e))));
    try (ArrowRecordBatch rb = MessageSerializer.deserializeRecordBatch(in, allocator)) {
      List<String> out = new ArrayList<>();
      for (ArrowFieldNode n : rb.getNodes()) {
        out.add(n.getLength() + "/" + n.getNullCount());
      }
      return out;
    }
  }

  private static void assertSameAsSlice(BufferAllocator allocator, VectorSchemaRoot root,
      int from, int count) throws IOException {
    StoredBatchEncoder.Encoded expected = sliced(root, from, count);
    StoredBatchEncoder.Encoded actual = direct(root, from, count);
    String at = "rows " + from + "+" + count;
    List<String> rows = rows(allocator, actual);
    assertThat(rows).as(at).hasSize(count).isEqualTo(rows(allocator, expected));
    assertThat(nodes(allocator, actual)).as(at).isEqualTo(nodes(allocator, expected));
    ByteBuffer h = header(actual);
    ByteBuffer x = header(expected);
    assertThat(BatchHeader.recordCount(h, 0)).as(at).isEqualTo(count);
    assertThat(BatchHeader.firstTimestamp(h, 0)).as(at)
        .isEqualTo(BatchHeader.firstTimestamp(x, 0));
    assertThat(BatchHeader.maxTimestamp(h, 0)).as(at).isEqualTo(BatchHeader.maxTimestamp(x, 0));
    assertThat(BatchHeader.batchLength(h, 0)).as(at).isEqualTo(actual.length());
  }

  @Test
  void everyRangeReadsBackAsTheSameRowsAsASliceOfTheBatch() throws IOException {
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = sample(allocator, true)) {
      // starts on and off byte boundaries, lengths within a byte, across bytes, to the end
      int[] starts = {0, 1, 3, 7, 8, 9, 15, 16, 61, 100, 195, 202};
      int[] counts = {1, 2, 5, 7, 8, 9, 16, 17, 64, 100, 203};
      for (int from : starts) {
        for (int count : counts) {
          if (from + count <= ROWS) {
            assertSameAsSlice(allocator, root, from, count);
          }
        }
      }
    }
  }

  @Test
  void rowsWithoutAnyHeaderEntryReadBackToo() throws IOException {
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = sample(allocator, false)) {
      assertSameAsSlice(allocator, root, 0, ROWS);
      assertSameAsSlice(allocator, root, 13, 29);
    }
  }

  @Test
  void theWholeBatchIsTheSameAsEncodingIt() throws IOException {
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = sample(allocator, true)) {
      StoredBatchEncoder.Encoded whole = StoredBatchEncoder.encode(root, true, 5L, 9L,
          (short) 1, 3, 2, -1L);
      assertThat(rows(allocator, direct(root, 0, ROWS))).isEqualTo(rows(allocator, whole));
      assertThat(nodes(allocator, direct(root, 0, ROWS))).isEqualTo(nodes(allocator, whole));
    }
  }

  @Test
  void decreasingOffsetsAreACorruptRecordAndNothingLeaks() {
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = sample(allocator, true)) {
      VarBinaryVector value = (VarBinaryVector) root.getVector(RawSchema.VALUE);
      value.getOffsetBuffer().setInt(11L * Integer.BYTES, 3);
      assertThatThrownBy(() -> direct(root, 8, 10))
          .isInstanceOfSatisfying(ApiException.class,
              e -> assertThat(e.error()).isEqualTo(Errors.CORRUPT_RECORD))
          .hasMessageContaining("value");
      // rows before the broken offset still encode
      assertThat(rows(allocator, direct(root, 0, 10))).hasSize(10);
      long before = allocator.getAllocatedMemory();
      assertThatThrownBy(() -> direct(root, 8, 10)).isInstanceOf(ApiException.class);
      assertThat(allocator.getAllocatedMemory()).isEqualTo(before);
    }
  }

  @Test
  void aColumnShorterThanTheBatchIsACorruptRecord() {
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = sample(allocator, true)) {
      root.getVector(RawSchema.TIMESTAMP).setValueCount(50);
      assertThat(rows(allocator, direct(root, 0, 50))).hasSize(50);
      assertThatThrownBy(() -> direct(root, 40, 20))
          .isInstanceOfSatisfying(ApiException.class,
              e -> assertThat(e.error()).isEqualTo(Errors.CORRUPT_RECORD))
          .hasMessageContaining("timestamp");
    }
  }

  @Test
  void aBatchOfAnotherSchemaIsNotReadAsRaw() {
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(
            new Schema(RawSchema.SCHEMA.getFields().subList(0, 2)), allocator)) {
      assertThat(RawRowsBatch.of(root)).isNull();
    }
  }
}
